"""Who is quoted how often: the summary behind `quotes speakers` and the review index."""

from __future__ import annotations

from typing import Any, Iterable

from .records import UNATTRIBUTED, as_record

#: Kinds that count as quoting someone (titles and scare quotes, kind "other", do not).
COUNTED_KINDS = ("direct", "partial")


def speaker_label(speaker: str | None) -> str:
    return speaker if speaker is not None else UNATTRIBUTED


def speaker_summary(records: Iterable[Any], kinds: Iterable[str] = COUNTED_KINDS) -> list[dict[str, Any]]:
    """One row per canonical speaker: ``{"speaker", "quotes", "articles", "direct", "partial"}``.

    Only records of ``kinds`` count. ``speaker`` is None for unattributed quotes (shown as
    "(unattributed)"). Sorted by quote count, most first, then by name.
    """
    wanted = set(kinds)
    rows: dict[str | None, dict[str, Any]] = {}
    articles: dict[str | None, set[str]] = {}
    for item in records:
        rec = as_record(item)
        kind = rec.get("kind")
        if kind not in wanted:
            continue
        who = rec.get("speaker")
        row = rows.get(who)
        if row is None:
            row = rows[who] = {"speaker": who, "quotes": 0, "articles": 0, "direct": 0, "partial": 0}
            articles[who] = set()
        row["quotes"] += 1
        if kind in ("direct", "partial"):
            row[kind] += 1
        articles[who].add(rec.get("article"))
    for who, row in rows.items():
        row["articles"] = len(articles[who])
    return sorted(rows.values(), key=lambda r: (-r["quotes"], speaker_label(r["speaker"]).casefold(),
                                                speaker_label(r["speaker"])))


def format_speaker_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table of `speaker_summary` rows (ends with a newline)."""
    head = ("speaker", "quotes", "direct", "partial", "articles")
    body = [(speaker_label(r["speaker"]), str(r["quotes"]), str(r["direct"]), str(r["partial"]),
             str(r["articles"])) for r in rows]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = []
    for row in [head, *body]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
