#!/usr/bin/env python3
"""The hostile case of the bench: one ``quotes extract`` run over a corpus built to hurt it.

Generated in a temporary folder (nothing is committed): a 200,000-word line with no sentence
punctuation (a scraped table), a 2 MB article of 10,000 attributed quotes, a 5 MB article of
26,000 short quote paragraphs, ordinary articles (PolNeAR dev texts when ../shared is there,
else samples/), and bad inputs (a binary file, a dangling link, a broken JSONL line). Printed:

- the whole corpus in one run (the issue's "done when"): exit status, time, peak RSS, whether
  a traceback was printed, whether every good article's records are there (the same lines as
  when it runs alone), and how many of the 2 MB article's quotes have a speaker;
- tokens/s of the 2 MB article alone against the ordinary articles alone (the model load,
  measured on a one-line article, taken off both), and the 5 MB article's peak RSS.

Tokens are counted the same way for every text (words and punctuation marks). Each run is a
fresh ``python -m quotes extract --no-cache`` process; peak RSS is that process's (``wait4``).
Run under the machine's heavy-work lock; the full size takes tens of minutes on 2 cores
(``--scale 0.1`` for a quick look).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
TOKEN = re.compile(r"\w+|[^\w\s]")

FIRST = "Jane John Maria Ahmed Li Olga Pedro Aisha Tom Grace Ivan Nora Sam Ruth Omar".split()
LAST = "Doe Smith Garcia Khan Chen Petrova Silva Bello Brown Okafor Novak Berg Lee Adler Haddad".split()
WORDS = ("the city budget will pay for new schools and roads next year while taxes stay flat for most "
         "families").split()
SUBJECTS = ["we", "the council", "our city", "the mayor", "they", "most families", "the state", "nobody here"]
VERBS = ["will fund", "can build", "should repair", "must protect", "plan to expand", "want to keep",
         "cannot afford", "have promised"]
OBJECTS = ["the new schools", "the old roads", "the public parks", "the budget", "our water system",
           "the bus lines", "the library", "two more clinics"]
PHRASES = ["next year", "before the winter", "in every district", "for the next decade", "without new taxes",
           "with state money", "this spring", "on the east side"]
JOINS = [", and", " because", ", but", " so", ", while"]


def _quote(r: random.Random, lo: int, hi: int) -> str:
    """A quoted sentence of about ``lo``-``hi`` words: grammatical clauses joined by conjunctions
    (the parser sees news-like sentences, not word salad)."""
    clauses, words = [], 0
    target = r.randint(lo, hi)
    while words < target:
        clause = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(PHRASES)}"
        clauses.append(clause)
        words += len(clause.split()) + 1
    text = clauses[0]
    for clause in clauses[1:]:
        text += f"{r.choice(JOINS)} {clause}"
    return text[0].upper() + text[1:]


def quote_article(n: int, *, lo: int, hi: int, seed: int = 0) -> str:
    """``n`` paragraphs, each one attributed quote, in four constructions in turn."""
    r = random.Random(seed)
    paras = ["City Council Debates the Budget", "By Staff Writer"]
    for i in range(n):
        name = f"{r.choice(FIRST)} {r.choice(LAST)}"
        k = i % 4
        if k == 0:
            paras.append(f"“{_quote(r, lo, hi)},” {name} said.")
        elif k == 1:
            paras.append(f"{name}, a council member, told reporters: “{_quote(r, lo, hi)}.”")
        elif k == 2:
            paras.append(f"“{_quote(r, lo, hi)},” said {name.split()[1]}.")
        else:
            paras.append(f"“{_quote(r, lo, hi)},” she said.")
    return "\n\n".join(paras) + "\n"


def long_line(words: int, *, seed: int = 1) -> str:
    """A quote, then one line of ``words`` words with no sentence punctuation (a table dump)."""
    r = random.Random(seed)
    cells = " ".join(str(i) if i % 3 == 0 else r.choice(WORDS) for i in range(words))
    return ("Table of Results\n“The figures are all here,” the clerk said of the table, which reads "
            + cells + "\n“That is the end of it,” she said.\n")


def make_corpus(folder: Path, *, scale: float = 1.0, good: list[Path] | None = None) -> dict[str, Path]:
    """Write the corpus; returns the files of each part by name."""
    folder.mkdir(parents=True, exist_ok=True)
    parts: dict[str, Path] = {}
    texts = {"long_line": long_line(int(200_000 * scale)),
             "quotes_2mb": quote_article(int(10_000 * scale), lo=20, hi=40),
             "paragraphs_5mb": quote_article(int(26_000 * scale), lo=18, hi=36, seed=2)}
    for name, text in texts.items():  # each in a folder of its own, so its id is its name in every run
        (folder / name).mkdir()
        (folder / name / f"{name}.txt").write_text(text, encoding="utf-8")
        parts[name] = folder / name
    ordinary = folder / "ordinary"
    ordinary.mkdir()
    for p in good or []:
        shutil.copyfile(p, ordinary / p.name)
    bad = folder / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (bad / "dangling.txt").symlink_to(bad / "gone.txt")
    (bad / "feed.jsonl").write_bytes(b'{"id": "ok", "text": "\\u201cFine,\\u201d she said."}\n{broken\n')
    parts["ordinary"] = ordinary
    parts["bad"] = bad
    (folder / "startup.txt").write_text("“We are ready,” Jane Doe said.\n", encoding="utf-8")
    parts["startup"] = folder / "startup.txt"
    return parts


def extract(paths: list[Path], out: Path, *, model: str | None, args: tuple[str, ...] = ()) -> dict:
    """One ``quotes extract`` process: exit status, wall time, peak RSS (the largest of the
    process and its workers, as ``wait4`` reports it), stderr."""
    cmd = [sys.executable, "-m", "quotes", "extract", *map(str, paths), "-o", str(out), "--no-cache",
           *(("--model", model) if model else ()), *args]
    err_path = out.with_suffix(".stderr")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    stderr = err_path.read_text(errors="replace")
    return {"exit": os.waitstatus_to_exitcode(status), "wall_s": wall, "peak_mib": usage.ru_maxrss / 1024,
            "stderr": stderr, "traceback": "Traceback" in stderr,
            "errors": sum(ln.startswith("error:") for ln in stderr.splitlines()),
            "warnings": [ln for ln in stderr.splitlines() if ln.startswith("warning:")]}


def tokens(paths: list[Path]) -> int:
    """Tokens of the readable articles (the bad inputs hold none)."""
    files = [f for p in paths for f in (sorted(p.rglob("*.txt")) if p.is_dir() else [p]) if f.is_file()]
    return sum(len(TOKEN.findall(f.read_bytes().decode("utf-8", "ignore"))) for f in files)


def records(path: Path) -> dict[str, list[bytes]]:
    import orjson

    out: dict[str, list[bytes]] = {}
    if not path.exists():  # the run wrote nothing (it failed: its exit status says so)
        return out
    for line in path.read_bytes().splitlines():
        out.setdefault(orjson.loads(line)["article"], []).append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/bench.py --hostile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="size of the generated articles (default: full)")
    ap.add_argument("--model", default="shipped", help="as quotes extract --model (default: %(default)s)")
    ap.add_argument("--good", type=Path, default=DEV if DEV.is_dir() else ROOT / "samples",
                    help="folder of ordinary articles (default: PolNeAR dev texts, else samples/)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep the corpus, outputs and figures in this folder; a rerun with the same folder "
                         "reuses the runs that finished there (delete LABEL.json to run one again)")
    args = ap.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="quotes-hostile-"))
    try:
        if (work / "corpus").exists():
            shutil.rmtree(work / "corpus")  # regenerated (the same bytes: fixed seeds)
        parts = make_corpus(work / "corpus", scale=args.scale, good=sorted(args.good.glob("*.txt")))
        sizes = {k: (p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*.txt")))
                 for k, p in parts.items() if k != "bad"}
        print(f"quotes bench --hostile: corpus in {work / 'corpus'}: " + ", ".join(
            f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()), file=sys.stderr, flush=True)
        runs = {}
        # the rates are compared in one process each (--jobs 1); the whole corpus runs as a user's
        # run would, with quotes extract's default --jobs
        one = ("--jobs", "1")
        plan = [
            ("startup", [parts["startup"]], one),
            ("ordinary", [parts["ordinary"]], one),
            ("quotes_2mb", [parts["quotes_2mb"]], one),
            ("whole", [parts[k] for k in ("long_line", "quotes_2mb", "paragraphs_5mb", "ordinary", "bad")], ()),
        ]
        import orjson

        for label, paths, extra in plan:
            saved = work / f"{label}.json"
            if args.keep is not None and saved.exists():
                print(f"  {label}: figures of the earlier run in {saved}", file=sys.stderr, flush=True)
                runs[label] = orjson.loads(saved.read_bytes())
                continue
            print(f"  running {label} ...", file=sys.stderr, flush=True)
            runs[label] = extract(paths, work / f"{label}.jsonl", model=args.model, args=extra)
            runs[label]["tokens"] = tokens(paths)
            if runs[label]["exit"] in (0, 1):
                saved.write_bytes(orjson.dumps(runs[label]))
        whole = runs["whole"]
        got = records(work / "whole.jsonl")
        alone = {**records(work / "ordinary.jsonl"), **records(work / "quotes_2mb.jsonl")}
        missing = sorted(a for a, recs in alone.items() if got.get(a) != recs)
        quotes_2mb = records(work / "quotes_2mb.jsonl").get("quotes_2mb.txt", [])
        attributed = sum(b'"speaker":null' not in ln for ln in quotes_2mb)
        load = runs["startup"]["wall_s"]

        def rate(r):
            return r["tokens"] / max(1e-9, r["wall_s"] - load)

        print(f"{'run':<12} {'exit':>4} {'wall s':>8} {'peak RSS MiB':>12} {'tokens':>9} {'tok/s':>7}  traceback")
        for label, r in runs.items():
            print(f"{label:<12} {r['exit']:>4} {r['wall_s']:>8.1f} {r['peak_mib']:>12.0f} {r['tokens']:>9} "
                  f"{rate(r) if label != 'startup' else 0:>7.0f}  {'yes' if r['traceback'] else 'no'}")
        print(f"tok/s: (tokens) / (wall - {load:.1f} s of startup and model load, the 'startup' run)")
        ratio = rate(runs["ordinary"]) / rate(runs["quotes_2mb"])
        checks = [
            ("whole corpus: exit 1, no traceback", whole["exit"] == 1 and not whole["traceback"],
             f"exit {whole['exit']}, {whole['errors']} error lines (3 bad inputs)"),
            ("whole corpus: peak RSS < 2.5 GB", whole["peak_mib"] < 2.5 * 1024, f"{whole['peak_mib']:.0f} MiB"),
            ("whole corpus: every good article's records present", not missing,
             f"{len(alone)} articles compared with their runs alone" + (f"; differ: {missing[:5]}" if missing else "")),
            ("2 MB article: tokens/s within 2x of ordinary articles", ratio <= 2,
             f"{rate(runs['quotes_2mb']):.0f} vs {rate(runs['ordinary']):.0f} tok/s ({ratio:.2f}x slower)"),
            ("2 MB article: peak RSS < 2 GB", runs["quotes_2mb"]["peak_mib"] < 2048,
             f"{runs['quotes_2mb']['peak_mib']:.0f} MiB"),
            ("2 MB article: every quote attributed", attributed == len(quotes_2mb) > 0,
             f"{attributed} of {len(quotes_2mb)} records have a speaker"),
        ]
        print("targets:")
        for name, ok, note in checks:
            print(f"  [{'PASS' if ok else 'FAIL'}] {name}: {note}")
        for line in whole["warnings"]:
            print(f"  {line}")
        print(f"whole corpus wall time: {whole['wall_s']:.1f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
