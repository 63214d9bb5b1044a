"""`quotes extract --dask`: shards on a Dask cluster equal one machine's output byte for byte.

One LocalCluster of 2 worker processes on loopback serves the module (it takes seconds to
start); a test that kills a worker has a LocalCluster of its own, and one that kills the
scheduler starts ``dask scheduler`` and ``dask worker`` as subprocesses (`SpawnedCluster`).
Parser stubs (whitespace tokens, `test_pipeline.FakeParser`) go to the workers through the
config; one test runs the shipped model. The tests that need no Dask run without the extra.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from click.testing import CliRunner

from quotes.cli import cli

from test_pipeline import FakeParser

ROOT = Path(__file__).resolve().parent.parent
# A cluster that stops answering fails its test, not the run, and the test gets one more try.
# Once (1 run in about 5 of the CI runs) a CLI client's connection broke inside distributed's
# periodic scheduler-info update (tornado asserting on its write buffer) and the run waited on
# futures the scheduler had dropped. The cause: as_completed ran on the loop of the default
# client (this module's fixture client, set current by its `with`), gathering the CLI client's
# results from another thread on the connections that update uses; extract_to_dir now waits in
# the client's own loop, and a run that loses its scheduler ends (the tests below).
pytestmark = [pytest.mark.timeout(120), pytest.mark.flaky(reruns=1)]
STUB_SPEC = SimpleNamespace(name="stub-1", kind="stub", paths={}, resources_dir=None)


def stub_factory(spec, device, threads):
    return FakeParser(spec)


class LoggingParser(FakeParser):
    """Notes the first line of every text it parses in ``log_dir`` (one file per process)."""

    def __init__(self, spec, log_dir: str):
        super().__init__(spec)
        self.log = Path(log_dir) / f"{os.getpid()}.log"

    def parse_many(self, texts):
        with self.log.open("a", encoding="utf-8") as handle:
            handle.writelines(t.split("\n", 1)[0] + "\n" for t in texts)
        return super().parse_many(texts)


def logging_factory(log_dir, spec, device, threads):
    return LoggingParser(spec, log_dir)


def counting_factory(log_dir, spec, device, threads):
    """A stub parser that notes each time a process builds one (``build-<pid>`` lines)."""
    with (Path(log_dir) / "builds.log").open("a", encoding="utf-8") as handle:
        handle.write(f"build-{os.getpid()}\n")
    return FakeParser(spec)


class KillingParser(FakeParser):
    """Ends its worker process (os._exit) the first time it sees KILLME; ``flag`` records that."""

    def __init__(self, spec, flag: str):
        super().__init__(spec)
        self.flag = Path(flag)

    def parse_many(self, texts):
        if any("KILLME" in t for t in texts) and not self.flag.exists():
            self.flag.write_text(str(os.getpid()))
            os._exit(1)
        return super().parse_many(texts)


def killing_factory(flag, spec, device, threads):
    return KillingParser(spec, flag)


class FailingParser(FakeParser):
    """Fails on every text that holds BOOM (one article's parse error)."""

    def parse_many(self, texts):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("stub parser fails on BOOM")
        return super().parse_many(texts)


def failing_factory(spec, device, threads):
    return FailingParser(spec)


def slow_factory(spec, device, threads):
    """A stub parser that takes a moment over each text with "slow" in it: a run of many shards is
    still going when the test kills its scheduler."""
    return FakeParser(spec, delay=0.2)


def write_corpus(folder: Path, n: int = 11, *, marker: int | None = None) -> Path:
    """``n`` invented articles in a folder and a subfolder, and one file that is not UTF-8."""
    (folder / "sub").mkdir(parents=True)
    for i in range(n):
        where = folder / "sub" if i % 4 == 3 else folder
        extra = " KILLME" if i == marker else ""
        (where / f"{i:02d}.txt").write_text(
            f"Article {i}{extra} opens here.\n“Item {i} is on the agenda today,” the mayor said.\n"
            f"Councillor {i} agreed: “We will vote on it soon.”\n", encoding="utf-8")
    (folder / "05b.txt").write_bytes(b"\xff\xfe\x00 not text")
    return folder


def run_cli(*args: str, factory=stub_factory):
    return CliRunner().invoke(cli, ["extract", *args, "--no-cache"],
                              obj={"model": STUB_SPEC, "parser_factory": factory})


def shards_of(outdir: Path) -> list[Path]:
    return sorted(outdir.glob("part-*.jsonl"))


def concatenated(outdir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in shards_of(outdir))


def leftovers(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.rglob("*.tmp"))


# --- without the extra ---------------------------------------------------------------------------


def test_extract_help_does_not_import_dask():
    code = ("import sys\nfrom quotes.cli import main\nmain(['extract', '--help'])\n"
            "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--dask ADDRESS" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"


def test_quotes_works_without_dask_installed(tmp_path):
    corpus = write_corpus(tmp_path / "in", 3)
    code = f"""
import sys
sys.modules['dask'] = sys.modules['distributed'] = None  # as if the extra were not installed
sys.path.insert(0, {str(ROOT / 'tests')!r})
from types import SimpleNamespace
from quotes.cli import cli
from test_dask import STUB_SPEC, stub_factory
def run(*args):
    try:
        cli.main(args=['extract', {str(corpus)!r}, '--no-cache', *args], obj={{'model': STUB_SPEC, 'parser_factory': stub_factory}})
    except SystemExit as exc:
        print('EXIT', exc.code, file=sys.stderr)
run('-o', {str(tmp_path / 'one.jsonl')!r})
run('--dask', 'local', '-o', {str(tmp_path / 'out')!r})
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    lines = done.stderr.splitlines()
    assert "EXIT 1" in lines, done.stderr  # the one bad file; the run went on
    assert (tmp_path / "one.jsonl").read_bytes().count(b"\n") == 6
    assert any("--dask needs Dask" in ln and "pip install 'quotes[dask]'" in ln for ln in lines), done.stderr
    assert lines[-1] == "EXIT 1" and not (tmp_path / "out").exists()


# --- on a LocalCluster ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        with Client(local) as client:
            yield SimpleNamespace(address=local.scheduler_address, client=client)


@pytest.fixture
def scheduler(cluster) -> str:
    cluster.client.wait_for_workers(2, timeout=60)
    return cluster.address


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "in")


@pytest.fixture
def single(corpus, tmp_path) -> bytes:
    result = run_cli(str(corpus), "-o", str(tmp_path / "single.jsonl"))
    assert result.exit_code == 1, result.output  # the file that is not UTF-8
    return (tmp_path / "single.jsonl").read_bytes()


def test_two_workers_give_one_machines_bytes(scheduler, corpus, single, tmp_path):
    out = tmp_path / "out"
    result = run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "3")
    assert result.exit_code == 1, result.output
    assert [p.name for p in shards_of(out)] == [f"part-{i:05d}.jsonl" for i in range(4)]
    assert concatenated(out) == single and single.count(b"\n") == 22
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["complete"] and manifest["articles"] == 11 and manifest["records"] == 22
    assert manifest["model"] == "stub-1" and manifest["shards"] == 4
    [error] = manifest["errors"]
    assert "05b.txt" in error and "binary" in error
    assert sum("error:" in ln and "05b.txt" in ln for ln in result.stderr.splitlines()) == 1
    assert "4/4 shards, 11 articles, 22 records" in result.stderr
    assert leftovers(out) == []


@pytest.fixture
def own_cluster() -> str:
    """A cluster of its own, for a test that kills a worker: the others never meet a restart."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local) as client:
        client.wait_for_workers(2, timeout=60)
        yield local.scheduler_address
        client.wait_for_workers(2, timeout=60)  # the killed worker is back: close meets no half-started one


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(own_cluster, tmp_path):
    corpus = write_corpus(tmp_path / "in", marker=6)
    reference = run_cli(str(corpus), "-o", str(tmp_path / "single.jsonl"))
    assert reference.exit_code == 1
    flag = tmp_path / "killed"
    out = tmp_path / "out"
    result = run_cli(str(corpus), "--dask", own_cluster, "-o", str(out), "--shard-size", "2",
                     factory=functools.partial(killing_factory, str(flag)))
    assert flag.exists(), "a worker process ended inside a task"
    assert result.exit_code == 1, result.output  # only for the file that is not UTF-8
    data = concatenated(out)
    assert data == (tmp_path / "single.jsonl").read_bytes()
    records = [orjson.loads(line) for line in data.splitlines()]
    keys = [(r["article"], r["index"]) for r in records]
    assert len(keys) == len(set(keys)) == 22, "complete and free of duplicates"
    assert orjson.loads((out / "manifest.json").read_bytes())["complete"]
    assert leftovers(out) == [], "no temporary file is left behind"


class SpawnedCluster:
    """``dask scheduler`` and ``dask worker`` (2 processes of 1 thread) as subprocesses of their
    own, as a user starts them: a test can kill the scheduler. The workers import the test's
    parser stubs from tests/."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
        self.folder = folder
        address_file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                     "--port", "0", "--no-dashboard", "--scheduler-file", str(address_file))
        for _ in range(600):
            if address_file.exists() and address_file.stat().st_size:
                break
            assert self.scheduler.poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.1)
        self.address = orjson.loads(address_file.read_bytes())["address"]
        self.workers = self._start("workers", "distributed.cli.dask_worker", self.address, "--nworkers", "2",
                                   "--nthreads", "1", "--no-dashboard", "--death-timeout", "60",
                                   "--local-directory", str(folder / "scratch"))

    def _start(self, name: str, module: str, *args: str) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("wb") as log:  # the child keeps its own handle
            return subprocess.Popen([sys.executable, "-m", module, *args], env=self.env, cwd=self.folder,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL ``process`` and every process it started (its session), and reap it."""
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)

    def close(self) -> None:
        self.kill(self.workers)
        self.kill(self.scheduler)


@pytest.fixture
def spawn_cluster(tmp_path):
    """Start a `SpawnedCluster` (``spawn_cluster(name)``); all of them are killed at the end."""
    pytest.importorskip("distributed")
    started: list[SpawnedCluster] = []

    def spawn(name: str) -> SpawnedCluster:
        started.append(SpawnedCluster(tmp_path / name))
        return started[-1]

    yield spawn
    for spawned in started:
        spawned.close()


def kill_after(spawned: SpawnedCluster, out: Path, shards: int) -> threading.Thread:
    """A thread that kills ``spawned``'s scheduler once ``shards`` shards are in ``out``; it notes
    when (``thread.killed_at``, time.monotonic())."""
    def watch() -> None:
        while len(shards_of(out)) < shards and spawned.scheduler.poll() is None:
            time.sleep(0.02)
        thread.killed_at = time.monotonic()
        spawned.kill(spawned.scheduler)

    thread = threading.Thread(target=watch, daemon=True)
    thread.killed_at = None
    thread.start()
    return thread


@pytest.mark.timeout(240)
def test_a_run_whose_scheduler_is_killed_ends_keeps_its_shards_and_a_rerun_completes_them(spawn_cluster, tmp_path):
    from quotes.dask import default_lost_after

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(40):
        (corpus / f"a{i:02d}.txt").write_text(
            f"Article {i} opens slowly here.\n“Item {i} is on the agenda today,” the mayor said.\n", encoding="utf-8")
    single = run_cli(str(corpus), "-o", str(tmp_path / "single.jsonl"))
    assert single.exit_code == 0, single.output
    lines = (tmp_path / "single.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) == 40  # one record an article, so shard i holds line i
    names = [f"part-{i:05d}.jsonl" for i in range(40)]

    first, out = spawn_cluster("first"), tmp_path / "out"
    killer = kill_after(first, out, 5)
    lost = run_cli(str(corpus), "--dask", first.address, "-o", str(out), "--shard-size", "1", factory=slow_factory)
    ended_at = time.monotonic()
    assert killer.killed_at is not None, "the scheduler was killed mid-run"
    # at once on the lost connection, not after waiting out a reconnect (nor for good)
    assert ended_at - killer.killed_at < default_lost_after(), (ended_at - killer.killed_at, lost.output)
    assert lost.exit_code == 1, lost.output
    first.kill(first.workers)  # a worker of the dead cluster may have finished a shard in between
    errors = [ln for ln in lost.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, lost.stderr
    assert "lost the Dask scheduler after " in errors[0] and "rerun the same command" in errors[0]

    kept = {p.name: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in shards_of(out)}
    assert 5 <= len(kept) < 40, sorted(kept)
    for name, (data, _ino, _mtime) in kept.items():  # whole, and one machine's bytes for those inputs
        assert data == lines[names.index(name)], name
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    missing = [n for n in names if n not in kept]
    assert manifest["complete"] is False and manifest["lost_scheduler"]
    assert manifest["shards"] == 40 and manifest["records"] + len(manifest["missing_shards"]) == 40
    assert set(missing) <= set(manifest["missing_shards"]), "every shard not on disk is named missing"
    assert len(manifest["missing_shards"]) - len(missing) <= 2, "at most one straggler for each worker"

    logs = tmp_path / "logs"
    logs.mkdir()
    second = spawn_cluster("second")
    rerun = run_cli(str(corpus), "--dask", second.address, "-o", str(out), "--shard-size", "1",
                    factory=functools.partial(logging_factory, str(logs)))
    assert rerun.exit_code == 0, rerun.output
    assert concatenated(out) == (tmp_path / "single.jsonl").read_bytes()
    for name, (_data, ino, mtime) in kept.items():
        path = out / name
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == (ino, mtime), f"{name} was rewritten"
    parsed = sorted(line.split()[1] for log in logs.iterdir() for line in log.read_text().splitlines())
    assert parsed == sorted(str(names.index(n)) for n in missing), "only the missing shards are computed"
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["complete"] and manifest["missing_shards"] == [] and manifest["lost_scheduler"] is None
    assert manifest["shards_reused"] == len(kept) and manifest["records"] == 40
    assert leftovers(out) == []


def test_a_run_whose_tasks_the_scheduler_forgets_ends_after_lost_after(cluster, tmp_path):
    # the scheduler forgets the run's tasks while the client stays connected and is never told
    # (as when it drops a client); the run ends after lost_after rather than wait for good
    from distributed import Client

    from quotes.dask import extract_to_dir
    from quotes.extractor import ExtractorConfig

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"a{i:02d}.txt").write_text(f"“Item {i} is slow today,” the mayor said.\n", encoding="utf-8")
    out = tmp_path / "out"
    config = ExtractorConfig(model=STUB_SPEC, parser_factory=slow_factory, cache=False)
    with Client(cluster.address) as client:
        gone = client.id

        def drop() -> None:
            while len(shards_of(out)) < 3:
                time.sleep(0.02)
            cluster.client.run_on_scheduler(forget)

        def forget(dask_scheduler) -> None:
            keys = [ts.key for ts in dask_scheduler.clients[gone].wants_what]
            dask_scheduler.client_releases_keys(keys=keys, client=gone, stimulus_id="test-forget")

        threading.Thread(target=drop, daemon=True).start()
        result = extract_to_dir(client, [str(corpus)], out, config, shard_size=1, lost_after=2)
    assert result.lost and "no longer knows" in result.lost, result.lost
    assert not result.complete and result.unfinished
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["complete"] is False and manifest["missing_shards"] == result.unfinished
    again = run_cli(str(corpus), "--dask", cluster.address, "-o", str(out), "--shard-size", "1")
    assert again.exit_code == 0, again.output
    assert concatenated(out) == run_cli(str(corpus)).stdout_bytes


def test_an_article_that_fails_is_reported_and_left_out_as_on_one_machine(scheduler, corpus, tmp_path):
    (corpus / "02.txt").write_text("“BOOM goes the parser today,” she said.\n", encoding="utf-8")
    one = run_cli(str(corpus), "-o", str(tmp_path / "one.jsonl"), factory=failing_factory)
    assert one.exit_code == 1
    out = tmp_path / "out"
    many = run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "3", factory=failing_factory)
    assert many.exit_code == 1, many.output
    assert concatenated(out) == (tmp_path / "one.jsonl").read_bytes()
    failing = [ln for ln in many.stderr.splitlines() if ln.startswith("error:") and "02.txt" in ln]
    assert len(failing) == 1 and "stub parser fails on BOOM" in failing[0]
    assert failing == [ln for ln in one.stderr.splitlines() if ln.startswith("error:") and "02.txt" in ln]
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert len(manifest["errors"]) == 2 and manifest["complete"]


def test_rerun_recomputes_only_the_deleted_shards(scheduler, corpus, single, tmp_path):
    out, logs = tmp_path / "out", tmp_path / "logs"
    logs.mkdir()
    first = run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "2")
    assert first.exit_code == 1 and concatenated(out) == single
    shards = shards_of(out)
    assert len(shards) == 6
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in shards}
    gone = [shards[1], shards[4]]
    gone_articles = set()
    for p in gone:
        gone_articles |= {orjson.loads(line)["article"] for line in p.read_bytes().splitlines()}
        p.unlink()
    (out / "manifest.json").unlink()

    again = run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "2",
                    factory=functools.partial(logging_factory, str(logs)))
    assert again.exit_code == 1, again.output  # the bad input is reported again, from the first run
    assert "05b.txt" in again.stderr and "4 complete from an earlier run" in again.stderr
    assert concatenated(out) == single
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in shards_of(out)}
    assert [n for n in after if after[n] != before[n]] == [p.name for p in gone]
    parsed = sorted(line for log in logs.iterdir() for line in log.read_text().splitlines())
    assert len(parsed) == len(gone_articles) == 4, parsed
    assert {line.split()[1] for line in parsed} == {a.split("/")[-1][:2].lstrip("0") or "0" for a in gone_articles}
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["shards_reused"] == 4 and manifest["records"] == 22 and len(manifest["errors"]) == 1


