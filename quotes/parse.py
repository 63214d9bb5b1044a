"""Parsing with stanza: the only module that imports it, and only when a parse is needed.

Where models come from is decided in one place, `resolve_model`:

- ``shipped``: the compact English pipeline in ``quotes/models/en`` (trained by
  ``python -m quotes.training``; see MODEL.md). Works with no network.
- ``official``: stanza's own English models in a stanza resources folder (``quotes download``
  fetches them with stanza's download code).
- a path: a folder holding either a shipped-style model (``manifest.json`` + ``*.pt``) or a stanza
  resources folder (``resources.json`` + ``en/``).

Default (``auto``): the official models when they are installed, else the shipped one. Both kinds
load through the same `load_pipeline`, with explicit model paths and ``download_method=None``, so
nothing is ever fetched at parse time.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .marks import QuoteSpan, find_quotes, paragraph_spans
from .skim import skim
from .tree import Sentence, Word

PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse")
SHIPPED_DIR = Path(__file__).parent / "models" / "en"
MODEL_ENV = "QUOTES_MODEL"

#: stanza options for the dependency parse (set from bench/ measurements; see README).
DEPPARSE_OPTIONS: dict[str, Any] = {"depparse_batch_size": 1000}  # tokens; 5000 peaked at 1.8 GB

#: Longest sentence, in words, that reaches the dependency parser: its biaffine scorer holds
#: scores for every pair of words, so memory and time grow with the square of the length. A
#: longer sentence (a scraped table, a transcript with no stops) is cut into windows first.
#: Measured: see README ("Limits"); PolNeAR's longest sentence has 222 words.
MAX_SENTENCE_WORDS = 250
#: Longest piece of a paragraph, in characters, given to the tokenizer at once; a longer
#: paragraph is cut at a sentence end or a space first (PolNeAR's longest paragraph: 2,573).
MAX_PIECE_CHARS = 10_000


class ParseNote(UserWarning):
    """What the parser did to bound its work on one text (a sentence cut into windows, a
    paragraph tokenized in pieces), issued with `warnings.warn` so that a caller can report it
    (or given to `Parser.on_note` when that is set).

    ``text`` is the very ``str`` given to `Parser.parse_many`, so the caller can tell which of
    its articles the note is about (``note.text is article.text``)."""

    def __init__(self, text: str, message: str):
        super().__init__(message)
        self.text = text
        self.message = message


class ModelError(Exception):
    """A model that cannot be found or loaded; the message names the file and the repair."""


@dataclass(frozen=True)
class ModelSpec:
    """Which model a run uses: ``name`` goes into every record's ``model`` key."""

    kind: str  # "shipped" | "official"
    name: str
    paths: dict[str, Path]  # processor -> model file ("" for official: stanza resolves them)
    resources_dir: Path | None = None
    #: processors given ``paths["pretrain"]`` (pretrained word vectors) as ``{proc}_pretrain_path``
    pretrain_for: tuple[str, ...] = ()


def stanza_resources_dir() -> Path:
    env = os.environ.get("STANZA_RESOURCES_DIR")
    if env:
        return Path(env)
    return Path.home() / "stanza_resources"


def _official_installed(resources: Path) -> bool:
    return (resources / "resources.json").is_file() and (resources / "en" / "depparse").is_dir()


def _shipped_spec(folder: Path) -> ModelSpec:
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ModelError(
            f"{manifest_path}: model manifest is missing; re-install quotes, run `quotes download`, "
            "or pass --model PATH"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        paths = {proc: folder / files[proc]["file"] for proc in PROCESSORS}
        # a tagger or parser trained with pretrained vectors needs them to load: the manifest
        # lists them (``python -m quotes.training package``) only for such a model
        pretrain_for: tuple[str, ...] = ()
        if "pretrain" in files:
            paths["pretrain"] = folder / files["pretrain"]["file"]
            pretrain_for = tuple(p for p in files["pretrain"].get("for", ("pos", "depparse")) if p in PROCESSORS)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{manifest_path}: model manifest is corrupt ({exc.__class__.__name__}); re-install "
            "quotes, or pass --model PATH"
        ) from None
    for proc, path in paths.items():
        if not path.is_file():
            raise ModelError(
                f"{path}: {proc} model file is missing; re-install quotes, run `quotes download`, "
                "or pass --model PATH"
            )
        expected = files[proc].get("bytes")
        if expected is not None and path.stat().st_size != expected:
            raise ModelError(
                f"{path}: {proc} model file is corrupt (size {path.stat().st_size}, expected "
                f"{expected}); re-install quotes, or pass --model PATH"
            )
    name = f"{manifest.get('name', folder.name)}-{manifest.get('version', '0')}"
    return ModelSpec(kind="shipped", name=name, paths=paths, pretrain_for=pretrain_for)


def _official_spec(resources: Path) -> ModelSpec:
    if not _official_installed(resources):
        raise ModelError(
            f"{resources}: stanza's English models are not installed there; run `quotes download` "
            "(needs network), or use --model shipped"
        )
    version = "unknown"
    try:
        version = json.loads((resources / "resources.json").read_text()).get("en", {}).get(
            "lang_name", "en"
        )
        from importlib.metadata import version as pkg_version

        version = pkg_version("stanza")
    except Exception:  # noqa: BLE001 - the name is informational only
        pass
    return ModelSpec(kind="official", name=f"stanza-en-official-{version}", paths={}, resources_dir=resources)


def resolve_model(choice: str | None = None) -> ModelSpec:
    """Turn ``--model`` (or ``$QUOTES_MODEL``) into a `ModelSpec`; raises `ModelError`."""
    choice = choice or os.environ.get(MODEL_ENV) or "auto"
    if choice == "auto":
        resources = stanza_resources_dir()
        if _official_installed(resources):
            return _official_spec(resources)
        return _shipped_spec(SHIPPED_DIR)
    if choice == "shipped":
        return _shipped_spec(SHIPPED_DIR)
    if choice == "official":
        return _official_spec(stanza_resources_dir())
    folder = Path(choice).expanduser()
    if (folder / "manifest.json").is_file():
        return _shipped_spec(folder)
    if (folder / "resources.json").is_file():
        return _official_spec(folder)
    raise ModelError(
        f"{folder}: not a model folder (no manifest.json or resources.json); pass --model shipped, "
        "--model official, or a folder made by `quotes download` or `python -m quotes.training`"
    )


def download_official(resources: Path | None = None) -> Path:
    """Fetch stanza's official English models with stanza's own download code."""
    import stanza

    resources = resources or stanza_resources_dir()
    try:
        stanza.download("en", model_dir=str(resources), processors=",".join(PROCESSORS), verbose=False)
    except Exception as exc:  # requests' ConnectionError, HTTP errors, ...
        raise ModelError(
            f"{resources}: could not download stanza's English models ({exc.__class__.__name__}); "
            "check the network or proxy, or use the shipped model (--model shipped)"
        ) from None
    return resources


def _device_kwargs(device: str | None) -> dict[str, Any]:
    if device in (None, "auto"):
        return {}
    return {"use_gpu": device != "cpu", "device": device}


