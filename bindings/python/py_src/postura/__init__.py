"""postura: how Spanish statements stand toward a named actor — supportive, neutral or distancing.

The Rust library compiled for Python: models load, predict, train and label articles in
process, with the GIL released while they work.

    >>> import postura
    >>> model = postura.Model.default()
    >>> model.predict(["Milei celebró el aplastante triunfo de Kast"], actor="Kast")[0]["label"]
    'supportive'

``postura.sklearn.PosturaClassifier`` is a scikit-learn estimator around ``train`` and
``Model.predict_proba``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Set
from typing import Any, Iterable, Optional, Sequence, Union

from ._postura import Model, __version__, train

__all__ = ["Model", "train", "evaluate", "label_articles", "__version__"]


def evaluate(
    model: Model,
    texts: Any,
    labels: Any,
    actors: Optional[Union[str, Sequence[Optional[str]]]] = None,
    aliases: Optional[Union[str, Sequence[str]]] = None,
    sources: Optional[Union[str, Sequence[Optional[str]]]] = None,
) -> dict:
    """Scores ``model`` on labeled texts: the report of ``postura eval --format json``.

    texts: a list (tuple, pandas Series, 1-d numpy array, ordered iterable) of str; labels: one
    per text, str or int, surrounding whitespace stripped (as ``postura eval`` strips a label
    cell), each one of ``model.labels``. actors: None (the model's own actor, if any), one str
    for every text, or one str (or None) per text; sources likewise (who says each text, for a
    source-aware model). aliases: other names of the actor (a str, several separated by '|',
    or a list of str); they need an actor. Rows with an empty text are left out (``rows``
    counts the others).

    Returns a dict with ``rows``, ``accuracy``, ``macro_f1``, ``per_label`` (precision,
    recall, F1 and support of each label), the confusion matrix and the expected calibration
    error.

    Raises TypeError for a wrong type — a single str, a DataFrame (pass a column), a dict, a
    set or a 0-d array where a list is expected — and ValueError for a label not in
    ``model.labels``, lengths that differ, a blank actor or source, aliases without an actor, a
    lone surrogate in a str, or no row to score (every text empty).
    """
    if not isinstance(model, Model):
        raise TypeError(f"model must be a postura.Model, not {type(model).__name__}")
    return model.evaluate(texts, labels, actors=actors, sources=sources, aliases=aliases)


def _refuse_unordered(v: Any, what: str, column: str) -> None:
    """TypeError for what iterating would read wrongly without a word: bytes (read as ints), a
    DataFrame (its column names), a mapping (its keys), a set (no order) and a numpy array that
    is not 1-d (a 0-d array is left to the caller)."""
    if isinstance(v, (bytes, bytearray, memoryview)):
        raise TypeError(f"{what} is {type(v).__name__}: decode it to str")
    if hasattr(v, "columns") and hasattr(v, "iloc"):
        raise TypeError(f'{what} is a pandas DataFrame: pass one column, e.g. df["{column}"]')
    if isinstance(v, Mapping):
        raise TypeError(
            f"{what} is a {type(v).__name__} (iterating it would read its keys): pass a list, e.g. list(d.values())"
        )
    if isinstance(v, Set):
        raise TypeError(f"{what} is a {type(v).__name__}, which has no order: pass a list (e.g. sorted(...))")
    ndim = getattr(v, "ndim", None)
    if isinstance(ndim, int) and ndim > 1:
        raise TypeError(f"{what} is an array of shape {getattr(v, 'shape', '?')}: pass a 1-d sequence")


def _zero_d(v: Any) -> Any:
    """The value of a 0-d numpy array (``np.array("x")``), else ``v`` itself."""
    if getattr(v, "ndim", None) == 0 and hasattr(v, "tolist"):
        return v.tolist()
    return v


def _articles(articles: Any, text_field: str, id_field: str) -> list:
    """(id, text) pairs from str, dicts or a pandas DataFrame."""
    expected = "a list of str or dicts (or a DataFrame)"
    if articles is None or isinstance(_zero_d(articles), str):
        what = "None" if articles is None else "a single str"
        raise TypeError(f"articles must be {expected}, not {what}")
    columns = getattr(articles, "columns", None)
    if columns is not None:  # a pandas DataFrame
        if text_field not in columns:
            raise ValueError(
                f"the DataFrame has no '{text_field}' column (columns: {', '.join(map(str, columns))}); "
                "name it with text_field="
            )
        texts = articles[text_field].tolist()
        ids = articles[id_field].tolist() if id_field in columns else [str(i) for i in articles.index]
        rows: Iterable = zip(ids, texts)
    else:
        _refuse_unordered(articles, "articles", text_field)
        if getattr(articles, "ndim", None) == 0:
            raise TypeError(f"articles must be {expected}, not a 0-d array of {type(_zero_d(articles)).__name__}")
        try:
            items = iter(articles)
        except TypeError:
            raise TypeError(f"articles must be {expected}, not {type(articles).__name__}") from None
        rows = []
        for i, a in enumerate(items):
            if isinstance(a, str):
                rows.append((str(i), a))
            elif isinstance(a, Mapping):
                if text_field not in a:
                    raise ValueError(f"articles[{i}] has no '{text_field}' field")
                rows.append((a.get(id_field, str(i)), a[text_field]))
            else:
                raise TypeError(f"articles[{i}] is {type(a).__name__}, not a str or a dict")
    out = []
    for i, (id_, text) in enumerate(rows):
        if not isinstance(text, str):
            raise TypeError(f"articles[{i}]: the text is {type(text).__name__}, not a str")
        out.append((str(id_), text))
    return out


def _alias_list(v: Any, where: str) -> list:
    """Aliases: None, a str (several separated by '|', as in an actor list's CSV) or a list of
    str (each as it is) — the one rule of every argument that takes aliases."""
    v = _zero_d(v)
    if v is None:
        return []
    if isinstance(v, str):
        return [a.strip() for a in v.split("|") if a.strip()]
    _refuse_unordered(v, where, "aliases")
    try:
        items = list(v)
    except TypeError:
        raise TypeError(f"{where}: aliases must be a str or a list of str, not {type(v).__name__}") from None
    if not all(isinstance(a, str) for a in items):
        raise TypeError(f"{where}: aliases must be str")
    return items


def _name(name: str, what: str) -> str:
    """An actor's or a source's name: a blank one is refused (it has no word to look for)."""
    if not name.strip():
        raise ValueError(
            f"{what} is blank ({name!r}): it has no word in its name to look for; give a name, or None for none"
        )
    return name


def _actors(actors: Any, aliases: Any) -> list:
    """(name, aliases) pairs from a str, a list of str or pairs, or a dict name -> aliases."""
    alias_list = _alias_list
    actors = _zero_d(actors)
    if actors is None:
        if _alias_list(aliases, "aliases"):
            raise ValueError("aliases= needs actors=: the aliases of which actor?")
        return []
    if isinstance(actors, str):
        return [(_name(actors, "actors"), alias_list(aliases, "aliases"))]
    if _alias_list(aliases, "aliases"):
        raise ValueError("aliases= goes with a single actor; with several, give a dict name -> aliases")
    if isinstance(actors, Mapping):
        items: Iterable = actors.items()
    else:
        _refuse_unordered(actors, "actors", "actor")
        try:
            items = iter(actors)
        except TypeError:
            raise TypeError(
                "actors must be a name, a list of names or (name, aliases) pairs, or a dict name -> aliases, "
                f"not {type(actors).__name__}"
            ) from None
    out = []
    for i, a in enumerate(items):
        if isinstance(a, str):
            out.append((_name(a, f"actors[{i}]"), []))
        elif isinstance(a, (tuple, list)) and len(a) == 2 and isinstance(a[0], str):
            out.append((_name(a[0], f"actors[{i}]"), alias_list(a[1], f"actors[{i}]")))
        else:
            raise TypeError(f"actors[{i}] is {type(a).__name__}: give a name, or a (name, aliases) pair")
    if not out:
        raise ValueError("actors is empty: no actor to label toward")
    return out


def _sources(source: Any, source_aliases: Any, n: int) -> list:
    """One (name, aliases) pair or None per article, or [] when no source is given."""
    source = _zero_d(source)
    if source is None:
        if _alias_list(source_aliases, "source_aliases"):
            raise ValueError("source_aliases= needs source=: the aliases of which source?")
        return []
    if isinstance(source, str):
        return [(_name(source, "source"), _alias_list(source_aliases, "source_aliases"))] * n
    if _alias_list(source_aliases, "source_aliases"):
        raise ValueError("source_aliases= goes with one source for every article (source= a str)")
    _refuse_unordered(source, "source", "source")
    items = source.tolist() if hasattr(source, "tolist") else source
    try:
        items = list(items)
    except TypeError:
        raise TypeError(
            f"source must be a str, or a list with one str (or None) per article, not {type(source).__name__}"
        ) from None
    if len(items) != n:
        raise ValueError(
            f"source has {len(items)} items but articles has {n}: give one per article, or one str for all"
        )
    out: list = []
    for i, s in enumerate(items):
        if s is None or (isinstance(s, float) and s != s):
            out.append(None)  # None or pandas' NaN (a missing cell): the article's own stance
        elif isinstance(s, str):
            out.append((_name(s, f"source[{i}]"), []))
        else:
            raise TypeError(f"source[{i}] is {type(s).__name__}, not a str")
    return out


def _not_text(pairs: list, actors: list, sources: list) -> Optional[str]:
    """The first argument holding a str that UTF-8 cannot encode (a lone surrogate), named."""

    def bad(s: str) -> bool:
        try:
            s.encode("utf-8")
            return False
        except UnicodeEncodeError:
            return True

    for i, (id_, text) in enumerate(pairs):
        if bad(text):
            return f"articles[{i}] (its text)"
        if bad(id_):
            return f"articles[{i}] (its id)"
    for i, (name, aliases) in enumerate(actors):
        if bad(name) or any(bad(a) for a in aliases):
            return f"actors[{i}]"
    for i, s in enumerate(sources):
        if s and (bad(s[0]) or any(bad(a) for a in s[1])):
            return f"source[{i}]"
    return None


def label_articles(
    articles: Any,
    actors: Any = None,
    per: str = "sentence",
    *,
    model: Optional[Model] = None,
    aliases: Optional[Union[str, Sequence[str]]] = None,
    source: Any = None,
    source_aliases: Optional[Union[str, Sequence[str]]] = None,
    all_sentences: bool = False,
    text_field: str = "text",
    id_field: str = "id",
    errors: str = "warn",
) -> list:
    """Labels news articles toward actors, as ``postura label --format jsonl`` does.

    articles: a list of str (ids are their positions), of dicts with ``text`` and optional
    ``id`` fields, or a pandas DataFrame with those columns (see ``text_field``, ``id_field``).
    actors: a name (with ``aliases=``), a list of names or of (name, aliases) pairs, or a dict
    name -> aliases; None labels toward the model's own actor. per: ``"sentence"`` (one row per
    sentence that mentions an actor: article, sentence, start, end, actor, mentioned, label,
    confidence, probabilities, text) or ``"article"`` (one row per article and actor: stance,
    confidence, counts, mean probabilities, vote shares and evidence). model: the default model
    unless given. ``start`` and ``end`` are indices into the article's str (``text[start:end]``
    is the sentence; the command line's are UTF-8 byte offsets). Every row also has
    ``article_index``, the article's position in ``articles`` (``df.iloc[row["article_index"]]``),
    which tells articles apart even when ids repeat. ``pandas.DataFrame(rows)`` takes the
    result as it is.

    Aliases, wherever given (``aliases=``, a dict's or a pair's aliases, ``source_aliases=``),
    are a str — several separated by ``|``, as in an actor list's CSV — or a list of str, each
    taken as is.

    source: read each statement as how this actor (who speaks) stands toward the actors, as
    ``postura label --source``: a str for every article (with ``source_aliases=``, its other
    names), or one str (or None / NaN: the article's own stance) per article, e.g.
    ``source=df["source"]``. A blank name (actor or source) is a ValueError. Statements where the source holds no stance are labeled ``none``
    and do not count in an article's verdict; an actor that is the article's source is not a
    target there (a warning says so). Each row then has a ``source`` field. The model must be
    source-aware (the default model is).

    errors: what to do with an article that cannot be labeled while the others can — a source
    that is the only actor, or has no word to look for (as ``postura label`` reports such an
    article and goes on). ``"warn"`` (the default): the article has no rows and one
    ``UserWarning`` names every such article (its position in ``articles`` and id) and why;
    ``"raise"``: ``ValueError`` naming the first. What is wrong for every article always raises:
    no actor, a model without sources, or one ``source=`` str for all that cannot be read.

    Raises TypeError for a wrong type (None, a single str, bytes, a set or an array that is not
    1-d as articles; a DataFrame or set as actors or source; each message names the argument),
    and ValueError for a blank name, aliases without an actor, lengths that differ, or a str
    holding a lone surrogate (which is not text).
    """
    if errors not in ("warn", "raise"):
        raise ValueError(f"errors must be 'warn' or 'raise' (got {errors!r})")
    if per not in ("sentence", "article"):
        raise ValueError(f"per must be 'sentence' or 'article' (got {per!r})")
    if model is None:
        model = Model.default()
    elif not isinstance(model, Model):
        raise TypeError(f"model must be a postura.Model, not {type(model).__name__}")
    pairs = _articles(articles, text_field, id_field)
    sources = _sources(source, source_aliases, len(pairs))
    actor_pairs = _actors(actors, aliases)
    try:
        rows, problems = model._label_articles(
            pairs,
            actor_pairs,
            per_article=per == "article",
            all_sentences=bool(all_sentences),
            sources=sources,
        )
    except UnicodeEncodeError:
        where = _not_text(pairs, actor_pairs, sources)
        if where is None:
            raise
        raise ValueError(
            f"{where} holds a lone surrogate (such as '\\ud800'), which is not text: clean it first, "
            "e.g. s.encode('utf-8', 'replace').decode()"
        ) from None
    if problems:
        # One source for every article that cannot be read is the call's error, as
        # `postura label --source` is.
        if errors == "raise" or isinstance(source, str):
            raise ValueError(problems[0][1])
        shown = [f"  [{i}] {why}" for i, why in problems[:10]]
        if len(problems) > 10:
            shown.append(f"  … and {len(problems) - 10} more")
        warnings.warn(
            f"{len(problems)} of {len(pairs)} articles not labeled (they have no rows):\n" + "\n".join(shown),
            UserWarning,
            stacklevel=2,
        )
    _finish_rows(rows, pairs, sources)
    return rows


def _finish_rows(rows: list, pairs: list, sources: list) -> None:
    """In place: the library's byte offsets (in UTF-8) as str indices, and each row's source
    when sources were given; each row names its article by ``article_index``."""
    cache: dict = {}

    def char(text: str, byte: int) -> int:
        if text.isascii():
            return byte
        key = (id(text), byte)
        if key not in cache:
            cache[key] = len(text.encode("utf-8")[:byte].decode("utf-8", errors="ignore"))
        return cache[key]

    for row in rows:
        at = row["article_index"]
        text = pairs[at][1]
        if sources:
            row["source"] = sources[at][0] if sources[at] else None
        spans = [row] + [e for e in (row.get("evidence") or {}).values() if e]
        for span in spans:
            if "start" in span:
                span["start"], span["end"] = char(text, span["start"]), char(text, span["end"])