def test_a_changed_option_recomputes_every_shard(scheduler, corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "4").exit_code == 1
    other = run_cli(str(corpus), "--dask", scheduler, "-o", str(out), "--shard-size", "4", "--include-other")
    assert "earlier run" not in other.stderr
    assert concatenated(out) == run_cli(str(corpus), "--include-other").stdout_bytes


def test_a_run_leaves_nothing_registered_on_the_cluster(cluster, corpus, tmp_path):
    # each task carries its config: no step waits for every worker (one restarting after a crash
    # would hold it up), and a shared cluster keeps no model or plugin of a finished run
    def registered(dask_scheduler):
        return sorted(dask_scheduler.worker_plugins), sorted(dask_scheduler.nanny_plugins)

    before = cluster.client.run_on_scheduler(registered)
    result = run_cli(str(corpus), "--dask", cluster.address, "-o", str(tmp_path / "out"), "--shard-size", "4")
    assert result.exit_code == 1 and "3/3 shards" in result.stderr, result.output
    assert cluster.client.run_on_scheduler(registered) == before


def test_a_rerun_with_the_same_options_reuses_each_workers_model(scheduler, corpus, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    factory = functools.partial(counting_factory, str(logs))

    def builds() -> list[str]:
        return (logs / "builds.log").read_text().split() if (logs / "builds.log").exists() else []

    for i in range(2):
        assert run_cli(str(corpus), "--dask", scheduler, "-o", str(tmp_path / f"out{i}"), "--shard-size", "2",
                       factory=factory).exit_code == 1
    first = builds()
    assert 1 <= len(first) <= 2 and len(set(first)) == len(first), "one model per worker process, not per run"
    changed = run_cli(str(corpus), "--dask", scheduler, "-o", str(tmp_path / "out2"), "--shard-size", "2",
                      "--include-other", factory=factory)
    assert changed.exit_code == 1 and len(builds()) > len(first), "other options build the extractor anew"


def test_extract_bag_gives_the_records_in_bag_order(cluster, corpus):
    import dask.bag as db

    from quotes.dask import extract_bag
    from quotes.extractor import Extractor, ExtractorConfig
    from quotes.sources import Article

    config = ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False)
    files = sorted(corpus.glob("0[0-4].txt"))
    articles = [Article(id=f"mem-{i}", text=f"“Number {i} is a good one,” she said.\n") for i in range(5)]
    items = [*articles, *map(str, files)]
    records = extract_bag(db.from_sequence(items, npartitions=3), config).compute()
    expected_articles = articles + [Article(id=str(f), text=f.read_text(encoding="utf-8")) for f in files]
    expected = [q.to_dict() for _a, qs in Extractor(config).extract_articles(expected_articles) for q in qs]
    assert records == expected and len(records) == 5 + 2 * len(files)


