"""A scikit-learn estimator around postura: ``PosturaClassifier``.

It follows scikit-learn's estimator contract — hyperparameters are constructor arguments stored
as given, ``fit`` returns ``self``, learned state ends in ``_`` (``classes_``, ``model_``) —
so ``clone``, ``Pipeline``, ``cross_val_score`` and ``GridSearchCV`` work with it.

X is a sequence of texts (list, numpy array, pandas Series) or a pandas DataFrame with a text
column and, optionally, an actor column (see ``text_column`` and ``actor_column``).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_is_fitted
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "postura.sklearn needs scikit-learn: pip install scikit-learn (or postura[sklearn])"
    ) from e

from . import _refuse_unordered, train

__all__ = ["PosturaClassifier"]

# The constructor arguments that are `postura.train` settings (the rest say how to read X).
_TRAIN_SETTINGS = (
    "c",
    "alpha",
    "loss",
    "class_weight",
    "solver",
    "max_iter",
    "word_ngrams",
    "char_ngrams",
    "stem",
    "window",
    "min_df",
    "char_min_df",
    "max_features",
    "char_chunks",
    "keep_accents",
    "negation",
    "sublinear_tf",
    "nb_scale",
    "actor_pairs",
    "aliases",
    "calibrate",
    "preset",
    "roles",
    "caps_others",
    "known_actors",
)


class PosturaClassifier(ClassifierMixin, BaseEstimator):
    """Stance classifier: postura's n-gram features and logistic regression as an estimator.

    Every training setting is ``postura train``'s flag of the same name (see ``postura.train``);
    None keeps postura's default: ``preset="default"`` starts from the embedded default model's
    settings, ``roles=False`` is ``--no-roles``, ``caps_others=True`` is ``--caps-others`` and
    ``known_actors`` is ``--actors`` (a CSV path, a DataFrame with actor and aliases columns, a
    dict name -> aliases or a list of names). ``actor``: one target actor for every row (as ``postura train --actor``), used
    when X has no actor column. ``text_column`` / ``actor_column`` / ``source_column``: the
    DataFrame columns read when X is a DataFrame (the actor and source columns are optional;
    None ignores them; the source is who says the statement). A source column makes a
    source-aware model, which needs rows labeled ``none`` (the source holds no stance toward
    the actor there): without them ``fit`` raises ValueError — set ``source_column=None`` when
    the column means something else. Labels are read as text with surrounding whitespace
    stripped; two classes of y that differ only by it raise ValueError.

    Attributes after ``fit``: ``classes_`` (the labels, sorted), ``model_`` (the fitted
    ``postura.Model``).
    """

    def __init__(
        self,
        c: Optional[float] = None,
        alpha: Optional[float] = None,
        loss: Optional[str] = None,
        class_weight: Optional[str] = None,
        solver: Optional[str] = None,
        max_iter: Optional[int] = None,
        word_ngrams: Optional[Union[str, int, Tuple[int, int]]] = None,
        char_ngrams: Optional[Union[str, int, Tuple[int, int]]] = None,
        stem: Optional[bool] = None,
        window: Optional[int] = None,
        min_df: Optional[int] = None,
        char_min_df: Optional[int] = None,
        max_features: Optional[int] = None,
        char_chunks: Optional[bool] = None,
        keep_accents: Optional[bool] = None,
        negation: Optional[bool] = None,
        sublinear_tf: Optional[bool] = None,
        nb_scale: Optional[bool] = None,
        actor_pairs: Optional[bool] = None,
        aliases: Optional[Sequence[str]] = None,
        calibrate: bool = False,
        preset: Optional[str] = None,
        roles: Optional[bool] = None,
        caps_others: Optional[bool] = None,
        known_actors: Any = None,
        actor: Optional[str] = None,
        text_column: str = "text",
        actor_column: Optional[str] = "actor",
        source_column: Optional[str] = "source",
    ) -> None:
        self.c = c
        self.alpha = alpha
        self.loss = loss
        self.class_weight = class_weight
        self.solver = solver
        self.max_iter = max_iter
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.stem = stem
        self.window = window
        self.min_df = min_df
        self.char_min_df = char_min_df
        self.max_features = max_features
        self.char_chunks = char_chunks
        self.keep_accents = keep_accents
        self.negation = negation
        self.sublinear_tf = sublinear_tf
        self.nb_scale = nb_scale
        self.actor_pairs = actor_pairs
        self.aliases = aliases
        self.calibrate = calibrate
        self.preset = preset
        self.roles = roles
        self.caps_others = caps_others
        self.known_actors = known_actors
        self.actor = actor
        self.text_column = text_column
        self.actor_column = actor_column
        self.source_column = source_column

    def _columns(self, X: Any) -> Tuple[list, Any, Any]:
        """The texts of X, their actors (None: the estimator's ``actor``) and sources."""
        columns = getattr(X, "columns", None)
        if columns is not None:  # a pandas DataFrame
            if self.text_column not in columns:
                raise ValueError(
                    f"X has no '{self.text_column}' column (columns: {', '.join(map(str, columns))}); "
                    "set text_column="
                )
            texts = X[self.text_column].tolist()
            actors = X[self.actor_column].tolist() if self._has(columns, self.actor_column) else None
            sources = X[self.source_column].tolist() if self._has(columns, self.source_column) else None
            return texts, actors, sources
        if X is None or isinstance(X, str):
            what = "None" if X is None else "a single str"
            raise TypeError(f"X must be a sequence of texts (or a DataFrame), not {what}")
        if isinstance(X, np.ndarray):
            if X.ndim == 2 and X.shape[1] == 1:
                X = X[:, 0]
            elif X.ndim != 1:
                raise ValueError(f"X must be a 1-d sequence of texts, got an array of shape {X.shape}")
        _refuse_unordered(X, "X", self.text_column)
        texts = X.tolist() if hasattr(X, "tolist") else list(X)
        return texts, None, None

    @staticmethod
    def _has(columns: Any, name: Optional[str]) -> bool:
        return name is not None and name in columns

    def fit(self, X: Any, y: Any) -> "PosturaClassifier":
        """Trains a postura model on the texts of X with labels y; returns self.

        Raises TypeError / ValueError as ``postura.train`` does, and ValueError when X has a
        source column but no label of y is ``none`` (see the class's docstring).
        """
        texts, actors, sources = self._columns(X)
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-d (one label per text), got shape {y.shape}")
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} texts but y has {len(y)} labels: one label per text")
        check_classification_targets(y)
        names = [str(v).strip() for v in y]
        classes = np.unique(y)
        if len({str(c).strip() for c in classes}) != len(classes):
            raise ValueError(
                "two classes of y have the same text form (surrounding whitespace aside); give labels as str"
            )
        if sources is not None and "none" not in names and any(isinstance(s, str) and s.strip() for s in sources):
            raise ValueError(
                f"X has a '{self.source_column}' column, which makes a source-aware model, but no label is "
                "'none' (the source holds no stance toward the actor): add such rows, or set source_column=None "
                "to train without sources"
            )
        settings = {k: getattr(self, k) for k in _TRAIN_SETTINGS}
        actors = actors if actors is not None else self.actor
        model = train(texts, names, actors=actors, sources=sources, **settings)
        self.model_ = model
        self.classes_ = classes
        # The model's columns (its labels, sorted as text) in the order of classes_.
        self._columns_ = np.array([model.labels.index(str(c).strip()) for c in classes])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """The probability of each class for each text: shape (n, len(classes_))."""
        check_is_fitted(self, "model_")
        texts, actors, sources = self._columns(X)
        probs = self.model_.predict_proba(texts, actor=actors, source=sources)
        return probs[:, self._columns_]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each text."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):  # scikit-learn >= 1.6
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags

    def _more_tags(self) -> dict:  # scikit-learn < 1.6
        return {"X_types": ["string"], "requires_y": True}