def load_pipeline(spec: ModelSpec, *, device: str | None = None,
                  processors: Sequence[str] = PROCESSORS, options: dict[str, Any] | None = None) -> Any:
    """Build a stanza Pipeline for ``spec`` without any download; raises `ModelError`.

    ``processors == ("depparse",)`` builds a parser for pretagged documents (stanza's
    ``depparse_pretagged``), used to parse only the sentences the matcher reads.
    """
    import logging

    _passive_openmp()
    import stanza

    logging.getLogger("stanza").setLevel(logging.ERROR)
    _install_fast_decoder()
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ModelError("--device cuda: torch sees no GPU here; use --device auto or cpu")
    processors = tuple(processors)
    kwargs: dict[str, Any] = dict(
        lang="en", processors=",".join(processors), download_method=None,
        tokenize_max_seqlen=1000, logging_level="ERROR", **_device_kwargs(device),
    )
    if processors == ("depparse",):
        kwargs["depparse_pretagged"] = True
    kwargs.update(options or {})
    if spec.kind == "shipped":
        # stanza wants a resources.json in `dir`; an empty one is enough for explicit paths.
        resources = Path(os.environ.get("QUOTES_CACHE_DIR", Path.home() / ".cache" / "quotes")) / "stanza-dir"
        resources.mkdir(parents=True, exist_ok=True)
        if not (resources / "resources.json").exists():
            (resources / "resources.json").write_text("{}")
        kwargs.update(dir=str(resources), allow_unknown_language=True)
        for proc in processors:
            kwargs[f"{proc}_model_path"] = str(spec.paths[proc])
            if proc in spec.pretrain_for:
                kwargs[f"{proc}_pretrain_path"] = str(spec.paths["pretrain"])
        if any(proc in spec.pretrain_for for proc in processors):
            # the tagging and the parsing pipeline then share one loaded copy of the vectors
            kwargs["foundation_cache"] = _foundation_cache()
    else:
        kwargs.update(dir=str(spec.resources_dir))
    try:
        return stanza.Pipeline(**kwargs)
    except Exception as exc:  # noqa: BLE001 - stanza raises many types for a bad file
        where = ", ".join(str(spec.paths[p]) for p in processors if p in spec.paths) or str(spec.resources_dir)
        raise ModelError(
            f"{where}: the model could not be loaded ({exc.__class__.__name__}: {str(exc)[:120]}); "
            "re-install quotes, run `quotes download`, or pass --model PATH"
        ) from None


@functools.lru_cache(maxsize=None)
def _foundation_cache() -> Any:
    """One stanza FoundationCache per process: it loads a pretrain file once for all pipelines."""
    from stanza.models.common.foundation_cache import FoundationCache

    return FoundationCache(local_files_only=True)


def _passive_openmp() -> None:
    """Let torch's idle OpenMP threads sleep rather than spin (``OMP_WAIT_POLICY=PASSIVE``,
    unless the environment says otherwise; it is read when torch loads, so before the first
    import). Spinning threads that wait on a core another process holds made the parse many
    times slower on a busy machine (see README, "Speed"); the results are the same."""
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def import_runtime() -> None:
    """Import torch and stanza, and run nothing: a process about to fork parser workers does this
    once for all of them (`quotes.pipeline.worker_context`), where each spawned worker imported
    them again. No torch operation runs, so no thread pool exists to be copied into a fork."""
    _passive_openmp()
    import stanza  # noqa: F401
    import torch  # noqa: F401


def _acyclic(heads: list[int]) -> bool:
    """Whether following heads from every word reaches the root (0) without a cycle."""
    state = [0] * len(heads)  # 0 unseen, 1 on the current path, 2 reaches the root
    state[0] = 2
    for i in range(1, len(heads)):
        path = []
        j = i
        while state[j] == 0:
            state[j] = 1
            path.append(j)
            j = heads[j]
        if state[j] == 1:
            return False
        for k in path:
            state[k] = 2
    return True


def _install_fast_decoder() -> None:
    """Decode a parse with stanza's own Chu-Liu-Edmonds only when the best head of every word
    does not already form a tree with one root.

    Stanza's `chuliu_edmonds_one_root` lowers every root arc by a large constant so that
    Chu-Liu-Edmonds must pick exactly one root, which makes it contract cycles (pure Python
    Tarjan searches) on every sentence: a quarter of `quotes extract`'s parse time on news.
    When each word's best head (no reweighting) already forms a tree with exactly one root,
    that tree is the best of all trees, so also the best single-root one, which is what
    stanza's search returns (Stanojević and Cohen 2021, cited there). This returns it for
    those sentences. For the rest it runs stanza's `chuliu_edmonds` on the scores as they are
    (no reweighting, so only the few cycles of the best heads are contracted): when the best
    tree of all has one root, it is again the best single-root tree. Only a sentence whose best
    tree has several roots goes to stanza's reweighted search. The trees are identical
    (checked on PolNeAR articles, see README).
    """
    import numpy as np
    import stanza.models.depparse.model as depparse_model
    from stanza.models.common.chuliu_edmonds import chuliu_edmonds

    original = depparse_model.chuliu_edmonds_one_root
    if getattr(original, "quotes_fast", False):
        return

    def one_root(scores):
        s = scores.astype(np.float64)  # a copy
        np.fill_diagonal(s, -np.inf)  # no word heads itself
        s[0] = -np.inf
        s[0, 0] = 0
        tree = np.argmax(s, axis=1)
        heads = tree.tolist()
        if heads[1:].count(0) == 1 and _acyclic(heads):
            return tree
        # the best tree of all, by Chu-Liu-Edmonds without stanza's root reweighting: few
        # contractions where the reweighted search contracts nearly every word into one cycle
        tree = chuliu_edmonds(s)
        if np.count_nonzero(tree[1:] == 0) == 1:
            return tree
        return original(scores)

    one_root.quotes_fast = True  # type: ignore[attr-defined]
    depparse_model.chuliu_edmonds_one_root = one_root
    _install_fast_tarjan()
    _install_vocab_memo()
    _install_map_memo()
    _install_lazy_optimizer()
    _install_arc_labels()
    _install_dict_lemmas()
    _install_long_tensor()
    _install_sort_all()


def _tarjan(tree: Any) -> list:
    """Stanza's `chuliu_edmonds.tarjan` (the cycles of a head array), step for step: the same
    depth-first order (each node's dependents in index order), so the same cycles in the same
    order, hence the same contractions and the same tree; over Python lists and a dependents
    table built once, where stanza's calls numpy on scalars and scans the whole array for the
    dependents of every node (quadratic in sentence length)."""
    import numpy as np

    heads = tree.tolist()
    n = len(heads)
    dependents: list[list[int]] = [[] for _ in range(n)]
    for j, h in enumerate(heads):
        dependents[h].append(j)
    indices = [-1] * n
    lowlinks = [-1] * n
    onstack = [False] * n
    stack: list[int] = []
    counter = 0
    cycles = []
    for start in range(n):
        if indices[start] != -1:
            continue
        calls: list[tuple] = [(start, None, None)]
        while calls:
            i, deps, j = calls.pop()
            if deps is None:
                indices[i] = lowlinks[i] = counter
                counter += 1
                stack.append(i)
                onstack[i] = True
                deps = iter(dependents[i])
            else:
                lowlinks[i] = min(lowlinks[i], lowlinks[j])
            for j in deps:
                if indices[j] == -1:
                    calls.append((i, deps, j))
                    calls.append((j, None, None))
                    break
                if onstack[j]:
                    lowlinks[i] = min(lowlinks[i], indices[j])
            else:
                if lowlinks[i] == indices[i]:
                    members = []
                    while stack[-1] != i:
                        k = stack.pop()
                        onstack[k] = False
                        members.append(k)
                    stack.pop()
                    onstack[i] = False
                    members.append(i)
                    if len(members) > 1:
                        cycle = np.zeros(n, dtype=bool)
                        cycle[members] = True
                        cycles.append(cycle)
    return cycles


