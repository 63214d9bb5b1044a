"""Scoring `quotes` records against attribution gold in brat standoff (PolNeAR's layout).

The definitions below are the ones set by the evaluation issue (``quotes eval``); each function's
docstring names the rule it implements.

Gold (`load_gold`)
    A folder with ``text/X.txt`` and ``attributions/X_<annotator>.ann``. ``T`` lines are
    ``Tid<TAB>Label start end[;start end…]<TAB>surface``; ``E`` lines link
    ``Attribution:Tk Content:Ti Cue:Tj Source:Tl`` (roles may be missing or repeated, brat numbers
    repeats as ``Content2``). Offsets are code points into the ``.txt`` read as UTF-8.

Gold quote units (`gold_units`)
    The spans inside paired quotation marks (`quotes.marks.find_quotes`, one span per paragraph)
    that lie inside a gold attribution's Content span (inside one fragment of a discontinuous
    content). Each unit carries its attribution's Source and Cue spans.

Predicted units
    Records of kind ``direct`` or ``partial``.

Metrics (`score`)
    Detection P/R/F1 where a prediction covers at least 30 % and, separately, 80 % of a gold unit's
    characters; one-to-one, greedy by overlap. Speaker and verb accuracy on the units matched at
    30 %; end-to-end P/R/F1 (matched and speaker right); the same by construction; and the count of
    records that break the offset rule (``article_text[start:end] != text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .marks import QuoteSpan, find_quotes, paragraph_spans
from .sources import decode

__all__ = [
    "CONSTRUCTIONS", "PRONOUNS", "THRESHOLDS", "GoldError", "Attribution", "GoldArticle", "GoldUnit",
    "PRF", "ConstructionStats", "UnitOutcome", "FalseAlarm", "Report", "parse_ann", "load_gold",
    "gold_units", "load_predictions", "run_extraction", "score", "format_table", "error_report",
]

Spans = tuple[tuple[int, int], ...]

#: Overlap thresholds: the share of a gold unit's characters a prediction must cover (issue).
THRESHOLDS = (0.3, 0.8)
#: The threshold that speaker/verb accuracy, end-to-end and the construction figures use.
PRIMARY = THRESHOLDS[0]
#: Record kinds that are predicted quote units (issue: "records of kind direct or partial").
PREDICTED_KINDS = frozenset({"direct", "partial"})
#: Constructions the figures are broken down by, in report order (see `gold_units`).
CONSTRUCTIONS = ("continuation", "multi-paragraph", "colon", "according-to", "pronoun", "partial")
#: Personal pronouns, subject and object forms: a gold Source that is exactly one of these is a
#: "pronoun speaker" (issue: "he, she, they, it, we, i …").
PRONOUNS = frozenset({"i", "me", "you", "he", "him", "she", "her", "it", "we", "us", "they", "them"})
#: Record rules that make a prediction a continuation (issue).
CONTINUATION_RULES = frozenset({"continuation", "multi-paragraph"})

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


class GoldError(ValueError):
    """A gold folder that cannot be read; the message names the path and the repair."""


# --------------------------------------------------------------------------------------------
# Gold


@dataclass(frozen=True, slots=True)
class Attribution:
    """One brat ``E`` line: the Content, Cue and Source spans it links (all fragments, all roles
    of a kind; empty when a role is missing, as in ``Attribution-no-source``)."""

    id: str
    label: str
    content: Spans
    cue: Spans
    source: Spans

    @property
    def content_length(self) -> int:
        return sum(e - s for s, e in self.content)


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One gold article: ``id`` is the text file name relative to ``text/`` (``X.txt``)."""

    id: str
    text: str
    annotator: str  # the annotator whose .ann is used
    annotators: tuple[str, ...]  # every annotator with an .ann for this article, sorted
    attributions: tuple[Attribution, ...]
    text_path: str = ""
    ann_path: str = ""


