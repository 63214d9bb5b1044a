"""The whole path for many articles: parse in bounded batches, match, stream records out.

Pure: articles in, ``(article, quotes)`` out, in input order. No files, no stdout (the parse
cache, when used, sits in the parser: ``quotes.cache.CachedParser``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from .match import extract_quotes
from .record import Quote
from .sources import Article


@dataclass(frozen=True)
class Options:
    """Matcher options (see `quotes.match.extract_quotes`)."""

    include_other: bool = False
    min_words: int = 3
    max_depth: int = 5
    continuation_paragraphs: int = 1


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_many(
    articles: Iterable[Article],
    *,
    parser,
    options: Options = Options(),
    batch_size: int = 16,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Parse ``batch_size`` articles per stanza call and yield each with its quotes, in order.

    Memory is bounded by one batch, whatever the number of articles: ``articles`` is read lazily,
    one batch ahead of the output. ``parser`` is anything with ``parse_many(texts)`` and
    ``spec.name`` (`quotes.parse.Parser`, or a `quotes.cache.CachedParser` around one).
    """
    for batch in _batches(articles, batch_size):
        parsed = parser.parse_many([a.text for a in batch])
        for article, sentences in zip(batch, parsed):
            yield article, extract_quotes(
                article.text, sentences, article=article.id, model=parser.spec.name,
                include_other=options.include_other, min_words=options.min_words,
                max_depth=options.max_depth, continuation_paragraphs=options.continuation_paragraphs,
            )


# --- parallel workers --------------------------------------------------------------------------

_worker: dict = {}


def _default_parser(spec, device: str | None, threads: int):
    from .parse import Parser

    return Parser(spec, device=device, threads=threads)


def _init_worker(spec, options: Options, threads: int, device: str | None, cache, parser_factory) -> None:
    # torch's thread count is set when the model loads, so a worker whose articles are all
    # cached imports neither torch nor stanza.
    parser = (parser_factory or _default_parser)(spec, device, threads)
    if cache is not None:
        from .cache import CachedParser, CacheStats

        cache.stats = CacheStats()
        parser = CachedParser(parser, cache)
    _worker.update(parser=parser, options=options, warned=False)


def _work(batch: list[Article]) -> tuple[list[tuple[Article, list[Quote]]], dict | None, str | None]:
    parser = _worker["parser"]
    results = list(extract_many(batch, parser=parser, options=_worker["options"], batch_size=len(batch)))
    cache = getattr(parser, "cache", None)
    if cache is None:
        return results, None, None
    from .cache import CacheStats

    stats = cache.stats.to_dict()
    cache.stats = CacheStats()  # report each batch's counts once
    warning = None
    if cache.warning and not _worker["warned"]:
        warning, _worker["warned"] = cache.warning, True
    return results, stats, warning


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask in containers, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def extract_parallel(
    articles: Iterable[Article],
    *,
    spec,
    jobs: int,
    options: Options = Options(),
    batch_size: int = 16,
    device: str | None = None,
    cache=None,
    parser_factory=None,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Like `extract_many` over ``jobs`` processes, the model loaded once per worker.

    Results come back in input order; at most ``2 * jobs`` batches are in flight, so memory stays
    bounded on any corpus size. Each worker uses ``cores // jobs`` torch threads.

    ``cache``: a `quotes.cache.ParseCache` (or None); each worker reads and writes it, and the
    counts of hits and parses are added to ``cache.stats`` here; the first worker warning (the
    cache turned off by an I/O error) goes to ``cache.on_warning`` once. ``parser_factory``: a
    picklable top-level callable ``(spec, device, threads) -> parser`` (default:
    `quotes.parse.Parser`), for tests and benchmarks.
    """
    import multiprocessing as mp
    from collections import deque

    threads = max(1, usable_cores() // jobs)
    ctx = mp.get_context("spawn")

    def unpack(result) -> list[tuple[Article, list[Quote]]]:
        results, stats, warning = result
        if cache is not None:
            if stats:
                cache.stats.add(stats)
            if warning and cache.warning is None:
                cache.warning = warning
                if cache.on_warning is not None:
                    cache.on_warning(warning)
        return results

    initargs = (spec, options, threads, device, cache, parser_factory)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=initargs) as pool:
        pending: deque = deque()
        for batch in _batches(articles, batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            while len(pending) >= 2 * jobs:
                yield from unpack(pending.popleft().get())
        while pending:
            yield from unpack(pending.popleft().get())
