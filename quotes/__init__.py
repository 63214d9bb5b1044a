"""quotes: quote attribution for news.

    >>> import quotes
    >>> for q in quotes.extract("“We will win,” she said."):
    ...     print(q.speaker, q.verb.lemma, q.text)

The library is pure: text (or a parsed article) in, `Quote` records out. The CLI
(``quotes extract``) adds files, JSONL and exit codes on top.
"""

from __future__ import annotations

from .record import RECORD_KEYS, SCHEMA_VERSION, Quote, Span, Verb

__version__ = "0.1.0"
__all__ = ["extract", "extract_parsed", "Quote", "Span", "Verb", "SCHEMA_VERSION", "RECORD_KEYS"]

_parsers: dict = {}


def extract(text: str, *, model: str | None = None, article: str = "-", **options) -> list:
    """All quotations in ``text`` with speakers and verbs (parses with ``model``; see parse.py)."""
    from .parse import Parser, resolve_model

    spec = resolve_model(model)
    parser = _parsers.get(spec.name)
    if parser is None:
        parser = _parsers[spec.name] = Parser(spec)
    sentences = parser.parse_many([text])[0]
    return extract_parsed(text, sentences, article=article, model=spec.name, **options)


def extract_parsed(text: str, sentences: list, **options) -> list:
    """Quotes from an already parsed article (``quotes.tree.Sentence`` views, e.g. from CoNLL-U)."""
    from .match import extract_quotes

    return extract_quotes(text, sentences, **options)
