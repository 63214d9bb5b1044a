"""Reading JSON Lines, one place for every reader (articles, records to score or review)."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import orjson


def iter_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, Any, orjson.JSONDecodeError | None]]:
    """``(line number, object, error)`` for each non-blank line, numbered from 1.

    A line that is not JSON gives ``(n, None, error)``; the caller says what to do about it.
    """
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield lineno, orjson.loads(line), None
        except orjson.JSONDecodeError as exc:
            yield lineno, None, exc


def checked_objects(data: bytes, name: str, check, what: str, errors: list[str]) -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for each line of ``data`` that is JSON and passes ``check`` (which
    returns why an object is bad, or None). A bad line adds one message to ``errors``:
    ``name:line: why; what, fix or remove the line`` — the reading goes on."""
    for lineno, obj, exc in iter_lines(data.splitlines()):
        if exc is not None:
            errors.append(f"{name}:{lineno}: is not valid JSON ({exc}); fix or remove the line")
            continue
        why = check(obj)
        if why is not None:
            errors.append(f"{name}:{lineno}: {why}; {what}, fix or remove the line")
            continue
        yield lineno, obj
