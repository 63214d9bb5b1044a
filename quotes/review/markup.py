"""Marked text as a flat, well-nested token stream, built from sorted boundary events.

Marks may nest (a cue containing its verb and speaker) or cross (a speaker mention that starts
inside one quote and ends outside it). `tokens` turns any set of marks into ``open``/``text``/
``close`` tokens whose tags nest properly: at each offset it closes the marks that end there
and opens the ones that start; when a mark ends while marks opened after it (the inner ones) are
still open, those are closed first and reopened just after, so the inner mark is split into
pieces. The concatenated ``text`` tokens are exactly the input text, so each piece sits exactly
where the record's offsets say. The templates turn tokens into HTML (with escaping).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Literal

#: Mark kinds, outermost first: with equal spans a quote encloses a cue, a cue its speaker/verb.
KIND_RANK = {"quote": 0, "cue": 1, "speaker": 2, "verb": 3}


@dataclass(slots=True, eq=False)
class Mark:
    """A span of the text to mark: ``kind`` picks the style, ``attrs`` become ``data-*``.

    ``id`` (an HTML id, optional) is put on the first piece only.
    """

    start: int
    end: int
    kind: str
    id: str | None = None
    classes: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)
    title: str | None = None

    @property
    def rank(self) -> int:
        return KIND_RANK.get(self.kind, len(KIND_RANK))


@dataclass(frozen=True, slots=True)
class Token:
    """``open`` (``first`` is False for a reopened piece), ``text`` or ``close``."""

    type: Literal["open", "text", "close"]
    text: str = ""
    mark: Mark | None = None
    first: bool = True
    last: bool = True  # for "open": no further piece of this mark follows


def tokens(text: str, marks: Iterable[Mark]) -> list[Token]:
    """The token stream for ``text`` with ``marks`` (offsets clamped to the text).

    Well-formed by construction: every ``open`` has its ``close``, nested properly.
    """
    n = len(text)
    todo: list[Mark] = []
    for m in marks:
        s, e = max(0, min(m.start, n)), max(0, min(m.end, n))
        if e < s:
            continue
        if (s, e) != (m.start, m.end):
            m = Mark(s, e, m.kind, m.id, m.classes, m.attrs, m.title)
        todo.append(m)
    # outer marks open first: earlier start, then longer, then kind rank, then input order
    order = {id(m): i for i, m in enumerate(todo)}
    todo.sort(key=lambda m: (m.start, -m.end, m.rank, order[id(m)]))
    starts: dict[int, list[Mark]] = {}
    for m in todo:
        starts.setdefault(m.start, []).append(m)
    bounds = sorted({0, n} | {m.start for m in todo} | {m.end for m in todo})

    out: list[tuple[str, Any, bool]] = []  # ("open", mark, first) / ("text", str) / ("close", mark)
    stack: list[Mark] = []
    opened: set[int] = set()
    pos = 0
    for p in bounds:
        if p > pos:
            out.append(("text", text[pos:p], False))
            pos = p
        if any(m.end == p for m in stack):
            reopen: list[Mark] = []
            while any(m.end == p for m in stack):
                m = stack.pop()
                out.append(("close", m, False))
                if m.end != p:
                    reopen.append(m)
            for m in reversed(reopen):  # the inner marks, split: reopen in their old order
                out.append(("open", m, False))
                stack.append(m)
        for m in starts.get(p, ()):
            out.append(("open", m, id(m) not in opened))
            opened.add(id(m))
            if m.end == p:  # empty mark: an anchor at p
                out.append(("close", m, False))
            else:
                stack.append(m)
    assert not stack, "every mark ends within the text"

    # mark which open token starts the last piece of its mark
    last_open: dict[int, int] = {}
    for i, (typ, val, _) in enumerate(out):
        if typ == "open":
            last_open[id(val)] = i
    result: list[Token] = []
    for i, (typ, val, first) in enumerate(out):
        if typ == "text":
            result.append(Token("text", text=val))
        elif typ == "open":
            result.append(Token("open", mark=val, first=first, last=last_open[id(val)] == i))
        else:
            result.append(Token("close", mark=val))
    return result


def plain_text(toks: Iterable[Token]) -> str:
    """The text the tokens cover (equal to the input text of `tokens`)."""
    return "".join(t.text for t in toks if t.type == "text")