def _install_vocab_memo() -> None:
    """Remember stanza's composite vocabularies' look-ups (features like ``Number=Sing|Person=3``,
    split and mapped per word in every tagging and parsing call; a few hundred distinct values
    in all): the same ids and strings, computed once per value instead of once per word."""
    from stanza.models.common.vocab import CompositeVocab

    if getattr(CompositeVocab.unit2id, "quotes_memo", False):
        return
    unit2id, id2unit = CompositeVocab.unit2id, CompositeVocab.id2unit

    def memo_unit2id(self, unit):
        memo = self.__dict__.setdefault("_quotes_unit2id", {})
        got = memo.get(unit)
        if got is None:
            got = memo[unit] = tuple(unit2id(self, unit))
        return list(got)

    def memo_id2unit(self, id):
        if not isinstance(id, (list, tuple)):
            return id2unit(self, id)
        memo = self.__dict__.setdefault("_quotes_id2unit", {})
        key = tuple(id)
        got = memo.get(key)
        if got is None:
            got = memo[key] = id2unit(self, id)
        return list(got) if isinstance(got, list) else got

    memo_unit2id.quotes_memo = True  # type: ignore[attr-defined]
    CompositeVocab.unit2id, CompositeVocab.id2unit = memo_unit2id, memo_id2unit


def _install_map_memo() -> None:
    """Remember the ids stanza's plain vocabularies give each unit in `BaseVocab.map`, and the
    units they give each id in `BaseVocab.unmap`: the tagger's and the parser's data loaders
    map every character of every word (and every word, tag and lemma) through three Python
    calls each (``map``, ``unit2id``, ``normalize_unit``), and the tagger maps every predicted
    tag id back the same way; a text has a few hundred distinct characters and some thousands
    of distinct words, so each is computed once per vocabulary and then read from a dict. The
    same ids and units: ``unit2id`` and ``id2unit`` of these vocabularies depend only on their
    argument and on tables that inference never changes. Only ``str`` units and ``int`` ids
    are remembered. Composite vocabularies (features, composite tags: lists, not ids; see
    `_install_vocab_memo`) and vocabularies that can grow (the tokenizer's, which has
    ``append``) go through stanza's own functions."""
    from stanza.models.common.vocab import BaseVocab, CompositeVocab

    original_map, original_unmap = BaseVocab.map, BaseVocab.unmap
    if getattr(original_map, "quotes_memo", False):
        return

    def plain(vocab: Any, items: Any) -> bool:
        return type(items) is list and not isinstance(vocab, CompositeVocab) and not hasattr(vocab, "append")

    missing = object()

    def remembered(original: Any, lookup: str, slot: str, key_type: type, value_type: type) -> Any:
        """``original`` (map or unmap) answered from a per-vocabulary dict in ``slot``, filled by
        the vocabulary's ``lookup`` (unit2id or id2unit) for keys and values of the given types."""
        def memo_lookup(self, items):
            if not plain(self, items):
                return original(self, items)
            memo = self.__dict__.get(slot)
            if memo is None:
                memo = self.__dict__[slot] = {}
            get = memo.get
            try:
                out = [get(x, missing) for x in items]
            except TypeError:  # an unhashable unit or id
                return original(self, items)
            if missing in out:
                one = getattr(self, lookup)
                for k, got in enumerate(out):
                    if got is missing:
                        x = items[k]
                        got = out[k] = one(x)
                        if type(x) is key_type and type(got) is value_type:
                            memo[x] = got
            return out
        return memo_lookup

    memo_map = remembered(original_map, "unit2id", "_quotes_map", str, int)
    memo_unmap = remembered(original_unmap, "id2unit", "_quotes_unmap", int, str)

    memo_map.quotes_memo = True  # type: ignore[attr-defined]
    memo_map.stanza_map = original_map  # type: ignore[attr-defined]
    memo_unmap.stanza_unmap = original_unmap  # type: ignore[attr-defined]
    BaseVocab.map, BaseVocab.unmap = memo_map, memo_unmap


