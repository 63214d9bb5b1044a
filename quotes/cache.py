"""A parse cache: parsed `Sentence` views on disk, so an unchanged article is never parsed twice.

Where: ``$QUOTES_CACHE_DIR`` when set, else the platform's user cache folder (``$XDG_CACHE_HOME/quotes``
or ``~/.cache/quotes`` on Linux, ``~/Library/Caches/quotes`` on macOS, ``%LOCALAPPDATA%\\quotes\\Cache``
on Windows); ``quotes extract --cache-dir DIR`` overrides both. Parses live in ``<root>/parses``.

Layout: one file per article at ``parses/<k[0:2]>/<k[2:4]>/<k>.qp``, where ``k`` is
``sha256(model identity + sha256(article text))``. A file is one header line
``QPARSE <format> <sha256 of payload>`` and an orjson payload::

    [format, model_id, text_sha256, len(text), [[sentence index, paragraph, [word, ...]], ...]]

with each word a tuple ``(id, text|null, lemma|null, upos, head, deprel, start, end, xpos, feats)``
(``text`` null when it is ``article[start:end]``, ``lemma`` null when it equals the word's text).
Files are written to a temporary file beside the entry and moved into place with `os.replace`, so
readers see a whole entry or none.

Invalidation is by key: different text or a different model identity (`model_identity`: the
model's name and kind, the sha256s of the shipped manifest, or the paths, sizes and mtimes of
stanza's official model files, plus the stanza version and `FORMAT`) is a different file. An
entry that is truncated, not JSON, fails its checksum, has another format version, belongs to
another text or model, or holds offsets outside its text is deleted and parsed again: a cache
entry is never trusted on sight. Stale entries are only removed by ``quotes cache clear``.

Errors: an unusable cache folder (read-only, not a folder, disk full) turns the cache off for
the run and reports one warning through ``on_warning``; it never ends a run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import orjson

from .tree import Sentence, Word

#: Bump when the stored form or the Parser's conversion of a stanza parse changes.
FORMAT = 1
CACHE_ENV = "QUOTES_CACHE_DIR"
MAGIC = b"QPARSE"
SUFFIX = ".qp"
PARSES = "parses"


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


def _stanza_version() -> str:
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
        folders = {Path(p).parent for p in paths.values()}
        for folder in sorted(folders):
            manifest = folder / "manifest.json"
            try:
                files = orjson.loads(manifest.read_bytes())["files"]
                parts.extend(f"{proc}={files[proc]['file']}:{files[proc]['sha256']}" for proc in sorted(files))
                continue
            except (OSError, ValueError, KeyError, TypeError):
                pass  # no usable manifest: fall back to the files themselves
        for proc in sorted(paths):
            parts.append(f"{proc}={_file_facts(Path(paths[proc]))}")
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


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- encoding ------------------------------------------------------------------------------------


def encode_entry(text: str, model_id: str, sentences: Sequence[Sentence], *, text_sha: str | None = None) -> bytes:
    """The bytes of a cache file for ``sentences`` of ``text`` (header line + payload)."""
    sents = []
    for s in sentences:
        words = []
        for w in s.words:
            words.append((
                w.id, None if w.text == text[w.start:w.end] else w.text,
                None if w.lemma == w.text else w.lemma, w.upos, w.head, w.deprel, w.start, w.end,
                w.xpos, w.feats,
            ))
        sents.append((s.index, s.paragraph, words))
    payload = orjson.dumps((FORMAT, model_id, text_sha or text_digest(text), len(text), sents))
    return b"%s %d %s\n" % (MAGIC, FORMAT, hashlib.sha256(payload).hexdigest().encode("ascii")) + payload


def _is_int(x: Any) -> bool:
    return type(x) is int


def _opt_str(x: Any) -> bool:
    return x is None or type(x) is str


def decode_entry(data: bytes, text: str, model_id: str, *, text_sha: str | None = None) -> list[Sentence]:
    """The sentences stored in ``data``; raises `CorruptEntry` unless every check passes."""
    newline = data.find(b"\n", 0, 128)
    if newline < 0:
        raise CorruptEntry("no header")
    header = data[:newline].split(b" ")
    if len(header) != 3 or header[0] != MAGIC:
        raise CorruptEntry("bad header")
    if header[1] != str(FORMAT).encode():
        raise CorruptEntry(f"format {header[1]!r}, expected {FORMAT}")
    payload = data[newline + 1:]
    if hashlib.sha256(payload).hexdigest().encode("ascii") != header[2]:
        raise CorruptEntry("checksum mismatch")
    try:
        obj = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise CorruptEntry(f"not JSON ({exc})") from None
    if not isinstance(obj, list) or len(obj) != 5:
        raise CorruptEntry("bad payload")
    fmt, mid, tsha, tlen, sents = obj
    if fmt != FORMAT:
        raise CorruptEntry(f"payload format {fmt!r}")
    if mid != model_id:
        raise CorruptEntry("another model's entry")
    if tlen != len(text) or tsha != (text_sha or text_digest(text)):
        raise CorruptEntry("another text's entry")
    if not isinstance(sents, list):
        raise CorruptEntry("bad sentences")
    n_text = len(text)
    out: list[Sentence] = []
    try:
        for index, paragraph, rows in sents:
            if not (_is_int(index) and _is_int(paragraph) and isinstance(rows, list)):
                raise CorruptEntry("bad sentence")
            n = len(rows)
            words = []
            for i, row in enumerate(rows):
                wid, wtext, lemma, upos, head, deprel, start, end, xpos, feats = row
                if not (_is_int(wid) and wid == i + 1 and _is_int(head) and 0 <= head <= n
                        and _is_int(start) and _is_int(end) and 0 <= start <= end <= n_text):
                    raise CorruptEntry("word ids, heads or offsets out of range")
                if wtext is None:
                    wtext = text[start:end]
                if lemma is None:
                    lemma = wtext
                if not (type(wtext) is str and type(lemma) is str and type(upos) is str
                        and type(deprel) is str and _opt_str(xpos) and _opt_str(feats)):
                    raise CorruptEntry("bad word fields")
                words.append(Word(id=wid, text=wtext, lemma=lemma, upos=upos, head=head, deprel=deprel,
                                  start=start, end=end, xpos=xpos, feats=feats))
            out.append(Sentence(words=tuple(words), index=index, paragraph=paragraph))
    except (TypeError, ValueError):  # wrong arity or shape
        raise CorruptEntry("bad sentence structure") from None
    return out


# --- the store -----------------------------------------------------------------------------------


@dataclass
class CacheStats:
    """What a run did with the cache (added up over batches and workers)."""

    hits: int = 0
    parsed: int = 0
    corrupt: int = 0
    written: int = 0

    def add(self, other: "CacheStats | dict") -> None:
        d = other if isinstance(other, dict) else other.__dict__
        for k in ("hits", "parsed", "corrupt", "written"):
            setattr(self, k, getattr(self, k) + int(d.get(k, 0)))

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Usage:
    root: Path
    entries: int
    bytes: int


class ParseCache:
    """Parsed articles on disk under ``root/parses`` (see the module docstring).

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
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        where = getattr(exc, "filename", None) or self.folder
        self.warning = (f"warning: parse cache {where}: cannot {doing} ({reason}); going on without the "
                        f"cache (fix the folder's permissions, pass --cache-dir DIR, or --no-cache)")
        if self.on_warning is not None:
            self.on_warning(self.warning)

    def check(self) -> "ParseCache":
        """Make sure entries can be written here; raises `CacheUnavailable` otherwise."""
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

    def get(self, text: str, model_id: str, *, text_sha: str | None = None) -> list[Sentence] | None:
        """The cached sentences of ``text``, or None (missing, corrupt -> deleted, or cache off)."""
        if self.disabled:
            return None
        text_sha = text_sha or text_digest(text)
        path = self.path_for(self.key(model_id, text_sha))
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            data = b""  # unreadable: treat as corrupt (replaced below, or the cache turns off)
        try:
            sentences = decode_entry(data, text, model_id, text_sha=text_sha)
        except CorruptEntry:
            self.stats.corrupt += 1
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                self._disable(exc, "remove a corrupt entry")
            return None
        self.stats.hits += 1
        return sentences

    def put(self, text: str, model_id: str, sentences: Sequence[Sentence], *, text_sha: str | None = None) -> None:
        if self.disabled:
            return
        data = encode_entry(text, model_id, sentences, text_sha=text_sha)
        path = self.path_for(self.key(model_id, text_sha or text_digest(text)))
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
            tmp = None
            self.stats.written += 1
        except OSError as exc:
            self._disable(exc, "write an entry")
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def usage(self) -> Usage:
        """Entries and bytes under ``parses`` (temporary files left by a killed run included in bytes)."""
        entries = size = 0
        if self.folder.is_dir():
            for dirpath, _dirs, files in os.walk(self.folder):
                for name in files:
                    try:
                        size += os.stat(os.path.join(dirpath, name)).st_size
                    except OSError:
                        continue
                    if name.endswith(SUFFIX) and not name.startswith("."):
                        entries += 1
        return Usage(self.root, entries, size)

    def clear(self) -> Usage:
        """Delete every entry; returns what was there. Raises OSError if it cannot."""
        before = self.usage()
        if self.folder.exists():
            shutil.rmtree(self.folder)
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
        if self._model_id is None:
            self._model_id = model_identity(self.parser.spec)
        return self._model_id

    def parse_many(self, texts: Sequence[str]) -> list[list[Sentence]]:
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
