"""HTML for the review site: pure functions from records and article texts to page strings.

All HTML comes from the Jinja2 templates in ``templates/`` with autoescaping on; Python only
prepares data (marks, tokens, summaries). Pages are self-contained: CSS and JS are inlined.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..record import RECORD_KEYS
from .markup import Mark, Token, tokens
from .records import UNATTRIBUTED, Problem, Record, as_record, group_by_article, offset_problem
from .speakers import speaker_label, speaker_summary

#: The verdicts a reviewer gives a record, in key order (keys 1-5), and their labels.
VERDICTS = (
    ("right", "right"),
    ("wrong-speaker", "wrong speaker"),
    ("wrong-cue", "wrong verb or cue"),
    ("wrong-span", "wrong span"),
    ("not-attribution", "not an attribution"),
)


def record_identity(rec: Mapping[str, Any]) -> str:
    """A record's identity in a review (and in exported verdicts): article, start, end, kind."""
    return f"{rec.get('article')}\t{rec.get('start')}\t{rec.get('end')}\t{rec.get('kind')}"


def review_id(records: Iterable[Any]) -> str:
    """An id for a review, derived from its records' identities: the same records give the
    same id (verdicts kept in the browser under it find their records again)."""
    idents = sorted({record_identity(as_record(r)) for r in records})
    return hashlib.sha1("\n".join(idents).encode("utf-8")).hexdigest()[:16]

#: Utterance colours cycle through this many CSS classes (``u0`` ...).
PALETTE_SIZE = 8


