#!/usr/bin/env python3
"""Benchmark `quotes extract` on one machine: speed, where the time goes, the cache, workers, memory.

Each configuration runs in a fresh Python process (so peak memory is per run, and no run
benefits from a model another one loaded), over the same corpus, and reports:

- articles/s and tokens/s, end to end (model load, reading, parsing, matching, writing);
- the time split between those stages: reading (``quotes.sources.iter_articles``), loading the
  model, parsing (``Parser.parse_many``; for cached runs also the cache's own share),
  matching (``quotes.match.extract_quotes``) and writing (``orjson`` records to a temporary
  file, as ``quotes extract -o`` does);
- peak resident memory (``getrusage``: the run's process, and its largest worker with --jobs);
- the same for a cache-warm second run (its speed-up factor), and for --jobs 1 vs N.

``--memory`` instead compares peak memory for the first 84 and the first 840 articles.
Figures are printed against the project's targets. This is a measuring tool, not a test: run it
by hand on a quiet machine, e.g. ``python bench/bench.py --limit 200``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"

TARGETS = {
    "speed": 5.0,            # articles/s end to end, cold, shipped model, PolNeAR train texts
    "match_write_share": 0.05,  # matcher + writing <= 5% of the total
    "warm_speedup": 50.0,    # cache-warm rerun >= 50x faster
    "memory_growth": 0.20,   # peak RSS for 840 articles within 20% of 84
}


# --- the fake parser of --dry-run (checks the harness; its figures mean nothing) ---------------

DRY_SPEC = SimpleNamespace(name="dry-run-fake-parser", kind="fake", paths={}, resources_dir=None)


class DryParser:
    """Whitespace tokens, one flat sentence per paragraph: no model, no stanza."""

    def __init__(self, spec=DRY_SPEC, device=None, threads=None):
        import re

        self.spec = spec
        self.device = device
        self._token = re.compile(r"\w+|[^\w\s]")

    def parse_many(self, texts):
        from quotes.marks import paragraph_spans
        from quotes.tree import Sentence, Word

        out = []
        for text in texts:
            sents = []
            for pi, (start, end) in enumerate(paragraph_spans(text)):
                words = tuple(
                    Word(id=i + 1, text=m.group(), lemma=m.group().lower(), upos="X", head=0 if i == 0 else 1,
                         deprel="root" if i == 0 else "dep", start=m.start(), end=m.end())
                    for i, m in enumerate(self._token.finditer(text, start, end))
                )
                sents.append(Sentence(words=words, index=len(sents), paragraph=pi))
            out.append(sents)
        return out


def dry_parser_factory(spec, device, threads):
    return DryParser(spec, device, threads)


# --- one run, in its own process ---------------------------------------------------------------


def _peak_rss_kib(who: int) -> int:
    peak = resource.getrusage(who).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def run_child(cfg: dict) -> dict:
    """Run the pipeline once as configured; return the figures (printed as JSON by the child)."""
    import orjson

    import quotes.match as match_mod
    from quotes.extractor import Extractor, ExtractorConfig
    from quotes.sources import SourceError, iter_articles

    timers = {k: 0.0 for k in ("read", "load", "parse", "stanza", "match", "write", "records")}
    counts = {"articles": 0, "failed": 0, "tokens": 0, "quotes": 0, "paragraphs": 0}
    clock = time.perf_counter

    # the assembly `quotes extract` uses, with the real parser (its model load and its stanza
    # calls timed apart) or the dry-run fake
    config = ExtractorConfig(
        model=DRY_SPEC if cfg["dry_run"] else cfg["model"], device=cfg["device"],
        cache=bool(cfg["cache_dir"]), cache_dir=cfg["cache_dir"], batch_size=cfg["batch_size"],
        jobs=cfg["jobs"], parser_factory=dry_parser_factory if cfg["dry_run"] else None,
    )
    extractor = Extractor(config)
    spec = extractor.spec
    base = extractor.base_parser
    cache = extractor.cache
    inner_parse = base.parse_many

    def timed_inner(texts):
        if getattr(base, "_nlp", "fake") is None:  # first real parse: load the model, timed apart
            t = clock()
            _ = base.nlp
            timers["load"] += clock() - t
        t = clock()
        out = inner_parse(texts)
        timers["stanza"] += clock() - t
        return out

    base.parse_many = timed_inner
    parser = extractor.parser
    outer_parse = parser.parse_many

    def timed_outer(texts):
        t = clock()
        out = outer_parse(texts)
        timers["parse"] += clock() - t
        counts["tokens"] += sum(len(s.words) for sents in out for s in sents)
        return out

    parser.parse_many = timed_outer

    if cache is not None:  # the record cache's reads and writes count as cache time too
        for name in ("get_records", "put_records"):
            def timed_records(*args, _real=getattr(cache, name), **kwargs):
                t = clock()
                out = _real(*args, **kwargs)
                timers["records"] += clock() - t
                return out

            setattr(cache, name, timed_records)

    real_match = match_mod.extract_quotes

    def timed_match(*args, **kwargs):
        t = clock()
        out = real_match(*args, **kwargs)
        timers["match"] += clock() - t
        return out

    match_mod.extract_quotes = timed_match  # `Extractor.match` looks it up on each call

    def articles():
        source = iter_articles([cfg["corpus"]])
        while counts["articles"] < cfg["limit"]:
            t = clock()
            try:
                item = next(source)
            except StopIteration:
                break
            finally:
                timers["read"] += clock() - t
            if isinstance(item, SourceError):
                counts["failed"] += 1
                continue
            counts["articles"] += 1
            yield item

    fd, out_path = tempfile.mkstemp(prefix="quotes-bench-", suffix=".jsonl")
    start = clock()
    with os.fdopen(fd, "wb") as out:
        results = extractor.extract_articles(articles())
        it = iter(results)
        while True:
            try:
                _article, quotes = next(it)  # reading, parsing and matching happen in here
            except StopIteration:
                break
            t = clock()
            out.write(b"".join(orjson.dumps(q.to_dict()) + b"\n" for q in quotes))
            out.flush()
            timers["write"] += clock() - t
            counts["quotes"] += len(quotes)
    wall = clock() - start
    os.unlink(out_path)

    device = None
    nlp = getattr(base, "_nlp", None)
    if nlp is not None:
        device = str(getattr(nlp, "device", None))
    parallel = cfg["jobs"] > 1
    return {
        "label": cfg["label"], "jobs": cfg["jobs"], "cached": bool(cfg["cache_dir"]),
        "model": spec.name, "device": device, "wall_s": wall, **counts,
        "stages_s": None if parallel else {
            "read": timers["read"], "load": timers["load"],
            "parse": timers["stanza"],
            "cache": max(0.0, timers["parse"] - timers["stanza"] - timers["load"]) + timers["records"],
            "match": timers["match"], "write": timers["write"],
        },
        "parent_stages_s": {"read": timers["read"], "write": timers["write"]} if parallel else None,
        "cache": cache.stats.to_dict() if cache is not None else None,
        "peak_rss_kib": _peak_rss_kib(resource.RUSAGE_SELF),
        "children_peak_rss_kib": _peak_rss_kib(resource.RUSAGE_CHILDREN) if parallel else None,
        "stanza_loaded": "stanza" in sys.modules,
    }


def run_dask_child(cfg: dict) -> dict:
    """``quotes extract --dask ADDRESS -o DIR`` on the first ``limit`` input files, timed: the
    cluster's start apart from the extraction (shards written to a temporary folder)."""
    from quotes.dask import Cluster, extract_to_dir
    from quotes.extractor import ExtractorConfig
    from quotes.sources import expand_paths

    clock = time.perf_counter
    files = [str(p) for _root, p in expand_paths([cfg["corpus"]])][: cfg["limit"]]
    config = ExtractorConfig(
        model=DRY_SPEC if cfg["dry_run"] else cfg["model"], device=cfg["device"],
        cache=bool(cfg["cache_dir"]), cache_dir=cfg["cache_dir"], batch_size=cfg["batch_size"],
        parser_factory=dry_parser_factory if cfg["dry_run"] else None,
    )
    out = tempfile.mkdtemp(prefix="quotes-bench-dask-")
    start = clock()
    with Cluster(cfg["dask"]) as cluster:
        ready = clock()
        workers = cluster.workers
        result = extract_to_dir(cluster.client, files, out, config)
        done = clock()
    shutil.rmtree(out, ignore_errors=True)
    if result.failed:  # a figure over missing shards would mislead
        raise SystemExit("error: shards failed on the cluster: " + "; ".join(f"{k}: {v}" for k, v in result.failed.items()))
    return {"label": cfg["label"], "jobs": workers, "dask": cfg["dask"], "articles": result.manifest["articles"],
            "quotes": result.manifest["records"], "shards": result.manifest["shards"],
            "wall_s": done - start, "startup_s": ready - start, "extract_s": done - ready,
            "failed": len(result.failed)}


