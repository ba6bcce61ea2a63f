"""Type stubs of the compiled extension (postura._postura)."""

from os import PathLike
from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str
# The values train's named settings take (preset, loss, class_weight, solver): the library's tables.
_SETTING_NAMES: dict[str, list[str]]

Texts = Union[Sequence[str], Any]  # a list of str, a pandas Series or a numpy array of str
Actor = Optional[Union[str, Sequence[Optional[str]]]]
# Aliases: a str (several separated by '|', as in an actor list's CSV) or a list of str (each as is).
Aliases = Optional[Union[str, Sequence[str]]]
Range = Union[str, int, Tuple[int, int]]
# A CSV path (actor,aliases; aliases separated by '|'), a pandas DataFrame with those columns, a
# dict name -> aliases, or a list of names and (name, aliases) pairs. In every form an actor's
# aliases are a str, split on '|', or a list of str, taken as is.
KnownActors = Union[
    str,
    PathLike[str],
    Mapping[str, Optional[Union[str, Sequence[str]]]],
    Sequence[Union[str, Tuple[str, Optional[Union[str, Sequence[str]]]]]],
    Any,
]

class Model:
    """A fitted postura model; immutable and safe to share between threads."""

    @staticmethod
    def default() -> Model:
        """The model shipped inside postura."""
    @staticmethod
    def load(path: Union[str, bytes, PathLike[str], PathLike[bytes]]) -> Model:
        """Loads a model file (OSError subclass if unreadable, ValueError if not a postura model)."""
    @staticmethod
    def from_bytes(data: Union[bytes, bytearray, memoryview, Any]) -> Model:
        """A model from the bytes of a model file (any buffer)."""
    def to_bytes(self) -> bytes:
        """The bytes of the model file."""
    def save(self, path: Union[str, bytes, PathLike[str], PathLike[bytes]]) -> None:
        """Writes the model file atomically (OSError subclass on failure, path in the message)."""
    @property
    def labels(self) -> list[str]:
        """The labels, in the order of predict_proba's columns."""
    @property
    def card(self) -> dict[str, Any]:
        """How the model was made: settings, data, solver, scores."""
    @property
    def actor(self) -> Optional[str]:
        """The actor the model was trained toward, or None."""
    def predict(
        self, texts: Texts, actor: Actor = None, aliases: Aliases = None, source: Actor = None
    ) -> list[dict[str, Any]]:
        """One dict per text: label, confidence, probabilities (label -> p), actor, mentioned."""
    def predict_proba(
        self, texts: Texts, actor: Actor = None, aliases: Aliases = None, source: Actor = None
    ) -> npt.NDArray[np.float64]:
        """Probabilities, shape (len(texts), len(labels)), columns in the order of labels."""
    def evaluate(
        self, texts: Texts, labels: Texts, actors: Actor = None, sources: Actor = None, aliases: Aliases = None
    ) -> dict[str, Any]:
        """The report of `postura eval --format json`."""
    def _label_articles(
        self,
        articles: Sequence[Tuple[str, str]],
        actors: Sequence[Tuple[str, Sequence[str]]],
        per_article: bool = False,
        all_sentences: bool = False,
        sources: Sequence[Optional[Tuple[str, Sequence[str]]]] = ...,
    ) -> Tuple[list[dict[str, Any]], list[Tuple[int, str]]]:
        """Rows (each with article_index) and the articles not labeled as (position, message)."""

def train(
    texts: Texts,
    labels: Texts,
    actors: Actor = None,
    sources: Actor = None,
    *,
    preset: Optional[str] = None,
    c: Optional[float] = None,
    alpha: Optional[float] = None,
    loss: Optional[str] = None,
    class_weight: Optional[str] = None,
    solver: Optional[str] = None,
    max_iter: Optional[int] = None,
    word_ngrams: Optional[Range] = None,
    char_ngrams: Optional[Range] = None,
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
    roles: Optional[bool] = None,
    caps_others: Optional[bool] = None,
    known_actors: Optional[KnownActors] = None,
    aliases: Aliases = None,
    calibrate: bool = False,
) -> Model:
    """Trains a model with `postura train`'s settings (None keeps the default).

    preset="default" starts from the embedded default model's settings; roles=False is
    --no-roles, caps_others=True --caps-others, known_actors --actors (a CSV path, a DataFrame,
    a dict name -> aliases or a list). Bad values raise ValueError / TypeError with the command
    line's messages; an unreadable known-actors file raises OSError.
    """