def _text_html(value: str) -> Markup:
    """Escape article text; keep carriage returns (HTML parsing would fold them into \\n)."""
    return escape(value).replace("\r", Markup("&#13;"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("quotes.review", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["text"] = _text_html
    env.globals["UNATTRIBUTED"] = UNATTRIBUTED
    return env


# --- one article ------------------------------------------------------------------------------


def _snippet(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _anchor_ids(records: list[Record]) -> list[str]:
    used: set[str] = set()
    out = []
    for i, rec in enumerate(records):
        index = rec.get("index")
        base = f"q{index}" if isinstance(index, int) and not isinstance(index, bool) else f"q-{i}"
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        out.append(key)
    return out


@dataclass
class RecordView:
    """What the templates show for one record."""

    rec: Record
    key: str  # anchor id of the quote mark
    label: str  # utterance label, e.g. "U2 1/3"
    colour: str  # CSS class, e.g. "u2"
    drawn: bool = True
    problem: str | None = None  # why the record is not drawn

    @property
    def speaker(self) -> str:
        return speaker_label(self.rec.get("speaker"))

    @property
    def identity(self) -> str:
        return record_identity(self.rec)

    @property
    def cue_family(self) -> str:
        return self.rec.get("cue_family") or ""

    @property
    def snippet(self) -> str:
        return _snippet(self.rec.get("text", ""))

    @property
    def verb(self) -> str:
        verb = self.rec.get("verb") or {}
        return verb.get("text") or ""

    @property
    def mention(self) -> str:
        span = self.rec.get("speaker_span") or {}
        return span.get("text") or ""

    @property
    def details(self) -> str:
        rec = self.rec
        bits = [f"speaker: {self.speaker}"]
        if self.mention:
            bits.append(f"mention: {self.mention}")
        if self.verb:
            bits.append(f"verb: {self.verb}")
        if self.cue_family:
            bits.append(f"cue family: {self.cue_family}")
        bits += [f"kind: {rec.get('kind')}", f"rule: {rec.get('rule') or '-'}",
                 f"confidence: {_fmt(rec.get('confidence'))}", f"utterance: {self.label}"]
        return " · ".join(bits)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return str(value)


def _views(records: list[Record]) -> list[RecordView]:
    keys = _anchor_ids(records)
    sizes = Counter(r.get("utterance") for r in records if r.get("utterance") is not None)
    seen: Counter = Counter()
    views = []
    for rec, key in zip(records, keys):
        utt = rec.get("utterance")
        if utt is None:
            label, colour = f"#{rec.get('index', '?')}", "u-none"
        else:
            seen[utt] += 1
            label = f"U{utt + 1}" + (f" {seen[utt]}/{sizes[utt]}" if sizes[utt] > 1 else "")
            colour = f"u{utt % PALETTE_SIZE}"
        views.append(RecordView({k: None for k in RECORD_KEYS} | {"cue_family": None} | rec, key, label, colour))
    return views


def article_marks(views: Iterable[RecordView]) -> list[Mark]:
    """The quote, speaker, verb and cue marks of the drawn records of one article.

    Speaker mentions, verbs and cues shared by several records (continuations inherit them)
    are marked once and list all their quotes.
    """
    marks: list[Mark] = []
    shared: dict[tuple[str, int, int], Mark] = {}

    def span_mark(kind: str, prefix: str, span: Mapping[str, Any], view: RecordView) -> str:
        where = (kind, span["start"], span["end"])
        mark = shared.get(where)
        if mark is None:
            key = f"{prefix}{span['start']}-{span['end']}"
            mark = shared[where] = Mark(span["start"], span["end"], kind, id=key,
                                        attrs={"key": key, "quotes": ""})
            marks.append(mark)
        mark.attrs["quotes"] = (mark.attrs["quotes"] + " " + view.key).strip()
        if kind == "speaker":
            names = [n for n in (mark.attrs.get("speaker") or "").split(" | ") if n]
            if view.speaker not in names:
                names.append(view.speaker)
            mark.attrs["speaker"] = " | ".join(names)
            mark.title = f"speaker: {mark.attrs['speaker']}"
        elif kind == "verb":
            mark.attrs["lemma"] = (view.rec.get("verb") or {}).get("lemma")
            mark.title = f"reporting verb: {mark.attrs['lemma']}"
            if view.cue_family and not mark.classes:
                mark.classes = (f"cf-{view.cue_family}",)
        return mark.attrs["key"]

    for view in views:
        if not view.drawn:
            continue
        rec = view.rec
        attrs: dict[str, Any] = {
            "key": view.key,
            "record": rec.get("index"),
            "speaker": rec.get("speaker") or "",
            "kind": rec.get("kind"),
            "rule": rec.get("rule") or "",
            "confidence": _fmt(rec.get("confidence")),
            "utterance": rec.get("utterance") if rec.get("utterance") is not None else "",
            "label": view.label,
            "mention": view.mention,
            "verb": view.verb,
            "cue-family": view.cue_family,
            "start": rec["start"],
            "end": rec["end"],
        }
        for field_name, kind, prefix in (("speaker_span", "speaker", "s"), ("verb", "verb", "v"),
                                         ("cue", "cue", "c")):
            span = rec.get(field_name)
            if span:
                attrs[f"{kind}-ref"] = span_mark(kind, prefix, span, view)
        family = (f"cf-{view.cue_family}",) if view.cue_family else ()
        marks.append(Mark(rec["start"], rec["end"], "quote", id=view.key,
                          classes=(f"k-{rec.get('kind')}", view.colour, *family), attrs=attrs,
                          title=view.details))
    return marks


def marked_tokens(text: str, records: Iterable[Any]) -> list[Token]:
    """Tokens of ``text`` with the marks of ``records`` (which must fit the text)."""
    views = _views([as_record(r) for r in records])
    return tokens(text, article_marks(views))


def render_marked(text: str, marks: Iterable[Mark]) -> str:
    """The HTML of ``text`` with ``marks``: escaped text and well-nested mark elements."""
    template = environment().from_string('{% from "marks.html" import marked %}{{ marked(toks) }}')
    return template.render(toks=tokens(text, marks))


def _speaker_groups(views: list[RecordView]) -> list[dict[str, Any]]:
    groups: dict[str | None, list[RecordView]] = {}
    for view in views:
        groups.setdefault(view.rec.get("speaker"), []).append(view)
    rows = [{"speaker": who, "label": speaker_label(who), "views": items} for who, items in groups.items()]
    rows.sort(key=lambda r: (-len(r["views"]), r["label"].casefold(), r["label"]))
    return rows


@dataclass
class ArticleSummary:
    """One line of the index."""

    article: str
    page: str  # path of the page relative to the site root
    quotes: int
    speakers: int
    kinds: dict[str, int]
    problems: int
    available: bool


def render_article(
    article: str,
    text: str | None,
    records: Iterable[Any],
    *,
    source: str | None = None,
    nav: Mapping[str, str | None] | None = None,
    index_href: str = "index.html",
    review: str | None = None,
) -> tuple[str, list[Problem]]:
    """The page of one article, and the records that could not be drawn.

    ``text`` None means the article text is unavailable: the page says so and lists the records.
    ``nav`` may give ``prev``/``next`` page hrefs. ``review``: the review id the page's verdicts
    are kept under (default: `review_id` of these records).
    """
    recs = sorted((as_record(r) for r in records), key=lambda r: (r["start"], -r["end"]))
    views = _views(recs)
    problems: list[Problem] = []
    for view in views:
        if text is None:
            view.drawn = False
            continue
        view.problem = offset_problem(text, view.rec)
        if view.problem is not None:
            view.drawn = False
            problems.append(Problem(article, view.rec.get("index"), view.problem))
    problems.sort(key=lambda p: (not isinstance(p.index, int), p.index if isinstance(p.index, int) else 0))
    toks = tokens(text, article_marks(views)) if text is not None else []
    drawn = [v for v in views if v.drawn]
    html = environment().get_template("article.html").render(
        article=article,
        source=source,
        available=text is not None,
        toks=toks,
        views=views,
        drawn=drawn,
        speakers=_speaker_groups(drawn if text is not None else views),
        problems=problems,
        speaker_count=len({v.rec["speaker"] for v in views if v.rec["speaker"] is not None}),
        nav={"prev": None, "next": None, **(nav or {})},
        index_href=index_href,
        review=review or review_id(recs),
        verdicts=VERDICTS,
        filters=_filter_options(views),
    )
    return html, problems


def _filter_options(views: list[RecordView]) -> dict[str, list[str]]:
    """The values each filter of the page offers (those its records have), sorted."""
    def values(get) -> list[str]:
        return sorted({v for v in (get(view) for view in views) if v}, key=lambda x: (x.casefold(), x))
    return {
        "speaker": values(lambda v: v.rec.get("speaker")),
        "kind": values(lambda v: v.rec.get("kind")),
        "rule": values(lambda v: v.rec.get("rule")),
        "cue_family": values(lambda v: v.cue_family),
    }


# --- the site ---------------------------------------------------------------------------------


def page_name(position: int, article: str) -> str:
    """File name of an article page: ``articles/003-000_x.txt.html`` (safe characters only)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", article).strip("._-")[:60] or "article"
    return f"articles/{position:03d}-{slug}.html"


def render_index(summaries: list[ArticleSummary], speakers: list[dict[str, Any]],
                 problems: list[Problem], *, review: str = "") -> str:
    """The index page: one row per article with its counts, and the speaker summary."""
    totals = {
        "articles": len(summaries),
        "quotes": sum(s.quotes for s in summaries),
        "problems": len(problems),
        "missing": sum(1 for s in summaries if not s.available),
    }
    return environment().get_template("index.html").render(
        summaries=summaries, speakers=speakers, problems=problems, totals=totals, review=review,
        verdicts=VERDICTS,
    )


@dataclass
class Site:
    """A rendered review: ``files`` maps relative paths to HTML."""

    files: dict[str, str] = field(default_factory=dict)
    articles: list[ArticleSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # article ids with no text


def build_site(
    records: Iterable[Any],
    texts: Mapping[str, str | None],
    *,
    sources: Mapping[str, str | None] | None = None,
) -> Site:
    """Render every page: ``texts`` maps article ids to their text (None or absent: unavailable).

    ``sources`` may name where each text came from (shown on the page).
    """
    groups = group_by_article(records)
    site = Site()
    review = review_id(r for recs in groups.values() for r in recs)
    names = {article: page_name(i, article) for i, article in enumerate(groups, start=1)}
    order = list(groups)
    for i, (article, recs) in enumerate(groups.items()):
        text = texts.get(article)
        nav = {
            "prev": "../" + names[order[i - 1]] if i > 0 else None,
            "next": "../" + names[order[i + 1]] if i + 1 < len(order) else None,
        }
        html, problems = render_article(article, text, recs, source=(sources or {}).get(article),
                                        nav=nav, index_href="../index.html", review=review)
        site.files[names[article]] = html
        site.problems.extend(problems)
        if text is None:
            site.missing.append(article)
        kinds = Counter(r.get("kind") for r in recs)
        site.articles.append(ArticleSummary(
            article=article, page=names[article], quotes=len(recs),
            speakers=len({r.get("speaker") for r in recs if r.get("speaker") is not None}),
            kinds=dict(kinds), problems=len(problems), available=text is not None,
        ))
    all_records = [r for recs in groups.values() for r in recs]
    site.files["index.html"] = render_index(site.articles, speaker_summary(all_records, texts=texts), site.problems,
                                            review=review)
    return site
