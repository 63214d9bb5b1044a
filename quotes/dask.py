"""Extraction on a Dask cluster (``pip install 'quotes[dask]'``): ``quotes extract --dask``.

The inputs are split, in the order ``quotes extract`` reads them, into shards of contiguous
input files. Each shard is one task: a worker reads its files (so inputs and the output folder
must be on a file system every worker sees), extracts them with the worker's `Extractor` and
writes ``OUTDIR/part-NNNNN.jsonl``, a name fixed by the shard's position, to a temporary file
that is moved into place (`os.replace`) only when whole. A task that Dask runs again after its
worker died therefore rewrites the same bytes under the same name: no shard is duplicated or
torn, and the shards concatenated in name order are byte for byte what ``quotes extract PATHS
-o FILE`` writes on one machine. Beside each shard a small status file (``.status/*.json``:
counts, errors, a key of its inputs and options) lets a rerun skip the shards that are complete.
``manifest.json`` (articles, records, errors, missing shards, model, command) is written last.

A run whose client loses the scheduler (killed, out of reach, or no longer knowing the run's
tasks) ends within a bound (`extract_to_dir`'s ``lost_after``) instead of waiting for good: the
shards written so far stay, the manifest names the missing ones, and a rerun computes only
those. The client waits on its tasks in its own event loop (`_completed`).

Each task carries its config; a worker process builds one `Extractor` from it on its first
task and keeps it (`_worker_extractor`): the model is loaded once per process, with torch
threads set from the worker's thread count, and a parse cache folder of its own. Nothing is
registered on the cluster, so no step of a run waits for every worker to answer (a worker
restarting after a crash could hold such a step up for good). For an existing Dask pipeline,
`extract_bag` maps a bag of articles or paths to a bag of records.

Only this module imports dask; ``quotes`` imports it only for ``--dask``.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import orjson
from distributed import get_worker

from . import __version__
from .extractor import Extractor, ExtractorConfig, resolve_spec
from .sources import Article, SourceError, expand_paths, iter_articles, iter_inputs

MANIFEST = "manifest.json"
STATUS_DIR = ".status"
SHARD_RE = re.compile(r"^part-\d{5,}\.jsonl$")
TMP_RE = re.compile(r"^\.part-\d{5,}\.jsonl\..*\.tmp$")
#: Shards never get fewer input files than this (one parse batch), nor a plan more than
#: `MAX_SHARDS` shards (each is a task and a file).
MIN_SHARD_FILES = 16
MAX_SHARDS = 10_000


@dataclass(frozen=True)
class ReadOptions:
    """How input files are decoded (``quotes extract --encoding/--text-field/--id-field``)."""

    encoding: str = "utf-8"
    text_field: str = "text"
    id_field: str = "id"


@dataclass(frozen=True)
class Shard:
    """A contiguous run of inputs and the file its records go to; ``key`` names its inputs
    (paths, sizes, modification times) and the options, so a rerun knows what it holds."""

    index: int
    name: str
    inputs: tuple[tuple[str | None, str], ...]  # (root folder or None, file), as expand_paths gives
    key: str


@dataclass
class ShardResult:
    name: str
    articles: int = 0
    records: int = 0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    key: str = ""
    skipped: bool = False  # complete from an earlier run

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "articles": self.articles, "records": self.records, "bytes": self.bytes,
                "errors": self.errors, "warnings": self.warnings, "key": self.key}


@dataclass
class RunResult:
    """What `extract_to_dir` did; the CLI turns it into messages and an exit status."""

    outdir: Path
    shards: list[ShardResult]
    failed: dict[str, str]  # shard name -> why it is missing (its task failed, or the scheduler was lost)
    model: str
    manifest: dict[str, Any]
    lost: str | None = None  # why the run stopped waiting for its scheduler, if it did
    unfinished: list[str] = field(default_factory=list)  # the shards it left for a rerun when it did

    @property
    def errors(self) -> list[str]:
        return [e for s in self.shards for e in s.errors]

    @property
    def complete(self) -> bool:
        return not self.failed


# --- the plan ----------------------------------------------------------------------------------


def shard_size_for(n_inputs: int) -> int:
    """Input files per shard: at least `MIN_SHARD_FILES`, and at most `MAX_SHARDS` shards. It
    depends on the inputs only, not on the cluster, so a rerun makes the same shards."""
    return max(MIN_SHARD_FILES, math.ceil(n_inputs / MAX_SHARDS))


def _fingerprint(root: Path | None, path: Path | str) -> list:
    try:
        st = os.stat(path)
        facts: list = [st.st_size, st.st_mtime_ns]
    except OSError:
        facts = [None, None]
    return [None if root is None else str(root), str(path), *facts]


def plan_shards(paths: Sequence[str], *, options_key: str, shard_size: int | None = None) -> list[Shard]:
    """The shards of ``paths`` (files, folders, globs; not stdin), in `expand_paths` order.

    An input that does not exist stays in the plan: its shard's worker reports it, as one machine
    would. ``options_key`` (the model and options) goes into every shard's key.
    """
    inputs = list(expand_paths(paths))
    size = shard_size or shard_size_for(len(inputs))
    count = max(1, math.ceil(len(inputs) / size)) if inputs else 0
    width = max(5, len(str(count - 1)))
    shards = []
    for i in range(count):
        part = inputs[i * size:(i + 1) * size]
        key = hashlib.sha256(orjson.dumps([options_key, [_fingerprint(r, p) for r, p in part]])).hexdigest()
        shards.append(Shard(index=i, name=f"part-{i:0{width}d}.jsonl",
                            inputs=tuple((None if r is None else str(r), str(p)) for r, p in part), key=key))
    return shards


def code_digest() -> str:
    """The sha256 of this installation's code and word lists (quotes/**/*.py, *.txt): a shard made
    by other code is not reused."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".txt") and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def options_key(config: ExtractorConfig, model_name: str, read: ReadOptions) -> str:
    """What decides a shard's bytes besides its inputs: the code, the model, matcher options,
    kinds, how inputs are read."""
    kinds = None if config.kinds is None else sorted(config.kinds)
    return orjson.dumps([__version__, code_digest(), model_name, config.matcher_options(), kinds,
                         read.encoding, read.text_field, read.id_field]).decode()


