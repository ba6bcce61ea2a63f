"""The training settings `postura train` has beside the basics (preset, roles, caps_others,
known actors) in `postura.train` and `PosturaClassifier`, and `label_articles`' sources."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold

import postura
from postura.sklearn import PosturaClassifier

from conftest import ACTORS

REPO = Path(__file__).resolve().parents[3]
ACTOR_CSV = REPO / "datasets" / "actors.csv"


@pytest.fixture(scope="module")
def small(corpus):
    texts, labels, actors = corpus
    return texts[:90], labels[:90], actors[:90]


def params(model):
    return model.card["params"]


def test_roles_caps_others_and_known_actors_reach_the_model(small):
    texts, labels, actors = small
    plain = params(postura.train(texts, labels, actors=actors))
    assert plain["features"]["roles"] is True and plain["text"]["caps_others"] is False
    assert plain["features"]["known_actors"] == []
    known = {ACTORS[0]: ["Quiroga"], ACTORS[1]: "Pereyra", ACTORS[2]: None}
    model = postura.train(texts, labels, actors=actors, roles=False, caps_others=True, known_actors=known)
    p = params(model)
    assert p["features"]["roles"] is False and p["text"]["caps_others"] is True
    assert p["features"]["known_actors"] == [[ACTORS[0], "Quiroga"], [ACTORS[1], "Pereyra"], [ACTORS[2]]]
    # The same list as names and pairs, and as a DataFrame with '|'-separated aliases.
    as_list = [(ACTORS[0], ["Quiroga"]), (ACTORS[1], "Pereyra"), ACTORS[2]]
    frame = pd.DataFrame({"actor": ACTORS[:3], "aliases": ["Quiroga", "Pereyra", np.nan]})
    for form in (as_list, frame):
        again = postura.train(texts, labels, actors=actors, roles=False, caps_others=True, known_actors=form)
        assert params(again)["features"]["known_actors"] == p["features"]["known_actors"]
    # An empty list is no known actors (it overrides a preset's).
    assert params(postura.train(texts, labels, known_actors=[]))["features"]["known_actors"] == []


@pytest.mark.skipif(not ACTOR_CSV.is_file(), reason="datasets/actors.csv is absent")
def test_known_actors_file_reads_as_the_command_line_reads_it(small):
    texts, labels, actors = small
    from_path = params(postura.train(texts, labels, actors=actors, known_actors=ACTOR_CSV))
    from_str = params(postura.train(texts, labels, actors=actors, known_actors=str(ACTOR_CSV)))
    frame = pd.read_csv(ACTOR_CSV)
    from_frame = params(postura.train(texts, labels, actors=actors, known_actors=frame))
    assert from_path["features"]["known_actors"] == from_str["features"]["known_actors"]
    assert from_path["features"]["known_actors"] == from_frame["features"]["known_actors"]
    assert len(from_path["features"]["known_actors"]) == len(frame)


def test_default_preset_is_the_default_models_settings(small):
    texts, labels, actors = small
    default = postura.Model.default()
    model = postura.train(texts, labels, actors=actors, preset="default")
    assert params(model) == params(default)
    # Settings given beside the preset override it.
    changed = params(postura.train(texts, labels, actors=actors, preset="default", stem=False, roles=False))
    assert changed["features"]["stem"] is False and changed["features"]["roles"] is False
    assert changed["features"]["known_actors"] == params(default)["features"]["known_actors"]


def test_bad_new_settings_raise_the_command_lines_errors(small, tmp_path):
    texts, labels, _ = small
    with pytest.raises(ValueError, match=r"invalid value 'fast' for preset= \[possible values: default\]"):
        postura.train(texts, labels, preset="fast")
    with pytest.raises(TypeError, match="roles must be True or False"):
        postura.train(texts, labels, roles="no")
    with pytest.raises(TypeError, match="caps_others must be True or False"):
        postura.train(texts, labels, caps_others=[1])
    with pytest.raises(ValueError, match="'Kast' is listed twice"):
        postura.train(texts, labels, known_actors=["Kast", ("Kast", ["J. A. Kast"])])
    with pytest.raises(ValueError, match="known actor 2: empty actor name"):
        postura.train(texts, labels, known_actors=["Kast", " "])
    with pytest.raises(TypeError, match=r"known_actors\[0\]"):
        postura.train(texts, labels, known_actors=[3])
    with pytest.raises(ValueError, match=r"known_actors\[0\] has 3 values"):
        postura.train(texts, labels, known_actors=[("Kast", [], "x")])
    with pytest.raises(TypeError, match="known_actors must be"):
        postura.train(texts, labels, known_actors=3)
    with pytest.raises(ValueError, match="no 'actor' column"):
        postura.train(texts, labels, known_actors=pd.DataFrame({"name": ["Kast"]}))
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        postura.train(texts, labels, known_actors=tmp_path / "nope.csv")
    bad = tmp_path / "actors.csv"
    bad.write_text("name,aliases\nKast,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="actors.csv:1: no `actor` column"):
        postura.train(texts, labels, known_actors=bad)
    with pytest.raises(ValueError, match="c= and alpha= are one setting"):
        postura.train(texts, labels, c=1.0, alpha=1.0)
    with pytest.raises(ValueError, match=r"alpha= must be a positive number \(got 0\)"):
        postura.train(texts, labels, alpha=0.0)
    with pytest.raises(ValueError, match="word_ngrams takes MIN-MAX"):
        postura.train(texts, labels, word_ngrams="a-b")


def test_classifier_takes_the_new_settings(small):
    texts, labels, actors = small
    est = PosturaClassifier(roles=False, caps_others=True, known_actors=[ACTORS[0]], preset=None)
    got = est.get_params()
    assert got["roles"] is False and got["caps_others"] is True and got["known_actors"] == [ACTORS[0]]
    assert clone(est).get_params() == got
    frame = pd.DataFrame({"text": texts, "actor": actors})
    est.fit(frame, labels)
    p = params(est.model_)
    assert p["features"]["roles"] is False and p["text"]["caps_others"] is True
    assert p["features"]["known_actors"] == [[ACTORS[0]]]
    assert est.set_params(preset="default").preset == "default"
    with pytest.raises(ValueError, match="preset="):
        PosturaClassifier(preset="nope").fit(frame, labels)
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    grid = GridSearchCV(PosturaClassifier(), {"roles": [True, False], "caps_others": [False, True]}, cv=cv)
    grid.fit(frame, labels)
    assert len(grid.cv_results_["mean_test_score"]) == 4
    assert set(grid.best_params_) == {"roles", "caps_others"}


ARTICLES = [
    {"id": "a", "text": "Boric dijo que Kast es un peligro para el país. Kast viajó a Temuco."},
    {"id": "b", "text": "Kast presentó su programa de gobierno en Santiago."},
]


def test_label_articles_with_one_source_for_all(default_model):
    plain = postura.label_articles(ARTICLES, actors="Kast", model=default_model)
    assert all("source" not in r for r in plain)
    rows = postura.label_articles(ARTICLES, actors="Kast", model=default_model, source="Boric",
                                  source_aliases=["Gabriel Boric"])
    assert [(r["article"], r["sentence"]) for r in rows] == [(r["article"], r["sentence"]) for r in plain]
    assert {r["source"] for r in rows} == {"Boric"}
    # Read as Boric's stance, a statement Boric does not make is `none`.
    assert set(default_model.labels) >= {r["label"] for r in rows}
    assert rows[-1]["label"] == "none"
    per_article = postura.label_articles(ARTICLES, actors="Kast", model=default_model, source="Boric", per="article")
    assert [r["source"] for r in per_article] == ["Boric"] * len(per_article)


def test_label_articles_with_a_source_per_article(default_model):
    mixed = postura.label_articles(ARTICLES, actors="Kast", model=default_model, source=pd.Series(["Boric", None]))
    alone_a = postura.label_articles(ARTICLES[:1], actors="Kast", model=default_model, source="Boric")
    alone_b = postura.label_articles(ARTICLES[1:], actors="Kast", model=default_model)
    expected = [dict(r) for r in alone_a] + [dict(r, source=None, article_index=1) for r in alone_b]
    assert mixed == expected
    # Articles keep their order whatever the sources' order.
    order = postura.label_articles(ARTICLES, actors="Kast", model=default_model, source=[None, "Boric"])
    assert [r["article"] for r in order] == sorted(r["article"] for r in order)


def test_label_articles_source_errors_and_warnings(default_model, corpus):
    with pytest.raises(ValueError, match="source has 1 items but articles has 2"):
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source=["Boric"])
    with pytest.raises(TypeError, match=r"source\[1\] is int"):
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source=["Boric", 3])
    with pytest.raises(ValueError, match="source_aliases= needs source="):
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source_aliases=["x"])
    with pytest.raises(ValueError, match="one source for every article"):
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source=["Boric", None], source_aliases="B")
    with pytest.raises(ValueError, match="the source 'Kast' is the only actor"):
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source="Kast")
    with pytest.warns(UserWarning, match="the source 'Boric' is also an actor: skipped as a target"):
        rows = postura.label_articles(ARTICLES, actors=["Kast", "Boric"], model=default_model, source="Boric")
    assert {r["actor"] for r in rows} == {"Kast"}
    # A model trained without sources cannot answer for one.
    texts, labels, actors = corpus
    no_sources = postura.train(texts[:60], labels[:60], actors=actors[:60])
    with pytest.raises(ValueError, match="trained without sources"):
        postura.label_articles(ARTICLES, actors="Kast", model=no_sources, source="Boric")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        postura.label_articles(ARTICLES, actors="Kast", model=default_model, source="Boric")


@pytest.fixture(scope="module")
def default_model():
    return postura.Model.default()


def test_aliases_split_on_bars_in_every_form(small, default_model):
    """A str of aliases is split on '|' (as in the actor list's CSV), a list is taken as is,
    whichever form known_actors or label_articles' actors take."""
    texts, labels, actors = small
    want = [[ACTORS[0], "Quiroga", "MQ"], [ACTORS[1], "Pereyra|JP"]]
    forms = [
        {ACTORS[0]: "Quiroga|MQ", ACTORS[1]: ["Pereyra|JP"]},
        [(ACTORS[0], "Quiroga | MQ"), (ACTORS[1], ["Pereyra|JP"])],
        pd.DataFrame({"actor": ACTORS[:2], "aliases": ["Quiroga|MQ", ["Pereyra|JP"]]}),
    ]
    for form in forms:
        got = params(postura.train(texts, labels, actors=actors, known_actors=form))
        assert got["features"]["known_actors"] == want, form
    # label_articles: 'JAK' is found only as an alias of its own.
    article = ["JAK criticó el plan de transporte."]
    for actors_arg in ({"Kast": "José Antonio Kast|JAK"}, [("Kast", "JAK")], "Kast"):
        kw = {"aliases": "José Antonio Kast|JAK"} if actors_arg == "Kast" else {}
        rows = postura.label_articles(article, actors=actors_arg, model=default_model, **kw)
        assert [(r["actor"], r["sentence"]) for r in rows] == [("Kast", 0)], actors_arg
    rows = postura.label_articles(article, actors={"Kast": ["José Antonio Kast|JAK"]}, model=default_model)
    assert rows == []


def test_rows_find_their_article_when_ids_repeat(default_model):
    # Same id, different texts (and non-ASCII before the mention, so offsets differ).
    articles = [
        {"id": "x", "text": "Kast viajó a Temuco."},
        {"id": "x", "text": "Según la crónica, ayer por la mañana Kast habló en Valparaíso."},
    ]
    rows = postura.label_articles(articles, actors="Kast", model=default_model, source=["Boric", None])
    assert [r["article_index"] for r in rows] == [0, 1]
    for r in rows:
        text = articles[r["article_index"]]["text"]
        assert r["text"] == text[r["start"]:r["end"]]
    assert [r["source"] for r in rows] == ["Boric", None]
    per_article = postura.label_articles(articles, actors="Kast", model=default_model, per="article")
    assert [r["article_index"] for r in per_article] == [0, 1]
    for r in per_article:
        text = articles[r["article_index"]]["text"]
        for e in (r.get("evidence") or {}).values():
            if e:
                assert e["text"] == text[e["start"]:e["end"]]


def test_a_bad_source_row_fails_only_its_article(default_model):
    df = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "text": [ARTICLES[0]["text"], ARTICLES[1]["text"], ARTICLES[1]["text"], ARTICLES[0]["text"]],
        "source": ["Boric", "Kast", None, "..."],
    })
    with pytest.warns(UserWarning) as caught:
        rows = postura.label_articles(df, actors="Kast", model=default_model, source=df["source"])
    message = "\n".join(str(w.message) for w in caught)
    assert "2 of 4 articles not labeled" in message
    assert "[1] article 'b': the source 'Kast' is the only actor" in message
    assert "[3] article 'd': source '...' has no word (a letter or digit) to look for" in message
    assert {r["article_index"] for r in rows} == {0, 2}
    alone = postura.label_articles(df.iloc[[0]], actors="Kast", model=default_model, source="Boric")
    assert [dict(r, article_index=0) for r in alone] == [r for r in rows if r["article_index"] == 0]
    with pytest.raises(ValueError, match="article 'b': the source 'Kast' is the only actor"):
        postura.label_articles(df, actors="Kast", model=default_model, source=df["source"], errors="raise")
    with pytest.raises(ValueError, match="errors must be 'warn' or 'raise'"):
        postura.label_articles(df, actors="Kast", model=default_model, errors="ignore")


