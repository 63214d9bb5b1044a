"""The whole path for many articles: parse in bounded batches, match, stream records out.

Pure: articles in, ``(article, quotes)`` out, in input order. No files, no stdout.
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

    Memory is bounded by one batch, whatever the number of articles.
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

_worker_parser = None
_worker_options: Options | None = None


def _init_worker(spec, options: Options, threads: int, device: str | None) -> None:
    global _worker_parser, _worker_options
    import torch

    from .parse import Parser

    torch.set_num_threads(threads)  # N processes each using every core is slower than one
    _worker_parser = Parser(spec, device=device)
    _worker_options = options


def _work(batch: list[Article]) -> list[tuple[Article, list[Quote]]]:
    assert _worker_parser is not None and _worker_options is not None
    return list(extract_many(batch, parser=_worker_parser, options=_worker_options, batch_size=len(batch)))


def extract_parallel(
    articles: Iterable[Article],
    *,
    spec,
    jobs: int,
    options: Options = Options(),
    batch_size: int = 16,
    device: str | None = None,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Like `extract_many` over ``jobs`` processes, the model loaded once per worker.

    Results come back in input order; at most ``2 * jobs`` batches are in flight, so memory stays
    bounded on any corpus size.
    """
    import multiprocessing as mp
    from collections import deque

    threads = max(1, (os.cpu_count() or 1) // jobs)
    ctx = mp.get_context("spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(spec, options, threads, device)) as pool:
        pending: deque = deque()
        for batch in _batches(articles, batch_size):
            pending.append(pool.apply_async(_work, (batch,)))
            while len(pending) >= 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
