"""Train, score and package the compact English stanza pipeline that `quotes` ships.

Run ``python -m quotes.training --help``. Every stage calls stanza's own training code
(``stanza.models.tokenizer``, ``mwt_expander``, ``lemmatizer``, ``tagger``, ``parser``) in a
subprocess, so this module never imports stanza itself and a stage can be re-run alone.

Data: UD English EWT (CC BY-SA 4.0) plus the GUM documents whose sources allow
redistribution (CC-BY or public domain: news, interview, bio, voyage, textbook, speech, vlog,
conversation; see ``../shared/data/README.md``). GUM's wikiHow, fiction and academic parts carry
non-commercial terms, and the court, essay, letter and podcast parts are not named as
redistributable there, so all of those are left out.

No pretrained word vectors are available offline, so the tagger and parser learn their word
embeddings from the treebank (``--no_pretrain``) with a frequency cut-off.

Stages (run in this order by ``all``; ``tagger`` and ``parser`` may run side by side):

    prepare   filter and join the treebanks into WORK/data
    tokenize  tokenizer + sentence splitter        -> WORK/models/tokenize.pt
    mwt       multi-word token expander            -> WORK/models/mwt.pt
    lemma     lemmatizer                           -> WORK/models/lemma.pt
    tagger    UPOS/XPOS/feats tagger               -> WORK/models/pos.pt
    retag     tag train and dev with that tagger   -> WORK/data/retag.{train,dev}.conllu
    parser    dependency parser                    -> WORK/models/depparse.pt
    package   copy the best models to OUT with a manifest (sizes, sha256)
    score     parse EWT/GUM test raw text with the model in OUT; CoNLL 2018 scores + speed
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

#: GUM genres whose documents may be redistributed inside a model (see module docstring).
GUM_ALLOWED_GENRES = frozenset(
    {"news", "interview", "bio", "voyage", "textbook", "speech", "vlog", "conversation"}
)

#: Processor name -> model file name, shared with ``quotes.parse`` through the manifest.
MODEL_FILES = {
    "tokenize": "tokenize.pt",
    "mwt": "mwt.pt",
    "lemma": "lemma.pt",
    "pos": "pos.pt",
    "depparse": "depparse.pt",
}

#: Size knobs for the shipped model: small on purpose (all files <= 30 MB together).
TAGGER_ARGS = [
    "--no_pretrain", "--share_hid", "--hidden_dim", "200", "--char_hidden_dim", "100",
    "--char_emb_dim", "50", "--word_emb_dim", "75", "--word_cutoff", "3", "--num_layers", "2",
    "--batch_size", "100",
]
PARSER_ARGS = [
    "--no_pretrain", "--hidden_dim", "200", "--num_layers", "2", "--no_char",
    "--deep_biaff_hidden_dim", "200", "--deep_biaff_output_dim", "100",
    "--word_emb_dim", "75", "--word_cutoff", "3",
]


def _gum_genre(doc_id: str) -> str:
    # "# newdoc id = GUM_news_iodine" -> "news"
    parts = doc_id.split("_")
    return parts[1] if len(parts) > 1 else ""


def filter_conllu(path: Path, *, allowed_genres: frozenset[str] | None) -> tuple[str, int, int]:
    """Return the text of ``path`` keeping only documents of ``allowed_genres`` (None: all)."""
    keep = allowed_genres is None
    out: list[str] = []
    sentences = words = 0
    block: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# newdoc id"):
                doc_id = line.split("=", 1)[1].strip()
                keep = allowed_genres is None or _gum_genre(doc_id) in allowed_genres
            block.append(line)
            if line.strip() == "":
                if keep and any(not b.startswith("#") and b.strip() for b in block):
                    out.extend(block)
                    sentences += 1
                    words += sum(
                        1 for b in block if b[:1].isdigit() and b.split("\t", 1)[0].isdigit()
                    )
                block = []
    if block and keep:
        out.extend(block)
        out.append("\n")
    return "".join(out), sentences, words


def prepare(ud_dir: Path, work: Path) -> dict:
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    stats: dict = {}
    for split in ("train", "dev", "test"):
        ewt, s1, w1 = filter_conllu(ud_dir / f"en_ewt-ud-{split}.conllu", allowed_genres=None)
        gum, s2, w2 = filter_conllu(
            ud_dir / f"en_gum-ud-{split}.conllu", allowed_genres=GUM_ALLOWED_GENRES
        )
        (data / f"ewt.{split}.conllu").write_text(ewt, encoding="utf-8")
        (data / f"gum.{split}.conllu").write_text(gum, encoding="utf-8")
        (data / f"all.{split}.conllu").write_text(ewt + gum, encoding="utf-8")
        stats[split] = {"ewt": [s1, w1], "gum_allowed": [s2, w2]}
    for split in ("train", "dev"):
        conllu = data / f"all.{split}.conllu"
        txt = data / f"all.{split}.txt"
        _run([sys.executable, "-m", "stanza.utils.datasets.conllu_to_text", str(conllu), str(txt)])
        _run([
            sys.executable, "-m", "stanza.utils.datasets.prepare_tokenizer_data", str(txt), str(conllu),
            "-o", str(data / f"all.{split}.toklabels"), "-m", str(data / f"all.{split}.mwt.json"),
        ])
    (data / "stats.json").write_text(json.dumps(stats, indent=2))
    return stats


#: Seconds a training stage may run before it is stopped (``--time-limit``); None = no limit.
#: Stanza's trainers save the best-on-dev model at every evaluation, so a stopped stage leaves
#: its best model so far; this is how a GPU lease of fixed length is used to the full.
TIME_LIMIT: float | None = None


def _run(cmd: list[str], *, threads: int | None = None) -> None:
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
        env["MKL_NUM_THREADS"] = str(threads)
    jemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
    if os.path.exists(jemalloc) and "LD_PRELOAD" not in env:
        env["LD_PRELOAD"] = jemalloc  # glibc malloc made training kernel-bound (shared notes)
    print("+", " ".join(cmd), flush=True)
    try:
        subprocess.run(cmd, check=True, env=env, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        print(f"stopped after the --time-limit of {TIME_LIMIT:.0f}s; the best model so far is kept", flush=True)


def train_tokenizer(work: Path, *, device: str, steps: int, threads: int | None) -> None:
    d = work / "data"
    _run([
        sys.executable, "-m", "stanza.models.tokenizer", "--mode", "train", "--lang", "en",
        "--shorthand", "en_quotes", "--txt_file", str(d / "all.train.txt"),
        "--label_file", str(d / "all.train.toklabels"),
        "--dev_txt_file", str(d / "all.dev.txt"), "--dev_label_file", str(d / "all.dev.toklabels"),
        "--dev_conll_gold", str(d / "all.dev.conllu"), "--mwt_json_file", str(d / "all.dev.mwt.json"),
        "--max_seqlen", "300", "--steps", str(steps), "--device", device,
        "--save_dir", str(work / "models"), "--save_name", MODEL_FILES["tokenize"],
    ], threads=threads)


def train_mwt(work: Path, *, device: str, threads: int | None) -> None:
    d = work / "data"
    _run([
        sys.executable, "-m", "stanza.models.mwt_expander", "--mode", "train", "--lang", "en",
        "--shorthand", "en_quotes", "--train_file", str(d / "all.train.conllu"),
        "--eval_file", str(d / "all.dev.conllu"), "--gold_file", str(d / "all.dev.conllu"),
        "--num_epoch", "10", "--max_dec_len", "20", "--device", device,
        "--save_dir", str(work / "models"), "--save_name", MODEL_FILES["mwt"],
    ], threads=threads)


def train_lemma(work: Path, *, device: str, epochs: int, threads: int | None) -> None:
    """``epochs`` 0 trains the dictionary lemmatizer only (seconds instead of an hour on CPU)."""
    d = work / "data"
    _run([
        sys.executable, "-m", "stanza.models.lemmatizer", "--mode", "train",
        "--shorthand", "en_quotes", "--train_file", str(d / "all.train.conllu"),
        "--eval_file", str(d / "all.dev.conllu"), "--num_epoch", str(max(epochs, 1)), "--device", device,
        "--save_dir", str(work / "models"), "--save_name", MODEL_FILES["lemma"],
        *(["--dict_only"] if epochs == 0 else []),
    ], threads=threads)


#: Training steps between two evaluations on dev (``--eval-interval``). Each evaluation decodes
#: all of dev on the CPU: at 200 it took ~40% of a GPU run's wall time.
EVAL_INTERVAL = 200


def _train_tagged_model(module: str, processor: str, size_args: list[str], work: Path, *,
                        device: str, steps: int, threads: int | None,
                        launcher: list[str] | None = None, data: str = "all") -> None:
    """The tagger and the parser take the same data options: only module and sizes differ.
    ``data`` names the files in WORK/data: ``all`` (gold tags) or ``retag.*`` (see `retag`)."""
    d = work / "data"
    _run([
        *(launcher or [sys.executable, "-m", f"stanza.models.{module}"]), "--mode", "train", "--lang", "en",
        "--shorthand", "en_quotes", "--train_file", str(d / f"{data}.train.conllu"),
        "--eval_file", str(d / f"{data}.dev.conllu"), "--output_file", str(work / f"{processor}.dev.pred.conllu"),
        *size_args, "--max_steps", str(steps), "--eval_interval", str(EVAL_INTERVAL), "--device", device,
        "--save_dir", str(work / "models"), "--save_name", MODEL_FILES[processor],
    ], threads=threads)


def train_tagger(work: Path, *, device: str, steps: int, threads: int | None, resume: bool = True) -> None:
    """Stanza's tagger saves no checkpoint, so a resumed run starts from the weights of the last
    best ``pos.pt`` (copied to ``pos.init.pt``) with a fresh optimizer; see `tagger_warm_start`."""
    init = work / "models" / MODEL_FILES["pos"]
    launcher = None
    if resume and init.is_file():
        start = work / "models" / "pos.init.pt"
        shutil.copyfile(init, start)
        launcher = [sys.executable, "-c",
                    f"import sys; from quotes.training import tagger_warm_start; "
                    f"tagger_warm_start({str(start)!r}, sys.argv[1:])"]
        print(f"resuming the tagger from {init}", flush=True)
    _train_tagged_model("tagger", "pos", TAGGER_ARGS, work, device=device, steps=steps, threads=threads,
                        launcher=launcher)


def tagger_warm_start(init: str, argv: list[str]) -> None:
    """Run ``stanza.models.tagger`` with its new model's weights replaced by those in ``init``.

    The vocabulary is rebuilt from the same training data with the same cut-off, so the weights
    fit; a changed data set or size makes ``load_state_dict`` fail loudly rather than train junk.
    """
    import torch
    import stanza.models.tagger as tagger

    base = tagger.Trainer

    def trainer(*args, **kwargs):
        t = base(*args, **kwargs)
        if kwargs.get("model_file") is None:
            state = torch.load(init, map_location="cpu", weights_only=False)["model"]
            t.model.load_state_dict(state, strict=False)
        return t

    tagger.Trainer = trainer
    tagger.main(argv)


def retag(work: Path, *, device: str, threads: int | None) -> None:
    """Replace the gold UPOS/XPOS/feats of train and dev by those of our own tagger
    (``WORK/data/retag.{train,dev}.conllu``; words, heads and relations stay gold).

    A parser trained on gold tags meets predicted ones at run time; stanza's own recipes retag
    the parser's data with the tagger for that reason (``stanza.utils.datasets.dataset_retagging``,
    ``prepare_depparse_treebank.py --predicted``). Run it after ``tagger``; ``parser
    --parser-tags predicted`` then trains and selects its best model on these files.
    """
    d, models = work / "data", work / "models"
    if not (models / MODEL_FILES["pos"]).is_file():
        raise SystemExit(f"retag: no tagger at {models / MODEL_FILES['pos']}; run the 'tagger' stage first")
    for split in ("train", "dev"):
        _run([
            sys.executable, "-m", "stanza.models.tagger", "--mode", "predict", "--lang", "en",
            "--shorthand", "en_quotes", "--no_pretrain", "--device", device,
            "--save_dir", str(models), "--save_name", MODEL_FILES["pos"],
            "--eval_file", str(d / f"all.{split}.conllu"), "--output_file", str(d / f"retag.{split}.conllu"),
        ], threads=threads)


#: Parser step at which stanza switches from its first optimizer (Adadelta) to Adam
#: (``--second-optim-step``; stanza's own default 10000). A continued run counts from 0.
SECOND_OPTIM_STEP = 10000


def train_parser(work: Path, *, device: str, steps: int, threads: int | None, resume: bool = True,
                 tags: str = "gold") -> None:
    """Stanza's parser resumes from ``depparse_checkpoint.pt`` (weights and optimizer) by itself.
    Without one, a run starts from the weights of an existing ``depparse.pt`` (copied to
    ``depparse.init.pt``, stanza's ``--continue_from``: fresh optimizer and step count), e.g. a
    model trained on another machine, of which only the packaged weights came back.

    ``tags="predicted"`` trains on the files of `retag` instead of gold tags."""
    models = work / "models"
    data = "all"
    if tags == "predicted":
        data = "retag"
        if not (work / "data" / "retag.train.conllu").is_file():
            raise SystemExit("parser --parser-tags predicted: no WORK/data/retag.train.conllu; run the 'retag' stage first")
    extra: list[str] = ["--second_optim_start_step", str(SECOND_OPTIM_STEP)]
    start = models / "depparse_checkpoint.pt"
    if resume and not start.exists() and (models / MODEL_FILES["depparse"]).is_file():
        start = models / "depparse.init.pt"
        shutil.copyfile(models / MODEL_FILES["depparse"], start)
        extra += ["--continue_from", str(start)]
        print(f"resuming the parser from the weights of {models / MODEL_FILES['depparse']}", flush=True)
    launcher = None
    if resume and start.exists():
        launcher = [sys.executable, "-c",
                    f"import sys; from quotes.training import parser_keep_vocab; "
                    f"parser_keep_vocab({str(start)!r}, sys.argv[1:])"]
    _train_tagged_model("parser", "depparse", PARSER_ARGS + extra, work, device=device, steps=steps,
                        threads=threads, data=data, launcher=launcher)


def parser_keep_vocab(start: str, argv: list[str]) -> None:
    """Run ``stanza.models.parser`` with its data read through the vocabulary of the model it
    continues from (``start``). Stanza builds the data's vocabulary from the training file even
    when it continues a model, so continuing a gold-tag model on `retag`'s files (whose feature
    values differ) would index past the model's embeddings."""
    import torch
    import stanza.models.parser as stanza_parser
    from stanza.models.pos.vocab import MultiVocab

    vocab = MultiVocab.load_state_dict(torch.load(start, map_location="cpu", weights_only=False)["vocab"])
    base = stanza_parser.DataLoader

    def loader(*args, **kwargs):
        if kwargs.get("vocab") is None:
            kwargs["vocab"] = vocab
        return base(*args, **kwargs)

    stanza_parser.DataLoader = loader
    stanza_parser.main(argv)