# --- the worker side -----------------------------------------------------------------------------


def _safe_name(name: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("_") or "worker"


@dataclass
class _Held:
    """The extractor this process keeps, the lock its task threads take turns with, and the
    warnings (the parse cache turned off) not yet handed to a shard."""

    key: str
    extractor: Extractor
    lock: threading.Lock = field(default_factory=threading.Lock)
    warnings: list[str] = field(default_factory=list)


_HELD: list[_Held] = []  # at most one: a new config replaces the model held before
_HELD_LOCK = threading.Lock()


def config_key(kind: str, config: ExtractorConfig) -> str:
    """Names ``config`` for `_process_extractor`, on the client: cloudpickle (what Dask ships
    with) pickles any config Dask can send, a parser factory defined in a script included, and a
    rerun with the same config finds the model each worker already holds. ``kind``: who asks
    (shard tasks or a bag), as they build the extractor differently."""
    import cloudpickle

    return kind + ":" + hashlib.sha256(cloudpickle.dumps(config)).hexdigest()


def _process_extractor(key: str, build: Callable[[list[str]], Extractor]) -> _Held:
    """This process's extractor for the config named ``key`` (`config_key`), built by
    ``build(warnings)`` the first time, so a worker loads the model once, not once per task.
    Nothing is registered on the cluster, so a run never waits on a worker that is restarting
    or does not answer: each task carries its config, and a worker that joins late builds its
    extractor when its first task comes."""
    with _HELD_LOCK:
        if _HELD and _HELD[0].key == key:
            return _HELD[0]
        warnings: list[str] = []
        _HELD[:] = [_Held(key=key, extractor=build(warnings), warnings=warnings)]
        return _HELD[0]


def _worker_extractor(key: str, config: ExtractorConfig, model_name: str) -> _Held:
    """The extractor of this Dask worker process for ``config``: torch threads = the worker's
    thread count, parse cache in ``<cache root>/dask-workers/<worker name>`` (the worker's own
    default cache root unless the config names one); its model must be ``model_name``, the one
    the client resolved."""
    worker = get_worker()

    def build(warnings: list[str]) -> Extractor:
        threads = getattr(getattr(worker, "state", None), "nthreads", None) or getattr(worker, "nthreads", None)
        cache_dir = None
        if config.cache:
            from .cache import default_cache_dir

            root = Path(config.cache_dir) if config.cache_dir else default_cache_dir()
            cache_dir = str(root / "dask-workers" / _safe_name(getattr(worker, "name", None) or os.getpid()))
        extractor = Extractor(config.replace(jobs=1, threads=threads, cache_dir=cache_dir),
                              on_warning=warnings.append)
        if extractor.model_name != model_name:
            from .parse import ModelError

            raise ModelError(f"worker {getattr(worker, 'name', '?')}: its model is {extractor.model_name}, "
                             f"not {model_name} as on the client; install the same quotes and model "
                             "on every worker")
        return extractor

    return _process_extractor(key, build)


def _where(article: Article) -> str:
    # how an error line names an article, as `quotes extract` does (cli._where)
    if article.path and article.path != "-" and article.path.endswith(article.id):
        return article.path
    if article.path and article.path != article.id:
        return f"{article.path} (article {article.id})"
    return article.id


def _record_lines(quotes) -> bytes:
    # the bytes `quotes extract` writes for one article (cli._write)
    return b"".join(orjson.dumps(q.to_dict()) + b"\n" for q in quotes)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def write_shard(extractor: Extractor, shard: Shard, outdir: str | Path, read: ReadOptions) -> ShardResult:
    """Extract ``shard``'s inputs and write ``outdir/shard.name`` atomically, then its status file."""
    outdir = Path(outdir)
    result = ShardResult(name=shard.name, key=shard.key)
    final = outdir / shard.name
    inputs = ((None if r is None else Path(r), Path(p)) for r, p in shard.inputs)

    def good() -> Iterator[Article]:
        for item in iter_inputs(inputs, encoding=read.encoding, text_field=read.text_field, id_field=read.id_field):
            if isinstance(item, SourceError):
                result.errors.append(str(item))
                continue
            result.articles += 1
            yield item

    def on_error(article: Article, message: str) -> None:  # one article failed: left out, as on one machine
        result.errors.append(f"{_where(article)}: {message}")

    def on_note(article: Article, message: str) -> None:  # the parser bounded its work on it
        result.warnings.append(f"{_where(article)}: {message}")

    extractor.on_error, extractor.on_note = on_error, on_note
    fd, tmp = tempfile.mkstemp(prefix=f".{shard.name}.", suffix=".tmp", dir=outdir)
    try:
        with os.fdopen(fd, "wb") as out:
            for _article, quotes in extractor.extract_articles(good()):
                out.write(_record_lines(quotes))
                result.records += len(quotes)
            result.bytes = out.tell()
        os.replace(tmp, final)
    except BaseException:
        _unlink(tmp)
        raise
    _atomic_write(outdir / STATUS_DIR / (shard.name + ".json"), orjson.dumps(result.to_dict()))
    return result


def _shard_task(key: str, config: ExtractorConfig, model_name: str, shard: Shard, outdir: str,
                read: ReadOptions) -> ShardResult:
    held = _worker_extractor(key, config, model_name)
    with held.lock:
        result = write_shard(held.extractor, shard, outdir, read)
        result.warnings[:0], held.warnings[:] = held.warnings, []  # the worker's cache warnings, once
        return result


# --- the client side -----------------------------------------------------------------------------


def _done_before(outdir: Path, shard: Shard) -> ShardResult | None:
    """The status of ``shard`` from an earlier run when its file is there, whole, and from the
    same inputs and options; else None."""
    try:
        status = orjson.loads((outdir / STATUS_DIR / (shard.name + ".json")).read_bytes())
        if status.get("key") != shard.key or (outdir / shard.name).stat().st_size != status.get("bytes"):
            return None
        return ShardResult(name=shard.name, articles=int(status["articles"]), records=int(status["records"]),
                           bytes=int(status["bytes"]), errors=list(status["errors"]),
                           warnings=list(status.get("warnings", [])), key=shard.key, skipped=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _tidy(outdir: Path, names: set[str], *, temporaries: bool = True) -> None:
    """Remove what is not part of this plan: shards and statuses of an earlier, larger plan, and
    (``temporaries``, when every task has ended) temporary files of tasks whose worker died. A
    run that lost its scheduler keeps them: a worker may still be writing one, and the next run
    removes what is left."""
    for entry in os.scandir(outdir):
        if (SHARD_RE.match(entry.name) and entry.name not in names) or (temporaries and TMP_RE.match(entry.name)):
            _unlink(entry.path)
    status = outdir / STATUS_DIR
    if status.is_dir():
        for entry in os.scandir(status):
            if (temporaries and entry.name.endswith(".tmp")) or (entry.name.endswith(".json")
                                                                 and entry.name[:-5] not in names):
                _unlink(entry.path)


#: Why distributed cancels a future when its client's connection to the scheduler went down or
#: the scheduler restarted (`distributed.client.FutureCancelledError.reason`).
_LOST_REASONS = {"scheduler-connection-lost": "the client lost its connection to the scheduler",
                 "scheduler-restart": "the scheduler restarted"}
_END = object()


def default_lost_after() -> float:
    """Seconds a run waits without a sign of its scheduler: the time a client takes to give up
    reconnecting (``distributed.comm.timeouts.connect``)."""
    import dask
    from dask.utils import parse_timedelta

    return float(parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="s"))


async def _next_within(completions, seconds: float):
    # the next (future, outcome) of an as_completed, None after ``seconds``, _END when none is left
    import asyncio

    try:
        return await asyncio.wait_for(completions.__anext__(), seconds)
    except StopAsyncIteration:
        return _END
    except asyncio.TimeoutError:
        return None


async def _task_states(client, keys: list[str], seconds: float) -> dict:
    import asyncio

    return await asyncio.wait_for(client.scheduler.get_task_status(keys=keys), seconds)


def _no_scheduler(client, keys: list[str], seconds: float) -> str | None:
    """Why the run's waiting tasks (``keys``) will not finish, or None while the scheduler
    answers and knows them all (a client that the scheduler dropped is never told)."""
    if client.status != "running":
        return f"the client's connection to the scheduler is down (client {client.status})"
    try:
        states = client.sync(_task_states, client, keys, seconds)
    except Exception as exc:  # noqa: BLE001 - any failure to answer is a scheduler out of reach
        return f"the scheduler does not answer ({exc.__class__.__name__})"
    unknown = sum(states.get(k) in (None, "forgotten") for k in keys)
    if unknown:
        return f"the scheduler no longer knows {unknown} of the run's {len(keys)} waiting tasks"
    return None


def _completed(client, futures, lost_after: float, lost: list[str]) -> Iterator[tuple[Any, Any]]:
    """``(future, outcome)`` for each of ``futures`` as it completes, as ``as_completed(...,
    with_results=True, raise_errors=False)`` gives them, until the scheduler is lost: then it
    stops, with why in ``lost``. Lost is a future cancelled because the client's connection to
    the scheduler went down (distributed cancels them all then), a closed client, or no shard
    done for ``lost_after`` seconds while the client cannot reach the scheduler or the scheduler
    no longer knows the run's tasks (it dropped the client, which is not told).

    The as_completed runs on this client's own event loop: by default it takes the loop of the
    process's default client, which need not be this one, and then gathers this client's results
    from another thread, on connections that are not safe for that."""
    import time

    from distributed import as_completed

    completions = as_completed(futures, with_results=True, raise_errors=False, loop=client.loop)
    waiting = set(futures)
    look = max(0.1, min(5.0, lost_after / 3))  # how long no shard is done before asking the scheduler
    since: float | None = None
    ready: list = []
    while waiting:
        if ready:
            got = ready.pop(0)
        elif client.status == "closed":  # its loop may be gone: take what is ready, then stop
            ready = completions.next_batch(block=False)
            got = ready.pop(0) if ready else None
        else:
            got = client.sync(_next_within, completions, look)
        if got is _END:
            return
        if got is not None:
            future, outcome = got
            reason = getattr(outcome, "reason", None) if future.status == "cancelled" else None
            if reason in _LOST_REASONS:
                lost.append(_LOST_REASONS[reason])
                return
            waiting.discard(future)
            since = None
            yield future, outcome
            continue
        why = ("the client is closed" if client.status == "closed"
               else _no_scheduler(client, [f.key for f in waiting], look))
        if why is None:
            since = None
            continue
        now = time.monotonic()
        since = now if since is None else since
        if client.status == "closed" or now - since >= lost_after:
            lost.append(why)
            return


def extract_to_dir(
    client,
    paths: Sequence[str],
    outdir: str | Path,
    config: ExtractorConfig,
    *,
    read: ReadOptions = ReadOptions(),
    shard_size: int | None = None,
    command: Sequence[str] | None = None,
    on_progress: Callable[[int, int, int, int], None] | None = None,
    on_shard: Callable[[ShardResult], None] | None = None,
    lost_after: float | None = None,
) -> RunResult:
    """Extract ``paths`` on the Dask cluster of ``client`` into shards under ``outdir``.

    Shards already complete in ``outdir`` (same inputs and options) are kept; the others are
    computed, one task each. ``on_shard`` gets each shard as it is done (or found done);
    ``on_progress(shards done, shards, articles done, records done)`` after each. A task that
    fails (its worker died more often than Dask allows, or the model is missing there) leaves
    its shard missing and is named in ``RunResult.failed``; rerunning computes what is missing.

    A run whose client loses the scheduler ends rather than wait for good (see `_completed`):
    at once when the connection goes down, or after ``lost_after`` seconds (default
    `default_lost_after`) with no shard done while the scheduler does not answer or no longer
    knows the run's tasks. The shards written by then are kept (a worker's shard that reached
    the disk counts even if its result never came back); the others are in ``RunResult.failed``
    and ``unfinished``, ``RunResult.lost`` says why, and the manifest says the run is incomplete.
    Raises `quotes.parse.ModelError` when the model cannot be resolved here.
    """
    outdir = Path(outdir)
    lost_after = default_lost_after() if lost_after is None else float(lost_after)
    spec = resolve_spec(config.model)
    model_name = spec.name
    # workers resolve what the client resolved: "auto" (or $QUOTES_MODEL unset) becomes the kind
    # found here, so the model cannot differ by machine; a path must be the same on every worker
    choice = config.model if config.model is not None else (os.environ.get("QUOTES_MODEL") or "auto")
    worker_config = config.replace(model=spec.kind if choice == "auto" else choice, jobs=1)
    shards = plan_shards(paths, options_key=options_key(config, model_name, read), shard_size=shard_size)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / STATUS_DIR).mkdir(exist_ok=True)
    _unlink(outdir / MANIFEST)  # no manifest until this run is over
    names = {s.name for s in shards}
    for entry in os.scandir(outdir):  # shards of an earlier, larger plan would join the concatenation
        if SHARD_RE.match(entry.name) and entry.name not in names:
            _unlink(entry.path)

    results: dict[str, ShardResult] = {}
    failed: dict[str, str] = {}
    lost: list[str] = []
    totals = [0, 0]

    def finished(res: ShardResult) -> None:
        results[res.name] = res
        totals[0] += res.articles
        totals[1] += res.records
        if on_shard is not None:
            on_shard(res)
        if on_progress is not None:
            on_progress(len(results) + len(failed), len(shards), totals[0], totals[1])

    todo = []
    for shard in shards:
        before = _done_before(outdir, shard)
        if before is not None:
            finished(before)
        else:
            _unlink(outdir / shard.name)  # not this run's: missing, not stale, if its task fails
            todo.append(shard)
    if todo:
        run, held = uuid.uuid4().hex[:12], config_key("shard", worker_config)
        futures = {client.submit(_shard_task, held, worker_config, model_name, shard, str(outdir), read,
                                 key=f"quotes-{run}-{shard.name}", pure=False): shard for shard in todo}
        # results are gathered by as_completed itself (in the client's event loop); a task
        # that failed gives its exception instead (raise_errors=False)
        for future, outcome in _completed(client, futures, lost_after, lost):
            shard = futures[future]
            if isinstance(outcome, ShardResult):
                finished(outcome)
            else:  # a task's failure is reported, the run goes on
                exc = outcome[1] if isinstance(outcome, tuple) else outcome  # an error comes as (type, exc, tb)
                failed[shard.name] = f"{exc.__class__.__name__}: {str(exc)[:300]}"
                if on_progress is not None:
                    on_progress(len(results) + len(failed), len(shards), totals[0], totals[1])
            future.release()
        for future in futures:  # those of a lost run; releasing only sends a message if it can
            future.release()
    unfinished = []
    if lost:
        for shard in todo:
            if shard.name in results or shard.name in failed:
                continue
            written = _done_before(outdir, shard)  # a worker's shard whose result never came back
            if written is not None:
                written.skipped = False
                finished(written)
            else:
                unfinished.append(shard.name)
                failed[shard.name] = f"not computed: lost the Dask scheduler ({lost[0]})"
    _tidy(outdir, names, temporaries=not lost)
    ordered = [results[s.name] for s in shards if s.name in results]
    failed = {s.name: failed[s.name] for s in shards if s.name in failed}
    manifest = {
        "complete": not failed,
        "articles": sum(r.articles for r in ordered),
        "records": sum(r.records for r in ordered),
        "errors": [e for r in ordered for e in r.errors],
        "warnings": [w for r in ordered for w in r.warnings],
        "missing_shards": [s.name for s in shards if s.name in failed],
        "failed_shards": {k: v for k, v in failed.items() if k not in unfinished},
        "lost_scheduler": lost[0] if lost else None,
        "shards": len(shards),
        "shards_reused": sum(r.skipped for r in ordered),
        "model": model_name,
        "command": list(command) if command is not None else None,
        "quotes_version": __version__,
    }
    _atomic_write(outdir / MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
    return RunResult(outdir=outdir, shards=ordered, failed=failed, model=model_name, manifest=manifest,
                     lost=lost[0] if lost else None, unfinished=unfinished)


class Cluster:
    """A client for ``address``: ``local`` / ``local:N`` starts a LocalCluster of N worker
    processes on this machine (default one per core, cores split between them), anything else is
    a running scheduler (``tcp://host:8786``). Use as a context manager."""

    def __init__(self, address: str, *, timeout: float = 30):
        self.address = address
        self.timeout = timeout
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> "Cluster":
        import logging

        from distributed import Client

        if self.address == "local" or self.address.startswith("local:"):
            from distributed import LocalCluster

            from .pipeline import usable_cores

            cores = usable_cores()
            n = int(self.address.split(":", 1)[1]) if ":" in self.address else cores
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=max(1, cores // n), processes=True,
                                        host="127.0.0.1", dashboard_address=":0", silence_logs=logging.WARNING)
            self.client = Client(self.cluster)
        else:
            self.client = Client(self.address, timeout=self.timeout)
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            if self.client.status == "running":
                self.client.close()
            else:  # it lost the scheduler: distributed logs its stopped reconnect as a failure of its own,
                # and the run has said what happened
                with _quiet("distributed.client", "distributed.utils"), \
                        contextlib.suppress(OSError, TimeoutError):
                    self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def dashboard(self) -> str | None:
        try:
            info = self.client.scheduler_info()
            if "dashboard" not in info.get("services", {}):
                return None
            return self.client.dashboard_link
        except Exception:  # noqa: BLE001 - informational only
            return None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """The loggers ``names`` log nothing inside (their levels are restored after)."""
    import logging

    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def parse_address(value: str) -> str:
    """Check ``--dask ADDRESS``; raises ValueError saying what is accepted."""
    if value == "local" or re.fullmatch(r"local:[1-9]\d*", value):
        return value
    if re.fullmatch(r"[a-z]+://[^\s/]+:\d+", value) or re.fullmatch(r"[^\s/:]+:\d+", value):
        return value
    raise ValueError(f"--dask {value!r}: expected local, local:N or a scheduler address like tcp://host:8786")


# --- a bag of records, for existing Dask pipelines ---------------------------------------------

def _partition_records(items: Iterable[Any], key: str, config: ExtractorConfig, read: ReadOptions) -> list[dict]:
    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Article):
                yield item
                continue
            for got in iter_articles([str(item)], encoding=read.encoding, text_field=read.text_field,
                                     id_field=read.id_field):
                if isinstance(got, SourceError):
                    raise ValueError(f"error: {got}")
                yield got

    held = _process_extractor(key, lambda warnings: Extractor(config.replace(jobs=1), on_warning=warnings.append))
    with held.lock:
        return [q.to_dict() for _a, quotes in held.extractor.extract_articles(articles()) for q in quotes]


def extract_bag(bag, config: ExtractorConfig = ExtractorConfig(), *, read: ReadOptions = ReadOptions()):
    """A bag of records (the dicts ``quotes extract`` writes, in the bag's order) from a bag of
    `quotes.sources.Article` or paths (a path is read as ``quotes extract`` reads it; an
    unreadable one raises ValueError). Each worker process builds one `Extractor` for the
    config and keeps it; ``config.parser_factory``, if any, must be picklable."""
    return bag.map_partitions(_partition_records, config_key("bag", config), config, read)
