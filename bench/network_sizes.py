#!/usr/bin/env python3
"""What smaller networks would save, before training them: the parse's CPU time with a tagger and
parser of other sizes, measured with random weights.

The time of a network's forward pass depends on its sizes, not on its weights, so a tagger and
a parser built at the target sizes with random weights (the shipped model's vocabularies and
configuration otherwise, its tokenizer, MWT and lemmatizer as they are) parse as fast as
trained ones would. What random weights do change is the rest: junk arc scores send nearly
every sentence through the slow tree search, junk tags change the lemmas. So the shipped sizes
are measured with random weights too (the reference), and a size's estimate is the shipped
model's time minus what that size saves against the reference. Each run is a fresh
`bench/parse_profile.py` process (one torch thread, no cache), in turn, for ``--rounds``
rounds; medians. A measuring tool, not a test: the estimate says what a retrain at those
sizes would buy, not how good it would be (MODEL.md, training).

    python bench/network_sizes.py [DIR] --limit 40 --size 100/100/100/50/2 --size 100/100/100/50/1

A size is TAGGER_HIDDEN/PARSER_HIDDEN/BIAFFINE_HIDDEN/BIAFFINE_OUTPUT/LAYERS (the layers of
both LSTMs); the shipped model is 200/200/200/100/2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "quotes" / "models" / "en"
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"
REFERENCE = "200/200/200/100/2"


def build(out: Path, size: str, *, seed: int = 0) -> None:
    """A model folder like the shipped one whose tagger and parser have ``size`` and random weights."""
    import torch
    from stanza.models.depparse.model import GraphParser
    from stanza.models.pos.model import Tagger
    from stanza.models.pos.trainer import tag_columns_from_config
    from stanza.models.pos.vocab import MultiVocab

    tagger_hidden, parser_hidden, biaffine_hidden, biaffine_output, layers = (int(x) for x in size.split("/"))
    torch.manual_seed(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name, change in (("pos", {"hidden_dim": tagger_hidden, "num_layers": layers}),
                         ("depparse", {"hidden_dim": parser_hidden, "deep_biaff_hidden_dim": biaffine_hidden,
                                       "deep_biaff_output_dim": biaffine_output, "num_layers": layers})):
        saved = torch.load(SHIPPED / f"{name}.pt", map_location="cpu", weights_only=False)
        config = {**saved["config"], **change}
        args = {**config, "bert_model": config.get("bert_model")}
        vocab = MultiVocab.load_state_dict(saved["vocab"])
        if name == "pos":
            args["tag_columns"] = tag_columns_from_config(args.get("tag_columns"))
            model = Tagger(args, vocab, share_hid=args["share_hid"])
        else:
            model = GraphParser(args, vocab)
        state = {k: v for k, v in model.state_dict().items() if k.split(".")[0] not in model.unsaved_modules}
        torch.save({**saved, "model": state, "config": config}, out / f"{name}.pt")
    for name in ("tokenize.pt", "mwt.pt", "lemma.pt"):
        shutil.copy(SHIPPED / name, out / name)
    manifest = json.loads((SHIPPED / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(name="random-weights-size-probe", version=size.replace("/", "-"))
    for entry in manifest["files"].values():
        data = (out / entry["file"]).read_bytes()
        entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def cpu_of(corpus: Path, limit: int, model: str) -> float:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "parse_profile.py"), str(corpus), "--limit", str(limit),
                           "--model", model], capture_output=True, text=True, check=True, cwd=ROOT)
    found = re.search(r"([\d.]+) s CPU", done.stderr)
    if not found:
        raise SystemExit(f"error: bench/parse_profile.py printed no CPU figure:\n{done.stderr[-2000:]}")
    return float(found.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="a folder of .txt articles")
    ap.add_argument("--limit", type=int, default=40, help="the first N articles")
    ap.add_argument("--size", action="append", default=None, metavar="T/P/BH/BO/L",
                    help="a tagger/parser size to measure (repeatable; default 100/100/100/50/2)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    sizes = args.size or ["100/100/100/50/2"]
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="quotes-sizes-") as tmp:
        folders = {s: Path(tmp) / s.replace("/", "-") for s in [REFERENCE, *sizes]}
        for size, folder in folders.items():
            build(folder, size)
        runs: dict[str, list[float]] = {"shipped": [], **{s: [] for s in folders}}
        for r in range(args.rounds):
            for name in runs:
                runs[name].append(cpu_of(args.corpus, args.limit, "shipped" if name == "shipped" else str(folders[name])))
                print(f"round {r + 1}: {name:18} {runs[name][-1]:7.2f} s CPU", file=sys.stderr)
    shipped = statistics.median(runs["shipped"])
    reference = statistics.median(runs[REFERENCE])
    print(f"{'model':28} {'CPU s (median)':>15} {'estimate for trained weights':>30}")
    print(f"{'shipped (trained)':28} {shipped:15.2f} {shipped:30.2f}")
    print(f"{'random ' + REFERENCE:28} {reference:15.2f} {'(reference)':>30}")
    for size in sizes:
        cpu = statistics.median(runs[size])
        estimate = shipped - (reference - cpu)
        print(f"{'random ' + size:28} {cpu:15.2f} {estimate:23.2f} ({estimate / shipped:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