class _LazyOptimizer:
    """Stands for an optimizer (or stanza's dict of them) until something uses it, then builds
    it with the arguments it was asked for and hands every use to it."""

    def __init__(self, make: Any, args: tuple, kwargs: dict):
        self._make: Any = (make, args, kwargs)
        self._built: Any = None

    def _real(self) -> Any:
        if self._built is None:
            make, args, kwargs = self._make
            self._built = make(*args, **kwargs)
        return self._built

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_make", "_built"):
            raise AttributeError(name)
        return getattr(self._real(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._real()[key]

    def __iter__(self) -> Any:
        return iter(self._real())

    def __len__(self) -> int:
        return len(self._real())

    def __contains__(self, key: Any) -> bool:
        return key in self._real()


class _LazyOptimizerUtils:
    """Stanza's ``models.common.utils`` module, with ``get_optimizer`` and
    ``get_split_optimizer`` deferred (see `_install_lazy_optimizer`)."""

    def __init__(self, utils: Any):
        self._utils = utils

    def get_optimizer(self, *args: Any, **kwargs: Any) -> _LazyOptimizer:
        return _LazyOptimizer(self._utils.get_optimizer, args, kwargs)

    def get_split_optimizer(self, *args: Any, **kwargs: Any) -> _LazyOptimizer:
        return _LazyOptimizer(self._utils.get_split_optimizer, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._utils, name)


#: Stanza trainers that make optimizers when they load a model (through a module global ``utils``).
_OPTIMIZER_TRAINERS = ("stanza.models.tokenization.trainer", "stanza.models.mwt.trainer",
                       "stanza.models.pos.trainer", "stanza.models.lemma.trainer")


def _install_lazy_optimizer() -> None:
    """Build the optimizers of stanza's tokenizer, multi-word-token expander, tagger and
    lemmatizer only if something trains with them.

    These stanza trainers make Adam optimizers whenever they load a model, also for
    inference, which never uses them; torch's `Optimizer.__init__` imports ``torch._dynamo`` on
    first use, seconds of CPU in every process that loads the pipeline (each ``--jobs``
    worker). They now get a stand-in that builds the same optimizers, from the same arguments,
    on first use; the models, and so every token, sentence, tag and lemma, are untouched."""
    import importlib

    for name in _OPTIMIZER_TRAINERS:
        module = importlib.import_module(name)
        trainer = module.Trainer
        original = trainer.__init__
        if getattr(original, "quotes_lazy", False):
            continue

        def __init__(self, *args, _original=original, _module=module, **kwargs):
            utils = _module.utils
            _module.utils = _LazyOptimizerUtils(utils)
            try:
                _original(self, *args, **kwargs)
            finally:
                _module.utils = utils

        __init__.quotes_lazy = True  # type: ignore[attr-defined]
        __init__.stanza_init = original  # type: ignore[attr-defined]
        trainer.__init__ = __init__
    _install_lazy_parser_optimizer()


def _install_lazy_parser_optimizer() -> None:
    """The dependency parser's trainer builds its optimizers and their schedulers in a private
    ``__init_optim``: stand-ins for both run it on first use (see `_install_lazy_optimizer`)."""
    import stanza.models.depparse.trainer as dep_trainer

    trainer = dep_trainer.Trainer
    original = trainer._Trainer__init_optim
    if getattr(original, "quotes_lazy", False):
        return

    def init_optim(self):
        built: list = []

        def build(which: str):
            def make():
                if not built:
                    original(self)  # sets the real self.optimizer and self.scheduler
                    built.extend([self.optimizer, self.scheduler])
                return built[0] if which == "optimizer" else built[1]
            return _LazyOptimizer(make, (), {})

        self.optimizer, self.scheduler = build("optimizer"), build("scheduler")

    init_optim.quotes_lazy = True  # type: ignore[attr-defined]
    init_optim.stanza_init_optim = original  # type: ignore[attr-defined]
    trainer._Trainer__init_optim = init_optim


def _install_arc_labels() -> None:
    """Score dependency relations only on the arcs the decoder chose.

    Stanza's graph parser scores all 51 relations for every (dependent, head) pair of a
    batch with a biaffine product, log-softmaxes that whole four-dimensional tensor and copies
    it out, then reads the label of one head per word: the relation scorer is most of the
    parser's arithmetic. This prediction runs the same model (same weights, embedding, LSTM,
    arc scorers and decoder, so the same heads), and then scores relations only on the chosen
    arcs: for each distinct head ``h`` the product of the weight tensor with ``h``'s vector
    (shared by all of its dependents), then one small product per word. That is the same sum
    in another order, so a label could change only where two labels score equal to within
    float rounding; the labels were identical on PolNeAR (see README). Where stanza's
    processor is set to repair head constraints (the shipped model's configuration is not), a
    sentence whose labels break one (two subjects or objects on one head) gets the full label
    tensor of that sentence and stanza's own repair, as before. Models with an arc embedding
    go through stanza's own prediction.
    """
    import stanza.models.depparse.model as depparse_model

    graph = depparse_model.GraphParser
    original = graph.predict
    if getattr(original, "quotes_arcs", False):
        return

    def predict(self, word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained, lemma,
                head, deprel, word_orig_idx, sentlens, wordlens, text, resolve_head_constraints=False):
        if self.training or self.args.get("use_arc_embedding"):
            return original(self, word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained,
                            lemma, head, deprel, word_orig_idx, sentlens, wordlens, text,
                            resolve_head_constraints=resolve_head_constraints)
        return _arc_label_predict(self, depparse_model, word, self.embed(
            word, word_mask, wordchars, wordchars_mask, upos, xpos, ufeats, pretrained, lemma, head, deprel,
            word_orig_idx, sentlens, wordlens, text), head, sentlens, resolve_head_constraints)

    predict.quotes_arcs = True  # type: ignore[attr-defined]
    predict.stanza_predict = original  # type: ignore[attr-defined]
    graph.predict = predict


def _arc_label_predict(model: Any, depparse_model: Any, word: Any, lstm: Any, head: Any, sentlens: Sequence[int],
                       resolve: bool) -> list:
    """`GraphParser.predict` from the LSTM output on: the arc scores exactly as stanza's
    `forward_scores` computes them, its decoder, then relations scored on the chosen arcs
    (see `_install_arc_labels`). Returns stanza's ``[[head, deprel], ...]`` per sentence."""
    import torch
    import torch.nn.functional as F
    from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
    from stanza.models.depparse import head_constraints

    drop = model.drop
    unlabeled = model.unlabeled(drop(lstm), drop(lstm)).squeeze(3)
    if model.args["linearization"] or model.args["distance"]:
        n = word.size(1)
        offset = (torch.arange(n, device=head.device).view(1, 1, -1).expand(word.size(0), -1, -1)
                  - torch.arange(n, device=head.device).view(1, -1, 1).expand(word.size(0), -1, -1))
    if model.args["linearization"]:
        lin = model.linearization(drop(lstm), drop(lstm)).squeeze(3)
        unlabeled += F.logsigmoid(lin * torch.sign(offset).float())
    if model.args["distance"]:
        dist = 1 + F.softplus(model.distance(drop(lstm), drop(lstm)).squeeze(3))
        unlabeled += -torch.log((torch.abs(offset).float() - dist) ** 2 / 2 + 1)
    diag = torch.eye(head.size(-1) + 1, dtype=torch.bool, device=head.device).unsqueeze(0)
    unlabeled.masked_fill_(diag, -float("inf"))
    arc_scores = F.log_softmax(unlabeled, 2).cpu().numpy()

    trees = []
    for i, n in enumerate(sentlens):
        trees.append(depparse_model.chuliu_edmonds_one_root(arc_scores[i][:n, :n]))

    # the relation scorer's two sides (a column of ones appended, as PairwiseBiaffineScorer does)
    scorer = model.deprel
    dep_side = scorer.dropout(scorer.hidden_func(scorer.W1(drop(lstm))))
    head_side = scorer.dropout(scorer.hidden_func(scorer.W2(drop(lstm))))
    dep_side = torch.cat([dep_side, dep_side.new_ones(*dep_side.shape[:-1], 1)], -1)
    head_side = torch.cat([head_side, head_side.new_ones(*head_side.shape[:-1], 1)], -1)
    weight, bias = scorer.scorer.W_bilin.weight, scorer.scorer.W_bilin.bias  # (I, J, O), (O,)
    sent_of, dep_of, head_of = [], [], []
    for i, tree in enumerate(trees):
        heads = tree[1:].tolist()
        sent_of.extend([i] * len(heads))
        dep_of.extend(range(1, len(heads) + 1))
        head_of.extend(heads)
    device = lstm.device
    sent_t = torch.tensor(sent_of, device=device)
    pair = sent_t * lstm.size(1) + torch.tensor(head_of, device=device)
    distinct, which = torch.unique(pair, return_inverse=True)
    flat_heads = head_side.reshape(-1, head_side.size(-1))[distinct]  # (H, J)
    size_i, size_j, size_o = weight.shape
    per_head = (flat_heads @ weight.permute(1, 0, 2).reshape(size_j, size_i * size_o)).view(-1, size_i, size_o)
    deps = dep_side[sent_t, torch.tensor(dep_of, device=device)]  # (A, I)
    # the dependents of each head side by side, so that each head's matrix is read where it
    # lies rather than copied once per dependent: (H, most dependents of one head, I)
    count = torch.bincount(which, minlength=per_head.size(0))
    order = torch.argsort(which, stable=True)
    rank = torch.empty_like(which)
    rank[order] = torch.arange(which.numel(), device=device) - (torch.cumsum(count, 0) - count)[which[order]]
    grouped = deps.new_zeros(per_head.size(0), int(count.max()), size_i)
    grouped[which, rank] = deps
    labels = torch.bmm(grouped, per_head)[which, rank] + bias  # (A, O)
    if resolve:
        labels = F.log_softmax(labels, 1)
    raw_ids = labels.argmax(1).cpu().tolist()

    vocab = model.vocab["deprel"]
    out = []
    at = 0
    for i, tree in enumerate(trees):
        n = sentlens[i]
        ids = raw_ids[at:at + n - 1]
        at += n - 1
        if resolve and head_constraints.find_head_constraint_violations(
                tree, vocab.unmap([r + VOCAB_PREFIX_SIZE for r in ids])):
            full = torch.einsum("LI,IJO->LJO", dep_side[i, :n], weight)
            full = torch.einsum("LJO,MJ->LMO", full, head_side[i, :n]) + bias
            tree, ids = head_constraints.resolve_head_constraint_violations(
                arc_scores[i][:n, :n], F.log_softmax(full, 2).cpu().numpy(), tree, vocab)
        deprels = vocab.unmap([r + VOCAB_PREFIX_SIZE for r in ids])
        hs = tree[1:]
        out.append([[hs[j], deprels[j]] for j in range(n - 1)])
    return out


def _install_dict_lemmas() -> None:
    """Lemmatize a dictionary-only model (the shipped one) without stanza's seq2seq data loader.

    For such a model stanza's lemma processor first builds its character-level data loader
    over every word (character ids, edit types, a vocabulary of unseen characters), then
    looks each (word, tag) up in the dictionary and uses nothing the loader made. This does
    the same look-ups, contextual lemmatizers and ``_`` for an empty lemma, without the loader:
    the same lemmas. Any other lemmatizer goes through stanza's own processing."""
    from stanza.models.common import doc as stanza_doc
    from stanza.pipeline.lemma_processor import LemmaProcessor

    original = LemmaProcessor.process
    if getattr(original, "quotes_dict", False):
        return

    def process(self, document):
        if self.use_identity or not self.config.get("dict_only", False):
            return original(self, document)
        preds = self.trainer.predict_dict(document.get([stanza_doc.TEXT, stanza_doc.UPOS]))
        if self.trainer.has_contextual_lemmatizers():
            preds = self.trainer.update_contextual_preds(document, preds)
        document.set([stanza_doc.LEMMA], [x if x else "_" for x in preds])
        return document

    process.quotes_dict = True  # type: ignore[attr-defined]
    process.stanza_process = original  # type: ignore[attr-defined]
    LemmaProcessor.process = process


def _install_long_tensor() -> None:
    """Pack id lists into a padded tensor at once (numpy, no Python list per row) in the tagger's
    and the parser's batch collation. Stanza's `get_long_tensor` fills a padded tensor row by row, a
    tensor made and copied per row, and the character ids have one row per word. Lists of
    id lists get the same tensor (same shape, ids and padding) built at once; anything else
    (the feature ids, a list per word) goes to stanza's function."""
    import itertools

    import numpy as np
    import torch
    import stanza.models.common.data as common_data
    import stanza.models.depparse.data as depparse_data
    import stanza.models.pos.data as pos_data

    if getattr(pos_data.get_long_tensor, "quotes_fast", False):
        return
    original = common_data.get_long_tensor

    def get_long_tensor(tokens_list, batch_size, pad_id=common_data.constant.PAD_ID):
        first = next((row[0] for row in tokens_list if row), None)
        if not (tokens_list and isinstance(tokens_list[0], list) and type(first) is int):
            return original(tokens_list, batch_size, pad_id)
        lengths = np.fromiter(map(len, tokens_list), dtype=np.int64, count=len(tokens_list))
        width = int(lengths.max())
        out = np.full((batch_size, width), pad_id, dtype=np.int64)
        # the ids in row order fill, row by row, the cells left of each row's length
        out[:len(tokens_list)][np.arange(width) < lengths[:, None]] = np.fromiter(
            itertools.chain.from_iterable(tokens_list), dtype=np.int64, count=int(lengths.sum()))
        return torch.from_numpy(out)

    get_long_tensor.quotes_fast = True  # type: ignore[attr-defined]
    get_long_tensor.stanza_get_long_tensor = original  # type: ignore[attr-defined]
    depparse_data.get_long_tensor = pos_data.get_long_tensor = get_long_tensor


def _sort_all(batch: Any, lens: Any) -> tuple[list, list]:
    """Stanza's `sort_all` (every field of a batch in descending length, and the original
    indexes), by sorting the indexes on their lengths alone. Stanza sorts tuples of (length,
    index, every field), building one tuple per row; its ties fall in descending index, which
    a stable descending sort of the indexes taken in descending order gives too: the same
    order, so the same batches."""
    if batch == [[]]:
        return [[]], []
    lens = list(lens)
    if not lens:
        return _sort_all.stanza_sort_all(batch, lens)
    order = sorted(range(len(lens) - 1, -1, -1), key=lens.__getitem__, reverse=True)
    fields = [f if isinstance(f, (list, tuple)) else list(f) for f in batch]
    return [[f[i] for i in order] for f in fields], order


def _install_sort_all() -> None:
    """Use `_sort_all` in the tagger's and the parser's data loaders (both import it by name)."""
    import stanza.models.common.data as common_data
    import stanza.models.depparse.data as depparse_data
    import stanza.models.pos.data as pos_data

    if getattr(pos_data.sort_all, "quotes_fast", False):
        return
    _sort_all.quotes_fast = True  # type: ignore[attr-defined]
    _sort_all.stanza_sort_all = common_data.sort_all  # type: ignore[attr-defined]
    depparse_data.sort_all = pos_data.sort_all = _sort_all


def _install_fast_tarjan() -> None:
    """Use `_tarjan` inside stanza's Chu-Liu-Edmonds (also its head-constraint repair)."""
    import stanza.models.common.chuliu_edmonds as cle

    if getattr(cle.tarjan, "quotes_fast", False):
        return
    _tarjan.quotes_fast = True  # type: ignore[attr-defined]
    _tarjan.stanza_tarjan = cle.tarjan  # type: ignore[attr-defined]
    cle.tarjan = _tarjan


_PIPELINES: dict[tuple, Any] = {}


def cached_pipeline(spec: ModelSpec, *, device: str | None = None,
                    processors: Sequence[str] = PROCESSORS, options: dict[str, Any] | None = None) -> Any:
    """One loaded pipeline per model, device, processors and options in this process (loading
    takes seconds)."""
    key = (spec.name, tuple(str(p) for p in spec.paths.values()), str(spec.resources_dir), device,
           tuple(processors), tuple(sorted((options or {}).items())))
    if key not in _PIPELINES:
        _PIPELINES[key] = load_pipeline(spec, device=device, processors=processors, options=options)
    return _PIPELINES[key]


#: A word of letters, for the cue check.
_WORD = re.compile(r"[A-Za-z]+")


def holds_cue(text: str) -> bool:
    """The cheap lexical check for a cue candidate: some word of ``text`` is a form of a cue in
    the lexicon ("said", "according", "believes"). Sentences that pass get a dependency parse,
    so that reported speech, which has no quote mark to find it by, can be read."""
    from . import lexicon

    forms = lexicon.cue_forms()
    return any(m.group(0).lower() in forms for m in _WORD.finditer(text))


def sentences_to_parse(text: str, spans: list[tuple[int, int]], *, context: str = "edges",
                       quotes: Sequence[QuoteSpan] | None = None, cues: bool = False) -> set[int]:
    """Indexes of the sentences the matcher reads. ``spans`` are (start, end) sentence offsets in
    text order; ``quotes`` are ``find_quotes(text)`` when the caller has them already.

    Every sentence a quote touches is read. ``context="edges"`` (default) adds the sentence
    before a quote only when the quote opens its sentence (a colon lead-in, "She said:", sits
    before it), and the sentence after only when the quote closes its sentence (a splitter may
    have cut “…,” | he said. or a dash-and-name off after the mark); ``"all"`` adds both
    neighbours of every quote; ``"none"`` adds nothing. ``cues``: also every sentence that
    `holds_cue` (reported speech).
    """
    import bisect

    wanted: set[int] = set()
    if cues:
        wanted.update(i for i, (s, e) in enumerate(spans) if holds_cue(text[s:e]))
    starts = [s for s, _ in spans]
    for q in find_quotes(text) if quotes is None else quotes:
        lo, hi = q.open_start, q.close_end if q.close_end is not None else q.end
        i = max(0, bisect.bisect_right(starts, lo) - 1)
        touched = []
        while i < len(spans) and spans[i][0] < hi:
            if spans[i][1] > lo:
                touched.append(i)
            i += 1
        if not touched:
            continue
        wanted.update(touched)
        first, last = touched[0], touched[-1]
        before = context == "all" or (context == "edges" and not text[spans[first][0]:lo].strip())
        after = context == "all" or (context == "edges" and not text[hi:spans[last][1]].strip(" .\t\n"))
        if before and first > 0:
            wanted.add(first - 1)
        if after and last + 1 < len(spans):
            wanted.add(last + 1)
    return wanted


def paragraphs_to_tag(text: str, *, context: int | None = 1,
                      quotes: Sequence[QuoteSpan] | None = None, cues: bool = False) -> set[int] | None:
    """Indexes of the paragraphs stanza tags: those holding a quote and ``context`` paragraphs on
    each side (a colon lead-in or the "he said" paragraph before, a continuation after). The
    others only matter as a source of fuller names and are skimmed (`quotes.skim`) instead, which
    saves about a quarter of the tagging on news. ``None`` (context None): every paragraph.
    ``quotes`` are ``find_quotes(text)`` when the caller has them already. ``cues``: also every
    paragraph that `holds_cue` (reported speech is read there)."""
    if context is None:
        return None
    wanted: set[int] = set()
    if cues:
        wanted.update(i for i, (s, e) in enumerate(paragraph_spans(text)) if holds_cue(text[s:e]))
    for q in find_quotes(text) if quotes is None else quotes:
        wanted.update(range(q.paragraph - context, q.paragraph + context + 1))
    return wanted


class Parser:
    """Parses articles into `Sentence` views, many paragraphs per stanza call.

    ``depparse``: ``"quotes"`` (default) dependency-parses only the sentences the matcher reads
    (those around quote marks; the rest are tokenized and tagged, which is all speaker
    resolution needs there) — the parse is two thirds of the cost; ``"all"`` parses everything.
    """

    def __init__(self, spec: ModelSpec, *, device: str | None = None, batch_paragraphs: int = 256,
                 threads: int | None = None, depparse: str = "quotes", context: str = "edges",
                 depparse_options: dict[str, Any] | None = None, tag_context: int | None = 1,
                 cues: bool = True, max_sentence_words: int = MAX_SENTENCE_WORDS,
                 max_piece_chars: int = MAX_PIECE_CHARS, batch_chars: int = 400_000,
                 dep_batch_words: int = 50_000):
        """``max_sentence_words``: a longer sentence is cut into windows (at a comma or other
        punctuation where there is one) before it is parsed, and is several sentences in the
        output. ``max_piece_chars``: a longer paragraph is tokenized in pieces. ``batch_chars``
        and ``dep_batch_words``: the most characters tagged and words parsed per stanza call, so
        that a huge article is never one stanza document in memory (ordinary batches stay one
        call). Each bound applied is reported with a `ParseNote` warning."""
        self.spec = spec
        #: ``on_note(text, message)``: gets each note instead of `warnings.warn` (the extractor sets it)
        self.on_note: Any = None
        self.max_sentence_words = max_sentence_words
        self.max_piece_chars = max_piece_chars
        self.batch_chars = batch_chars
        self.dep_batch_words = dep_batch_words
        self.tag_context = tag_context  # paragraphs around quotes that stanza tags; see paragraphs_to_tag
        self.cues = cues  # also tag and parse where a cue word stands (reported speech)
        self.depparse_options = DEPPARSE_OPTIONS if depparse_options is None else depparse_options
        self.context = context  # which neighbours of a quote's sentences to parse; see sentences_to_parse
        self.device = device
        self.batch_paragraphs = batch_paragraphs
        self.threads = threads  # torch threads, set when the model loads (parallel workers)
        self.depparse = depparse
        self._nlp: Any = None
        self._dep: Any = None
        self._identity: str | None = None

    def identity(self) -> str:
        """What decides a parse besides the model: the code that makes and converts it (this
        module, `quotes.skim`, `quotes.marks`, `quotes.tree`, the skimmer's word lists) and the
        settings. Part of every parse-cache key, so an edit never serves an old parse."""
        if self._identity is None:
            import hashlib

            here = Path(__file__).parent
            h = hashlib.sha256()
            for f in ("parse.py", "skim.py", "marks.py", "tree.py", "lexicon/function_words.txt",
                      "lexicon/abbreviations.txt", "lexicon/__init__.py"):
                h.update((here / f).read_bytes())
            for f in ("lexicon/cue_families.txt", "lexicon/object_cues.txt", "lexicon/reporting_verbs.txt",
                      "lexicon/irregular_verbs.txt"):
                h.update((here / f).read_bytes())
            h.update(repr((self.depparse, self.context, self.tag_context, self.cues,
                           sorted(self.depparse_options.items()))).encode())
            h.update(repr((self.max_sentence_words, self.max_piece_chars)).encode())
            self._identity = h.hexdigest()
        return self._identity

    def _set_threads(self) -> None:
        if self.threads:
            _passive_openmp()
            import torch

            torch.set_num_threads(self.threads)  # N processes each using every core is slower

    @property
    def nlp(self) -> Any:
        """The stanza pipeline, loaded on first use (a run whose articles are all cached never loads it)."""
        if self._nlp is None:
            self._set_threads()
            # tagging only: the dependency parse is a second stage (`dep`), also with depparse="all",
            # so that every sentence it parses is one that `parse_many` has bounded
            self._nlp = cached_pipeline(self.spec, device=self.device, processors=PROCESSORS[:-1])
        return self._nlp

    @property
    def dep(self) -> Any:
        if self._dep is None:
            self._set_threads()
            self._dep = cached_pipeline(self.spec, device=self.device, processors=("depparse",),
                                        options=self.depparse_options)
        return self._dep

    def parse_many(self, texts: Sequence[str]) -> list[list[Sentence]]:
        """Parse each text; paragraphs (line-separated) are parsed as separate documents.

        Offsets in the returned words are into each original text, unchanged. The work is
        bounded whatever the text: the tokenizer gets pieces of at most ``max_piece_chars``
        characters, each stanza call at most ``batch_chars`` characters (``dep_batch_words``
        words for the parse), and no sentence longer than ``max_sentence_words`` words reaches
        the dependency parser (it is cut into windows). Stanza's documents are turned into
        compact `Sentence` views as soon as each call returns.
        """
        jobs: list[tuple[int, int, int, str]] = []  # (text index, paragraph index, offset, text)
        skimmed: list[list[Sentence]] = [[] for _ in texts]
        notes: list[dict[str, list[int]]] = [{"pieces": [], "windows": []} for _ in texts]
        # the quote marks of each text, paired once: both the tagging and the parse stage need them
        marks = [None if self.depparse == "all" else find_quotes(t) for t in texts]
        for ti, text in enumerate(texts):
            wanted = None if marks[ti] is None else paragraphs_to_tag(text, context=self.tag_context, cues=self.cues,
                                                                     quotes=marks[ti])
            for pi, (start, end) in enumerate(paragraph_spans(text)):
                if wanted is None or pi in wanted:
                    pieces = cut_paragraph(text, start, end, limit=self.max_piece_chars)
                    if len(pieces) > 1:
                        notes[ti]["pieces"].append(pi)
                    dateline = dateline_end(text, *pieces[0]) if pieces else None
                    if dateline is not None:  # its own sentence, apart from the story's first
                        rest = dateline
                        while text[rest].isspace():
                            rest += 1
                        pieces[:1] = [(pieces[0][0], dateline), (rest, pieces[0][1])]
                    jobs.extend((ti, pi, a, text[a:b]) for a, b in pieces)
                else:
                    skimmed[ti].extend(skim(text, start, end, paragraph=pi))
        results: list[list[Sentence]] = [[] for _ in texts]
        if not jobs:
            # nothing for stanza (no text, or no quote anywhere): the model is not even loaded
            return [merge_closing_marks(s) for s in skimmed]
        _passive_openmp()
        import stanza

        # (view, the word fields the parser reads) per tagged sentence or window, in text order
        tagged: list[list[tuple[Sentence, tuple]]] = [[] for _ in texts]
        for chunk in _chunks(jobs, self.batch_paragraphs, self.batch_chars, size=lambda j: len(j[3])):
            docs = self.nlp([stanza.Document([], text=j[3]) for j in chunk])
            for (ti, pi, offset, _), doc in zip(chunk, docs):
                for sent in doc.sentences:
                    if not sent.tokens:
                        continue
                    windows = _windows(sent, self.max_sentence_words)
                    if len(windows) > 1:
                        notes[ti]["windows"].append(len(sent.words))
                    for lo, hi in windows:
                        tagged[ti].append(_tagged_view(sent, offset, pi, lo, hi))
            del docs
        self._note(texts, notes)
        if self.depparse == "all":
            selected = [(ti, si) for ti, sents in enumerate(tagged) for si in range(len(sents))]
        else:
            # second stage: dependency-parse only the sentences the matcher reads
            selected = []
            for ti, sents in enumerate(tagged):
                spans = [(v.start, v.end) for v, _ in sents]
                for si in sorted(sentences_to_parse(texts[ti], spans, context=self.context, quotes=marks[ti],
                                                       cues=self.cues)):
                    selected.append((ti, si))
        for chunk in _chunks(selected, len(selected) or 1, self.dep_batch_words,
                             size=lambda k: len(tagged[k[0]][k[1]][1])):
            arcs = _parse_pretagged(self.dep, [tagged[ti][si][1] for ti, si in chunk])
            for (ti, si), sent_arcs in zip(chunk, arcs):
                view, raw = tagged[ti][si]
                words = tuple(w._replace(head=head, deprel=deprel) for w, (head, deprel) in zip(view.words, sent_arcs))
                tagged[ti][si] = (Sentence(words=words, index=view.index, paragraph=view.paragraph), raw)
            del arcs
        for ti, sents in enumerate(tagged):
            views = [v for v, _ in sents]
            views.extend(skimmed[ti])
            views.sort(key=lambda v: v.start)
            results[ti] = merge_closing_marks(views)
        return results

    def _note(self, texts: Sequence[str], notes: list[dict[str, list[int]]]) -> None:
        import warnings

        for text, note in zip(texts, notes):
            said = []
            if note["pieces"]:
                said.append(f"{len(note['pieces'])} paragraph(s) longer than {self.max_piece_chars:,} characters "
                            f"were tokenized in pieces (first: paragraph {note['pieces'][0]})")
            if note["windows"]:
                said.append(f"{len(note['windows'])} sentence(s) longer than {self.max_sentence_words:,} words "
                            f"(the longest: {max(note['windows']):,} words) were cut into windows of at most "
                            f"{self.max_sentence_words:,} words for the parser")
            if said and self.on_note is not None:
                self.on_note(text, "; ".join(said))
            elif said:
                warnings.warn(ParseNote(text, "; ".join(said)), stacklevel=3)


_DATE = r"[A-Z][a-z]{2,4}\.? \d{1,2}"
_AGENCY = r"\([A-Z][A-Za-z.]*\)"
#: A news dateline opening a paragraph, up to its dash: "WASHINGTON (AP) —", "NEW YORK, March 3
#: (UPI) --", "WASHINGTON ―" (a place in capitals), "New York (AFP) –" and "Dec 29 (Reuters) -"
#: (a place or date with the agency). The AP and Reuters style guides put it before the story's
#: first sentence; a parser that reads the two as one makes the place the sentence's subject.
_DATELINE = re.compile(
    rf"(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, {_DATE})?(?: ?{_AGENCY})?"
    rf"|[A-Z][a-z]+(?: [A-Z][a-z]+)*(?:, {_DATE})? ?{_AGENCY}"
    rf"|{_DATE} ?{_AGENCY})"
    r" *(?:--|[-–—―])(?= *\S)")


def dateline_end(text: str, start: int, end: int, *, longest: int = 60) -> int | None:
    """Where a dateline that opens ``text[start:end]`` ends (after its dash), or None. It is
    tokenized apart from the story's first sentence (`Parser.parse_many`). ``longest``: the
    most characters a dateline may have."""
    m = _DATELINE.match(text, start, min(end, start + longest + 1))
    return None if m is None else m.end()  # text follows the dash (the lookahead), so it ends before end


def cut_paragraph(text: str, start: int, end: int, *, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of ``text[start:end]`` of at most ``limit`` characters each, cut
    after the last sentence end (``.``, ``?``, ``!``, maybe with closing marks, then a space) in
    the second half of each piece, else at its last space, else at the limit. Pieces are
    trimmed of spaces; offsets index ``text``. A paragraph within the limit is one piece."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        half = start + limit // 2
        cut = None
        for m in _SENTENCE_END.finditer(text, half, start + limit + 1):
            cut = m.end()
        if cut is None:
            for m in re.finditer(r"\s+", text[half:start + limit + 1]):
                cut = half + m.start()
        if cut is None or cut <= start:
            cut = start + limit
        a, b = start, cut
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            pieces.append((a, b))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


_SENTENCE_END = re.compile(r"[.?!…][”’\"»)\]']*(?=\s)")
#: Tokens a long sentence is best cut after (a window then ends at a clause boundary).
_BREAKS = frozenset(",;:—–-…|•·")


def _windows(sent: Any, limit: int) -> list[tuple[int, int]]:
    """Token ranges of a stanza sentence, each holding at most ``limit`` words (a token's
    words stay together): cut after the last punctuation token in the second half of each
    window, else at the limit. A sentence within the limit is one range."""
    tokens = sent.tokens
    if len(sent.words) <= limit:
        return [(0, len(tokens))]
    out: list[tuple[int, int]] = []
    lo = 0
    while lo < len(tokens):
        hi, count = lo, 0
        while hi < len(tokens) and count + len(tokens[hi].words) <= limit:
            count += len(tokens[hi].words)
            hi += 1
        if hi == lo:  # one token with more words than the limit: alone in its window
            hi = lo + 1
        elif hi < len(tokens):
            for k in range(hi - 1, lo + (hi - lo) // 2, -1):
                if tokens[k].text in _BREAKS or tokens[k].text[-1:] in ".?!":
                    hi = k + 1
                    break
        out.append((lo, hi))
        lo = hi
    return out


def _tagged_view(sent: Any, offset: int, paragraph: int, lo: int, hi: int) -> tuple[Sentence, tuple]:
    """The unparsed `Sentence` view of tokens ``lo:hi`` of a tagged stanza sentence (word ids
    from 1), and the word fields the dependency parser reads, ``(text, lemma, upos, xpos,
    feats)`` per word."""
    words: list[Word] = []
    raw: list[tuple] = []
    base = None
    for token in sent.tokens[lo:hi]:
        start = token.start_char + offset
        end = token.end_char + offset
        for w in token.words:
            if base is None:
                base = w.id - 1
            raw.append((w.text, w.lemma, w.upos, w.xpos, w.feats))
            words.append(Word(
                id=w.id - base, text=w.text, lemma=w.lemma or w.text, upos=w.upos or "X",
                head=0, deprel="dep", start=start, end=end, xpos=w.xpos, feats=w.feats,
            ))
    return Sentence(words=tuple(words), paragraph=paragraph, parsed=False), tuple(raw)


class _PretaggedDoc:
    """What stanza's dependency-parse processor reads of a `stanza.Document` and writes back,
    for pretagged sentences given as `_tagged_view`'s word fields: the processor's own data
    loader, batching, model and decoder run unchanged, without building a Document (a `Word`
    per word, token and offset bookkeeping) only to read its fields back out."""

    FIELDS = ["text", "upos", "xpos", "feats", "lemma", "head", "deprel"]

    def __init__(self, raws: list[tuple]):
        self.raws = raws
        self.sentences = [_PretaggedSentence(raw) for raw in raws]
        self.arcs: list | None = None

    def get(self, fields, as_sentences=False, from_token=False):
        if list(fields) != self.FIELDS or not as_sentences or from_token:
            raise NotImplementedError(f"stanza asked the pretagged document for {fields!r}")
        return [[[text, upos, xpos, feats, lemma, None, None] for text, lemma, upos, xpos, feats in raw]
                for raw in self.raws]

    def set(self, fields, contents, to_token=False, to_sentence=False):
        if tuple(fields) != ("head", "deprel") or to_token or to_sentence:
            raise NotImplementedError(f"stanza set {fields!r} on the pretagged document")
        self.arcs = contents


class _PretaggedSentence:
    __slots__ = ("words",)

    def __init__(self, raw: tuple):
        from types import SimpleNamespace

        self.words = [SimpleNamespace(upos=upos, xpos=xpos) for _, _, upos, xpos, _ in raw]

    def build_dependencies(self) -> None:
        pass  # the caller reads heads and relations only


def _parse_pretagged(pipeline: Any, raws: list[tuple]) -> list[list[tuple[int, str]]]:
    """``(head, deprel)`` of every word of each pretagged sentence, from the dependency-parse
    processor of ``pipeline`` (heads and relations as `stanza.Document` would give them: a
    missing head is 0, a missing relation ``dep``)."""
    doc = _PretaggedDoc(raws)
    pipeline.processors["depparse"].process(doc)
    flat = iter(doc.arcs or ())
    out = []
    for raw in raws:
        sent = []
        for _ in raw:
            head, deprel = next(flat)
            head = 0 if head is None or (isinstance(head, str) and head == "_") else int(head)
            sent.append((head, deprel if deprel and deprel != "_" else "dep"))
        out.append(sent)
    return out


def _chunks(items: list, most: int, budget: int, *, size) -> Iterable[list]:
    """``items`` in consecutive lists of at most ``most`` items and ``budget`` total ``size``
    (an item larger than the budget is alone in its list)."""
    chunk: list = []
    used = 0
    for item in items:
        n = size(item)
        if chunk and (len(chunk) >= most or used + n > budget):
            yield chunk
            chunk, used = [], 0
        chunk.append(item)
        used += n
    if chunk:
        yield chunk


#: Closing marks a sentence splitter may cut off from the sentence they close.
CLOSERS = frozenset("”’\"»)]'")


def merge_closing_marks(sentences: list[Sentence]) -> list[Sentence]:
    """Give closing quote marks back to the sentence they close.

    A splitter sometimes ends a sentence after “…done.” at the period and starts the next one
    with the closing mark (“…done. | ” Doe said.), or leaves the mark alone as a sentence. The
    marks move to the end of the previous sentence of the same paragraph (attached to its root as
    punct) and the rest is renumbered; a sentence left empty disappears.
    """
    from dataclasses import replace

    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        k = 0
        while k < len(s.words) and s.words[k].upos == "PUNCT" and s.words[k].text in CLOSERS:
            k += 1
        if prev is None or k == 0 or prev.paragraph != s.paragraph:
            out.append(s)
            continue
        root = next((w.id for w in prev.words if w.head == 0), 1)
        n = len(prev.words)
        moved = tuple(w._replace(id=n + j + 1, head=root if prev.parsed else 0,
                                 deprel="punct" if prev.parsed else w.deprel)
                      for j, w in enumerate(s.words[:k]))
        out[-1] = replace(prev, words=prev.words + moved)
        rest = s.words[k:]
        if not rest:
            continue
        new_root = next((w.id - k for w in rest if w.head == 0 or w.head <= k), 1)
        words = []
        for w in rest:
            if w.head == 0 or w.head <= k:
                head = 0 if w.id - k == new_root else new_root
                deprel = "root" if head == 0 else (w.deprel if w.head > 0 else "dep")
            else:
                head, deprel = w.head - k, w.deprel
            words.append(w._replace(id=w.id - k, head=head, deprel=deprel if s.parsed else w.deprel))
        out.append(replace(s, words=tuple(words)))
    return [replace(s, index=i) if s.index != i else s for i, s in enumerate(out)]


def to_conllu(sentences: Iterable[Sentence], text: str) -> str:
    """Write sentences as CoNLL-U (used to score the model with the CoNLL 2018 script)."""
    lines: list[str] = []
    for s in sentences:
        lines.append(f"# text = {text[s.start:s.end]}")
        done_tokens: set[tuple[int, int]] = set()
        groups: dict[tuple[int, int], list[Word]] = {}
        for w in s.words:
            groups.setdefault((w.start, w.end), []).append(w)
        for w in s.words:
            key = (w.start, w.end)
            group = groups[key]
            if len(group) > 1 and key not in done_tokens:
                done_tokens.add(key)
                space = "" if key[1] < len(text) and not text[key[1]:key[1] + 1].isspace() else "_"
                misc = "SpaceAfter=No" if space == "" else "_"
                lines.append(f"{group[0].id}-{group[-1].id}\t{text[key[0]:key[1]]}\t_\t_\t_\t_\t_\t_\t_\t{misc}")
            misc = "_"
            if len(group) == 1 and w.end < len(text) and not text[w.end].isspace():
                misc = "SpaceAfter=No"
            lines.append("\t".join([
                str(w.id), w.text, w.lemma, w.upos, w.xpos or "_", w.feats or "_", str(w.head),
                w.deprel, "_", misc,
            ]))
        lines.append("")
    return "\n".join(lines) + "\n"


def log(message: str) -> None:
    print(message, file=sys.stderr)