@dataclass(frozen=True, slots=True)
class GoldUnit:
    """One gold quote unit: a `find_quotes` span inside a gold Content (see `gold_units`)."""

    article: str
    start: int
    end: int
    open_start: int  # offset of the opening quotation mark
    paragraph: int
    utterance: int  # find_quotes utterance (shared by the paragraphs of one quotation)
    attribution: str  # the E id
    source: Spans
    cue: Spans
    source_text: str
    cue_text: str
    constructions: tuple[str, ...]

    def __len__(self) -> int:
        return self.end - self.start


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def parse_ann(data: str) -> tuple[Attribution, ...]:
    """The attributions of one brat ``.ann`` file, in file order.

    Only ``T`` and ``E`` lines are read (notes and the continuation lines of a surface that runs
    over a line break are skipped). In an ``E`` line the first argument is the trigger
    (``Attribution`` or ``Attribution-no-source``); the other arguments are roles, with brat's
    numbering of repeats dropped (``Content2`` is a Content). A role naming an unknown ``T`` id is
    skipped.
    """
    spans: dict[str, Spans] = {}
    events: list[tuple[str, str, list[tuple[str, str]]]] = []
    for line in data.splitlines():
        m = _T_LINE.match(line)
        if m:
            frags = tuple(
                (int(a), int(b)) for a, b in (f.split() for f in m.group(3).split(";"))
            )
            spans[m.group(1)] = frags
            continue
        m = _E_LINE.match(line)
        if m:
            args = [a.split(":", 1) for a in m.group(2).split() if ":" in a]
            if not args:
                continue
            label = args[0][0]
            roles = [(re.sub(r"\d+$", "", role), tid) for role, tid in args[1:]]
            events.append((m.group(1), label, roles))
    out: list[Attribution] = []
    for eid, label, roles in events:
        parts: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": [], "Source": []}
        for role, tid in roles:
            if role in parts and tid in spans:
                parts[role].extend(spans[tid])
        out.append(Attribution(eid, label, tuple(parts["Content"]), tuple(parts["Cue"]),
                               tuple(parts["Source"])))
    return tuple(out)


def load_gold(folder: str | Path, *, limit: int | None = None) -> dict[str, GoldArticle]:
    """Gold articles of a brat folder laid out as PolNeAR is: ``text/**/X.txt`` and
    ``attributions/**/X_<annotator>.ann`` (the annotator id is the suffix after the last ``_``).

    Keys (and `GoldArticle.id`) are the text file names relative to ``text/``, in sorted order;
    ``limit`` keeps the first ``limit`` of them. Texts are decoded as UTF-8 (`sources.decode`, a
    byte-order mark dropped). An article annotated by several annotators uses **the
    lexicographically smallest annotator id** (deterministic, and the same on every machine).
    A text with no ``.ann`` file is not gold and is left out; so is an ``.ann`` with no text.

    Raises `GoldError` when ``text/`` or ``attributions/`` is missing.
    """
    root = Path(folder)
    text_dir, ann_dir = root / "text", root / "attributions"
    for d in (text_dir, ann_dir):
        if not d.is_dir():
            raise GoldError(f"{d}: no such folder; pass a brat gold folder with text/ and attributions/")
    anns: dict[str, dict[str, Path]] = {}
    for path in ann_dir.rglob("*.ann"):
        rel = path.relative_to(ann_dir).with_suffix("").as_posix()
        stem, sep, annotator = rel.rpartition("_")
        if not sep:
            continue
        anns.setdefault(stem, {})[annotator] = path
    texts = sorted(
        (p.relative_to(text_dir).as_posix(), p) for p in text_dir.rglob("*.txt") if p.is_file()
    )
    gold: dict[str, GoldArticle] = {}
    for rel, path in texts:
        by_annotator = anns.get(rel[: -len(".txt")])
        if not by_annotator:
            continue
        if limit is not None and len(gold) >= limit:
            break
        annotator = min(by_annotator)
        ann_path = by_annotator[annotator]
        try:
            text = decode(path.read_bytes())
            ann = ann_path.read_bytes().decode("utf-8-sig")
        except (OSError, ValueError) as exc:
            raise GoldError(f"{path}: cannot be read ({exc})") from None
        gold[rel] = GoldArticle(rel, text, annotator, tuple(sorted(by_annotator)), parse_ann(ann),
                                str(path), str(ann_path))
    return gold


