"""Who is quoted how often: the summary behind `quotes speakers` and the review index.

A source audit counts people, so the variants of one person's name across articles are one row:
"Donald Trump", "Donald J. Trump" and "Mr. Trump" are one person; "Trump" alone is him too in
an article that names him (among its other records' speakers, or in its text when the caller
passes texts), and stays a row of its own where the article names several Trumps or none.
Different people are never merged: a different first name, a different middle initial, or a
generational suffix (Jr., Sr., III: lexicon ``name_suffixes``) keeps them apart. Organisations
group only by their whole name ("The US Department of State" and "US Department of State").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .. import lexicon
from .records import UNATTRIBUTED, as_record

#: Kinds that count: quotes (direct, partial) and reported claims (indirect); titles and scare
#: quotes (kind "other") do not.
COUNTED_KINDS = ("direct", "partial", "indirect")
QUOTE_KINDS = ("direct", "partial")


def speaker_label(speaker: str | None) -> str:
    return speaker if speaker is not None else UNATTRIBUTED


@dataclass(frozen=True)
class NameParts:
    """A name read as a person's (``first`` None for a surname alone) or as a whole (``whole``)."""

    first: str | None = None
    middle: tuple[str, ...] = ()
    last: str | None = None
    suffix: str | None = None
    whole: str | None = None  # an organisation or anything that is not a person's name

    @property
    def person(self) -> bool:
        return self.last is not None


def _fold(word: str) -> str:
    return word.casefold().rstrip(".,")


def name_parts(name: str) -> NameParts:
    """How a canonical speaker name reads: a person's first/middle/last/suffix, or a whole name.

    A person's name is one to four capitalised words (after a title such as "Mr." or
    "President", dropped) with no organisation word and no "of"; anything else is whole.
    """
    words = name.replace(",", " ").split()
    titles = lexicon.titles()
    while len(words) > 1 and words[0].casefold() in titles:
        words = words[1:]
    suffix = None
    if len(words) > 1 and words[-1].casefold() in lexicon.words("name_suffixes"):
        suffix = _fold(words[-1])
        words = words[:-1]
    orgs = lexicon.words("organisations")
    person = (
        1 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(w.casefold() in orgs or w.casefold() in ("of", "for", "and", "the") for w in words)
        and not (len(words) == 1 and words[0].isupper() and len(words[0]) > 1)  # "CNN", "US"
        and all(re.fullmatch(r"[^\W\d_]+(?:[.'’-][^\W\d_]*)*\.?", w) for w in words)
    )
    if not person:
        whole = " ".join(words)
        whole = re.sub(r"^(?:the|The)\s+", "", whole)
        return NameParts(whole=whole.casefold(), suffix=suffix)
    if len(words) == 1:
        return NameParts(last=_fold(words[0]), suffix=suffix)
    return NameParts(first=_fold(words[0]), middle=tuple(_fold(w) for w in words[1:-1]),
                     last=_fold(words[-1]), suffix=suffix)


@dataclass
class SpeakerGroup:
    """One row: a person (or organisation) and the name variants records gave it."""

    speaker: str | None
    variants: Counter = field(default_factory=Counter)  # name -> records
    kinds: Counter = field(default_factory=Counter)
    articles: set = field(default_factory=set)

    def row(self) -> dict[str, Any]:
        variants = sorted(self.variants, key=lambda v: (-self.variants[v], v.casefold(), v))
        return {
            "speaker": self.speaker,
            "variants": variants if self.speaker is not None else [],
            "quotes": sum(self.kinds[k] for k in QUOTE_KINDS),
            "direct": self.kinds["direct"],
            "partial": self.kinds["partial"],
            "indirect": self.kinds["indirect"],
            "articles": len(self.articles),
        }


@dataclass
class Grouping:
    """`group_speakers`' result: the groups, each record's group, and one note per decision
    about a surname alone (joined to a person, or left alone and why)."""

    groups: list[SpeakerGroup]
    of_record: list[int | None]  # index into groups per counted record (None: not counted)
    notes: list[str]


def _full_key(parts: NameParts) -> tuple:
    return (parts.last, parts.suffix, parts.first)