def format_dask(runs: list[dict]) -> str:
    head = ["run", "processes", "articles", "quotes", "wall s", "art/s", "startup s", "art/s w/o startup"]
    rows = [head]
    for r in runs:
        startup = r.get("startup_s")
        rest = r["wall_s"] - startup if startup is not None else None
        rows.append([r["label"], str(r["jobs"]), str(r["articles"]), str(r["quotes"]), f"{r['wall_s']:.1f}",
                     _fmt(_rate(r["articles"], r["wall_s"]), ".2f"), _fmt(startup, ".1f"),
                     _fmt(_rate(r["articles"], rest) if rest else None, ".2f")])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def spawn(cfg: dict, env: dict) -> dict:
    """Run one configuration in a fresh interpreter; returns its figures plus the process time."""
    import orjson

    t = time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", orjson.dumps(cfg).decode()],
                          capture_output=True, env=env, cwd=ROOT)
    process = time.perf_counter() - t
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"error: run {cfg['label']!r} failed (exit {done.returncode}); its stderr is above")
    lines = [ln for ln in done.stdout.decode().splitlines() if ln.startswith("{")]
    result = orjson.loads(lines[-1])
    result["process_s"] = process
    return result


# --- the report --------------------------------------------------------------------------------


def _rate(n: float, s: float) -> float | None:
    return n / s if s > 0 else None


