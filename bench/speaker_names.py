#!/usr/bin/env python3
"""Speaker names a source audit can count: how many canonical names are not the article's own
words in running text, and how `quotes speakers` groups the names of one person.

    quotes extract ../shared/data/polnear/dev/text -o output/polnear-dev.jsonl --model shipped
    python bench/speaker_names.py output/polnear-dev.jsonl ../shared/data/polnear/dev/text
    python bench/speaker_names.py output/polnear-dev.jsonl ../shared/data/polnear/dev/text --groups

A record's canonical speaker counts as unconfirmed when it is not written verbatim in its
article with a lower-case word within four words on either side (running text, not a headline):
`quotes.review.speakers.written_in_running_text`. Records whose speaker starts with a capital
letter (a name, not an unresolved "he") are counted. ``--groups`` lists every row of
`quotes speakers` that groups several variants, the rows kept apart that share a surname, and
each decision about a surname alone.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quotes.review import load_texts, parse_records  # noqa: E402
from quotes.review.speakers import group_speakers, name_parts, speaker_summary, written_in_running_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("records", type=Path, help="QUOTES.jsonl from quotes extract")
    ap.add_argument("articles", type=Path, help="the folder given to quotes extract")
    ap.add_argument("--window", type=int, default=4, help="words on either side (default 4)")
    ap.add_argument("--groups", action="store_true", help="list the grouping decisions too")
    args = ap.parse_args(argv)
    records, errors = parse_records(args.records.read_bytes(), str(args.records))
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    texts, _ = load_texts((r["article"] for r in records), args.articles)
    named = [r for r in records if r.get("speaker") and r["speaker"][:1].isupper()]
    bad = Counter()
    for r in named:
        text = texts.get(r["article"])
        if text is None or not written_in_running_text(r["speaker"], text, window=args.window):
            bad[r["speaker"]] += 1
    total = sum(bad.values())
    share = total / len(named) if named else 0.0
    print(f"records {len(records)}   with a named speaker {len(named)}   "
          f"canonical name not in running text {total} ({share:.2%}; goal <= 1%)")
    for name, n in bad.most_common():
        print(f"  {n:3d}  {name}")
    if args.groups:
        rows = speaker_summary(records, texts=texts)
        grouped = [r for r in rows if len(r["variants"]) > 1]
        print(f"\nrows of quotes speakers grouping several names: {len(grouped)} (of {len(rows)} rows)")
        for r in grouped:
            print(f"  {r['speaker']}: {' | '.join(r['variants'])}")
        surnames: dict[str, list[str]] = {}
        for r in rows:
            parts = name_parts(r["speaker"]) if r["speaker"] else None
            if parts is not None and parts.person:
                surnames.setdefault(parts.last, []).append(r["speaker"])
        apart = {k: v for k, v in surnames.items() if len(v) > 1}
        print(f"\nsurnames shared by rows kept apart (different people, or a surname alone not placed): {len(apart)}")
        for last in sorted(apart):
            print(f"  {last}: {' | '.join(apart[last])}")
        notes = group_speakers(records, texts=texts).notes
        print(f"\ndecisions about a surname alone: {len(notes)}")
        for note in sorted(notes):
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