def _surface(text: str, spans: Spans) -> str:
    return " ".join(text[s:e] for s, e in spans)


def _prev_char(text: str, pos: int, lo: int = 0) -> str | None:
    """The first non-space character before ``pos`` (not before ``lo``), or None."""
    j = pos - 1
    while j >= lo and text[j].isspace():
        j -= 1
    return text[j] if j >= lo else None


def is_colon_lead_in(text: str, open_start: int) -> bool:
    """Colon lead-in (issue): the character before the opening mark, skipping spaces and
    newlines, is ``:``."""
    return _prev_char(text, open_start) == ":"


def is_partial(text: str, open_start: int, paragraph_start: int) -> bool:
    """Partial quote (issue): not set off — not at the paragraph start, and the character before
    the opening mark (skipping spaces) is a letter or digit of a word, rather than ``,`` ``:`` a
    dash or other punctuation."""
    prev = _prev_char(text, open_start, paragraph_start)
    return prev is not None and prev.isalnum() and prev not in _DASHES


def is_pronoun(source_text: str) -> bool:
    """Pronoun speaker (issue): the gold source, lowercased and stripped, is a personal pronoun
    (`PRONOUNS`)."""
    return source_text.strip().strip(".,;:").lower() in PRONOUNS


def is_according_to(cue_text: str) -> bool:
    """According-to (issue): the cue text, lowercased, starts with "according"."""
    return cue_text.strip().lower().startswith("according")


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def gold_units(article: GoldArticle) -> list[GoldUnit]:
    """The gold quote units of an article, in text order.

    A unit is a `find_quotes` span (content between paired marks; a multi-paragraph quotation
    gives one span per paragraph) that lies inside a gold attribution's Content — inside one
    fragment of a discontinuous Content. Where several Contents contain it (nested
    attributions), the attribution with the smallest Content (total length; the first in file
    order on a tie) is its attribution. Quotes inside no Content are not gold units.

    Constructions (issue definitions):

    * ``continuation``: the attribution has a Source and no Source span lies in the unit's
      paragraph;
    * ``multi-paragraph``: the unit's find_quotes utterance runs over more than one paragraph;
    * ``colon``: `is_colon_lead_in`; ``according-to``: `is_according_to` on the cue text;
    * ``pronoun``: `is_pronoun` on the source text; ``partial``: `is_partial`.
    """
    text = article.text
    quotes = find_quotes(text)
    paras = paragraph_spans(text)
    utterance_paras: dict[int, set[int]] = {}
    for q in quotes:
        utterance_paras.setdefault(q.utterance, set()).add(q.paragraph)
    units: list[GoldUnit] = []
    for q in quotes:
        best: Attribution | None = None
        for a in article.attributions:
            if any(s <= q.start and q.end <= e for s, e in a.content):
                if best is None or a.content_length < best.content_length:
                    best = a
        if best is None:
            continue
        ps, pe = paras[q.paragraph]
        source_text, cue_text = _surface(text, best.source), _surface(text, best.cue)
        kinds = {
            "continuation": bool(best.source) and not _overlaps(ps, pe, best.source),
            "multi-paragraph": len(utterance_paras[q.utterance]) > 1,
            "colon": is_colon_lead_in(text, q.open_start),
            "according-to": is_according_to(cue_text),
            "pronoun": bool(best.source) and is_pronoun(source_text),
            "partial": is_partial(text, q.open_start, ps),
        }
        units.append(GoldUnit(
            article.id, q.start, q.end, q.open_start, q.paragraph, q.utterance, best.id,
            best.source, best.cue, source_text, cue_text,
            tuple(c for c in CONSTRUCTIONS if kinds[c]),
        ))
    return units


