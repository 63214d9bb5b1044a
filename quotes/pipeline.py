"""Many articles through one extraction assembly: bounded batches, and worker processes.

`batches` cuts the input into the parse calls; `extract_parallel` runs an extractor's batches in
``--jobs`` worker processes (each builds its own extractor, of the caller's class, from the
caller's config) and streams the results back in input order; `failure_message` is how one
article's failure is told. The assembly itself (model, parser, cache, matcher) is
`quotes.extractor.Extractor`, which uses this module; this module does not import it.
Pure: articles in, ``(article, quotes)`` out. No files, no stdout.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable, Iterator, Protocol

from .record import Quote
from .sources import Article


class Runs(Protocol):
    """What `extract_parallel` needs of an extractor (`quotes.extractor.Extractor` is one): its
    config and spec, its cache (or None), where failures and notes go, a serial run, and the
    config its workers build their own from. Its class, called as ``cls(config, spec=...,
    on_warning=..., on_error=..., on_note=...)``, builds a worker's."""

    config: Any
    spec: Any
    cache: Any
    on_error: Callable[[Article, str], None] | None
    on_note: Callable[[Article, str], None] | None

    def extract_serial(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Quote]]]: ...

    def worker_config(self, *, threads: int | None, cache_dir: str | None = None) -> Any: ...


def failure_message(exc: BaseException, doing: str) -> str:
    """What to tell the user about an article that failed while ``doing`` (parsing, matching)."""
    detail = f"{exc.__class__.__name__}: {str(exc)[:160]}".rstrip(": ")
    if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc) or "out of memory" in str(exc):
        return (f"ran out of memory while {doing} ({detail}); its records are left out; rerun it alone "
                "with more memory, or split the article")
    return (f"failed while {doing} ({detail}); its records are left out; rerun it alone to see if it "
            "fails again, and report it with the article if it does")


#: Most characters of text in one batch: a batch of huge articles is parsed in one call and held
#: at once, so a long article starts a batch of its own (ordinary batches are far below this).
BATCH_CHARS = 1_000_000


def batches(items: Iterable[Article], size: int, *, max_chars: int = BATCH_CHARS) -> Iterator[list[Article]]:
    """``items`` in lists of ``size`` (the last one shorter) and at most ``max_chars`` characters
    of text (an article longer than that alone), read lazily."""
    batch: list[Article] = []
    chars = 0
    for item in items:
        length = len(getattr(item, "text", ""))  # (anything else batches by count alone)
        if batch and chars + length > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += length
        if len(batch) >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


# --- parallel workers --------------------------------------------------------------------------

_worker: dict = {}


def _init_worker(build, config, spec, isolate: bool = False) -> None:
    # torch's thread count is set when the model loads (a forked worker inherits torch
    # imported, never run). A spawned worker whose articles are all cached imports neither.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no tracebacks here
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker has the CLI's handler: stopping ends it
    early: list[str] = []  # the cache could not be used in this worker: reported with the first batch
    errors: list[tuple[Article, str]] = []
    notes: list[tuple[Article, str]] = []
    extractor = build(config, spec=spec, on_warning=early.append,
                      on_error=(lambda a, m: errors.append((a, m))) if isolate else None,
                      on_note=lambda a, m: notes.append((a, m)))
    _worker.update(extractor=extractor, early=early, warned=False, errors=errors, notes=notes)


def _work(batch: list[Article]) -> tuple[list[list[Quote]], dict | None, str | None, list, list]:
    """The quotes of each article of ``batch`` (the articles stay with the parent), the cache
    counts, a warning, and the errors and notes as ``(index in batch, message)``."""
    extractor = _worker["extractor"]
    errors, notes = _worker["errors"], _worker["notes"]
    errors.clear()
    notes.clear()
    quotes = [q for _, q in extractor.extract_serial(batch)]
    where = {id(a): i for i, a in enumerate(batch)}
    said = [(where[id(a)], m) for a, m in errors], [(where[id(a)], m) for a, m in notes]
    cache = extractor.cache
    if cache is None:
        warning = None
        if _worker["early"] and not _worker["warned"]:
            warning, _worker["warned"] = _worker["early"][0], True
        return quotes, None, warning, *said
    from .cache import CacheStats

    stats = cache.stats.to_dict()
    cache.stats = CacheStats()  # report each batch's counts once
    warning = None
    if cache.warning and not _worker["warned"]:
        warning, _worker["warned"] = cache.warning, True
    return quotes, stats, warning, *said


def worker_context():
    """The multiprocessing context of the parser workers. On Linux, in a process with no other
    thread (the CLI), workers are forked after this process has imported torch and stanza once
    (`quotes.parse.import_runtime`), which every spawned worker did again (seconds of CPU
    each); they stay its children, so their CPU counts in this process's. Elsewhere (macOS,
    Windows, a caller with threads, or one that has started CUDA, where forking is not safe)
    they are spawned."""
    import multiprocessing as mp
    import threading

    torch = sys.modules.get("torch")
    cuda_started = torch is not None and torch.cuda.is_initialized()
    if sys.platform.startswith("linux") and threading.active_count() == 1 and not cuda_started:
        from .parse import import_runtime

        import_runtime()
        return mp.get_context("fork")
    return mp.get_context("spawn")


