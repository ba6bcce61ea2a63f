"""postura's Python API: the default model, predict/predict_proba, files, errors, train and
evaluate, label_articles."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pandas as pd
import pytest

import postura

# README's predict example and the labels README shows for them.
README = [
    ("Milei celebró el aplastante triunfo de Kast", "supportive"),
    ("El Gobierno decidió no otorgar apoyo institucional a Kast", "distancing"),
    ("Kast viajará a Buenos Aires el martes", "neutral"),
]


@pytest.fixture(scope="module")
def default():
    return postura.Model.default()


def test_default_model_labels_readme_sentences(default):
    texts = [t for t, _ in README]
    rows = default.predict(texts, actor="Kast")
    assert [r["label"] for r in rows] == [label for _, label in README]
    for r in rows:
        assert set(r["probabilities"]) == set(default.labels)
        assert r["confidence"] == max(r["probabilities"].values())
        assert r["actor"] == "Kast" and r["mentioned"] is True


def test_predict_proba_shape_order_and_row_sums(default):
    texts = pd.Series([t for t, _ in README] + ["", "Sin relación alguna con nadie"])
    p = default.predict_proba(texts, actor="Kast")
    assert isinstance(p, np.ndarray) and p.dtype == np.float64
    assert p.shape == (5, len(default.labels))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    # Columns follow model.labels: the argmax is predict's label.
    rows = default.predict(texts, actor="Kast")
    assert [default.labels[i] for i in p.argmax(axis=1)] == [r["label"] for r in rows]
    assert default.predict_proba([], actor="Kast").shape == (0, len(default.labels))


def test_actor_per_text_matches_one_by_one(default):
    texts = ["Boric criticó a Kast", "Boric criticó a Kast"]
    both = default.predict_proba(texts, actor=["Kast", "Boric"])
    np.testing.assert_allclose(both[0], default.predict_proba(texts[:1], actor="Kast")[0])
    np.testing.assert_allclose(both[1], default.predict_proba(texts[:1], actor="Boric")[0])
    # Aliases find the actor under another name.
    row = default.predict(["Lo dijo el Presidente"], actor="Gabriel Boric", aliases=["Presidente"])[0]
    assert row["mentioned"] is True


def test_save_load_round_trip(default, tmp_path):
    path = tmp_path / "m.postura"
    default.save(path)
    again = postura.Model.load(str(path))
    assert again.labels == default.labels
    texts = [t for t, _ in README]
    np.testing.assert_array_equal(again.predict_proba(texts, actor="Kast"), default.predict_proba(texts, actor="Kast"))
    assert path.read_bytes() == default.to_bytes()
    copy = pickle.loads(pickle.dumps(default))
    np.testing.assert_array_equal(copy.predict_proba(texts, actor="Kast"), default.predict_proba(texts, actor="Kast"))


def test_random_bytes_model_is_value_error(tmp_path):
    path = tmp_path / "random.postura"
    path.write_bytes(np.random.default_rng(3).bytes(4096))
    with pytest.raises(ValueError, match="random.postura"):
        postura.Model.load(path)
    with pytest.raises(ValueError):
        postura.Model.from_bytes(b"")


def test_truncated_model_is_value_error(default, tmp_path):
    path = tmp_path / "cut.postura"
    path.write_bytes(default.to_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated"):
        postura.Model.load(path)


def test_missing_file_is_os_error(tmp_path):
    with pytest.raises(OSError, match="nope.postura"):
        postura.Model.load(tmp_path / "nope.postura")
    # A missing directory is a missing file's error, as open() gives.
    with pytest.raises(FileNotFoundError, match="does not exist"):
        postura.Model.default().save(tmp_path / "no" / "such" / "dir" / "m.postura")


def test_bad_texts_are_type_errors(default):
    with pytest.raises(TypeError, match=r"texts\[1\] is None"):
        default.predict(["hola", None])
    with pytest.raises(TypeError, match="single str"):
        default.predict_proba("hola")
    with pytest.raises(TypeError):
        default.predict([1, 2])
    with pytest.raises(TypeError):
        default.predict(None)


def test_mismatched_lengths_are_value_errors(default, corpus):
    with pytest.raises(ValueError, match="actor has 1 items but texts has 2"):
        default.predict(["a", "b"], actor=["Kast"])
    texts, labels, _ = corpus
    with pytest.raises(ValueError, match="one label per text"):
        postura.train(texts, labels[:-1])
    with pytest.raises(ValueError, match="one label per text"):
        postura.evaluate(default, texts[:3], ["neutral"] * 2)


def test_bad_settings_and_actors(corpus, default):
    texts, labels, _ = corpus
    with pytest.raises(ValueError, match="possible values"):
        postura.train(texts, labels, loss="squared")
    with pytest.raises(ValueError, match="C must be a positive number"):
        postura.train(texts, labels, c=-1.0)
    with pytest.raises(ValueError, match="word_ngrams"):
        postura.train(texts, labels, word_ngrams="a-b")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        postura.train(texts, labels, bogus=1)
    with pytest.raises(ValueError, match="at least two labels"):
        postura.train(texts, ["neutral"] * len(texts))
    with pytest.raises(ValueError, match="has no word"):
        default.predict(["hola"], actor="   ")
    with pytest.raises(ValueError, match="not one of the model's labels"):
        postura.evaluate(default, ["hola"], ["FAVOR"])


def test_train_and_evaluate_on_generated_statements(corpus, heldout, tmp_path):
    texts, labels, actors = corpus
    model = postura.train(texts, labels, actors=actors, c=10.0, word_ngrams=(1, 2), char_ngrams="2-4")
    assert model.labels == ["distancing", "neutral", "supportive"]
    assert model.card["data"]["rows"] == len(texts)
    assert model.card["params"]["features"]["char_ngrams"] == [2, 4]
    h_texts, h_labels, h_actors = heldout
    report = postura.evaluate(model, h_texts, h_labels, actors=h_actors)
    assert report["rows"] == len(h_texts)
    # The templates say their stance plainly: unseen combinations are read right.
    assert report["macro_f1"] > 0.9, report
    pred = [r["label"] for r in model.predict(h_texts, actor=h_actors)]
    assert report["accuracy"] == pytest.approx(np.mean([p == t for p, t in zip(pred, h_labels)]))
    # Training is deterministic: the same rows and settings give the same file.
    again = postura.train(texts, labels, actors=actors, c=10.0, word_ngrams=(1, 2), char_ngrams="2-4")
    np.testing.assert_array_equal(model.predict_proba(h_texts, actor=h_actors), again.predict_proba(h_texts, actor=h_actors))


def test_calibrate_fits_a_temperature_without_changing_labels(corpus, heldout):
    texts, labels, actors = corpus
    plain = postura.train(texts, labels, actors=actors)
    calibrated = postura.train(texts, labels, actors=actors, calibrate=True)
    card = calibrated.card["calibration"]
    assert card and card["temperature"] > 0 and card["rows"] == len(texts)
    assert plain.card["calibration"] is None
    h_texts, _, h_actors = heldout
    a = plain.predict_proba(h_texts, actor=h_actors)
    b = calibrated.predict_proba(h_texts, actor=h_actors)
    np.testing.assert_array_equal(a.argmax(axis=1), b.argmax(axis=1))


def test_train_toward_one_actor_makes_it_the_default(corpus):
    texts, labels, actors = corpus
    rows = [(t, l) for t, l, a in zip(texts, labels, actors) if a == "Marta Quiroga"]
    model = postura.train([t for t, _ in rows], [l for _, l in rows], actors="Marta Quiroga", aliases=["Quiroga"])
    assert model.actor == "Marta Quiroga"
    r = model.predict(["La oposición criticó duramente a Quiroga por su fracaso en salud"])[0]
    assert r["actor"] == "Marta Quiroga" and r["mentioned"] is True


def test_label_articles_per_sentence_and_article(default):
    articles = [
        {"id": "a1", "text": "Milei celebró el aplastante triunfo de Kast. Llovió en Santiago. Kast viajará a Buenos Aires el martes."},
        "El Gobierno decidió no otorgar apoyo institucional a Kast.",
    ]
    sentences = postura.label_articles(articles, actors="Kast", model=default)
    assert [(r["article"], r["sentence"]) for r in sentences] == [("a1", 0), ("a1", 2), ("1", 0)]
    assert [r["label"] for r in sentences] == ["supportive", "neutral", "distancing"]
    assert all(articles[0]["text"][r["start"]:r["end"]] == r["text"] for r in sentences[:2])
    per_article = postura.label_articles(articles, actors={"Kast": ["José Antonio Kast"]}, per="article")
    assert [r["article"] for r in per_article] == ["a1", "1"]
    assert per_article[1]["stance"] == "distancing"
    evidence = per_article[0]["evidence"]["supportive"]
    assert articles[0]["text"][evidence["start"]:evidence["end"]] == evidence["text"]
    frame = pd.DataFrame(per_article)
    assert list(frame["actor"]) == ["Kast", "Kast"]
    df = pd.DataFrame({"id": ["x"], "text": ["Kast viajará a Buenos Aires el martes."]})
    assert postura.label_articles(df, actors=["Kast"])[0]["article"] == "x"
    with pytest.raises(ValueError, match="per must be"):
        postura.label_articles(articles, actors="Kast", per="paragraph")
    with pytest.raises(ValueError, match="no actor to label toward"):
        postura.label_articles(articles)
    with pytest.raises(TypeError):
        postura.label_articles([None], actors="Kast")


def test_sources_one_or_per_text(default):
    texts = ["Kast es un peligro para el país, dijo", "Kast es un peligro para el país, dijo"]
    per_text = default.predict_proba(texts, actor="Kast", source=["Boric", None])
    np.testing.assert_allclose(per_text[0], default.predict_proba(texts[:1], actor="Kast", source="Boric")[0])
    np.testing.assert_allclose(per_text[1], default.predict_proba(texts[:1], actor="Kast")[0])
    with pytest.raises(TypeError, match="source must be a str"):
        default.predict(["hola"], actor="Kast", source=3)
    with pytest.raises(ValueError, match="source has 1 items but texts has 2"):
        default.predict(texts, actor="Kast", source=["Boric"])


def test_gil_is_released_during_batch_work(default):
    # Two threads predicting at once give the same answers as one (the model is shared).
    from concurrent.futures import ThreadPoolExecutor

    texts = [t for t, _ in README] * 200
    one = default.predict_proba(texts, actor="Kast")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: default.predict_proba(texts, actor="Kast"), range(4)))
    for r in results:
        np.testing.assert_array_equal(r, one)


def test_version():
    assert postura.__version__ and os.path.basename(postura._postura.__file__).startswith("_postura")


BAD_VALUES = [None, 3, 2.5, float("nan"), b"bytes", object(), {"a": 1}, ["ok", 3], ["\ud800"], [["nested"]], "str", [], (x for x in ["gen"])]


def test_bad_values_anywhere_raise_python_errors(default, corpus):
    """Whatever goes into any argument, the answer is a result or a TypeError/ValueError/OSError,
    never a crash of the interpreter or another exception type."""
    texts, labels, _ = corpus
    calls = []
    for bad in BAD_VALUES:
        calls += [
            lambda b=bad: default.predict(b),
            lambda b=bad: default.predict_proba(["Kast habló"], actor=b),
            lambda b=bad: default.predict(["Kast habló"], actor="Kast", aliases=b),
            lambda b=bad: postura.train(texts[:30], b),
            lambda b=bad: postura.train(texts[:30], labels[:30], actors=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], word_ngrams=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], min_df=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], c=b),
            lambda b=bad: postura.evaluate(default, ["Kast habló"], b),
            lambda b=bad: postura.label_articles(b, actors="Kast"),
            lambda b=bad: postura.label_articles(["Kast habló."], actors=b),
            lambda b=bad: postura.label_articles(["Kast habló."], actors="Kast", source=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], known_actors=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], preset=b),
            lambda b=bad: postura.train(texts[:30], labels[:30], roles=b),
            lambda b=bad: postura.Model.load(b),
            lambda b=bad: postura.Model.from_bytes(b),
        ]
    for call in calls:
        try:
            call()
        except (TypeError, ValueError, OSError):
            pass


def test_docstring_example_runs():
    import doctest

    result = doctest.testmod(postura, verbose=False)
    assert result.attempted >= 1 and result.failed == 0