# --------------------------------------------------------------------------------------------
# Predictions


def load_predictions(lines: Iterable[bytes | str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Records from JSONL lines: ``(records, problems)``; a bad line is a problem, not an error."""
    from .jsonl import iter_lines

    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for lineno, obj, exc in iter_lines(lines):
        if exc is not None:
            problems.append(f"line {lineno}: not valid JSON ({exc})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("article"), str):
            problems.append(f"line {lineno}: not a quotes record (no string 'article')")
            continue
        records.append(obj)
    return records, problems


def run_extraction(gold: Mapping[str, GoldArticle], *, model: str | None = None,
                   device: str | None = None, batch_size: int = 16,
                   cache: bool = True, extractor: Any = None) -> Iterator[dict[str, Any]]:
    """Records from running the library on the gold texts (``quotes eval --run``): articles get
    ids = their gold id (file name); parsing is imported only here. Parses go through the parse
    cache (the user cache folder), so a rerun after a matcher change parses nothing.
    ``extractor``: a ready `quotes.extractor.Extractor` (e.g. with a parser stub), used instead of
    one built from the other arguments."""
    from .extractor import Extractor, ExtractorConfig
    from .sources import Article

    if extractor is None:
        extractor = Extractor(ExtractorConfig(model=model, device=device, batch_size=batch_size, cache=cache))
    articles = (Article(id=a.id, text=a.text, path=a.text_path) for a in gold.values())
    for _article, quotes in extractor.extract_articles(articles):
        for q in quotes:
            yield q.to_dict()


def article_key(article_id: str) -> str:
    """The file stem an article id is matched by: ``dev/text/X.txt``, ``X.txt`` and ``X`` all
    give ``X``."""
    name = article_id.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".txt") else name


# --------------------------------------------------------------------------------------------
# Scoring


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class PRF:
    """Precision/recall/F1 from a one-to-one match: ``tp`` pairs, ``predicted`` and ``gold``."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "predicted": self.predicted, "gold": self.gold,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class ConstructionStats:
    """Figures for the gold units (and false alarms) of one construction, at 30 %."""

    gold: int = 0
    matched: int = 0
    speaker_correct: int = 0
    verb_correct: int = 0
    end_to_end: int = 0  # matched and speaker right
    false_alarms: int = 0  # unmatched predictions that look like this construction

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def speaker_accuracy(self) -> float:
        return _ratio(self.speaker_correct, self.matched)

    @property
    def verb_accuracy(self) -> float:
        return _ratio(self.verb_correct, self.matched)

    @property
    def end_to_end_recall(self) -> float:
        return _ratio(self.end_to_end, self.gold)

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "matched": self.matched, "recall": self.recall,
                "speaker_correct": self.speaker_correct, "speaker_accuracy": self.speaker_accuracy,
                "verb_correct": self.verb_correct, "verb_accuracy": self.verb_accuracy,
                "end_to_end": self.end_to_end, "end_to_end_recall": self.end_to_end_recall,
                "false_alarms": self.false_alarms}


@dataclass
class UnitOutcome:
    """What became of one gold unit (at 30 %); ``reasons`` is empty when everything is right."""

    unit: GoldUnit
    prediction: dict[str, Any] | None
    matched_80: bool
    speaker_ok: bool
    verb_ok: bool
    reasons: list[str]
    context: str


@dataclass
class FalseAlarm:
    """A predicted unit matched to no gold unit at 30 %."""

    article: str
    record: dict[str, Any]
    constructions: tuple[str, ...]
    reason: str
    context: str


@dataclass
class Report:
    """All figures of one evaluation (`to_dict` for JSON) and the per-unit outcomes behind them
    (for `error_report`)."""

    articles: int = 0
    gold_units: int = 0
    records: int = 0  # records read for the gold articles (all kinds)
    predictions: int = 0  # predicted units: records of kind direct/partial
    records_elsewhere: int = 0  # records whose article is not a gold article (ignored)
    offset_errors: int = 0  # records with article_text[start:end] != text (must be 0)
    inner_offset_errors: int = 0  # records whose speaker_span/verb/cue break the same rule
    no_source_units: int = 0  # gold units whose attribution has no Source
    detection: dict[float, PRF] = field(default_factory=dict)
    matched: int = 0
    speaker_correct: int = 0
    verb_correct: int = 0
    end_to_end: PRF = field(default_factory=PRF)
    constructions: dict[str, ConstructionStats] = field(
        default_factory=lambda: {c: ConstructionStats() for c in CONSTRUCTIONS})
    outcomes: list[UnitOutcome] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float:
        return _ratio(self.speaker_correct, self.matched)

    @property
    def verb_accuracy(self) -> float:
        return _ratio(self.verb_correct, self.matched)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "gold_units": self.gold_units,
            "records": self.records,
            "predictions": self.predictions,
            "records_elsewhere": self.records_elsewhere,
            "offset_errors": self.offset_errors,
            "inner_offset_errors": self.inner_offset_errors,
            "no_source_units": self.no_source_units,
            "matching": "one-to-one, greedy by overlap (largest first)",
            "detection": {f"overlap{round(t * 100)}": prf.to_dict() for t, prf in self.detection.items()},
            "matched": self.matched,
            "speaker_correct": self.speaker_correct,
            "speaker_accuracy": self.speaker_accuracy,
            "verb_correct": self.verb_correct,
            "verb_accuracy": self.verb_accuracy,
            "end_to_end": self.end_to_end.to_dict(),
            "constructions": {c: s.to_dict() for c, s in self.constructions.items()},
        }


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match_units(units: list[GoldUnit], preds: list[dict[str, Any]], threshold: float) -> dict[int, int]:
    """One-to-one matching, greedy by overlap: pairs whose prediction covers at least
    ``threshold`` of the gold unit's characters are taken largest overlap first (ties: earlier
    gold unit, then earlier prediction), each unit and prediction at most once.
    Returns ``{unit index: prediction index}``."""
    pairs: list[tuple[int, int, int]] = []
    for i, u in enumerate(units):
        for j, p in enumerate(preds):
            ov = _overlap(u.start, u.end, p["start"], p["end"])
            if ov > 0 and ov >= threshold * len(u):
                pairs.append((-ov, i, j))
    pairs.sort()
    used_u: dict[int, int] = {}
    used_p: set[int] = set()
    for _neg, i, j in pairs:
        if i not in used_u and j not in used_p:
            used_u[i] = j
            used_p.add(j)
    return used_u