def score(ud_dir: Path, model: Path, work: Path) -> dict:
    """Parse the raw text of EWT and GUM test with ``model`` and score it with the CoNLL 2018
    shared task script that stanza ships (``stanza.utils.conll18_ud_eval``).

    Also measures parse speed (tokens per second) on those texts and on ``samples/``.
    """
    from .parse import load_pipeline, resolve_model

    nlp = load_pipeline(resolve_model(str(model)))
    out: dict = {}
    scores_dir = work / "scores"
    scores_dir.mkdir(parents=True, exist_ok=True)
    for name in ("en_ewt", "en_gum"):
        gold = ud_dir / f"{name}-ud-test.conllu"
        txt = scores_dir / f"{name}.test.txt"
        _run([sys.executable, "-m", "stanza.utils.datasets.conllu_to_text", str(gold), str(txt)])
        raw = txt.read_text(encoding="utf-8")
        t0 = time.time()
        doc = nlp(raw)
        seconds = time.time() - t0
        pred = scores_dir / f"{name}.test.pred.conllu"
        pred.write_text("{:C}".format(doc).rstrip("\n") + "\n\n", encoding="utf-8")
        # the CoNLL 2018 shared task scorer, as stanza itself calls it (udtools.udeval)
        from udtools.udeval import evaluate, load_conllu_file

        evaluation = evaluate(load_conllu_file(str(gold)), load_conllu_file(str(pred)))
        metrics = {k: round(100 * evaluation[k].f1, 2)
                   for k in ("Tokens", "Sentences", "Words", "UPOS", "XPOS", "Lemmas", "UAS", "LAS")}
        tokens = sum(len(s.tokens) for s in doc.sentences)
        metrics["tokens_per_second"] = round(tokens / seconds, 1)
        out[name] = metrics
        print(name, json.dumps(metrics), flush=True)
    samples = sorted(Path(__file__).resolve().parent.parent.joinpath("samples").glob("*.txt"))
    if samples:
        # the sample articles, paragraph by paragraph as `quotes extract` feeds them, every
        # sentence dependency-parsed (the full pipeline's speed, not extract's two-stage one)
        import stanza

        from .marks import paragraph_spans

        texts = [p.read_text(encoding="utf-8") for p in samples]
        paragraphs = [t[a:b] for t in texts for a, b in paragraph_spans(t)]
        nlp(paragraphs[0])  # warm-up
        t0 = time.time()
        docs = nlp([stanza.Document([], text=p) for p in paragraphs])
        seconds = time.time() - t0
        tokens = sum(len(s.tokens) for d in docs for s in d.sentences)
        out["samples"] = {"articles": len(samples), "tokens": tokens, "tokens_per_second": round(tokens / seconds, 1)}
        print("samples", json.dumps(out["samples"]), flush=True)
    (scores_dir / "scores.json").write_text(json.dumps(out, indent=2) + "\n")
    return out


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _save_half(src: Path, dst: Path) -> None:
    """Copy a stanza model file with its float32 weights stored as float16 (half the size).

    stanza loads the state dict with ``load_state_dict``, which casts back to the model's float32
    parameters, so inference runs as before; the scores in MODEL.md are of the half files.
    """
    import torch

    checkpoint = torch.load(src, map_location="cpu", weights_only=False)
    state = checkpoint.get("model") if isinstance(checkpoint, dict) else None
    if isinstance(state, dict):
        for key, value in state.items():
            if isinstance(value, torch.Tensor) and value.dtype == torch.float32:
                state[key] = value.half()
    if isinstance(checkpoint, dict):
        checkpoint.pop("optimizer", None)
    tmp = dst.with_suffix(".tmp")
    torch.save(checkpoint, tmp)
    tmp.replace(dst)


