"""A parse cache: parsed `Sentence` views on disk, so an unchanged article is never parsed twice,
and beside them each article's finished records, so an unchanged rerun does not match either.

Where: ``$QUOTES_CACHE_DIR`` when set, else the platform's user cache folder (``$XDG_CACHE_HOME/quotes``
or ``~/.cache/quotes`` on Linux, ``~/Library/Caches/quotes`` on macOS, ``%LOCALAPPDATA%\\quotes\\Cache``
on Windows); ``quotes extract --cache-dir DIR`` overrides both. Parses live in ``<root>/parses``,
records in ``<root>/records``.

Layout: one file per article at ``parses/<k[0:2]>/<k[2:4]>/<k>.qp``, where ``k`` is
``sha256(parser identity + sha256(article text))``. A file is one header line
``QPARSE <format> <sha256 of payload>`` and an orjson payload::

    [format, parser_id, text_sha256, len(text), strings, [[index, paragraph, parsed, [word, ...]], ...]]

with each word a tuple ``(id, text|null, lemma|null, upos, head, deprel, start, end, xpos, feats)``
(``text`` null when it is ``article[start:end]``, ``lemma`` null when it equals the word's text;
``upos``, ``deprel``, ``xpos`` and ``feats`` are indexes into ``strings``, the entry's table of
those values). About 30-40 bytes a word.
Files are written to a temporary file beside the entry and moved into place with `os.replace`, so
readers see a whole entry or none.

Invalidation is by key: different text or a different parser identity (`parser_identity`: the
model's name and kind, the sha256s of the shipped manifest or the paths, sizes and mtimes of
stanza's official model files, the stanza version, `FORMAT`, and the sha256 of the parser's
source, quotes/parse.py) is a different file. An
entry that is truncated, not JSON, fails its checksum, has another format version, belongs to
another text or model, or holds offsets outside its text is deleted and parsed again: a cache
entry is never trusted on sight. Stale entries (parses and records) are only removed by
``quotes cache clear``.

Records: beside the parses, ``<root>/records`` keeps each article's finished records, so a rerun
over unchanged articles with unchanged code and options skips the matcher too (and reads neither
the parse nor stanza). One file per article at ``records/<k[0:2]>/<k[2:4]>/<k>.qr``, ``k`` =
``sha256(record context + article id + sha256(article text))``, where the record context
(`record_context`) is the sha256 of the parser identity above, `package_digest` (every file of
the ``quotes`` package: the matcher, its rules, word lists and weights, speakers, the record; so
any edit to any of them is a different key), the matcher options, the kinds kept and the model name that
records carry. A file is a header line ``QRECS <format> <sha256 of payload>`` and an orjson
payload ``[format, context, article id, text_sha256, len(text), [record, ...]]`` with each record
as `quotes.record.Quote.to_dict` writes it. An entry is checked like a parse (checksum, context,
article and text identity, every key of every record, every offset against the text) and
deleted and rebuilt when a check fails.

Errors: an unusable cache folder (read-only, not a folder, disk full) turns the cache off for
the run and reports one warning through ``on_warning``; it never ends a run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import orjson

from .record import RECORD_KEYS, Quote
from .tree import Sentence, Word

#: Bump when the stored form changes. (Changes to the parser's code need no bump: the source of
#: the parser's module is part of every key, see `parser_identity`.)
FORMAT = 1
#: The fields of `Word` and `Sentence` this module stores, in order. A field added to the views in
#: quotes/tree.py must be added here too (tests/test_cache.py checks it); until it is, the cache
#: turns itself off rather than drop the field.
WORD_FIELDS = ("id", "text", "lemma", "upos", "head", "deprel", "start", "end", "xpos", "feats")
SENTENCE_FIELDS = ("words", "index", "paragraph", "parsed")
CACHE_ENV = "QUOTES_CACHE_DIR"
MAGIC = b"QPARSE"
SUFFIX = ".qp"
PARSES = "parses"
#: The record cache (see the module docstring): its own format number, magic, suffix and folder.
RECORD_FORMAT = 1
RECORD_MAGIC = b"QRECS"
RECORD_SUFFIX = ".qr"
RECORDS = "records"


class CacheUnavailable(Exception):
    """The cache folder cannot be used; the message names it and says what to do."""


class CorruptEntry(Exception):
    """A cache file that must not be trusted (the reason is the message)."""


def default_cache_dir() -> Path:
    """``$QUOTES_CACHE_DIR``, else the platform's per-user cache folder for ``quotes``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        if base:
            return Path(base) / "quotes" / "Cache"
        import click

        return Path(click.get_app_dir("quotes")) / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "quotes"
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "quotes"
    return Path.home() / ".cache" / "quotes"