def _span_of(obj: Any) -> tuple[int, int] | None:
    if isinstance(obj, Mapping) and isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
        return obj["start"], obj["end"]
    return None


def _text_of(obj: Any) -> str | None:
    return obj.get("text") if isinstance(obj, Mapping) else None


def speaker_ok(record: Mapping[str, Any], unit: GoldUnit) -> bool:
    """Speaker right (issue): the record's ``speaker_span`` overlaps a gold Source span; a null
    ``speaker_span`` is wrong. A gold unit with no Source (``Attribution-no-source``) is right
    only when ``speaker_span`` is null too."""
    span = _span_of(record.get("speaker_span"))
    if not unit.source:
        return span is None
    return span is not None and _overlaps(span[0], span[1], unit.source)


def verb_ok(record: Mapping[str, Any], unit: GoldUnit) -> bool:
    """Verb right (issue): the record's ``verb`` overlaps a gold Cue span (null is wrong; a gold
    unit with no Cue is right only when ``verb`` is null too)."""
    span = _span_of(record.get("verb"))
    if not unit.cue:
        return span is None
    return span is not None and _overlaps(span[0], span[1], unit.cue)


def context(text: str, start: int, end: int, window: int = 60) -> str:
    """``…before⟦span⟧after…`` on one line (a run of line breaks shown as one ¶)."""
    lo, hi = max(0, start - window), min(len(text), end + window)
    out = ("…" if lo > 0 else "") + text[lo:start] + "⟦" + text[start:end] + "⟧" + text[end:hi] + (
        "…" if hi < len(text) else "")
    return re.sub(r"\s*(?:\r\n|[\n\r\u2028\u2029])\s*", " ¶ ", out)


