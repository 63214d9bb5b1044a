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
