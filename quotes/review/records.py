"""Reading quote records back for review, and checking them against their article text.

Records are plain dicts in the JSONL schema of `quotes.record` (a `Quote` is turned into one with
``to_dict``). Nothing here reads files: the caller passes bytes and texts in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import orjson

from ..jsonl import checked_objects

Record = dict[str, Any]

UNATTRIBUTED = "(unattributed)"

_REQUIRED = {"article": str, "kind": str, "text": str, "start": int, "end": int}
_SPAN_KEYS = ("speaker_span", "verb", "cue")


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that cannot be drawn: its offsets do not match its article text."""

    article: str
    index: Any  # the record's ``index`` (whatever the file said)
    message: str

    def __str__(self) -> str:
        return f"{self.article}: record {self.index}: {self.message}"


def as_record(item: Any) -> Record:
    """A record dict from a `quotes.Quote` (or anything with ``to_dict``) or a dict."""
    if isinstance(item, Mapping):
        return dict(item)
    to_dict = getattr(item, "to_dict", None)
    if to_dict is None:
        raise TypeError(f"not a quote record: {item!r}")
    return to_dict()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def record_error(obj: Any) -> str | None:
    """Why ``obj`` is not a usable quote record (None when it is)."""
    if not isinstance(obj, dict):
        return "is not a JSON object"
    for key, typ in _REQUIRED.items():
        if key not in obj:
            return f"has no {key!r} key"
        value = obj[key]
        if (typ is int and not _is_int(value)) or (typ is not int and not isinstance(value, typ)):
            return f"has a non-{typ.__name__} {key!r}"
    if obj.get("speaker") is not None and not isinstance(obj["speaker"], str):
        return "has a non-string 'speaker'"
    if obj.get("utterance") is not None and not _is_int(obj["utterance"]):
        return "has a non-integer 'utterance'"
    for key in _SPAN_KEYS:
        span = obj.get(key)
        if span is None:
            continue
        if not isinstance(span, dict) or not isinstance(span.get("text"), str) or not (
            _is_int(span.get("start")) and _is_int(span.get("end"))
        ):
            return f"has a malformed {key!r} (want text, start, end)"
    return None


def parse_records(data: bytes, name: str) -> tuple[list[Record], list[str]]:
    """Records from JSONL bytes, and one message per bad line (``name:line: ...``).

    Blank lines are skipped. A bad line does not stop the reading.
    """
    records: list[Record] = []
    errors: list[str] = []
    for _lineno, obj in checked_objects(data, name, record_error, "not a `quotes extract` record", errors):
        records.append(obj)
    return records, errors


def group_by_article(records: Iterable[Any]) -> dict[str, list[Record]]:
    """Records per article id, articles in order of first appearance, records in file order."""
    groups: dict[str, list[Record]] = {}
    for item in records:
        rec = as_record(item)
        groups.setdefault(rec["article"], []).append(rec)
    return groups


def _show(text: str, limit: int = 40) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return orjson.dumps(text).decode()


def _span_problem(text: str, what: str, span_text: Any, start: Any, end: Any) -> str | None:
    if not (_is_int(start) and _is_int(end)) or not 0 <= start <= end <= len(text):
        return f"{what} offsets {start}-{end} are outside the article text ({len(text)} characters)"
    if text[start:end] != span_text:
        return (f"{what} offsets {start}-{end} do not match the article text: record has "
                f"{_show(str(span_text))}, article has {_show(text[start:end])}")
    return None


def offset_problem(text: str, rec: Record) -> str | None:
    """Why ``rec`` does not fit ``text`` (quote, speaker, verb or cue offsets), or None."""
    why = _span_problem(text, "quote", rec.get("text"), rec.get("start"), rec.get("end"))
    if why:
        return why
    for key, what in (("speaker_span", "speaker"), ("verb", "verb"), ("cue", "cue")):
        span = rec.get(key)
        if span:
            why = _span_problem(text, what, span.get("text"), span.get("start"), span.get("end"))
            if why:
                return why
    return None


def check_records(text: str, records: Iterable[Record]) -> tuple[list[Record], list[Problem]]:
    """Split ``records`` of one article into those that fit ``text`` and `Problem`s for the rest."""
    good: list[Record] = []
    problems: list[Problem] = []
    for rec in records:
        why = offset_problem(text, rec)
        if why is None:
            good.append(rec)
        else:
            problems.append(Problem(rec.get("article", "?"), rec.get("index"), why))
    return good, problems