class _Workers:
    """A `concurrent.futures.ProcessPoolExecutor` that can be rebuilt after a worker died (the
    pool is then broken for good) and whose workers can be stopped at once (on Ctrl-C, a
    signal, or when the reader stops)."""

    def __init__(self, jobs: int, initargs: tuple):
        self.jobs, self.initargs = jobs, initargs
        self.seen: dict = {}  # pid -> worker process of the current pool, to read how one ended
        self.pool = self._new()

    def _new(self):
        from concurrent.futures import ProcessPoolExecutor

        self.ctx = worker_context()  # again for a rebuilt pool: threads may have started since
        return ProcessPoolExecutor(self.jobs, mp_context=self.ctx, initializer=_init_worker, initargs=self.initargs)

    def submit(self, batch: list[Article]):
        """A future of ``_work(batch)``; on a pool a dead worker broke, one holding that error (it
        is handled in input order, with the batches already in flight)."""
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        try:
            future = self.pool.submit(_work, batch)
        except BrokenProcessPool as exc:
            future = Future()
            future.set_exception(exc)
        self.seen.update(getattr(self.pool, "_processes", None) or {})  # no public API for the workers
        return future

    def death(self) -> str:
        """How the dead worker ended, for the error line (the pool stops the others with SIGTERM)."""
        import signal

        ended = [p.exitcode for p in self.seen.values() if p.exitcode not in (None, 0)]
        codes = [c for c in ended if c != -signal.SIGTERM] or ended
        if not codes:
            return "the worker process parsing it died"
        code = codes[0]
        how = f"killed by signal {-code}" + (", e.g. by the kernel for lack of memory" if code == -9 else "") \
            if code < 0 else f"exit status {code}"
        return f"the worker process parsing it died ({how})"

    def rebuild(self) -> None:
        self.stop()
        self.seen = {}
        self.pool = self._new()

    def stop(self) -> None:
        """End the workers now (a running batch is abandoned) and release the pool."""
        for p in list(getattr(self.pool, "_processes", {}).values()):
            if p.is_alive():
                p.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask in containers, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def extract_parallel(articles: Iterable[Article], extractor: Runs, *,
                     jobs: int | None = None) -> Iterator[tuple[Article, list[Quote]]]:
    """`Extractor.extract_serial` over ``jobs`` (default ``extractor.config.jobs``) processes, each
    building its own extractor, of ``extractor``'s class, from the same config (the model loaded
    once per worker).

    Results come back in input order; at most ``2 * jobs`` batches are in flight, so memory stays
    bounded on any corpus size. Each worker uses ``cores // jobs`` torch threads and the parent's
    parse cache folder (none if the parent could not use it); the counts of hits and parses are
    added to ``extractor.cache.stats`` here, and the first worker warning (the cache turned off by
    an I/O error) goes to the cache's ``on_warning`` once. A ``parser_factory`` in the config must
    be a picklable top-level callable.

    With ``extractor.on_error`` set, workers isolate failures per article as `Extractor` does,
    and a worker that dies (killed, out of memory, a crash in native code) is replaced: every
    batch that was in flight is run again one article at a time with nothing else in flight, so
    an article that kills its worker alone is the one reported, and only it is lost.
    """
    from collections import deque

    from .parse import ModelError

    jobs = jobs or extractor.config.jobs
    cache = extractor.cache
    isolate = extractor.on_error is not None

    def unpack(batch: list[Article], result) -> Iterator[tuple[Article, list[Quote]]]:
        quotes, stats, warning, errors, notes = result
        if cache is not None:
            if stats:
                cache.stats.add(stats)
            if warning and cache.warning is None:
                cache.warning = warning
                if cache.on_warning is not None:
                    cache.on_warning(warning)
        errors, notes = dict(errors), dict(notes)
        for i, (article, found) in enumerate(zip(batch, quotes)):
            if i in notes and extractor.on_note is not None:
                extractor.on_note(article, notes[i])
            if i in errors:
                extractor.on_error(article, errors[i])
            yield article, found

    def alone(article: Article) -> Iterator[tuple[Article, list[Quote]]]:
        future = workers.submit([article])
        try:
            result = future.result()
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - a dead worker (BrokenProcessPool) or a failure in it
            from concurrent.futures.process import BrokenProcessPool

            if isinstance(exc, BrokenProcessPool):
                message = workers.death() + "; its records are left out; rerun it alone (quotes extract FILE) " \
                    "to see why, with more memory if it was killed"
                workers.rebuild()
            else:
                message = failure_message(exc, "parsing")
            extractor.on_error(article, message)
            yield article, []
            return
        yield from unpack([article], result)

    def take() -> Iterator[tuple[Article, list[Quote]]]:
        batch, future = pending.popleft()
        try:
            result = future.result()
        except ModelError:
            raise
        except Exception:  # noqa: BLE001 - see alone()
            if not isolate:
                raise
            # a dead worker breaks the pool and every batch in flight with it: run them again,
            # in order, one article at a time on a new pool (batches that had finished are kept)
            lost = [(batch, future), *pending]
            pending.clear()
            workers.rebuild()
            for b, f in lost:
                if f.done() and not f.cancelled() and f.exception() is None:
                    yield from unpack(b, f.result())
                    continue
                for article in b:
                    yield from alone(article)
            return
        yield from unpack(batch, result)

    initargs = (type(extractor), extractor.worker_config(threads=max(1, usable_cores() // jobs)), extractor.spec, isolate)
    workers = _Workers(jobs, initargs)
    pending: deque = deque()
    finished = False
    try:
        for batch in batches(articles, extractor.config.batch_size):
            pending.append((batch, workers.submit(batch)))
            while len(pending) >= 2 * jobs:
                yield from take()
        while pending:
            yield from take()
        finished = True
    finally:
        # done: let the idle workers exit; interrupted (Ctrl-C, a signal, the reader gone): stop
        # them now rather than wait for the batches they are parsing
        workers.close() if finished else workers.stop()
