"""Scoring records against every gold attribution, quoted, mixed or reported (``quotes eval``'s
second table).

The protocol is the one set by the reported-speech issue, so that figures compare with the
published peers measured the same way:

- gold: every brat attribution with a Content span, of the annotator `evaluate.load_gold` picks;
- all overlaps count **letters and digits only** (``str.isalnum``), so quote marks, spaces and
  punctuation at a boundary never decide a match;
- a record *belongs* to the gold attribution whose content holds most of its characters, when
  that is at least half of them; otherwise it is a false alarm;
- a gold attribution is *found* at a threshold when the records that belong to it cover at least
  that share of its content (50 % is the headline figure; 30 % and 80 % are reported too);
- precision = records that belong to a found attribution / records; recall = found / gold;
- source right: the record of the attribution with the largest overlap has a ``speaker_span``
  overlapping a gold Source span (gold with no source: the record's speaker is null); cue right:
  its ``verb`` overlaps a gold Cue span; end-to-end: found at 50 % and source right.

Records of kind ``other`` (titles, scare quotes) are not attributions and are not scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from . import lexicon
from .evaluate import GoldArticle, article_key

THRESHOLDS = (0.3, 0.5, 0.8)
PRIMARY = 0.5
SCORED_KINDS = frozenset({"direct", "partial", "indirect"})
FORMS = ("direct", "mixed", "indirect")
_QUOTE_CHARS = frozenset("“”\"‘’'«»„`")


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


class _Alnum:
    """Prefix counts of letters and digits, so the alnum length of any span is O(1)."""

    def __init__(self, text: str):
        counts = [0]
        total = 0
        for ch in text:
            total += ch.isalnum()
            counts.append(total)
        self.counts = counts

    def length(self, start: int, end: int) -> int:
        start, end = max(0, start), max(start, min(end, len(self.counts) - 1))
        return self.counts[end] - self.counts[start] if end > start else 0

    def overlap(self, a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> int:
        return sum(self.length(max(a[0], s), min(a[1], e)) for s, e in spans if min(a[1], e) > max(a[0], s))


def form_of(text: str, content: tuple[tuple[int, int], ...]) -> str:
    """``direct`` when the content opens and closes with a quote mark, ``mixed`` when quote marks
    stand inside it, else ``indirect``."""
    surface = " ".join(text[s:e] for s, e in content).strip()
    if not surface:
        return "indirect"
    if surface[0] in _QUOTE_CHARS and (surface[-1] in _QUOTE_CHARS or surface.rstrip(".,")[-1:] in _QUOTE_CHARS):
        return "direct"
    return "mixed" if any(ch in "“”\"«»„" for ch in surface) else "indirect"


def gold_family(cue_text: str) -> str:
    """The cue family of a gold cue, read from the lexicon's family lists (``other`` when none
    of its words is listed)."""
    families = lexicon.cue_families()
    words = [w.strip(".,:;\"“”").lower() for w in cue_text.split()]
    if "according" in words:
        return "according-to"
    for w in words:
        lemma = lexicon.lemma_guess(w)
        if lemma in families:
            return families[lemma]
    return "colon" if cue_text.strip() in (":", "—", "-", "–") else "other"


@dataclass
class Counts:
    gold: int = 0
    found: int = 0
    source_right: int = 0
    cue_right: int = 0
    end_to_end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "recall": _ratio(self.found, self.gold),
                "source_accuracy": _ratio(self.source_right, self.found),
                "cue_accuracy": _ratio(self.cue_right, self.found),
                "end_to_end_recall": _ratio(self.end_to_end, self.gold)}


@dataclass
class GoldOutcome:
    article: str
    id: str
    form: str
    family: str
    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    coverage: float
    best: dict[str, Any] | None
    source_ok: bool
    cue_ok: bool


@dataclass
class AttributionReport:
    articles: int = 0
    records: int = 0
    belonging: dict[float, int] = field(default_factory=dict)  # records of found gold, per threshold
    found: dict[float, int] = field(default_factory=dict)
    gold: int = 0
    source_right: int = 0
    cue_right: int = 0
    end_to_end: int = 0
    e2e_records: int = 0
    by_form: dict[str, Counts] = field(default_factory=dict)
    by_family: dict[str, Counts] = field(default_factory=dict)
    by_rule: dict[str, list[int]] = field(default_factory=dict)  # rule -> [records, belonging to found]
    outcomes: list[GoldOutcome] = field(default_factory=list)
    false_alarms: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def prf(self, threshold: float = PRIMARY) -> tuple[float, float, float]:
        p = _ratio(self.belonging.get(threshold, 0), self.records)
        r = _ratio(self.found.get(threshold, 0), self.gold)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def end_to_end_prf(self) -> tuple[float, float, float]:
        p = _ratio(self.e2e_records, self.records)
        r = _ratio(self.end_to_end, self.gold)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def source_accuracy(self) -> float:
        return _ratio(self.source_right, self.found.get(PRIMARY, 0))

    @property
    def cue_accuracy(self) -> float:
        return _ratio(self.cue_right, self.found.get(PRIMARY, 0))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"articles": self.articles, "records": self.records, "gold": self.gold}
        for t in THRESHOLDS:
            p, r, f = self.prf(t)
            out[f"detection_{int(t * 100)}"] = {"precision": p, "recall": r, "f1": f,
                                               "found": self.found.get(t, 0)}
        p, r, f = self.end_to_end_prf()
        out["end_to_end"] = {"precision": p, "recall": r, "f1": f}
        out["source_accuracy"] = self.source_accuracy
        out["cue_accuracy"] = self.cue_accuracy
        out["by_form"] = {k: v.to_dict() for k, v in self.by_form.items()}
        out["by_family"] = {k: v.to_dict() for k, v in self.by_family.items()}
        out["by_rule"] = {k: {"records": n, "precision": _ratio(ok, n)} for k, (n, ok) in self.by_rule.items()}
        return out


def _span(obj: Any) -> tuple[int, int] | None:
    if isinstance(obj, Mapping) and isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
        return obj["start"], obj["end"]
    return None


def score_attributions(gold: Mapping[str, GoldArticle], predictions: Iterable[Mapping[str, Any]]) -> AttributionReport:
    """Score records against every gold attribution with a content span (see the module doc)."""
    by_article: dict[str, list[Mapping[str, Any]]] = {}
    for rec in predictions:
        if rec.get("kind") in SCORED_KINDS and isinstance(rec.get("start"), int):
            by_article.setdefault(article_key(str(rec.get("article"))), []).append(rec)
    report = AttributionReport(articles=len(gold))
    for t in THRESHOLDS:
        report.found[t] = report.belonging[t] = 0
    for gid, article in gold.items():
        text = article.text
        report.texts[gid] = text
        alnum = _Alnum(text)
        attributions = [a for a in article.attributions if a.content]
        records = by_article.get(article_key(gid), [])
        report.records += len(records)
        owner: list[int | None] = []
        overlap_of: list[int] = []
        for rec in records:
            span = (rec["start"], rec["end"])
            size = alnum.length(*span)
            best, best_overlap = None, 0
            for k, a in enumerate(attributions):
                o = alnum.overlap(span, a.content)
                if o > best_overlap:
                    best, best_overlap = k, o
            if best is not None and size and best_overlap * 2 >= size:
                owner.append(best)
            else:
                owner.append(None)
            overlap_of.append(best_overlap)
        members: dict[int, list[int]] = {}
        for r, k in enumerate(owner):
            if k is not None:
                members.setdefault(k, []).append(r)
        found_at: dict[int, float] = {}
        for k, a in enumerate(attributions):
            report.gold += 1
            total = sum(alnum.length(s, e) for s, e in a.content)
            covered = _covered(alnum, a.content, [(records[r]["start"], records[r]["end"]) for r in members.get(k, [])])
            coverage = _ratio(covered, total) if total else 0.0
            found_at[k] = coverage
            form = form_of(text, a.content)
            family = gold_family(" ".join(text[s:e] for s, e in a.cue)) if a.cue else "none"
            for key, table in ((form, report.by_form), (family, report.by_family)):
                table.setdefault(key, Counts()).gold += 1
            best_rec = None
            if members.get(k):
                best_rec = records[max(members[k], key=lambda r: overlap_of[r])]
            src_ok = cue_ok = False
            if best_rec is not None:
                sp = _span(best_rec.get("speaker_span"))
                src_ok = (sp is not None and any(min(sp[1], e) > max(sp[0], s) for s, e in a.source)) if a.source \
                    else best_rec.get("speaker") is None
                vb = _span(best_rec.get("verb"))
                cue_ok = vb is not None and any(min(vb[1], e) > max(vb[0], s) for s, e in a.cue)
            for t in THRESHOLDS:
                if coverage >= t and total:
                    report.found[t] += 1
                    report.belonging[t] += len(members.get(k, []))
            is_found = bool(total) and coverage >= PRIMARY
            if is_found:
                report.source_right += src_ok
                report.cue_right += cue_ok
                for key, table in ((form, report.by_form), (family, report.by_family)):
                    c = table[key]
                    c.found += 1
                    c.source_right += src_ok
                    c.cue_right += cue_ok
                    c.end_to_end += src_ok
                if src_ok:
                    report.end_to_end += 1
                    report.e2e_records += len(members.get(k, []))
            report.outcomes.append(GoldOutcome(gid, a.id, form, family, a.content, a.source, a.cue, coverage,
                                               best_rec, src_ok and is_found, cue_ok and is_found))
        for r, rec in enumerate(records):
            rule = str(rec.get("rule"))
            row = report.by_rule.setdefault(rule, [0, 0])
            row[0] += 1
            k = owner[r]
            if k is not None and found_at.get(k, 0.0) >= PRIMARY:
                row[1] += 1
            elif k is None:
                report.false_alarms.append((gid, dict(rec)))
    return report


def _covered(alnum: _Alnum, content: tuple[tuple[int, int], ...], spans: list[tuple[int, int]]) -> int:
    """Alnum characters of ``content`` covered by the union of ``spans``."""
    if not spans:
        return 0
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return sum(alnum.overlap((s, e), content) for s, e in merged)


def format_attribution_table(report: AttributionReport) -> str:
    lines = [f"all attributions: articles {report.articles}   gold attributions {report.gold}   "
             f"scored records {report.records}",
             "matching: letters and digits only; a record belongs to the gold content holding >= 50% of it",
             "",
             f"{'':24}{'P':>7}{'R':>7}{'F1':>7}{'found':>8}{'gold':>7}"]
    for t in THRESHOLDS:
        p, r, f = report.prf(t)
        lines.append(f"{f'detection >={int(t * 100)}%':24}{p:7.3f}{r:7.3f}{f:7.3f}{report.found[t]:8d}{report.gold:7d}")
    p, r, f = report.end_to_end_prf()
    lines.append(f"{'end-to-end':24}{p:7.3f}{r:7.3f}{f:7.3f}{report.end_to_end:8d}{report.gold:7d}")
    lines += ["", f"source accuracy    {report.source_accuracy:.3f}  ({report.source_right}/{report.found[PRIMARY]} found at 50%)",
              f"cue accuracy       {report.cue_accuracy:.3f}  ({report.cue_right}/{report.found[PRIMARY]})", ""]
    for title, table in (("form", report.by_form), ("gold cue family", report.by_family)):
        lines.append(f"{title:20}{'gold':>7}{'recall':>8}{'source':>8}{'cue':>7}{'e2e R':>7}")
        for key, c in sorted(table.items(), key=lambda kv: -kv[1].gold):
            d = c.to_dict()
            lines.append(f"{key:20}{c.gold:7d}{d['recall']:8.3f}{d['source_accuracy']:8.3f}"
                         f"{d['cue_accuracy']:7.3f}{d['end_to_end_recall']:7.3f}")
        lines.append("")
    lines.append(f"{'rule':24}{'records':>8}{'precision':>10}")
    for rule, (n, ok) in sorted(report.by_rule.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"{rule:24}{n:8d}{_ratio(ok, n):10.3f}")
    return "\n".join(lines) + "\n"


def _context(text: str, spans: tuple[tuple[int, int], ...], window: int = 50) -> str:
    if not spans:
        return ""
    s, e = spans[0][0], spans[-1][1]
    snippet = text[max(0, s - window):s] + "[[" + text[s:e] + "]]" + text[e:e + window]
    return " ".join(snippet.split())


def attribution_errors(report: AttributionReport, *, limit: int | None = None) -> str:
    """Missed attributions, wrong sources and cues, and false alarms, with context."""
    out: list[str] = []
    groups: dict[str, list[str]] = {"missed": [], "wrong source": [], "wrong cue": [], "false alarm": []}
    for o in report.outcomes:
        text = report.texts[o.article]
        src = " | ".join(text[s:e] for s, e in o.source) or "(none)"
        cue = " | ".join(text[s:e] for s, e in o.cue) or "(none)"
        head = f"{o.article} {o.id} [{o.form}, {o.family}] source={src!r} cue={cue!r} coverage={o.coverage:.2f}"
        if o.coverage < PRIMARY:
            groups["missed"].append(f"{head}\n    {_context(text, o.content)}")
            continue
        b = o.best or {}
        ours = f"ours: speaker_span={(b.get('speaker_span') or {}).get('text')!r} verb={(b.get('verb') or {}).get('text')!r} rule={b.get('rule')}"
        if not o.source_ok:
            groups["wrong source"].append(f"{head}\n    {ours}\n    {_context(text, o.content)}")
        elif not o.cue_ok:
            groups["wrong cue"].append(f"{head}\n    {ours}\n    {_context(text, o.content)}")
    for gid, rec in report.false_alarms:
        text = report.texts[gid]
        groups["false alarm"].append(
            f"{gid} kind={rec.get('kind')} rule={rec.get('rule')} speaker={rec.get('speaker')!r} "
            f"verb={(rec.get('verb') or {}).get('text')!r}\n    {_context(text, ((rec['start'], rec['end']),))}")
    for name, items in groups.items():
        out.append(f"## {name} ({len(items)})\n")
        out.extend(items[:limit] if limit else items)
        out.append("")
    return "\n".join(out) + "\n"
