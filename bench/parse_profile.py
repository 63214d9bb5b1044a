#!/usr/bin/env python3
"""Where a cold parse spends its time: the networks themselves against the Python around them.

Parses the first N articles of a folder with `Parser.parse_many` as one `--jobs auto` worker
does (one process, one torch thread, no cache, 16 articles a call), under a sampling profiler,
then sorts every sample into one bucket: a network's forward pass (tokenizer, MWT, tagger,
parser), the parser's tree decoding, the Python around the networks (data sets, batching,
vocabulary look-ups, stanza's `Document`), imports, model load. A measuring tool, not a test.

    pip install py-spy
    py-spy record -r 50 -f raw -o profile.txt -- python bench/parse_profile.py [DIR] --limit 40
    python bench/parse_profile.py --summary profile.txt

The first command also prints the parse's wall and CPU seconds; the second prints the buckets.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"

#: (bucket, frame names that put a sample in it), first match from the innermost frame out
#: wins, except that imports and model load win over everything they call.
OUTER = (("imports", ("_find_and_load",)), ("model load", ("load_pipeline", "Pipeline.__init__")))
INNER = (
    ("tree decoding", ("chuliu_edmonds_one_root", "one_root", "_tarjan", "tarjan", "process_cycle")),
    ("network: tokenizer", ("Tokenizer.forward",)),
    ("network: mwt", ("MWTProcessor.process",)),
    ("network: tagger", ("Tagger.forward",)),
    ("network: parser", ("EmbeddingParser.embed", "DeepBiaffineScorer.forward", "_arc_label_predict")),
)


def parse(corpus: Path, limit: int, batch: int, model: str) -> None:
    sys.path.insert(0, str(ROOT))
    from quotes.extractor import Extractor, ExtractorConfig

    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))[:limit]]
    parser = Extractor(ExtractorConfig(model=model, cache=False, threads=1)).parser
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), batch):
        parser.parse_many(texts[i:i + batch])
    print(f"{len(texts)} articles: parse {time.perf_counter() - wall:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU (model load included)", file=sys.stderr)


def bucket(frames: list[str]) -> str:
    for name, marks in OUTER:
        if any(f in marks for f in frames):
            return name
    if "Parser.parse_many" not in frames:
        return "outside the parse (interpreter, script)"
    for name, marks in INNER:
        if any(f in marks for f in frames):
            return name
    return "python around the networks"


def summary(path: Path) -> None:
    counts: collections.Counter[str] = collections.Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        counts[bucket([f.split(" (", 1)[0] for f in stack.split(";")])] += int(n)
    total = sum(counts.values()) or 1
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f}%  {n:6d}  {name}")
    print(f"{total} samples")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="a folder of .txt articles")
    ap.add_argument("--limit", type=int, default=40, help="the first N articles (sorted by name)")
    ap.add_argument("--batch", type=int, default=16, help="articles per parse_many call")
    ap.add_argument("--model", default="shipped", help="the parser model, as quotes extract --model")
    ap.add_argument("--summary", type=Path, metavar="RAW", help="summarize a py-spy raw profile instead")
    args = ap.parse_args()
    if args.summary:
        summary(args.summary)
    else:
        parse(args.corpus, args.limit, args.batch, args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
