"""The whole path for many articles: parse in bounded batches, match, stream records out.

Pure: articles in, ``(article, quotes)`` out, in input order. No files, no stdout (the parse
cache, when used, sits in the parser: ``quotes.cache.CachedParser``). The assembly itself (model,
parser, cache, matcher) is `quotes.extractor.Extractor`; this module runs it over many articles,
in this process (`extract_many`) or in worker processes (`extract_parallel`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from .extractor import Extractor, ExtractorConfig, batches as _batches
from .record import Quote
from .sources import Article


@dataclass(frozen=True)
class Options:
    """Matcher options (see `quotes.match.extract_quotes`)."""

    include_other: bool = False
    min_words: int = 3
    max_depth: int = 5
    continuation_paragraphs: int = 1


def extract_many(
    articles: Iterable[Article],
    *,
    parser,
    options: Options = Options(),
    batch_size: int = 16,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Parse ``batch_size`` articles per parse call and yield each with its quotes, in order.

    Memory is bounded by one batch, whatever the number of articles: ``articles`` is read lazily,
    one batch ahead of the output. ``parser`` is anything with ``parse_many(texts)`` and
    ``spec.name`` (`quotes.extractor.ParserLike`), used as is (no cache is added).
    """
    config = ExtractorConfig(cache=False, batch_size=batch_size, include_other=options.include_other,
                             min_words=options.min_words, max_depth=options.max_depth,
                             continuation_paragraphs=options.continuation_paragraphs)
    return Extractor(config, parser=parser).extract_serial(articles)


# --- parallel workers --------------------------------------------------------------------------

_worker: dict = {}


def _init_worker(config: ExtractorConfig, spec) -> None:
    # torch's thread count is set when the model loads, so a worker whose articles are all
    # cached imports neither torch nor stanza.
    early: list[str] = []  # the cache could not be used in this worker: reported with the first batch
    _worker.update(extractor=Extractor(config, spec=spec, on_warning=early.append), early=early, warned=False)


def _work(batch: list[Article]) -> tuple[list[tuple[Article, list[Quote]]], dict | None, str | None]:
    extractor: Extractor = _worker["extractor"]
    results = list(extractor.extract_serial(batch))
    cache = extractor.cache
    if cache is None:
        warning = None
        if _worker["early"] and not _worker["warned"]:
            warning, _worker["warned"] = _worker["early"][0], True
        return results, None, warning
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


def extract_parallel(articles: Iterable[Article], extractor: Extractor) -> Iterator[tuple[Article, list[Quote]]]:
    """`Extractor.extract_serial` over ``extractor.config.jobs`` processes, each building its own
    `Extractor` from the same config (the model loaded once per worker).

    Results come back in input order; at most ``2 * jobs`` batches are in flight, so memory stays
    bounded on any corpus size. Each worker uses ``cores // jobs`` torch threads and the parent's
    parse cache folder (none if the parent could not use it); the counts of hits and parses are
    added to ``extractor.cache.stats`` here, and the first worker warning (the cache turned off by
    an I/O error) goes to the cache's ``on_warning`` once. A ``parser_factory`` in the config must
    be a picklable top-level callable.
    """
    import multiprocessing as mp
    from collections import deque

    jobs = extractor.config.jobs
    cache = extractor.cache
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

    initargs = (extractor.worker_config(threads=max(1, usable_cores() // jobs)), extractor.spec)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=initargs) as pool:
        pending: deque = deque()
        for batch in _batches(articles, extractor.config.batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            while len(pending) >= 2 * jobs:
                yield from unpack(pending.popleft().get())
        while pending:
            yield from unpack(pending.popleft().get())