# --- model identity ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _stanza_version() -> str:
    """stanza's version, read from its ``_version.py`` without importing stanza (and without
    `importlib.metadata`, whose import and search cost more than a cache-warm run's matching);
    the installed distribution's version where that file does not say."""
    try:
        import importlib.util
        import re

        spec = importlib.util.find_spec("stanza")  # finds the package, imports nothing of it
        if spec is None:
            return "none"
        if spec.origin:
            source = (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8")
            found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", source, re.M)
            if found:
                return found.group(1)
    except (OSError, ValueError, ImportError):
        pass
    try:
        from importlib.metadata import version

        return version("stanza")
    except Exception:  # noqa: BLE001 - not installed: the fake parsers of the tests
        return "none"


def _file_facts(path: Path, rel_to: Path | None = None) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{path}:missing"
    name = path.relative_to(rel_to).as_posix() if rel_to else str(path.resolve())
    return f"{name}:{st.st_size}:{st.st_mtime_ns}"


def model_identity(spec: Any) -> str:
    """A hex digest naming the exact model behind ``spec`` (a `quotes.parse.ModelSpec`).

    Shipped models: ``spec.name`` + the sha256 of each file listed in ``manifest.json`` (checked
    against the files' sizes when the spec was resolved). Official models: ``spec.name`` + path,
    size and mtime of every file under the resources folder's ``en/`` and ``resources.json``.
    Any object with ``name`` (and optionally ``kind``, ``paths``, ``resources_dir``) works.
    """
    parts = [f"format={FORMAT}", f"kind={getattr(spec, 'kind', '')}", f"name={spec.name}",
             f"stanza={_stanza_version()}"]
    paths: dict = dict(getattr(spec, "paths", None) or {})
    if paths:
        hashed: dict[str, str] = {}  # processor -> sha256 from its folder's manifest
        for folder in sorted({Path(p).parent for p in paths.values()}):
            try:
                files = orjson.loads((folder / "manifest.json").read_bytes())["files"]
                for proc, entry in files.items():
                    if folder / entry["file"] == Path(paths.get(proc, "")):
                        hashed[proc] = f"{entry['file']}:{entry['sha256']}"
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # no usable manifest: the file facts below name the model
        for proc in sorted(paths):
            parts.append(f"{proc}={hashed.get(proc) or _file_facts(Path(paths[proc]))}")
    resources = getattr(spec, "resources_dir", None)
    if resources:
        resources = Path(resources)
        parts.append(f"resources={resources.resolve()}")
        parts.append(_file_facts(resources / "resources.json", resources))
        en = resources / "en"
        if en.is_dir():
            for dirpath, dirnames, filenames in os.walk(en):
                dirnames.sort()
                for name in sorted(filenames):
                    parts.append(_file_facts(Path(dirpath) / name, resources))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def layout_problem() -> str | None:
    """None when the cache stores every field of `Word` and `Sentence`, else what is missing."""
    from dataclasses import fields

    word = tuple(Word._fields)
    sentence = tuple(f.name for f in fields(Sentence))
    if word == WORD_FIELDS and sentence == SENTENCE_FIELDS:
        return None
    return (f"quotes.cache stores Word{WORD_FIELDS} and Sentence{SENTENCE_FIELDS}, but quotes.tree has "
            f"Word{word} and Sentence{sentence}; update quotes/cache.py")


_CODE: dict[str, str] = {}


def code_digest(obj: Any) -> str:
    """``obj.identity()`` where the parser has one (the real `Parser`: its code files and
    settings), else the sha256 of the source file of the module defining ``obj``'s class."""
    identity = getattr(obj, "identity", None)
    if callable(identity):
        return identity()
    module = type(obj).__module__
    if module not in _CODE:
        path = getattr(sys.modules.get(module), "__file__", None)
        try:
            _CODE[module] = hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else module
        except OSError:
            _CODE[module] = module
    return _CODE[module]


def parser_identity(parser: Any) -> str:
    """What a cache entry is keyed on besides the text: the model and the parser's code.

    `model_identity` of ``parser.spec`` plus `code_digest` of the parser (quotes/parse.py for the
    real one), so an edit to how parses are made or converted never serves an old parse.
    """
    return hashlib.sha256(f"{model_identity(parser.spec)}:{code_digest(parser)}".encode("ascii")).hexdigest()


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: Files of the package larger than this are named in `package_digest` by size and mtime, not
#: read: the parser's weights (``quotes/models/en``), which the parser identity names already.
DIGEST_READ_LIMIT = 4 << 20


def package_digest(root: str | None = None) -> str:
    """The sha256 of every file of the ``quotes`` package (modules, rules, word lists, the data
    files in ``quotes/models``, templates; not bytecode or dotfiles), or of the package folder
    ``root``. Files over `DIGEST_READ_LIMIT` count by size and mtime. Computed once per process.

    Part of every record-cache key: what the records of a parse are depends on the matcher, its
    rules, word lists and weights, the speaker resolver and the record itself, and hashing them
    all means no edit anywhere in the package can serve records made by other code."""
    return _package_scan(root)[0]


def package_changed_since_import() -> bool:
    """Whether a file of the package is newer than this process's first import of ``quotes``:
    then the code running here may not be the code `package_digest` hashed (an edit while a
    long-lived process, a test session say, runs), and the record cache must stay out of it."""
    import quotes

    return _package_scan(None)[1] > quotes._IMPORTED_NS


@functools.lru_cache(maxsize=None)
def _package_scan(root: str | None) -> tuple[str, int]:
    """(`package_digest`, the newest mtime in ns of the files it covers)."""
    here = Path(root) if root is not None else Path(__file__).resolve().parent
    newest = 0
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(here):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", ".pyo", "~")):
                continue
            path = Path(dirpath) / name
            h.update(path.relative_to(here).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            try:
                st = path.stat()
                newest = max(newest, st.st_mtime_ns)
                if st.st_size > DIGEST_READ_LIMIT:
                    h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
                else:
                    h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"unreadable")
    return h.hexdigest(), newest


def record_context(parse_id: str, model_name: str, options: dict[str, Any], kinds: Any) -> str:
    """What a record-cache entry is keyed on besides the article: the parser identity
    (`parser_identity`), the package's code (`package_digest`), the model name the records carry,
    the matcher options (`quotes.extractor.ExtractorConfig.matcher_options`) and the kinds kept
    (None: every kind)."""
    parts = [f"records={RECORD_FORMAT}", f"code={package_digest()}", f"parse={parse_id}", f"model={model_name}",
             f"options={sorted(options.items())!r}", f"kinds={sorted(kinds) if kinds is not None else None!r}"]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


# --- encoding ------------------------------------------------------------------------------------


def _frame(payload: bytes, magic: bytes, fmt: int) -> bytes:
    """An entry file: the header line ``MAGIC <format> <sha256 of payload>``, then the payload."""
    return b"%s %d %s\n" % (magic, fmt, hashlib.sha256(payload).hexdigest().encode("ascii")) + payload


def _unframe(data: bytes, magic: bytes, fmt: int) -> list:
    """The JSON payload of an entry written by `_frame` (a list of six fields); raises
    `CorruptEntry` on a missing or foreign header, another format, a checksum mismatch or bad JSON."""
    newline = data.find(b"\n", 0, 128)
    if newline < 0:
        raise CorruptEntry("no header")
    header = data[:newline].split(b" ")
    if len(header) != 3 or header[0] != magic:
        raise CorruptEntry("bad header")
    if header[1] != str(fmt).encode():
        raise CorruptEntry(f"format {header[1]!r}, expected {fmt}")
    payload = data[newline + 1:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != header[2]:
        raise CorruptEntry("checksum mismatch")
    try:
        obj = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise CorruptEntry(f"not JSON ({exc})") from None
    if not isinstance(obj, list) or len(obj) != 6:
        raise CorruptEntry("bad payload")
    return obj


def encode_entry(text: str, model_id: str, sentences: Sequence[Sentence], *, text_sha: str | None = None) -> bytes:
    """The bytes of a cache file for ``sentences`` of ``text`` (header line + payload)."""
    table: dict[str | None, int] = {}  # upos, deprel, xpos, feats -> index into the string table

    def ref(value: str | None) -> int:
        i = table.get(value)
        if i is None:
            i = table[value] = len(table)
        return i

    sents = []
    for s in sentences:
        words = []
        for w in s.words:
            words.append((
                w.id, None if w.text == text[w.start:w.end] else w.text,
                None if w.lemma == w.text else w.lemma, ref(w.upos), w.head, ref(w.deprel), w.start, w.end,
                ref(w.xpos), ref(w.feats),
            ))
        sents.append((s.index, s.paragraph, s.parsed, words))
    payload = orjson.dumps((FORMAT, model_id, text_sha or text_digest(text), len(text), list(table), sents))
    return _frame(payload, MAGIC, FORMAT)


_INT = {int}
_STR_OR_NONE = {str, type(None)}


def decode_entry(data: bytes, text: str, model_id: str, *, text_sha: str | None = None) -> list[Sentence]:
    """The sentences stored in ``data``; raises `CorruptEntry` unless every check passes.

    Checks: header, format, checksum, JSON, model and text identity, and for every word the
    field types, ``id`` = position, ``0 <= head <= len(sentence)``, ``0 <= start <= end <= len(text)``
    and string-table references. Done column-wise (C loops), as this runs for every cached article.
    """
    obj = _unframe(data, MAGIC, FORMAT)
    fmt, mid, tsha, tlen, table, sents = obj
    if fmt != FORMAT:
        raise CorruptEntry(f"payload format {fmt!r}")
    if mid != model_id:
        raise CorruptEntry("another model's entry")
    if tlen != len(text) or tsha != (text_sha or text_digest(text)):
        raise CorruptEntry("another text's entry")
    if not isinstance(sents, list) or not isinstance(table, list) or not set(map(type, table)) <= _STR_OR_NONE:
        raise CorruptEntry("bad sentences or string table")
    n_text, n_table = len(text), len(table)
    lookup = table.__getitem__
    out: list[Sentence] = []
    try:
        for index, paragraph, parsed, rows in sents:
            if (type(index) is not int or type(paragraph) is not int or type(parsed) is not bool
                    or not isinstance(rows, list)):
                raise CorruptEntry("bad sentence")
            if not rows:
                out.append(Sentence(words=(), index=index, paragraph=paragraph, parsed=parsed))
                continue
            n = len(rows)
            if set(map(len, rows)) != {10}:
                raise CorruptEntry("word rows of the wrong length")
            ids, texts, lemmas, upos, heads, deprels, starts, ends, xpos, feats = zip(*rows)
            refs = upos + deprels + xpos + feats
            if not set(map(type, ids + heads + starts + ends + refs)) <= _INT:
                raise CorruptEntry("non-integer word fields")
            if (ids != tuple(range(1, n + 1)) or min(heads) < 0 or max(heads) > n or min(starts) < 0
                    or max(ends) > n_text or not all(map(int.__le__, starts, ends))
                    or min(refs) < 0 or max(refs) >= n_table):
                raise CorruptEntry("word ids, heads, offsets or string references out of range")
            if not (set(map(type, texts)) <= _STR_OR_NONE and set(map(type, lemmas)) <= _STR_OR_NONE):
                raise CorruptEntry("bad word text or lemma")
            upos_s = list(map(lookup, upos))
            deprel_s = list(map(lookup, deprels))
            if None in upos_s or None in deprel_s:
                raise CorruptEntry("missing upos or deprel")
            texts = [text[a:b] if t is None else t for t, a, b in zip(texts, starts, ends)]
            lemmas = [t if lem is None else lem for lem, t in zip(lemmas, texts)]
            words = tuple(map(Word, ids, texts, lemmas, upos_s, heads, deprel_s, starts, ends,
                              map(lookup, xpos), map(lookup, feats)))
            out.append(Sentence(words=words, index=index, paragraph=paragraph, parsed=parsed))
    except (TypeError, ValueError):  # wrong arity or shape
        raise CorruptEntry("bad sentence structure") from None
    return out


def encode_records(text: str, article: str, context: str, quotes: Sequence[Quote], *,
                   text_sha: str | None = None) -> bytes | None:
    """The bytes of a record-cache file for ``quotes`` of ``article`` (header line + payload), or
    None when the records would not come back exactly as they are (a value JSON cannot hold)."""
    records = [q.to_dict() for q in quotes]
    payload = orjson.dumps((RECORD_FORMAT, context, article, text_sha or text_digest(text), len(text), records))
    if orjson.loads(payload)[5] != records:
        return None
    return _frame(payload, RECORD_MAGIC, RECORD_FORMAT)


_SPAN_KEYS = ("text", "start", "end")
_VERB_KEYS = ("text", "lemma", "start", "end")
_KINDS = frozenset(("direct", "partial", "indirect", "other"))


def _offsets_ok(text: str, piece: dict) -> bool:
    """``piece["start"]`` and ``piece["end"]`` are offsets into ``text`` that give ``piece["text"]``."""
    start, end = piece["start"], piece["end"]
    return (type(start) is int and type(end) is int and 0 <= start <= end <= len(text)
            and text[start:end] == piece["text"])


def _piece_ok(text: str, piece: Any, keys: tuple[str, ...]) -> bool:
    """``piece`` is None, or a dict with exactly ``keys`` whose offsets give its text in ``text``."""
    if piece is None:
        return True
    return (type(piece) is dict and tuple(piece) == keys and _offsets_ok(text, piece)
            and ("lemma" not in piece or type(piece["lemma"]) is str))


def decode_records(data: bytes, text: str, article: str, context: str, *, text_sha: str | None = None) -> list[Quote]:
    """The records stored in ``data``; raises `CorruptEntry` unless every check passes.

    Checks: header, format, checksum, JSON, context, article and text identity, and for every
    record its keys (all of `quotes.record.RECORD_KEYS`, in order), its article, kind and the
    types of its numbers, and that the offsets of its text, speaker span, verb and cue give their
    text in the article."""
    obj = _unframe(data, RECORD_MAGIC, RECORD_FORMAT)
    fmt, ctx, art, tsha, tlen, records = obj
    if fmt != RECORD_FORMAT or ctx != context:
        raise CorruptEntry("another format's or context's entry")
    if art != article or tlen != len(text) or tsha != (text_sha or text_digest(text)):
        raise CorruptEntry("another article's entry")
    if not isinstance(records, list):
        raise CorruptEntry("bad records")
    out: list[Quote] = []
    for d in records:
        if type(d) is not dict or tuple(d) != RECORD_KEYS:
            raise CorruptEntry("a record without its keys")
        if (d["article"] != article or d["kind"] not in _KINDS or type(d["index"]) is not int
                or type(d["paragraph"]) is not int or type(d["schema_version"]) is not int
                or not _offsets_ok(text, d)
                or not all(d[k] is None or type(d[k]) is int for k in ("sentence", "utterance"))
                or not all(d[k] is None or type(d[k]) is str for k in ("speaker", "cue_family", "rule", "model"))
                or not (d["confidence"] is None or type(d["confidence"]) in (int, float))
                or not _piece_ok(text, d["speaker_span"], _SPAN_KEYS) or not _piece_ok(text, d["verb"], _VERB_KEYS)
                or not _piece_ok(text, d["cue"], _SPAN_KEYS)):
            raise CorruptEntry("a record whose values or offsets do not fit the article")
        out.append(Quote.from_dict(d))
    return out


# --- the store -----------------------------------------------------------------------------------


@dataclass
class CacheStats:
    """What a run did with the cache (added up over batches and workers)."""

    #: articles the cache served (their parse, or straight their records), articles parsed,
    #: corrupt entries (parses or records) replaced, parses written, and of the hits those served
    #: with their records
    hits: int = 0
    parsed: int = 0
    corrupt: int = 0
    written: int = 0
    records: int = 0

    def add(self, other: "CacheStats | dict") -> None:
        d = other if isinstance(other, dict) else other.__dict__
        for k in ("hits", "parsed", "corrupt", "written", "records"):
            setattr(self, k, getattr(self, k) + int(d.get(k, 0)))

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Usage:
    root: Path
    entries: int
    bytes: int


class ParseCache:
    """Parsed articles on disk under ``root/parses``, and their records under ``root/records``
    (see the module docstring).

    ``on_warning`` gets one message the first time the cache has to be turned off (an I/O error);
    after that the cache does nothing and every article is parsed.
    """

    def __init__(self, root: str | os.PathLike | None = None, *,
                 on_warning: Callable[[str], None] | None = None):
        self.root = Path(root).expanduser() if root is not None else default_cache_dir()
        self.folder = self.root / PARSES
        self.on_warning = on_warning
        self.disabled = False
        self.warning: str | None = None
        self.stats = CacheStats()

    # pickled into parallel workers without the callback
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["on_warning"] = None
        return state

    def _disable(self, exc: BaseException, doing: str) -> None:
        if self.disabled:
            return
        self.disabled = True
        if isinstance(exc, OSError):
            reason = exc.strerror or exc.__class__.__name__
            hint = "fix the folder's permissions, pass --cache-dir DIR, or --no-cache"
        else:
            reason, hint = str(exc), "--no-cache hides this warning"
        where = getattr(exc, "filename", None) or self.folder
        self.warning = f"warning: parse cache {where}: cannot {doing} ({reason}); going on without the cache ({hint})"
        if self.on_warning is not None:
            self.on_warning(self.warning)

    def check(self) -> "ParseCache":
        """Make sure entries can be written here; raises `CacheUnavailable` otherwise."""
        problem = layout_problem()
        if problem:
            raise CacheUnavailable(problem)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tag = self.root / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                               "# This folder is the parse cache of `quotes` (`quotes cache clear` empties it).\n")
            fd, probe = tempfile.mkstemp(prefix=".probe-", dir=self.folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise CacheUnavailable(
                f"parse cache {exc.filename or self.folder}: cannot be written ({reason}); fix the folder's "
                "permissions, pass --cache-dir DIR, or --no-cache"
            ) from None
        return self

    @staticmethod
    def key(model_id: str, text_sha: str) -> str:
        return hashlib.sha256(f"{model_id}:{text_sha}".encode("ascii")).hexdigest()

    def path_for(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:4] / (key + SUFFIX)

    @staticmethod
    def record_key(context: str, article: str, text_sha: str) -> str:
        return hashlib.sha256(f"{context}:{text_sha}:{article}".encode("utf-8", "surrogatepass")).hexdigest()

    def record_path(self, key: str) -> Path:
        return self.root / RECORDS / key[:2] / key[2:4] / (key + RECORD_SUFFIX)

    def _read(self, path: Path, decode: Callable[[bytes], Any]) -> Any:
        """``decode(bytes of path)``, or None (missing; corrupt -> deleted, counted)."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            data = b""  # unreadable: treat as corrupt (replaced below, or the cache turns off)
        try:
            return decode(data)
        except CorruptEntry:
            self.stats.corrupt += 1
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                self._disable(exc, "remove a corrupt entry")
            return None

    def get(self, text: str, model_id: str, *, text_sha: str | None = None) -> list[Sentence] | None:
        """The cached sentences of ``text``, or None (missing, corrupt -> deleted, or cache off)."""
        if self.disabled:
            return None
        text_sha = text_sha or text_digest(text)
        sentences = self._read(self.path_for(self.key(model_id, text_sha)),
                               lambda data: decode_entry(data, text, model_id, text_sha=text_sha))
        if sentences is not None:
            self.stats.hits += 1
        return sentences

    def get_records(self, text: str, article: str, context: str, *, text_sha: str | None = None) -> list[Quote] | None:
        """The cached records of ``article`` (whose text is ``text``) under ``context``
        (`record_context`), or None (missing, corrupt -> deleted, or cache off)."""
        if self.disabled:
            return None
        text_sha = text_sha or text_digest(text)
        quotes = self._read(self.record_path(self.record_key(context, article, text_sha)),
                            lambda data: decode_records(data, text, article, context, text_sha=text_sha))
        if quotes is not None:
            self.stats.hits += 1
            self.stats.records += 1
        return quotes

    def put(self, text: str, model_id: str, sentences: Sequence[Sentence], *, text_sha: str | None = None) -> None:
        if self.disabled:
            return
        data = encode_entry(text, model_id, sentences, text_sha=text_sha)
        if self._write(self.path_for(self.key(model_id, text_sha or text_digest(text))), data, SUFFIX):
            self.stats.written += 1

    def put_records(self, text: str, article: str, context: str, quotes: Sequence[Quote], *,
                    text_sha: str | None = None) -> None:
        """Keep ``quotes``, the records of ``article``, under ``context`` (`record_context`)."""
        if self.disabled:
            return
        text_sha = text_sha or text_digest(text)
        data = encode_records(text, article, context, quotes, text_sha=text_sha)
        if data is not None:
            self._write(self.record_path(self.record_key(context, article, text_sha)), data, RECORD_SUFFIX)

    def _write(self, path: Path, data: bytes, suffix: str) -> bool:
        """Write ``data`` to ``path`` atomically; False (and the cache off) on an I/O error."""
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
            tmp = None
            return True
        except OSError as exc:
            self._disable(exc, "write an entry")
            return False
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def usage(self) -> Usage:
        """Entries and bytes under ``parses`` (temporary files left by a killed run included in bytes)."""
        return self._usage(self.folder, SUFFIX)

    def record_usage(self) -> Usage:
        """Entries and bytes under ``records``, as `usage`."""
        return self._usage(self.root / RECORDS, RECORD_SUFFIX)

    def _usage(self, folder: Path, suffix: str) -> Usage:
        entries = size = 0
        if folder.is_dir():
            for dirpath, _dirs, files in os.walk(folder):
                for name in files:
                    try:
                        size += os.stat(os.path.join(dirpath, name)).st_size
                    except OSError:
                        continue
                    if name.endswith(suffix) and not name.startswith("."):
                        entries += 1
        return Usage(self.root, entries, size)

    def clear(self) -> Usage:
        """Delete every entry, parses and records; returns what ``parses`` held (`usage`; the
        records: `record_usage` before). Raises OSError if it cannot."""
        before = self.usage()
        for folder in (self.folder, self.root / RECORDS):
            if folder.exists():
                shutil.rmtree(folder)
        return before


class CachedParser:
    """A parser (``parse_many`` + ``spec``) with a `ParseCache` in front of it.

    Hits are read from the cache; the misses of a batch go to the wrapped parser in one
    ``parse_many`` call (the wrapped parser, and so stanza, is not touched when there are none).
    """

    def __init__(self, parser: Any, cache: ParseCache):
        self.parser = parser
        self.cache = cache
        self._model_id: str | None = None

    @property
    def spec(self) -> Any:
        return self.parser.spec

    @property
    def stats(self) -> CacheStats:
        return self.cache.stats

    @property
    def model_id(self) -> str:
        """`parser_identity` of the wrapped parser (computed once)."""
        if self._model_id is None:
            self._model_id = parser_identity(self.parser)
        return self._model_id

    def parse_many(self, texts: Sequence[str]) -> list[list[Sentence]]:
        if not self.cache.disabled and layout_problem():
            self.cache._disable(CacheUnavailable(layout_problem()), "store these parses")
        if self.cache.disabled:
            self.cache.stats.parsed += len(texts)
            return self.parser.parse_many(texts)
        model_id = self.model_id
        shas = [text_digest(t) for t in texts]
        results: list[list[Sentence] | None] = [None] * len(texts)
        todo: dict[str, list[int]] = {}  # text sha -> indexes (a text repeated in a batch is parsed once)
        for i, (text, sha) in enumerate(zip(texts, shas)):
            if sha in todo:
                todo[sha].append(i)
                continue
            got = self.cache.get(text, model_id, text_sha=sha)
            if got is None:
                todo[sha] = [i]
            else:
                results[i] = got
        if todo:
            firsts = [idx[0] for idx in todo.values()]
            parsed = self.parser.parse_many([texts[i] for i in firsts])
            self.cache.stats.parsed += len(firsts)
            for first, sentences in zip(firsts, parsed):
                self.cache.put(texts[first], model_id, sentences, text_sha=shas[first])
                for i in todo[shas[first]]:
                    results[i] = sentences
        return results  # type: ignore[return-value]


def format_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
