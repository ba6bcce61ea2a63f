"""Inputs that used to be read silently wrong, errors of the wrong type or in the command line's
words: each test here failed before the fixes it names."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import postura
from postura.sklearn import PosturaClassifier

TEXTS = ["Milei dijo que Kast es malo", "Milei apoya a Kast", "Milei habló de Kast"]
LABELS = ["distancing", "supportive", "neutral"]


@pytest.fixture(scope="module")
def default():
    return postura.Model.default()


@pytest.fixture(scope="module")
def small(corpus):
    texts, labels, actors = corpus
    return postura.train(texts[:90], labels[:90], actors=actors[:90])


# 1. Input types that iterating reads wrongly.


def test_zero_d_array_of_texts_or_labels_is_refused_like_a_str(default, corpus):
    with pytest.raises(TypeError, match="0-d numpy array"):
        default.predict(np.array("Kast bien"), actor="Kast")
    texts, labels, _ = corpus
    with pytest.raises(TypeError, match="0-d numpy array"):
        postura.train(np.array("Kast es malo"), np.array("abcdefghijkl"))
    with pytest.raises(TypeError, match="labels must be .* 0-d numpy array"):
        postura.train(texts[:12], np.array("abcdefghijkl"))


def test_zero_d_array_actor_is_that_one_actor(default):
    texts = ["Kast ganó", "Kast perdió", "Kast habló", "Kast viajó"]
    rows = default.predict(texts, actor=np.array("Kast"))
    assert [r["actor"] for r in rows] == ["Kast"] * 4
    np.testing.assert_array_equal(
        default.predict_proba(texts, actor=np.array("Kast")), default.predict_proba(texts, actor="Kast")
    )


@pytest.mark.parametrize(
    "texts, match",
    [
        (pd.DataFrame({"text": ["Kast bien", "Kast mal"]}), r'DataFrame: pass one column, e.g. df\["text"\]'),
        ({"Kast bien": 1, "Kast mal": 2}, "dict .*keys"),
        ({"Kast bien", "Kast mal"}, "set, which has no order"),
        (frozenset({"Kast bien"}), "frozenset, which has no order"),
        (np.array([["a", "b"], ["c", "d"]]), r"shape \(2, 2\)"),
        (b"Kast bien", "bytes"),
    ],
)
def test_unordered_or_wrongly_iterated_texts_are_type_errors(default, texts, match):
    with pytest.raises(TypeError, match=match):
        default.predict(texts, actor="Kast")
    with pytest.raises(TypeError, match=match):
        postura.evaluate(default, texts, ["neutral", "neutral"])


def test_dataframe_as_actor_labels_or_sources_names_the_column(default, corpus):
    df = pd.DataFrame({"text": ["Kast bien", "Kast mal"], "actor": ["Kast", "Kast"], "label": ["a", "b"]})
    with pytest.raises(TypeError, match=r'actor is a pandas DataFrame: pass one column, e.g. df\["actor"\]'):
        default.predict(df["text"], actor=df)
    with pytest.raises(TypeError, match=r'labels is a pandas DataFrame: .*df\["label"\]'):
        postura.train(df["text"], df)
    with pytest.raises(TypeError, match="set, which has no order"):
        default.predict(["Kast bien"], actor="Kast", aliases={"JAK", "José"})


def test_sequences_still_accepted(default):
    texts = ["Kast ganó", "Kast perdió"]
    expected = default.predict_proba(texts, actor="Kast")
    for form in (texts, tuple(texts), (t for t in texts), np.array(texts), pd.Series(texts), np.array(texts, dtype=object)):
        np.testing.assert_array_equal(default.predict_proba(form, actor="Kast"), expected)
    np.testing.assert_array_equal(default.predict_proba(texts, actor=pd.Series(["Kast", "Kast"])), expected)


def test_label_articles_refuses_unordered_inputs_and_names_arguments(default):
    with pytest.raises(TypeError, match="articles must be .* not None"):
        postura.label_articles(None, actors="Kast", model=default)
    with pytest.raises(TypeError, match="articles is a dict"):
        postura.label_articles({"a": "Kast ganó."}, actors="Kast", model=default)
    with pytest.raises(TypeError, match="articles is a set"):
        postura.label_articles({"Kast ganó."}, actors="Kast", model=default)
    with pytest.raises(TypeError, match="not a single str"):
        postura.label_articles(np.array("Kast ganó."), actors="Kast", model=default)
    with pytest.raises(TypeError, match="actors must be a name"):
        postura.label_articles(["Kast ganó."], actors=5, model=default)
    with pytest.raises(TypeError, match="source is a pandas DataFrame"):
        postura.label_articles(["Kast ganó."], actors="Kast", model=default, source=pd.DataFrame({"s": ["B"]}))
    # A 0-d array holding a name is that name, as a str is.
    one = postura.label_articles(["Boric elogió a Kast."], actors=np.array("Kast"), model=default)
    assert one == postura.label_articles(["Boric elogió a Kast."], actors="Kast", model=default)


# 2. Sources: a source-aware model is one with the label `none`, trained with sources.


def test_sources_without_a_none_label_are_refused_at_train_time():
    texts = TEXTS * 10
    with pytest.raises(ValueError, match="rows have a source .* no row is labeled 'none'"):
        postura.train(texts, LABELS * 10, actors="Kast", sources=["Milei"] * 30)
    with pytest.raises(ValueError, match="labeled 'none' .* no row has a source"):
        postura.train(texts, ["distancing", "supportive", "none"] * 10, actors="Kast")


def test_trained_with_sources_and_none_answers_for_a_source():
    texts = TEXTS + ["Milei no opinó y Kast habló", "Boric criticó a Kast"]
    labels = LABELS + ["none", "distancing"]
    sources = ["Milei", "Milei", "Milei", "Milei", None]
    model = postura.train(texts * 6, labels * 6, actors="Kast", sources=sources * 6)
    rows = model.predict(["Milei dijo que Kast es malo"], source="Milei")
    assert rows[0]["label"] in model.labels
    # The library's message for a model without sources speaks Python.
    plain = postura.train(TEXTS * 10, LABELS * 10, actors="Kast")
    with pytest.raises(ValueError, match="trained without sources .* train with sources="):
        plain.predict(TEXTS, source="Milei")


def test_sklearn_source_column_needs_none_or_source_column_none():
    df = pd.DataFrame({"text": TEXTS * 10, "actor": ["Kast"] * 30, "source": ["Milei"] * 30})
    y = LABELS * 10
    with pytest.raises(ValueError, match="source_column=None"):
        PosturaClassifier().fit(df, y)
    clf = PosturaClassifier(source_column=None).fit(df, y)
    assert len(clf.predict(df)) == 30
    df2 = pd.DataFrame(
        {
            "text": (TEXTS + ["Milei no opinó y Kast habló"]) * 8,
            "actor": ["Kast"] * 32,
            "source": ["Milei"] * 32,
        }
    )
    y2 = (LABELS + ["none"]) * 8
    fitted = PosturaClassifier().fit(df2, y2)
    assert set(fitted.predict(df2)) <= set(y2)  # fitted on a source column, predicts on it


# 3. One rule for actors and aliases.


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_actor_is_refused_everywhere(default, small, corpus, blank):
    texts, labels, _ = corpus
    with pytest.raises(ValueError, match="actors is blank"):
        postura.evaluate(default, TEXTS, LABELS, actors=blank)
    with pytest.raises(ValueError, match=r"actor\[1\] is blank"):
        default.predict(["a", "b"], actor=["Kast", blank])
    with pytest.raises(ValueError, match=r"actors\[0\] is blank"):
        postura.evaluate(default, TEXTS[:1], LABELS[:1], actors=[blank])
    with pytest.raises(ValueError, match="actors is blank"):
        postura.train(texts[:30], labels[:30], actors=blank)
    with pytest.raises(ValueError, match=r"source\[0\] is blank"):
        postura.label_articles(["Kast ganó."], actors="Kast", model=default, source=[blank])
    with pytest.raises(ValueError, match="actors is blank"):
        postura.label_articles(["Kast ganó."], actors=blank, model=default)
    # None (and pandas' NaN) still mean "no actor" for a row.
    rows = default.predict(["Kast ganó", "Kast perdió"], actor=["Kast", None])
    assert [r["actor"] for r in rows] == ["Kast", None]
    rows = default.predict(["Kast ganó"], actor=pd.Series([np.nan], dtype=object))
    assert rows[0]["actor"] is None


def test_aliases_without_an_actor_are_refused(default, corpus):
    texts, labels, _ = corpus
    with pytest.raises(ValueError, match="aliases= needs actor="):
        default.predict(["Kast bien"], aliases="Kast")
    with pytest.raises(ValueError, match="aliases= needs actor="):
        default.predict(["Kast bien"], actor=[None], aliases="Kast")
    with pytest.raises(ValueError, match="aliases= needs actors="):
        postura.evaluate(default, TEXTS, LABELS, aliases="Kast")
    with pytest.raises(ValueError, match="aliases= needs actors="):
        postura.train(texts[:30], labels[:30], aliases="K")
    # A model trained toward one actor takes aliases for it without actor=.
    own = postura.train(texts[:60], labels[:60], actors="Marta Quiroga")
    row = own.predict(["La ministra habló"], aliases="ministra")[0]
    assert row["actor"] == "Marta Quiroga" and row["mentioned"] is True


# 4. File errors are OSError subclasses with the path.


def test_save_and_load_path_errors_are_os_errors(default, tmp_path):
    missing = tmp_path / "no" / "such" / "m.postura"
    with pytest.raises(FileNotFoundError, match="does not exist") as e:
        default.save(missing)
    assert str(missing) in str(e.value)
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        default.save(tmp_path)
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        postura.Model.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="empty path"):
        default.save("")
    with pytest.raises(FileNotFoundError, match="empty path"):
        postura.Model.load("")
    with pytest.raises(FileNotFoundError, match="nope.postura"):
        postura.Model.load(tmp_path / "nope.postura")
    with pytest.raises(TypeError, match="str, bytes or os.PathLike"):
        postura.Model.load(None)
    # A corrupt file stays a ValueError.
    bad = tmp_path / "bad.postura"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="bad.postura"):
        postura.Model.load(bad)


def test_read_only_file_is_permission_error(default, tmp_path):
    # The library checks the mode itself, so this holds for root too.
    path = tmp_path / "ro.postura"
    path.write_bytes(b"x")
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        default.save(path)
    assert path.read_bytes() == b"x"


def test_bytes_and_pathlike_paths(default, tmp_path):
    path = tmp_path / "m.postura"
    default.save(os.fsencode(path))
    again = postura.Model.load(os.fsencode(path))
    assert again.to_bytes() == default.to_bytes()
    assert postura.Model.load(path).labels == default.labels


# 5. Buffers, empty evaluations, Python's words, surrogates.


def test_from_bytes_takes_any_buffer(default):
    data = default.to_bytes()
    for form in (bytearray(data), memoryview(data), np.frombuffer(data, dtype=np.uint8)):
        assert postura.Model.from_bytes(form).to_bytes() == data
    with pytest.raises(TypeError, match="data must be bytes"):
        postura.Model.from_bytes("abc")


def test_evaluate_on_no_rows_is_value_error(default):
    with pytest.raises(ValueError, match="texts is empty"):
        postura.evaluate(default, [], [])
    with pytest.raises(ValueError, match="every text is empty"):
        postura.evaluate(default, ["", "  "], ["neutral", "neutral"])


def test_messages_name_python_arguments_not_flags(corpus):
    texts, labels, _ = corpus
    cases = [
        (dict(c=1.0, alpha=1.0), "c= and alpha= are one setting"),
        (dict(max_iter=0), "max_iter= must be at least 1"),
        (dict(solver="linfa"), "solver='linfa' fits the unweighted logistic loss only: add"),
        (dict(loss="square"), r"for loss= \[possible values"),
        (dict(word_ngrams="a-b"), "word_ngrams takes MIN-MAX"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match) as e:
            postura.train(texts[:60], labels[:60], **kwargs)
        assert "--" not in str(e.value), str(e.value)
    with pytest.raises(ValueError) as e:
        postura.train(TEXTS, LABELS, calibrate=True)
    assert "folds: " in str(e.value) and "calibrate=True" in str(e.value)
    assert "use fewer folds" not in str(e.value) and "<python>" not in str(e.value)


def test_lone_surrogates_are_value_errors_naming_the_argument(default, corpus):
    texts, labels, _ = corpus
    bad = "Kast\ud800"
    for call, where in [
        (lambda: default.predict(["ok", bad]), r"texts\[1\]"),
        (lambda: default.predict(["ok"], actor=bad), "actor"),
        (lambda: default.predict(["ok"], actor="Kast", aliases=[bad]), r"aliases\[0\]"),
        (lambda: postura.train(texts[:30], labels[:29] + [bad]), r"labels\[29\]"),
        (lambda: postura.label_articles(["a.", bad], actors="Kast", model=default), r"articles\[1\] \(its text\)"),
        (lambda: postura.label_articles(["Kast."], actors=[bad], model=default), r"actors\[0\]"),
    ]:
        with pytest.raises(ValueError, match=where + ".*lone surrogate"):
            call()


# 6. Labels that differ only in surrounding whitespace are one label.


def test_labels_are_stripped(default, corpus):
    texts, labels, _ = corpus
    padded = [f" {l}  " if i % 2 else l for i, l in enumerate(labels[:60])]
    model = postura.train(texts[:60], padded)
    assert model.labels == sorted(set(labels[:60]))
    report = postura.evaluate(default, TEXTS, ["distancing ", " supportive", "neutral\t"], actors="Kast")
    assert report["rows"] == 3
    with pytest.raises(ValueError, match="surrounding whitespace"):
        PosturaClassifier().fit(texts[:60], padded)


def test_a_text_longer_than_a_statement_can_be_is_a_value_error(default, corpus):
    # Analysis takes some 30 times a statement's size in memory: past 4 MB it is refused.
    long = "Kast ganó, " * 500_000
    with pytest.raises(ValueError, match="text 1: a statement of 6.0 MB"):
        default.predict(["Kast ganó", long], actor="Kast")
    texts, labels, actors = corpus
    with pytest.raises(ValueError, match="row 90: a statement of 6.0 MB"):
        postura.train(list(texts[:90]) + [long], list(labels[:90]) + [labels[0]], actors=list(actors[:90]) + ["Kast"])