def _prediction_constructions(text: str, rec: Mapping[str, Any], spans_at: dict[int, QuoteSpan],
                              utterance_paras: dict[int, set[int]],
                              paras: list[tuple[int, int]]) -> tuple[str, ...]:
    """Constructions of a predicted unit (for grouping false alarms): continuation from its rule
    (continuation / multi-paragraph), multi-paragraph from its rule or its quotation's
    paragraphs, according-to from its verb, pronoun from its speaker mention, colon and partial
    from the text as for gold."""
    start = rec["start"]
    q = spans_at.get(start)
    open_start = q.open_start if q is not None else max(0, start - 1)
    para = q.paragraph if q is not None else rec.get("paragraph")
    ps = paras[para][0] if isinstance(para, int) and 0 <= para < len(paras) else 0
    rule = rec.get("rule")
    kinds = {
        "continuation": rule in CONTINUATION_RULES,
        "multi-paragraph": rule == "multi-paragraph"
        or (q is not None and len(utterance_paras.get(q.utterance, ())) > 1),
        "colon": is_colon_lead_in(text, open_start),
        "according-to": is_according_to(_text_of(rec.get("verb")) or ""),
        "pronoun": is_pronoun(_text_of(rec.get("speaker_span")) or ""),
        "partial": is_partial(text, open_start, ps),
    }
    return tuple(c for c in CONSTRUCTIONS if kinds[c])


def _offsets_ok(text: str, obj: Any) -> bool:
    span = _span_of(obj)
    return span is not None and isinstance(obj.get("text"), str) and text[span[0]:span[1]] == obj["text"]


def _show(rec: Mapping[str, Any] | None, key: str) -> str:
    t = _text_of(rec.get(key)) if rec is not None else None
    return repr(t) if t is not None else "none"