def test_named_settings_come_from_the_librarys_tables(small):
    from postura import _postura

    texts, labels, _ = small
    names = _postura._SETTING_NAMES
    assert set(names) == {"preset", "loss", "class_weight", "solver"}
    for setting, values in names.items():
        for v in values:
            assert f'"{v}"' in postura.train.__doc__, (setting, v)
        listed = ", ".join(values)
        with pytest.raises(ValueError, match=rf"\[possible values: {listed}\]"):
            postura.train(texts, labels, **{setting: "no-such-value"})
    assert names["loss"] == ["logistic", "hinge"]
    hinge = params(postura.train(texts, labels, loss="HINGE"))
    assert hinge["loss"] in ("Hinge", "hinge")


def test_setting_errors_come_types_first_then_files_then_values(small, tmp_path):
    """As `postura train` checks them: every keyword's type, then the known-actors file, then
    the named settings and n-gram ranges — whatever order the keywords come in."""
    texts, labels, _ = small
    missing = tmp_path / "no-such-actors.csv"
    with pytest.raises(TypeError, match="c must be a number, not str"):
        postura.train(texts, labels, loss="nope", c="x")
    with pytest.raises(FileNotFoundError, match="no-such-actors.csv"):
        postura.train(texts, labels, loss="nope", known_actors=missing)
    with pytest.raises(ValueError, match="loss="):
        postura.train(texts, labels, word_ngrams="1-2", loss="nope")
    with pytest.raises(ValueError, match="word_ngrams"):
        postura.train(texts, labels, word_ngrams="x-y")
