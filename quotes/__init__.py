"""quotes: quote attribution for news.

    >>> import quotes
    >>> for q in quotes.extract("“We will win,” she said."):
    ...     print(q.speaker, q.verb.lemma, q.text)

The library is pure: text (or a parsed article) in, `Quote` records out. The CLI
(``quotes extract``) adds files, JSONL and exit codes on top.
"""

from __future__ import annotations

import time as _time

#: When this process first imported the package: a source file changed after it may not be the
#: code running here, so the record cache (`quotes.cache`) keeps no records then.
_IMPORTED_NS = _time.time_ns()

from .record import RECORD_KEYS, SCHEMA_VERSION, Quote, Span, Verb  # noqa: E402

__version__ = "0.1.0"
__all__ = ["extract", "extract_parsed", "Quote", "Span", "Verb", "SCHEMA_VERSION", "RECORD_KEYS"]

_extractors: dict = {}


def extract(text: str, *, model: str | None = None, article: str = "-", **options) -> list:
    """All quotations in ``text`` with speakers and verbs (parses with ``model``; see parse.py).

    ``options`` are `quotes.extractor.ExtractorConfig` fields (``include_other``, ``min_words``,
    ``kinds``, ...). No parse cache; the parser is kept per model and options for the next call.
    """
    from .extractor import Extractor, ExtractorConfig, resolve_spec

    spec = resolve_spec(model)
    key = (spec.name, repr(sorted(options.items())))
    extractor = _extractors.get(key)
    if extractor is None:
        config = ExtractorConfig(model=spec, cache=False, **options)
        extractor = _extractors[key] = Extractor(config, spec=spec)
    return extractor.extract_text(text, article=article)


def extract_parsed(text: str, sentences: list, **options) -> list:
    """Quotes from an already parsed article (``quotes.tree.Sentence`` views, e.g. from CoNLL-U)."""
    from .match import extract_quotes

    return extract_quotes(text, sentences, **options)