def score(gold: Mapping[str, GoldArticle], predictions: Iterable[Any]) -> Report:
    """Score records against gold (the issue's metrics; see the module docstring).

    ``predictions`` are records as dicts (JSONL) or `Quote` objects. A record belongs to the gold
    article whose id it names exactly, else whose file stem it names (`article_key`); records of
    other articles are counted in ``records_elsewhere`` and otherwise ignored. Every record of a
    gold article is checked against the offset rule; those of kind direct/partial are the
    predicted units.
    """
    by_id = dict(gold)
    by_key: dict[str, str] = {}
    for gid in sorted(gold):
        by_key.setdefault(article_key(gid), gid)
    report = Report(articles=len(gold), detection={t: PRF() for t in THRESHOLDS})
    records: dict[str, list[dict[str, Any]]] = {gid: [] for gid in gold}
    for rec in predictions:
        if hasattr(rec, "to_dict"):
            rec = rec.to_dict()
        art = rec.get("article") if isinstance(rec, Mapping) else None
        gid = None
        if isinstance(art, str):
            gid = art if art in by_id else by_key.get(article_key(art))
        if gid is None:
            report.records_elsewhere += 1
            continue
        records[gid].append(rec)

    for gid, article in gold.items():
        text = article.text
        units = gold_units(article)
        recs = records[gid]
        report.gold_units += len(units)
        report.records += len(recs)
        valid: list[dict[str, Any]] = []
        for rec in recs:
            if not _offsets_ok(text, rec):
                report.offset_errors += 1
            if any(rec.get(k) is not None and not _offsets_ok(text, rec[k])
                   for k in ("speaker_span", "verb", "cue")):
                report.inner_offset_errors += 1
            if rec.get("kind") in PREDICTED_KINDS and _span_of(rec) is not None:
                valid.append(rec)
        preds = sorted(valid, key=lambda r: (r["start"], r["end"]))
        others = [r for r in recs if r.get("kind") not in PREDICTED_KINDS and _span_of(r) is not None]
        report.predictions += len(preds)

        matches = {t: match_units(units, preds, t) for t in THRESHOLDS}
        for t in THRESHOLDS:
            prf = report.detection[t]
            prf.tp += len(matches[t])
            prf.predicted += len(preds)
            prf.gold += len(units)
        primary = matches[PRIMARY]
        report.end_to_end.predicted += len(preds)
        report.end_to_end.gold += len(units)

        for i, u in enumerate(units):
            if not u.source:
                report.no_source_units += 1
            j = primary.get(i)
            rec = preds[j] if j is not None else None
            s_ok = rec is not None and speaker_ok(rec, u)
            v_ok = rec is not None and verb_ok(rec, u)
            reasons: list[str] = []
            if rec is None:
                best = max((_overlap(u.start, u.end, p["start"], p["end"]) for p in preds), default=0)
                if best == 0:
                    other = next((r for r in others if _overlap(u.start, u.end, r["start"], r["end"])), None)
                    reasons.append("no prediction" + (f" (ours: kind {other.get('kind')!r})" if other else ""))
                elif best >= PRIMARY * len(u):
                    reasons.append("overlapping prediction matched to another gold unit")
                else:
                    reasons.append(f"overlap too small ({best / len(u):.0%} of the gold unit)")
            else:
                report.matched += 1
                report.speaker_correct += s_ok
                report.verb_correct += v_ok
                report.end_to_end.tp += s_ok
                if not s_ok:
                    reasons.append(f"speaker wrong (ours {_show(rec, 'speaker_span')} vs gold "
                                   f"{u.source_text!r})")
                if not v_ok:
                    reasons.append(f"verb wrong (ours {_show(rec, 'verb')} vs gold {u.cue_text!r})")
            for c in u.constructions:
                st = report.constructions[c]
                st.gold += 1
                if rec is not None:
                    st.matched += 1
                    st.speaker_correct += s_ok
                    st.verb_correct += v_ok
                    st.end_to_end += s_ok
            report.outcomes.append(UnitOutcome(u, rec, i in matches[THRESHOLDS[-1]], s_ok, v_ok,
                                               reasons, context(text, u.start, u.end)))

        matched_preds = set(primary.values())
        if len(matched_preds) == len(preds):
            continue
        quotes = find_quotes(text)
        spans_at = {q.start: q for q in quotes}
        utterance_paras: dict[int, set[int]] = {}
        for q in quotes:
            utterance_paras.setdefault(q.utterance, set()).add(q.paragraph)
        paras = paragraph_spans(text)
        unit_spans = [(u.start, u.end) for u in units]
        for j, rec in enumerate(preds):
            if j in matched_preds:
                continue
            s, e = rec["start"], rec["end"]
            best = max((_overlap(s, e, a, b) / (b - a) for a, b in unit_spans), default=0.0)
            if best > 0:
                reason = f"overlap too small ({best:.0%} of a gold unit) or unit taken"
            elif any(_overlap(s, e, q.start, q.end) for q in quotes):
                reason = "quote not attributed in gold (no gold Content contains it)"
            else:
                reason = "not a quotation span"
            kinds = _prediction_constructions(text, rec, spans_at, utterance_paras, paras)
            for c in kinds:
                report.constructions[c].false_alarms += 1
            report.false_alarms.append(FalseAlarm(gid, rec, kinds, reason, context(text, s, e)))
    return report


# --------------------------------------------------------------------------------------------
# Output