def package(work: Path, out: Path, *, command: str) -> dict:
    """Copy the trained models to ``out`` and write ``manifest.json`` (sizes and sha256)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for processor, name in MODEL_FILES.items():
        src = work / "models" / name
        if not src.exists():
            raise SystemExit(f"error: {src} is missing; train the '{processor}' stage first")
        _save_half(src, out / name)
        files[processor] = {"file": name, "bytes": (out / name).stat().st_size, "sha256": sha256(out / name)}
    manifest = {
        "name": "quotes-en-compact",
        # the date plus a digest of the weights: two models of one day never share a name
        "version": time.strftime("%Y.%m.%d") + "." + files["depparse"]["sha256"][:8],
        "language": "en",
        "trained_with": "stanza " + _stanza_version(),
        "data": "UD_English-EWT (CC BY-SA 4.0) + GUM documents of genres "
        + ", ".join(sorted(GUM_ALLOWED_GENRES)) + " (CC-BY / public domain)",
        "command": command,
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _stanza_version() -> str:
    from importlib.metadata import version

    return version("stanza")


def main(argv: list[str] | None = None) -> int:
    global TIME_LIMIT, EVAL_INTERVAL, SECOND_OPTIM_STEP
    parser = argparse.ArgumentParser(
        prog="python -m quotes.training",
        description="Train the compact English stanza pipeline that quotes ships.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("stages", nargs="*", default=["all"],
                        help="prepare tokenize mwt lemma tagger retag parser package score, or all (all: every stage but retag; the parser on gold tags)")
    parser.add_argument("--ud-dir", type=Path, default=Path("../shared/data/ud"),
                        help="folder with en_ewt-ud-*.conllu and en_gum-ud-*.conllu")
    parser.add_argument("--work", type=Path, default=Path("../quotes-train"),
                        help="working folder for data, checkpoints and models (keep it out of the repo)")
    parser.add_argument("--out", type=Path, default=Path("quotes/models/en"),
                        help="where 'package' puts the shipped model")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads per stage (OMP_NUM_THREADS); 1 when tagger and parser share 2 cores")
    parser.add_argument("--tokenizer-steps", type=int, default=10000)
    parser.add_argument("--lemma-epochs", type=int, default=0,
                        help="seq2seq lemmatizer epochs; 0 = dictionary lemmatizer only")
    parser.add_argument("--tagger-steps", type=int, default=6000)
    parser.add_argument("--parser-steps", type=int, default=8000)
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                        help="stop each training stage after this many seconds, keeping its best model so far")
    parser.add_argument("--eval-interval", type=int, default=EVAL_INTERVAL, metavar="STEPS",
                        help="tagger and parser steps between evaluations on dev (fewer evaluations, more steps per hour)")
    parser.add_argument("--second-optim-step", type=int, default=SECOND_OPTIM_STEP, metavar="STEP",
                        help="parser step at which stanza switches from Adadelta to Adam")
    parser.add_argument("--parser-tags", choices=("gold", "predicted"), default="gold",
                        help="train the parser on gold tags or on the tags of the 'retag' stage")
    args = parser.parse_args(argv)
    TIME_LIMIT = args.time_limit
    EVAL_INTERVAL = args.eval_interval
    SECOND_OPTIM_STEP = args.second_optim_step

    stages = args.stages
    if stages == ["all"]:
        stages = ["prepare", "tokenize", "mwt", "lemma", "tagger", "parser", "package", "score"]
    work = args.work.resolve()
    for stage in stages:
        t0 = time.time()
        if stage == "prepare":
            print(json.dumps(prepare(args.ud_dir, work), indent=2))
        elif stage == "tokenize":
            train_tokenizer(work, device=args.device, steps=args.tokenizer_steps, threads=args.threads)
        elif stage == "mwt":
            train_mwt(work, device=args.device, threads=args.threads)
        elif stage == "lemma":
            train_lemma(work, device=args.device, epochs=args.lemma_epochs, threads=args.threads)
        elif stage == "tagger":
            train_tagger(work, device=args.device, steps=args.tagger_steps, threads=args.threads)
        elif stage == "parser":
            train_parser(work, device=args.device, steps=args.parser_steps, threads=args.threads,
                         tags=args.parser_tags)
        elif stage == "retag":
            retag(work, device=args.device, threads=args.threads)
        elif stage == "score":
            print(json.dumps(score(args.ud_dir, args.out, work), indent=2))
        elif stage == "package":
            cmd = "python -m quotes.training " + " ".join(argv if argv is not None else sys.argv[1:])
            print(json.dumps(package(work, args.out, command=cmd), indent=2))
        else:
            parser.error(f"unknown stage {stage!r}")
        print(f"[{stage}] done in {time.time() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
