from typing import Any, Optional, Sequence, Union

from ._postura import Model as Model, __version__ as __version__, train as train

def evaluate(
    model: Model,
    texts: Any,
    labels: Any,
    actors: Optional[Union[str, Sequence[Optional[str]]]] = None,
    aliases: Optional[Union[str, Sequence[str]]] = None,
    sources: Optional[Union[str, Sequence[Optional[str]]]] = None,
) -> dict[str, Any]: ...
def label_articles(
    articles: Any,
    actors: Any = None,
    per: str = "sentence",
    *,
    model: Optional[Model] = None,
    aliases: Optional[Union[str, Sequence[str]]] = None,
    source: Optional[Union[str, Sequence[Optional[str]], Any]] = None,
    source_aliases: Optional[Union[str, Sequence[str]]] = None,
    all_sentences: bool = False,
    text_field: str = "text",
    id_field: str = "id",
    errors: str = "warn",
) -> list[dict[str, Any]]: ...