def group_speakers(records: Iterable[Any], kinds: Iterable[str] = COUNTED_KINDS, *,
                   texts: Mapping[str, str | None] | None = None) -> Grouping:
    """Group the records of ``kinds`` by person (see the module docstring).

    ``texts`` (article id -> text, optional) lets a surname alone join the one person with that
    surname whose full name its article's text writes.
    """
    wanted = set(kinds)
    recs = [as_record(r) for r in records]
    parts_of: dict[str, NameParts] = {}
    for rec in recs:
        who = rec.get("speaker")
        if rec.get("kind") in wanted and who is not None and who not in parts_of:
            parts_of[who] = name_parts(who)

    # 1. full names: one group per (surname, suffix, first name); different middles split it
    by_key: dict[tuple, set[str]] = {}
    for name, parts in parts_of.items():
        if parts.person and parts.first is not None:
            by_key.setdefault(_full_key(parts), set()).add(name)
    person_of: dict[str, tuple] = {}  # full name -> group key
    for key, names in by_key.items():
        split = len({parts_of[n].middle for n in names if parts_of[n].middle}) > 1  # George W. / H. W.
        for n in names:
            person_of[n] = key + (parts_of[n].middle if split else (),)
    # 2. per article: the people its records name, by surname
    in_article: dict[str, set[tuple]] = {}
    for rec in recs:
        who = rec.get("speaker")
        if who in person_of and rec.get("kind") in wanted:
            in_article.setdefault(rec["article"], set()).add(person_of[who])
    by_surname: dict[tuple, set[tuple]] = {}
    for name, key in person_of.items():
        parts = parts_of[name]
        by_surname.setdefault((parts.last, parts.suffix), set()).add(key)
    variants_of: dict[tuple, set[str]] = {}
    for name, key in person_of.items():
        variants_of.setdefault(key, set()).add(name)

    notes: list[str] = []
    noted: set[tuple] = set()

    def surname_group(name: str, article: str) -> tuple | None:
        parts = parts_of[name]
        candidates = by_surname.get((parts.last, parts.suffix), set())
        if not candidates:
            return None
        named = candidates & in_article.get(article, set())
        how = "its article quotes him or her by full name"
        text = (texts or {}).get(article)
        if not named and text:
            named = {k for k in candidates if any(v in text for v in variants_of[k])}
            how = "its article's text names him or her"
        choice = next(iter(named)) if len(named) == 1 else None
        note_key = (name, choice, len(named) > 1)
        if note_key not in noted:
            noted.add(note_key)
            if choice is not None:
                label = sorted(variants_of[choice], key=lambda v: (-len(v), v))[0]
                notes.append(f"{name!r} -> {label!r} ({how})")
            else:
                others = sorted(sorted(variants_of[k], key=lambda v: (-len(v), v))[0] for k in (named or candidates))
                why = "its article names several" if len(named) > 1 else "its article names none of"
                notes.append(f"{name!r} left alone ({why}: {', '.join(map(repr, others))})")
        return choice

    groups: list[SpeakerGroup] = []
    index: dict[Any, int] = {}
    of_record: list[int | None] = []
    for rec in recs:
        if rec.get("kind") not in wanted:
            of_record.append(None)
            continue
        who = rec.get("speaker")
        if who is None:
            key: Any = None
        elif who in person_of:
            key = ("person", person_of[who])
        else:
            parts = parts_of[who]
            joined = surname_group(who, rec["article"]) if parts.person else None
            if joined is not None:
                key = ("person", joined)
            elif parts.person:
                key = ("surname", parts.last, parts.suffix)
            else:
                key = ("whole", parts.whole, parts.suffix)
        if key not in index:
            index[key] = len(groups)
            groups.append(SpeakerGroup(speaker=None))
        g = groups[index[key]]
        if who is not None:
            g.variants[who] += 1
        g.kinds[rec.get("kind")] += 1
        g.articles.add(rec.get("article"))
        of_record.append(index[key])
    for (key, i) in index.items():
        g = groups[i]
        if key is None:
            continue
        # the row's name: the fullest variant (a first name), most records, then shortest
        g.speaker = sorted(g.variants, key=lambda v: (
            not (name_parts(v).first or name_parts(v).whole), -g.variants[v], len(v), v))[0]
    return Grouping(groups, of_record, notes)


def speaker_summary(records: Iterable[Any], kinds: Iterable[str] = COUNTED_KINDS, *,
                    texts: Mapping[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One row per person: ``{"speaker", "variants", "quotes", "direct", "partial", "indirect",
    "articles"}``.

    ``quotes`` counts direct and partial quotes, ``indirect`` reported claims; only records of
    ``kinds`` count. ``speaker`` is the row's name (its fullest variant), None for unattributed
    records (shown as "(unattributed)"); ``variants`` the canonical names grouped into it, most
    records first. Sorted by quotes and claims together, most first, then by name.
    """
    grouping = group_speakers(records, kinds, texts=texts)
    rows = [g.row() for g in grouping.groups]
    return sorted(rows, key=lambda r: (-(r["quotes"] + r["indirect"]), speaker_label(r["speaker"]).casefold(),
                                       speaker_label(r["speaker"])))


def _cell(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_speaker_table(rows: list[dict[str, Any]], *, name_width: int = 40) -> str:
    """A plain-text table of `speaker_summary` rows (ends with a newline); a row's other name
    variants are listed after its counts. Names longer than ``name_width`` are cut with "…"
    (the JSONL output has them whole)."""
    head = ("speaker", "quotes", "direct", "partial", "claims", "articles", "variants")
    body = []
    for r in rows:
        others = [_cell(v, name_width) for v in r.get("variants", []) if v != r["speaker"]]
        body.append((_cell(speaker_label(r["speaker"]), name_width), str(r["quotes"]), str(r["direct"]), str(r["partial"]),
                     str(r.get("indirect", 0)), str(r["articles"]), "; ".join(others)))
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = []
    for row in [head, *body]:
        cells = ([row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:-1], widths[1:-1])]
                 + [row[-1]])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


_WORD = re.compile(r"\S+")
_EDGE = "“”\"‘’'()[],.;:!?—–-"


def written_in_running_text(name: str, text: str, *, window: int = 4) -> bool:
    """Whether ``name`` is written verbatim in ``text`` with a lower-case word within ``window``
    words before or after it on its line: in running text, not only in a title-case headline
    ("Jane Roe Slams Harbor Plan") or a byline. The check behind `bench/speaker_names.py`."""
    for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        near = _WORD.findall(text[line_start:m.start()])[-window:] + _WORD.findall(text[m.end():line_end])[:window]
        if any(w.strip(_EDGE)[:1].islower() for w in near):
            return True
    return False
