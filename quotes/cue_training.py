"""Learning the weights of the cue scorer (`quotes.rules.scored`) from PolNeAR train.

    python -m quotes.cue_training ../shared/data/polnear/train --out quotes/models/cue-scorer.tsv

Every word the scorer would be offered in a parsed training article (`scored.candidates`, after
the lexicon rules have read the sentence, exactly as at extraction) is one example: positive
when it heads a gold Cue span and its generic reading covers at least half of that
attribution's Content and lies at least half inside it (the evaluation's 50 % rule, on letters
and digits), negative otherwise. A logistic regression (scikit-learn, the optional ``train``
extra) is fitted on them, and weights too small to change a decision are dropped. Articles are
parsed as ``quotes extract`` parses them (the same model, the parse cache), so the scorer
learns from the parses it will see.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from .evaluate_attributions import _Alnum
from .marks import find_quotes
from .match import cue_site, prepared, quote_bounds
from .rules import reported, scored
from .tree import Sentence

#: Weights smaller than this are dropped from the file (they change no decision).
MIN_WEIGHT = 0.02


def examples(text: str, sentences: Sequence[Sentence], attributions: Iterable[Any]) -> list[tuple[list[str], int]]:
    """(features, label) for every candidate of every parsed sentence of one article;
    ``attributions`` are `quotes.evaluate.Attribution` (content and cue spans)."""
    site = cue_site(text, quote_bounds(find_quotes(text)))
    quote, ranges = site.quotes, site.quote_ranges
    alnum = _Alnum(text)
    golds = [(a.cue, a.content, sum(alnum.length(s, e) for s, e in a.content)) for a in attributions if a.cue and a.content]
    out: list[tuple[list[str], int]] = []
    for sentence in prepared(sentences):
        if not sentence.parsed:
            continue
        taken = scored.taken_by(reported.find(sentence, quote, text=text, quote_ranges=ranges))
        for w, ids, how in scored.candidates(sentence, quote, taken):
            start, end = sentence.word(ids[0]).start, sentence.word(ids[-1]).end
            size = alnum.length(start, end)
            label = 0
            for cue, content, glen in golds:
                if not any(s < w.end and e > w.start for s, e in cue):
                    continue
                cue_words = {x.id for x in sentence.words if any(s < x.end and e > x.start for s, e in cue)}
                if w.head in cue_words and sentence.word(w.head).upos == "VERB":
                    continue  # not the cue's head ("has continued to block": "block" is not it)
                ov = alnum.overlap((start, end), content)
                if glen and size and ov / glen >= 0.5 and ov / size >= 0.5:
                    label = 1
                    break
            out.append((scored.features(sentence, w, ids, how), label))
    return out


def fit(data: Sequence[tuple[list[str], int]], *, c: float = 0.5) -> tuple[float, dict[str, float]]:
    """A logistic regression over the examples: (bias, weight by feature name)."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("error: training the cue scorer needs scikit-learn: pip install 'quotes[train]'") from None
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f, _ in data]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear takes 32-bit indexes
    y = [label for _, label in data]
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    model.fit(x, y)
    names = vec.get_feature_names_out()
    return float(model.intercept_[0]), {n: float(v) for n, v in zip(names, model.coef_[0]) if abs(v) >= MIN_WEIGHT}


def write_weights(path: str | Path, bias: float, table: dict[str, float], *, about: str) -> None:
    lines = [f"# {line}" for line in about.splitlines()] + [f"bias\t{bias:.4f}"]
    lines += [f"{name}\t{value:.4f}" for name, value in sorted(table.items())]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotes.cue_training", description=__doc__.split("\n\n")[0])
    ap.add_argument("polnear", help="a PolNeAR folder with text/ and attributions/ (train)")
    ap.add_argument("--out", default=str(scored.WEIGHTS), help="where to write the weights")
    ap.add_argument("--model", default="shipped", help="the parser model, as quotes extract --model")
    ap.add_argument("--c", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--limit", type=int, default=None, help="the first N articles only")
    args = ap.parse_args(argv)
    from .evaluate import load_gold
    from .extractor import Extractor, ExtractorConfig

    gold = load_gold(args.polnear, limit=args.limit)
    parser = Extractor(ExtractorConfig(model=args.model)).parser
    ids = sorted(gold)
    data: list[tuple[list[str], int]] = []
    for i in range(0, len(ids), 16):
        chunk = [gold[k] for k in ids[i:i + 16]]
        for g, sentences in zip(chunk, parser.parse_many([g.text for g in chunk])):
            data += examples(g.text, sentences, g.attributions)
        print(f"{min(i + 16, len(ids))}/{len(ids)} articles, {len(data)} examples", file=sys.stderr)
    bias, table = fit(data, c=args.c)
    positives = sum(label for _, label in data)
    write_weights(args.out, bias, table, about=(
        "Cue scorer weights for quotes.rules.scored, written by python -m quotes.cue_training.\n"
        f"Trained on {len(ids)} PolNeAR train articles ({len(data)} candidates, {positives} positive), "
        f"model {args.model}, C={args.c}; weights below {MIN_WEIGHT} dropped.\n"
        "One feature<TAB>weight a line; bias first."))
    print(f"wrote {args.out}: {len(table)} weights", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
