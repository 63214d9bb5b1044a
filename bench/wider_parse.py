#!/usr/bin/env python3
"""What reading reported speech costs: `quotes extract` with every kind (the default, which parses
every sentence holding a quote mark or a cue word) against `--kinds direct,partial` (quotes only,
which parses only around quote marks, as the release before reported speech did), on the same
articles, cold (no parse cache), in turn A B A B, each run a fresh process.

Prints wall and CPU seconds (user + system of the process and its children) per run, the
articles/s of each side (median of the pairs) and the ratio. A measuring tool, not a test; run
it on a quiet machine:

    python bench/wider_parse.py [CORPUS] [--limit N] [--pairs 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def run(corpus: Path, kinds: str | None, out: Path) -> tuple[float, float, int]:
    """(wall s, cpu s, records) of one cold `quotes extract` over ``corpus``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "quotes", "extract", str(corpus), "--no-cache", "--model", "shipped",
           "-o", str(out)] + (["--kinds", kinds] if kinds else [])
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, sum(1 for _ in out.open("rb"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--pairs", type=int, default=2)
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.txt"))[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for f in files:
            os.symlink(f.resolve(), corpus / f.name)
        rows = {"all kinds": [], "quotes only": []}
        for _ in range(args.pairs):
            for label, kinds in (("quotes only", "direct,partial"), ("all kinds", None)):
                wall, cpu, records = run(corpus, kinds, Path(tmp) / "out.jsonl")
                rows[label].append((wall, cpu))
                print(f"{label:12}  wall {wall:7.2f} s  cpu {cpu:7.2f} s  records {records}", flush=True)
    n = len(files)
    print(f"\n{n} articles, {args.pairs} pairs, cold, one process")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in rows.items()}
    for label, (wall, cpu) in med.items():
        print(f"{label:12}  {n / wall:6.2f} articles/s   median wall {wall:7.2f} s   cpu {cpu:7.2f} s")
    (wq, cq), (wa, ca) = med["quotes only"], med["all kinds"]
    print(f"cost of reported speech: wall x{wa / wq:.2f}, cpu x{ca / cq:.2f}")


if __name__ == "__main__":
    main()
