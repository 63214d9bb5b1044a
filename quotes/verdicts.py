"""Scoring the tool with a fact-checker's verdicts: how often its records were right.

The review site (`quotes review`) lets a reviewer give each record a verdict and mark the
attributions the tool missed, and exports them as JSON Lines (the format is in README, "Verdict
JSONL"). `score_verdicts` joins those verdicts with the records they judge (by the record's
identity: article, start, end, kind) and counts, for all records and by kind, rule and cue
family, how many were judged and how many were right, so a newsroom measures the tool on its own
articles without annotation tooling. Pure: bytes and records in, a `VerdictReport` out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .jsonl import checked_objects

#: A record's verdicts, in the order the review's keys 1-5 give them.
VERDICTS = ("right", "wrong-speaker", "wrong-cue", "wrong-span", "not-attribution")
#: The verdict of an attribution the tool missed (marked by selecting its text).
MISSED = "missed"
LABELS = {"right": "right", "wrong-speaker": "wrong speaker", "wrong-cue": "wrong verb or cue",
          "wrong-span": "wrong span", "not-attribution": "not an attribution", MISSED: "missed"}

Identity = tuple[str, int, int, str | None]


@dataclass(frozen=True)
class Verdict:
    """One line of an exported verdict file."""

    article: str
    start: int
    end: int
    kind: str | None
    verdict: str
    index: int | None = None
    text: str | None = None
    corrected_speaker: Mapping[str, Any] | None = None
    note: str | None = None
    review: str | None = None

    @property
    def identity(self) -> Identity:
        return (self.article, self.start, self.end, self.kind)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def verdict_error(obj: Any) -> str | None:
    """Why ``obj`` is not a verdict line (None when it is)."""
    if not isinstance(obj, dict):
        return "is not a JSON object"
    if not isinstance(obj.get("article"), str):
        return "has no string 'article'"
    if not (_is_int(obj.get("start")) and _is_int(obj.get("end"))):
        return "has no integer 'start' and 'end'"
    verdict = obj.get("verdict")
    if verdict not in VERDICTS and verdict != MISSED:
        return f"has verdict {verdict!r}, not one of {', '.join(VERDICTS + (MISSED,))}"
    if verdict != MISSED and not isinstance(obj.get("kind"), str):
        return "has no string 'kind' (every verdict but 'missed' names its record's kind)"
    corrected = obj.get("corrected_speaker")
    if corrected is not None and not (isinstance(corrected, dict) and isinstance(corrected.get("text"), str)):
        return "has a malformed 'corrected_speaker' (want {text, start, end})"
    return None


def parse_verdicts(data: bytes, name: str) -> tuple[list[Verdict], list[str]]:
    """Verdicts from exported JSONL bytes, and one message per bad line (``name:line: ...``).

    A later line for the same record replaces an earlier one (files exported twice, then joined).
    """
    found: dict[Identity, Verdict] = {}
    errors: list[str] = []
    for _lineno, obj in checked_objects(data, name, verdict_error, "not a verdict exported by `quotes review`",
                                        errors):
        v = Verdict(article=obj["article"], start=obj["start"], end=obj["end"],
                    kind=obj.get("kind") if obj["verdict"] != MISSED else None, verdict=obj["verdict"],
                    index=obj.get("index") if _is_int(obj.get("index")) else None,
                    text=obj.get("text") if isinstance(obj.get("text"), str) else None,
                    corrected_speaker=obj.get("corrected_speaker"),
                    note=obj.get("note") if isinstance(obj.get("note"), str) else None,
                    review=obj.get("review") if isinstance(obj.get("review"), str) else None)
        found[v.identity if v.verdict != MISSED else (v.article, v.start, v.end, MISSED)] = v
    return list(found.values()), errors


@dataclass
class Tally:
    """Verdict counts of one group of records."""

    counts: Counter = field(default_factory=Counter)

    @property
    def judged(self) -> int:
        return sum(self.counts[v] for v in VERDICTS)

    @property
    def precision(self) -> float | None:
        """Share of judged records that were right in every part."""
        return self.counts["right"] / self.judged if self.judged else None

    @property
    def attribution_precision(self) -> float | None:
        """Share of judged records that are attributions at all (any verdict but not-attribution)."""
        return (self.judged - self.counts["not-attribution"]) / self.judged if self.judged else None

    def to_dict(self) -> dict[str, Any]:
        return {"judged": self.judged, **{v: self.counts[v] for v in VERDICTS},
                "precision": self.precision, "attribution_precision": self.attribution_precision}


@dataclass
class VerdictReport:
    """What `score_verdicts` found."""

    overall: Tally
    by: dict[str, dict[str, Tally]]  # "kind" / "rule" / "cue_family" -> value -> tally
    missed: list[Verdict]
    corrections: list[tuple[Verdict, Mapping[str, Any] | None]]  # wrong-speaker verdicts with the record
    unmatched: list[Verdict]  # verdicts whose record is not among the records given
    records: int  # records given (0: none, only kinds can be told apart)
    reviewed_articles: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "reviewed_articles": self.reviewed_articles,
            "overall": self.overall.to_dict(),
            "by": {k: {v: t.to_dict() for v, t in groups.items()} for k, groups in self.by.items()},
            "missed": [_verdict_dict(v) for v in self.missed],
            "corrections": [{**_verdict_dict(v), "speaker": (rec or {}).get("speaker")} for v, rec in self.corrections],
            "unmatched": [_verdict_dict(v) for v in self.unmatched],
        }


def _verdict_dict(v: Verdict) -> dict[str, Any]:
    return {"article": v.article, "start": v.start, "end": v.end, "kind": v.kind, "text": v.text,
            "verdict": v.verdict, "corrected_speaker": dict(v.corrected_speaker) if v.corrected_speaker else None,
            "note": v.note}


NONE = "-"  # the group of records with no rule or no cue family


def score_verdicts(verdicts: Iterable[Verdict], records: Iterable[Mapping[str, Any]] = ()) -> VerdictReport:
    """Precision overall and by kind, rule and cue family, from ``verdicts`` of ``records``.

    A verdict finds its record by identity (article, start, end, kind). Without ``records`` only
    the kind (part of the identity) is known. Verdicts whose record is missing are counted by
    kind only and listed as unmatched (the records file is not the one reviewed).
    """
    verdicts = list(verdicts)
    index = {(r["article"], r["start"], r["end"], r.get("kind")): r for r in records}
    overall = Tally()
    by: dict[str, dict[str, Tally]] = {"kind": {}, "rule": {}, "cue_family": {}}
    missed: list[Verdict] = []
    corrections: list[tuple[Verdict, Mapping[str, Any] | None]] = []
    unmatched: list[Verdict] = []
    for v in sorted(verdicts, key=lambda v: (v.article, v.start, v.end, v.kind or "")):
        if v.verdict == MISSED:
            missed.append(v)
            continue
        rec = index.get(v.identity)
        if rec is None and index:
            unmatched.append(v)
        overall.counts[v.verdict] += 1
        groups = {"kind": v.kind or NONE}
        if rec is not None:
            groups["rule"] = rec.get("rule") or NONE
            groups["cue_family"] = rec.get("cue_family") or NONE
        for key, value in groups.items():
            by[key].setdefault(value, Tally()).counts[v.verdict] += 1
        if v.verdict == "wrong-speaker" or v.corrected_speaker:
            corrections.append((v, rec))
    return VerdictReport(overall, by, missed, corrections, unmatched, records=len(index),
                         reviewed_articles=len({v.article for v in verdicts}))


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def format_verdict_report(report: VerdictReport) -> str:
    """The report as a plain-text table (ends with a newline)."""
    head = ("group", "judged", "right", "precision", "attrib.", "speaker", "cue", "span", "not attr.")
    rows: list[tuple[str, ...]] = []

    def row(label: str, t: Tally) -> tuple[str, ...]:
        c = t.counts
        return (label, str(t.judged), str(c["right"]), _fmt(t.precision), _fmt(t.attribution_precision),
                str(c["wrong-speaker"]), str(c["wrong-cue"]), str(c["wrong-span"]), str(c["not-attribution"]))

    rows.append(row("all", report.overall))
    titles = {"kind": "kind", "rule": "rule", "cue_family": "cue family"}
    for key, groups in report.by.items():
        for value in sorted(groups, key=lambda x: (-groups[x].judged, x)):
            rows.append(row(f"{titles[key]} {value}", groups[value]))
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        f"verdicts on {report.overall.judged} records in {report.reviewed_articles} article(s); "
        f"{len(report.missed)} missed attribution(s)"
        + (f"; {report.records} records given" if report.records else "; no records given: by kind only"),
        "precision = right / judged; attrib. = share that are attributions at all (not 'not an attribution')",
        "",
    ]
    for r in [head, *rows]:
        lines.append("  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]).rstrip())
    if report.corrections:
        lines += ["", f"corrected speakers ({len(report.corrections)}):"]
        for v, rec in report.corrections:
            ours = (rec or {}).get("speaker") or "(unattributed)"
            fixed = (v.corrected_speaker or {}).get("text") or "(not given)"
            lines.append(f"  {v.article}:{v.start}-{v.end}  ours: {ours}  reviewer: {fixed}" + (f"  note: {v.note}" if v.note else ""))
    if report.missed:
        lines += ["", f"missed attributions ({len(report.missed)}):"]
        for v in report.missed:
            lines.append(f"  {v.article}:{v.start}-{v.end}  “{_short(v.text or '')}”" + (f"  note: {v.note}" if v.note else ""))
    if report.unmatched:
        lines += ["", f"verdicts whose record is not in the records given ({len(report.unmatched)}; a different "
                      "extraction than the one reviewed?):"]
        for v in report.unmatched:
            lines.append(f"  {v.article}:{v.start}-{v.end} {v.kind}  {v.verdict}")
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