@pytest.mark.model
def test_shipped_model_on_two_workers_gives_one_machines_bytes(scheduler, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    texts = ["“The bridge will open in May,” the engineer said on Tuesday.\nShe added that it was “on budget”.\n",
             "Jane Doe, the mayor, told reporters: “We are ready.”\n“It took ten years,” Doe said.\n",
             "No quotes here at all.\n"]
    for i, text in enumerate(texts):
        (corpus / f"{i}.txt").write_text(text, encoding="utf-8")
    args = ["extract", str(corpus), "--model", "shipped", "--no-cache"]
    one = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "one.jsonl")])
    assert one.exit_code == 0, one.output
    many = CliRunner().invoke(cli, [*args, "--dask", scheduler, "-o", str(tmp_path / "out"), "--shard-size", "1"])
    assert many.exit_code == 0, many.output
    data = concatenated(tmp_path / "out")
    assert data == (tmp_path / "one.jsonl").read_bytes() and data.count(b"\n") >= 3
    assert len(shards_of(tmp_path / "out")) == 3


def test_bench_compares_dask_with_jobs(tmp_path):
    pytest.importorskip("distributed")
    corpus = write_corpus(tmp_path / "in", 4)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), str(corpus), "--dry-run",
                           "--dask", "local:2", "--jobs", "2", "--json", str(tmp_path / "b.json")],
                          capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    runs = orjson.loads((tmp_path / "b.json").read_bytes())["runs"]
    assert [r["label"] for r in runs] == ["jobs 2", "dask local:2"]
    assert [r["articles"] for r in runs] == [4, 4] and runs[0]["quotes"] == runs[1]["quotes"] > 0
    assert "art/s" in done.stdout
