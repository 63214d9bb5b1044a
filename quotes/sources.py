"""Finding and decoding inputs: files, folders, glob patterns and stdin -> `Article`.

This is the only place that reads article files. Bad inputs are not exceptions that end a run:
`iter_articles` yields a `SourceError` for each, naming the file and what to do, and goes on.
"""

from __future__ import annotations

import errno
import glob
import itertools
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from .jsonl import iter_lines

#: File suffixes read from folders (a file named explicitly is read whatever its suffix).
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class Article:
    """One article: ``id`` is what records carry in ``article``; ``text`` is exactly as read."""

    id: str
    text: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class SourceError:
    """An input that could not be read; ``message`` says what to do."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def expand_paths(paths: Iterable[str]) -> Iterator[tuple[Path | None, Path | str]]:
    """Yield ``(root, file)`` for each input, sorted within each argument; ``"-"`` is stdin.

    ``root`` is the folder an article id is made relative to (None for a file named directly).
    A path that does not exist yields it as a plain string so the caller can report it.
    """
    for raw in paths:
        if raw == "-":
            yield None, "-"
            continue
        path = Path(raw)
        if path.is_dir():
            # every entry with an article suffix that is not a folder: a dangling or looping link,
            # an unreadable or special file is yielded too, so that reading it reports it
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES and not p.is_dir()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            for p in found:
                yield path, p
        elif path.exists() or path.is_symlink():
            yield None, path
        elif _is_glob(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield None, raw
            for m in matches:
                if Path(m).is_file():
                    yield None, Path(m)
        else:
            yield None, raw


def decode(data: bytes, *, encoding: str = "utf-8") -> str:
    """Decode article bytes; a UTF-8 byte-order mark is dropped (it is not part of the text).

    Raises ``ValueError`` with a message that says what to do.
    """
    if b"\x00" in data[:8192] and not encoding.lower().replace("-", "").startswith("utf16"):
        raise ValueError("looks like a binary file, not text; pass only .txt or .jsonl articles")
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"is not valid {encoding} (byte {exc.start}); pass --encoding with the file's encoding"
        ) from None
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}; pass a Python codec name to --encoding") from None


def _article_id(root: Path | None, path: Path) -> str:
    if root is None:
        return str(path)
    return path.relative_to(root).as_posix()


def _read_jsonl(
    lines: Iterable[bytes], name: str, *, text_field: str, id_field: str
) -> Iterator[Article | SourceError]:
    """One article per line, read line by line: a corpus file is never held in memory whole."""
    for lineno, obj, exc in iter_lines(lines):
        if exc is not None:
            yield SourceError(f"{name}:{lineno}", f"is not valid JSON ({exc}); fix or remove the line")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get(text_field), str):
            yield SourceError(
                f"{name}:{lineno}",
                f"has no string field {text_field!r}; name the text field with --text-field",
            )
            continue
        ident = obj.get(id_field)
        article_id = str(ident) if ident is not None else f"{name}:{lineno}"
        yield Article(id=article_id, text=obj[text_field], path=name)


def iter_articles(
    paths: Iterable[str],
    *,
    encoding: str = "utf-8",
    text_field: str = "text",
    id_field: str = "id",
    stdin: BinaryIO | None = None,
) -> Iterator[Article | SourceError]:
    """Read every input in order; yield an `Article` per article, a `SourceError` per bad input.

    ``.jsonl``/``.ndjson`` files hold one article per line (``text_field`` and ``id_field``);
    anything else is read as one plain-text article. ``-`` reads stdin (JSONL when its first
    non-blank byte is ``{``, else one text article with id ``-``).
    """
    yield from iter_inputs(expand_paths(paths), encoding=encoding, text_field=text_field,
                           id_field=id_field, stdin=stdin)


def iter_inputs(
    inputs: Iterable[tuple[Path | None, Path | str]],
    *,
    encoding: str = "utf-8",
    text_field: str = "text",
    id_field: str = "id",
    stdin: BinaryIO | None = None,
) -> Iterator[Article | SourceError]:
    """`iter_articles` over inputs already found by `expand_paths` (``(root, file)`` pairs): the
    same articles, ids and errors, so a share of the inputs can be read elsewhere (a Dask worker)
    and its records still match a run over all of them."""
    for root, path in inputs:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            first = stream.readline()
            while first and not first.strip():
                first = stream.readline()
            if first.lstrip().startswith(b"{"):
                yield from _read_jsonl(itertools.chain([first], stream), "-",
                                       text_field=text_field, id_field=id_field)
                continue
            data = first + stream.read()
            try:
                yield Article(id="-", text=decode(data, encoding=encoding), path="-")
            except ValueError as exc:
                yield SourceError("-", str(exc))
            continue
        if isinstance(path, str):
            yield SourceError(path, "no such file or folder; check the path or quote the glob pattern")
            continue
        name = str(path)
        problem = _not_readable(path, in_folder=root is not None)
        if problem is not None:
            yield SourceError(name, problem)
            continue
        if path.suffix.lower() in JSONL_SUFFIXES:
            try:
                with path.open("rb") as handle:
                    yield from _read_jsonl(handle, name, text_field=text_field, id_field=id_field)
            except OSError as exc:
                reason = exc.strerror or exc.__class__.__name__
                yield SourceError(name, f"cannot be read ({reason}); check its permissions")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            yield SourceError(name, f"cannot be read ({reason}); check its permissions")
            continue
        try:
            text = decode(data, encoding=encoding)
        except ValueError as exc:
            yield SourceError(name, str(exc))
            continue
        yield Article(id=_article_id(root, path), text=text, path=name)


def _not_readable(path: Path, *, in_folder: bool) -> str | None:
    """What is wrong with ``path`` before it is opened (None: try to read it).

    A link that leads nowhere or in a circle says so; inside a folder, a FIFO, socket or device
    is reported instead of opened (reading a FIFO would wait forever). Named directly, such a
    file is read (``quotes extract <(zcat a.txt.gz)`` passes a pipe).
    """
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself; fix or remove the link"
        if path.is_symlink() and exc.errno == errno.ENOENT:
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"is a broken symbolic link (to {target}, which does not exist); fix or remove the link"
        reason = exc.strerror or exc.__class__.__name__
        return f"cannot be read ({reason}); check the path and its permissions"
    if in_folder and not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a file")
        return f"is {kind}, not a regular file; it is skipped (move it out of the folder)"
    return None


def relative_to_cwd(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path