def format_table(report: Report) -> str:
    """The figures as a plain-text table (what ``quotes eval`` prints)."""
    lines = [
        f"articles {report.articles}   gold quote units {report.gold_units}   predicted units "
        f"{report.predictions} (of {report.records} records)",
        "matching: one-to-one, greedy by overlap; coverage = share of the gold unit's characters",
        "",
        f"{'':22}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'pred':>7}{'gold':>7}",
    ]

    def prf_row(name: str, prf: PRF) -> str:
        return (f"{name:22}{prf.precision:7.3f}{prf.recall:7.3f}{prf.f1:7.3f}"
                f"{prf.tp:7d}{prf.predicted:7d}{prf.gold:7d}")

    for t, prf in report.detection.items():
        lines.append(prf_row(f"detection ≥{t:.0%}", prf))
    lines.append(prf_row("end-to-end", report.end_to_end))
    lines += [
        "",
        f"speaker accuracy {report.speaker_accuracy:7.3f}  ({report.speaker_correct}/{report.matched} "
        f"units matched at {PRIMARY:.0%})",
        f"verb accuracy    {report.verb_accuracy:7.3f}  ({report.verb_correct}/{report.matched})",
        "",
        f"{'construction':22}{'gold':>7}{'recall':>8}{'speaker':>9}{'verb':>7}{'e2e R':>7}"
        f"{'false+':>8}",
    ]
    for c, st in report.constructions.items():
        lines.append(f"{c:22}{st.gold:7d}{st.recall:8.3f}{st.speaker_accuracy:9.3f}"
                     f"{st.verb_accuracy:7.3f}{st.end_to_end_recall:7.3f}{st.false_alarms:8d}")
    lines += [
        "",
        f"gold units with no source: {report.no_source_units}",
        f"offset-rule violations (article_text[start:end] != text): {report.offset_errors}"
        + (f"; in speaker_span/verb/cue: {report.inner_offset_errors}" if report.inner_offset_errors else ""),
    ]
    if report.records_elsewhere:
        lines.append(f"records for articles not in the gold (ignored): {report.records_elsewhere}")
    return "\n".join(lines)


def error_report(report: Report, *, constructions: Iterable[str] | None = None) -> str:
    """Misses and false alarms grouped by construction, each with a context window and why.

    One section per construction (`CONSTRUCTIONS`), then ``plain`` for units and false alarms
    of none; a unit of several constructions appears in each. A gold unit is listed as
    ``MISS`` when it is not matched at 30 % (no prediction / overlap too small) and as ``WRONG``
    when matched with the speaker or verb wrong (ours vs gold); ``FALSE`` is a predicted unit
    matched to no gold unit.
    """
    wanted = tuple(constructions) if constructions is not None else (*CONSTRUCTIONS, "plain")
    out: list[str] = []
    for c in wanted:
        misses = [o for o in report.outcomes if o.reasons and (c in o.unit.constructions
                                                                or (c == "plain" and not o.unit.constructions))]
        alarms = [f for f in report.false_alarms if c in f.constructions
                  or (c == "plain" and not f.constructions)]
        total = (report.constructions[c].gold if c in report.constructions
                 else sum(1 for o in report.outcomes if not o.unit.constructions))
        out.append(f"=== {c}: {total} gold units, {len(misses)} with errors, "
                   f"{len(alarms)} false alarms ===")
        for o in misses:
            u = o.unit
            tag = "MISS " if o.prediction is None else "WRONG"
            out.append(f"{tag} {u.article} [{u.start}:{u.end}] " + "; ".join(o.reasons))
            out.append(f"      {o.context}")
            out.append(f"      gold source {u.source_text!r}, cue {u.cue_text!r}")
        for f in alarms:
            r = f.record
            out.append(f"FALSE {f.article} [{r['start']}:{r['end']}] {f.reason} (rule "
                       f"{r.get('rule')}, speaker {_show(r, 'speaker_span')})")
            out.append(f"      {f.context}")
        out.append("")
    return "\n".join(out)