def _fmt(x, spec: str = ".1f", none: str = "-") -> str:
    return none if x is None else format(x, spec)


def table(runs: list[dict]) -> str:
    head = ["run", "jobs", "articles", "wall s", "proc s", "art/s", "tok/s", "load", "read", "parse",
            "cache", "match", "write", "peak RSS MiB", "hits/parsed"]
    rows = [head]
    for r in runs:
        st = r["stages_s"]
        wall = r["wall_s"]

        def part(k):
            if st is None:
                ps = r.get("parent_stages_s") or {}
                return f"{ps[k]:.2f}s" if k in ps else "(workers)"
            return f"{st[k]:.2f}s {100 * st[k] / wall:.0f}%" if wall > 0 else "-"

        rss = r["peak_rss_kib"] / 1024
        if r.get("children_peak_rss_kib"):
            rss_s = f"{rss:.0f} + {r['jobs']}x{r['children_peak_rss_kib'] / 1024:.0f}"
        else:
            rss_s = f"{rss:.0f}"
        c = r.get("cache")
        rows.append([
            r["label"], str(r["jobs"]), str(r["articles"]), f"{wall:.2f}", f"{r['process_s']:.2f}",
            _fmt(_rate(r["articles"], wall)), _fmt(_rate(r["tokens"], wall), ".0f") if r["tokens"] else "-",
            part("load"), part("read"), part("parse"), part("cache"), part("match"), part("write"),
            rss_s, f"{c['hits']}/{c['parsed']}" if c else "no cache",
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def judge(runs: dict[str, dict], *, dry_run: bool, corpus_is_polnear: bool) -> list[dict]:
    """Each target with the measured figure and pass/fail (None where the run was not made)."""
    out = []

    def add(name, goal, value, ok, note=""):
        out.append({"target": name, "goal": goal, "value": value, "pass": ok, "note": note})

    cold, warm = runs.get("cold"), runs.get("warm")
    jobs = runs.get("jobs-n")
    if cold:
        speeds = [("jobs 1", _rate(cold["articles"], cold["wall_s"]))]
        if jobs:
            speeds.append((f"jobs {jobs['jobs']}", _rate(jobs["articles"], jobs["wall_s"])))
        best = max(speeds, key=lambda s: s[1] or 0)
        note = ", ".join(f"{k}: {_fmt(v)}" for k, v in speeds)
        if not corpus_is_polnear:
            note += "; target is defined on PolNeAR train texts"
        add("end-to-end articles/s (cold)", f">= {TARGETS['speed']:g}", best[1],
            best[1] is not None and best[1] >= TARGETS["speed"], f"best {best[0]} ({note})")
        st = cold["stages_s"]
        share = (st["match"] + st["write"]) / cold["wall_s"] if cold["wall_s"] > 0 else None
        add("matcher + writing share of total (cold, jobs 1)", f"<= {100 * TARGETS['match_write_share']:g}%",
            share, share is not None and share <= TARGETS["match_write_share"],
            f"match {st['match']:.2f}s + write {st['write']:.2f}s of {cold['wall_s']:.2f}s")
    if cold and warm:
        factor = cold["process_s"] / warm["process_s"] if warm["process_s"] > 0 else None
        inner = cold["wall_s"] / warm["wall_s"] if warm["wall_s"] > 0 else None
        add("cache-warm rerun speed-up", f">= {TARGETS['warm_speedup']:g}x", factor,
            factor is not None and factor >= TARGETS["warm_speedup"],
            f"whole process, startup included; pipeline alone {_fmt(inner)}x; warm run loaded stanza: "
            f"{warm['stanza_loaded']}")
    small, large = runs.get("mem-small"), runs.get("mem-large")
    if small and large:
        growth = large["peak_rss_kib"] / small["peak_rss_kib"] - 1
        add(f"peak RSS {large['articles']} vs {small['articles']} articles", f"<= +{100 * TARGETS['memory_growth']:g}%",
            growth, growth <= TARGETS["memory_growth"],
            f"{small['peak_rss_kib'] / 1024:.0f} MiB -> {large['peak_rss_kib'] / 1024:.0f} MiB")
    if dry_run:
        for t in out:
            t["note"] = "DRY RUN (fake parser): not a measurement; " + t["note"]
    return out


def format_targets(targets: list[dict]) -> str:
    lines = ["targets:"]
    for t in targets:
        v = t["value"]
        if v is None:
            shown = "-"
        elif "%" in t["goal"]:
            shown = f"{100 * v:+.1f}%" if "+" in t["goal"] else f"{100 * v:.1f}%"
        elif "x" in t["goal"]:
            shown = f"{v:.1f}x"
        else:
            shown = f"{v:.2f}"
        verdict = "PASS" if t["pass"] else "FAIL"
        lines.append(f"  [{verdict}] {t['target']}: {shown} (goal {t['goal']}) - {t['note']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--hostile" in argv:  # its own options: bench/hostile.py
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from hostile import main as hostile_main

        return hostile_main([a for a in argv if a != "--hostile"])
    cores = _cores()
    ap = argparse.ArgumentParser(
        prog="bench/bench.py",
        description="Benchmark quotes extract: articles/s, tokens/s, time per stage (read, load, parse, "
                    "cache, match, write), peak RSS; cold vs cache-warm rerun, --jobs 1 vs N; --memory "
                    "compares peak RSS for 84 vs 840 articles. Each run is a fresh process.",
        epilog="Targets: >= 5 articles/s end to end on PolNeAR train with the shipped model; matcher + "
               "writing <= 5%% of the total; cache-warm rerun >= 50x faster; peak RSS for 840 articles "
               "within 20%% of 84. Runs over all 840 PolNeAR train texts take minutes: try --limit 100 first.",
    )
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                    help="folder of .txt/.jsonl articles (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (default: all)")
    ap.add_argument("--model", default=None, help="shipped|official|PATH, as quotes extract (default: its default)")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument("--batch-size", type=int, default=16, help="articles per parse call (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=min(4, cores),
                    help="N for the --jobs N run; 1 skips it (default: min(4, cores) = %(default)s)")
    ap.add_argument("--hostile", action="store_true",
                    help="instead: one run over a generated hostile corpus (a 200,000-word line, 2 MB and 5 MB "
                         "articles, bad inputs): exit status, time, peak RSS, tokens/s of a long article vs "
                         "ordinary ones (bench/hostile.py; --scale, --good, --keep)")
    ap.add_argument("--memory", action="store_true",
                    help="only compare peak RSS of the first 84 and 840 articles (with --limit N: N/10 and N), "
                         "no cache")
    ap.add_argument("--dask", metavar="ADDRESS", default=None,
                    help="only compare `--dask ADDRESS` (e.g. local:2) with --jobs N on the same articles, cold "
                         "caches: articles/s with and without the cluster's start")
    ap.add_argument("--json", metavar="FILE|-", default=None, help="also write every figure as JSON")
    ap.add_argument("--dry-run", action="store_true",
                    help="use a built-in fake parser (no model): checks the harness, measures nothing")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        import orjson

        cfg = orjson.loads(args.child)
        print(orjson.dumps(run_dask_child(cfg) if cfg.get("dask") else run_child(cfg)).decode(), flush=True)
        return 0

    sys.path.insert(0, str(ROOT))
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"error: {corpus}: no such corpus folder; pass a folder of .txt articles", file=sys.stderr)
        return 2
    device = None if args.device == "auto" else args.device
    if args.dry_run:
        model_name = DRY_SPEC.name
    else:
        from quotes.parse import ModelError, resolve_model

        try:
            model_name = resolve_model(args.model).name
        except ModelError as exc:
            print(f"error: {exc}\n(the benchmark needs a parser model; --dry-run checks the harness without one)",
                  file=sys.stderr)
            return 1

    work = Path(tempfile.mkdtemp(prefix="quotes-bench-"))
    env = dict(os.environ, QUOTES_CACHE_DIR=str(work / "home"), PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    base = dict(corpus=str(corpus), model=args.model, device=device, batch_size=args.batch_size,
                dry_run=args.dry_run)
    if args.dask:
        limit = args.limit or 10**9
        plan = [dict(base, label=f"jobs {args.jobs}", limit=limit, jobs=args.jobs, cache_dir=str(work / "cache-j")),
                dict(base, label=f"dask {args.dask}", limit=limit, jobs=1, cache_dir=str(work / "cache-d"),
                     dask=args.dask)]
    elif args.memory:
        large = args.limit or 840
        small = max(1, large // 10)
        plan = [dict(base, label="mem-small", limit=small, jobs=1, cache_dir=None),
                dict(base, label="mem-large", limit=large, jobs=1, cache_dir=None)]
    else:
        limit = args.limit or 10**9
        plan = [dict(base, label="cold", limit=limit, jobs=1, cache_dir=str(work / "cache-1")),
                dict(base, label="warm", limit=limit, jobs=1, cache_dir=str(work / "cache-1"))]
        if args.jobs > 1:
            plan.append(dict(base, label="jobs-n", limit=limit, jobs=args.jobs, cache_dir=str(work / "cache-n")))

    print(f"quotes bench: {corpus} | model {model_name} | device {args.device} | batch {args.batch_size} | "
          f"{cores} cores | python {platform.python_version()} | {platform.machine()}", file=sys.stderr)
    runs: dict[str, dict] = {}
    try:
        for cfg in plan:
            print(f"  running {cfg['label']} (jobs {cfg['jobs']}, "
                  f"{'cache' if cfg['cache_dir'] else 'no cache'}) ...", file=sys.stderr, flush=True)
            runs[cfg["label"]] = spawn(cfg, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.dask:
        show = sys.stderr if args.json == "-" else sys.stdout
        print(format_dask(list(runs.values())), file=show)
        print("wall s: the run, model loads (and the cluster's start) included; startup s: the LocalCluster "
              "or client start; each run has its own empty parse cache.", file=show)
        if args.json:
            import orjson

            data = orjson.dumps({"corpus": str(corpus), "model": model_name, "cores": cores,
                                 "dry_run": args.dry_run, "runs": list(runs.values())},
                                option=orjson.OPT_INDENT_2) + b"\n"
            sys.stdout.buffer.write(data) if args.json == "-" else Path(args.json).write_bytes(data)
        return 0
    polnear = "polnear" in str(corpus.resolve()).lower()
    targets = judge(runs, dry_run=args.dry_run, corpus_is_polnear=polnear)
    report_runs = list(runs.values())
    show = sys.stderr if args.json == "-" else sys.stdout  # stdout carries only the JSON then
    print(table(report_runs), file=show)
    print("stages: load = model load; parse = stanza; cache = cache reads/writes + hashing; % of wall. "
          "proc s = the whole process (startup, imports). With --jobs N the workers' stages are not split.",
          file=show)
    if any(r.get("children_peak_rss_kib") for r in report_runs):
        print("peak RSS with --jobs N: parent + N x the largest worker (an upper bound).", file=show)
    print(format_targets(targets), file=show)
    if args.dry_run:
        print("DRY RUN: a fake parser was used; these figures say nothing about the real pipeline.", file=show)

    if args.json:
        import orjson

        data = orjson.dumps({
            "corpus": str(corpus), "model": model_name, "device": args.device, "batch_size": args.batch_size,
            "cores": cores, "python": platform.python_version(), "machine": platform.machine(),
            "dry_run": args.dry_run, "runs": report_runs, "targets": targets,
        }, option=orjson.OPT_INDENT_2) + b"\n"
        if args.json == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(args.json).write_bytes(data)
    return 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
