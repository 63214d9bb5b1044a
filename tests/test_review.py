"""Fact-checking review (`quotes.review`, `quotes review`, `quotes speakers`).

Unit tests render pages in memory and check them with a small HTML parser; the `browser` tests
render the two articles of ``samples/`` from hand-made records and open them in headless
Chromium (skipped when ``/usr/bin/chromium`` is missing).

``fixtures/review/sample_quotes.jsonl`` holds record *specs*, not offsets: each names a quote by
the text just after its opening mark (``quote_after``) and its speaker mention and verb by their
words (searched from ``mention_after``/``verb_after``, default: the end of the quote). The
offsets are computed here from the sample texts, so the records always fit the samples.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.record import Quote, Span, Verb
from quotes.review import (
    UNATTRIBUTED,
    Mark,
    build_site,
    format_speaker_table,
    load_texts,
    page_name,
    parse_records,
    plain_text,
    render_article,
    render_marked,
    render_site,
    speaker_summary,
    tokens,
)
from quotes.sources import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURE = Path(__file__).parent / "fixtures" / "review" / "sample_quotes.jsonl"


# --- a tiny DOM for checking HTML ---------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None" = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Node"]:
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes:
                continue
            if any(n.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def by_id(self, ident: str) -> "Node | None":
        return next((n for n in self.iter() if n.attrs.get("id") == ident), None)


class StrictTreeBuilder(html.parser.HTMLParser):
    """Builds a `Node` tree; fails on any end tag that does not close the open element."""

    def __init__(self, strict: bool = True):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {})
        self.strict = strict

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.strict:
            assert self.cur.tag == tag, f"</{tag}> closes <{self.cur.tag}>: not well-formed"
            self.cur = self.cur.parent
            return
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html_text: str, strict: bool = True) -> Node:
    builder = StrictTreeBuilder(strict)
    builder.feed(html_text)
    builder.close()
    if strict:
        assert builder.cur is builder.root, f"<{builder.cur.tag}> never closed"
    return builder.root


def article_node(page: str) -> Node:
    node = parse(page).by_id("text")
    assert node is not None and node.tag == "article"
    return node


def rec(article: str, text: str, piece: str, *, index: int = 0, kind: str = "direct",
        speaker: str | None = "Jane Doe", mention: str | None = None, verb: str | None = None,
        utterance: int | None = 0, nth: int = 0, **extra) -> dict:
    """A record for ``piece`` of ``text`` (its ``nth`` occurrence), mention/verb after it."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    end = start + len(piece)
    out = {"schema_version": 1, "article": article, "index": index, "kind": kind, "text": piece,
           "start": start, "end": end, "paragraph": 0, "sentence": None, "speaker": speaker,
           "speaker_span": None, "verb": None, "cue": None, "utterance": utterance,
           "rule": "speech-verb", "confidence": 0.9, "model": None}
    if mention:
        s = text.index(mention, end)
        out["speaker_span"] = {"text": mention, "start": s, "end": s + len(mention)}
    if verb:
        s = text.index(verb, end)
        out["verb"] = {"text": verb, "lemma": verb, "start": s, "end": s + len(verb)}
    out.update(extra)
    return out


# --- marks: boundary events, nesting, crossing --------------------------------------------------


def covered(toks, mark: Mark) -> str:
    """The text inside all pieces of ``mark``, in order."""
    out, depth = [], 0
    for t in toks:
        if t.type == "open" and t.mark is mark:
            depth += 1
        elif t.type == "close" and t.mark is mark:
            depth -= 1
        elif t.type == "text" and depth:
            out.append(t.text)
    return "".join(out)


def well_nested(toks) -> bool:
    stack = []
    for t in toks:
        if t.type == "open":
            stack.append(t.mark)
        elif t.type == "close":
            if not stack or stack.pop() is not t.mark:
                return False
    return not stack


def test_nested_marks_render_inside_each_other() -> None:
    text = "“Go,” he said."
    quote, cue = Mark(1, 4, "quote", id="q0"), Mark(6, 13, "cue", id="c")
    speaker, verb = Mark(6, 8, "speaker", id="s"), Mark(9, 13, "verb", id="v")
    toks = tokens(text, [verb, speaker, quote, cue])
    assert well_nested(toks) and plain_text(toks) == text
    root = parse(f"<div>{render_marked(text, [verb, speaker, quote, cue])}</div>")
    cue_el = root.by_id("c")
    assert cue_el.text == "he said"
    assert [c.attrs["id"] for c in cue_el.children if isinstance(c, Node)] == ["s", "v"]
    assert root.text == text


def test_equal_spans_nest_by_kind_quote_outermost() -> None:
    text = "abc def"
    toks = tokens(text, [Mark(0, 3, "verb"), Mark(0, 3, "speaker"), Mark(0, 3, "cue"), Mark(0, 3, "quote")])
    opened = [t.mark.kind for t in toks if t.type == "open"]
    assert opened == ["quote", "cue", "speaker", "verb"]
    assert well_nested(toks)


def test_crossing_marks_split_the_inner_one() -> None:
    text = "0123456789abcdefghij"
    outer, inner = Mark(0, 10, "quote", id="q"), Mark(5, 15, "speaker", id="s")
    toks = tokens(text, [inner, outer])
    assert well_nested(toks)
    pieces = [t for t in toks if t.type == "open" and t.mark is inner]
    assert len(pieces) == 2 and pieces[0].first and not pieces[1].first and pieces[1].last
    assert len([t for t in toks if t.type == "open" and t.mark is outer]) == 1
    assert covered(toks, inner) == text[5:15] and covered(toks, outer) == text[0:10]
    html_text = render_marked(text, [outer, inner])
    root = parse(f"<div>{html_text}</div>")  # strict parse: well-formed
    spans = root.find_all("span", cls="m-speaker")
    assert [s.text for s in spans] == ["56789", "abcde"]
    assert [s.attrs.get("id") for s in spans] == ["s", None]  # the id only on the first piece
    assert "cont" in spans[1].classes
    assert root.text == text


def test_empty_and_out_of_range_marks_do_not_break_the_text() -> None:
    text = "hello"
    toks = tokens(text, [Mark(2, 2, "quote"), Mark(3, 99, "verb"), Mark(4, 1, "speaker")])
    assert well_nested(toks) and plain_text(toks) == text


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_marks_give_well_nested_tokens_covering_exactly_their_span(data) -> None:
    text = data.draw(st.text(alphabet="ab <&\n“”", min_size=0, max_size=30))
    kinds = st.sampled_from(["quote", "cue", "speaker", "verb"])
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)), kinds), max_size=6))
    marks = [Mark(min(a, b), max(a, b), k) for a, b, k in spans]
    toks = tokens(text, marks)
    assert well_nested(toks)
    assert plain_text(toks) == text
    for m in marks:
        assert covered(toks, m) == text[m.start:m.end]
    root = parse(f"<div>{render_marked(text, marks)}</div>")
    assert root.text == text


# --- article pages ------------------------------------------------------------------------------


def test_article_text_is_escaped_and_kept_exactly() -> None:
    text = ('<script>alert("x")</script> & friends said “<b>bold</b> & \'odd\' \"marks\"” '
            'she said.\r\nLine two &amp; <!-- not a comment -->')
    r = rec("a<script>.txt", text, "<b>bold</b> & 'odd' \"marks\"", speaker='Eve "<script>" & Co',
            mention="she", verb="said", rule="<i>rule</i>")
    page, problems = render_article("a<script>.txt", text, [r])
    assert problems == []
    assert "<script>alert" not in page and "<b>bold" not in page and "<!-- not" not in page
    assert "&lt;script&gt;alert" in page
    body = article_node(page)
    assert body.text == text  # every character, \r included (as &#13;)
    (quote,) = body.find_all("mark", cls="m-quote")
    assert quote.text == r["text"]
    assert quote.attrs["data-speaker"] == 'Eve "<script>" & Co'
    assert quote.attrs["data-rule"] == "<i>rule</i>"
    assert not parse(page).find_all("i")
    # the only scripts are the page's own inline one
    scripts = parse(page).find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs


def test_page_is_self_contained() -> None:
    text = "“Hi there friends,” he said."
    page, _ = render_article("a.txt", text, [rec("a.txt", text, "Hi there friends,", mention="he", verb="said")])
    root = parse(page)
    assert not root.find_all("link")
    assert all("src" not in n.attrs for n in root.iter())
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    assert root.find_all("style") and root.find_all("script")


def test_quote_speaker_and_verb_are_marked_and_linked() -> None:
    text = "Intro. “We will win,” Jane Doe told reporters on Monday."
    r = rec("a.txt", text, "We will win,", mention="Jane Doe", verb="told",
            cue={"text": "Jane Doe told", "start": text.index("Jane"), "end": text.index(" reporters")})
    page, _ = render_article("a.txt", text, [r])
    body = article_node(page)
    (quote,) = body.find_all("mark", cls="m-quote")
    assert quote.attrs["id"] == "q0" and quote.attrs["data-record"] == "0"
    assert quote.attrs["data-kind"] == "direct" and quote.attrs["data-speaker"] == "Jane Doe"
    speaker = body.by_id(quote.attrs["data-speaker-ref"])
    verb = body.by_id(quote.attrs["data-verb-ref"])
    cue = body.by_id(quote.attrs["data-cue-ref"])
    assert (speaker.text, verb.text, cue.text) == ("Jane Doe", "told", "Jane Doe told")
    assert "m-speaker" in speaker.classes and "m-verb" in verb.classes
    assert speaker.parent is cue and verb.parent is cue  # the cue contains them
    assert speaker.attrs["data-quotes"] == "q0"
    assert "Jane Doe" in quote.attrs["title"] and "speech-verb" in quote.attrs["title"]
    # side list links to the quote
    side = parse(page).by_id("speakers")
    assert [a.attrs["href"] for a in side.find_all("a")] == ["#q0"]


def test_shared_speaker_span_marked_once_and_utterance_shared() -> None:
    text = "“First part here,” she said. “Second part there.”\n“Third paragraph goes on.”\n“Another one.”"
    a = rec("a.txt", text, "First part here,", index=0, mention="she", verb="said", utterance=0)
    b = rec("a.txt", text, "Second part there.", index=1, utterance=0, speaker_span=a["speaker_span"])
    c = rec("a.txt", text, "Third paragraph goes on.", index=2, utterance=0, speaker_span=a["speaker_span"])
    b["verb"] = c["verb"] = a["verb"]  # continuations inherit the attribution
    d = rec("a.txt", text, "Another one.", index=3, utterance=1, speaker=None)
    page, problems = render_article("a.txt", text, [d, c, b, a])  # any order
    assert problems == []
    body = article_node(page)
    assert len(body.find_all("span", cls="m-speaker")) == 1
    assert body.find_all("span", cls="m-speaker")[0].attrs["data-quotes"] == "q0 q1 q2"
    quotes = body.find_all("mark", cls="m-quote")
    assert [q.attrs["data-label"] for q in quotes] == ["U1 1/3", "U1 2/3", "U1 3/3", "U2"]
    assert [q.classes & {"u0", "u1"} for q in quotes] == [{"u0"}, {"u0"}, {"u0"}, {"u1"}]
    assert {q.attrs["data-speaker-ref"] for q in quotes[:3]} == {body.find_all(cls="m-speaker")[0].attrs["id"]}
    side = parse(page).by_id("speakers")
    names = [n.text for n in side.find_all("span", cls="name")]
    assert names == ["Jane Doe", UNATTRIBUTED]


def test_mismatched_offsets_are_reported_not_drawn() -> None:
    text = "“Good quote here,” he said. Other words."
    good = rec("a.txt", text, "Good quote here,", index=0, mention="he", verb="said")
    shifted = dict(good, index=1, start=good["start"] + 1, end=good["end"] + 1)
    outside = dict(good, index=2, start=30, end=300)
    bad_speaker = dict(good, index=3, speaker_span={"text": "she", "start": 20, "end": 23})
    page, problems = render_article("a.txt", text, [outside, shifted, good, bad_speaker])
    assert [p.index for p in problems] == [1, 2, 3]
    assert [str(p).split(":")[0] for p in problems] == ["a.txt"] * 3
    assert "record 1: quote offsets" in str(problems[0]) and "do not match" in str(problems[0])
    assert "outside the article text" in str(problems[1])
    assert "speaker offsets" in str(problems[2])
    body = article_node(page)
    assert [q.attrs["data-record"] for q in body.find_all("mark", cls="m-quote")] == ["0"]
    assert body.text == text
    listed = parse(page).by_id("problems").find_all("li")
    assert [li.attrs["data-record"] for li in listed] == ["1", "2", "3"]


def test_unavailable_text_lists_the_records() -> None:
    r = {"article": "feed-42", "index": 0, "kind": "direct", "text": "We <will> win", "start": 5,
         "end": 18, "speaker": "Jane Doe", "utterance": 0}
    page, problems = render_article("feed-42", None, [r])
    assert problems == []
    root = parse(page)
    assert root.by_id("unavailable") is not None and root.by_id("text") is None
    rows = root.find_all("tr", cls="not-drawn")
    assert len(rows) == 1 and "We <will> win" in rows[0].text


def test_site_index_counts_and_pages() -> None:
    t1 = "“One two three,” Ann said. “Four five six,” Bob said. Ann’s “scare” word."
    recs = [
        rec("x/a.txt", t1, "One two three,", index=0, speaker="Ann Lee", mention="Ann", verb="said"),
        rec("x/a.txt", t1, "Four five six,", index=1, speaker="Bob Roe", mention="Bob", verb="said", utterance=1),
        rec("x/a.txt", t1, "scare", index=2, speaker=None, kind="other", utterance=2),
        {"article": "feed:7", "index": 0, "kind": "direct", "text": "zz", "start": 0, "end": 2,
         "speaker": "Ann Lee"},
    ]
    site = build_site(recs, {"x/a.txt": t1})
    assert set(site.files) == {"index.html", "articles/001-x_a.txt.html", "articles/002-feed_7.html"}
    assert site.missing == ["feed:7"] and site.problems == []
    index = parse(site.files["index.html"])
    rows = {tr.attrs["data-article"]: tr for tr in index.find_all("tr") if "data-article" in tr.attrs}
    assert rows["x/a.txt"].attrs["data-quotes"] == "3" and rows["x/a.txt"].attrs["data-speakers"] == "2"
    assert rows["feed:7"].attrs["data-quotes"] == "1" and "text unavailable" in rows["feed:7"].text
    assert [a.attrs["href"] for a in index.find_all("a") if a.attrs.get("href", "").startswith("articles/")] == [
        "articles/001-x_a.txt.html", "articles/002-feed_7.html"]
    page = parse(site.files["articles/001-x_a.txt.html"])
    assert page.find_all("a", rel="next")[0].attrs["href"] == "../articles/002-feed_7.html"
    assert page.find_all("a")[0].attrs["href"] == "../index.html"


def test_page_names_are_safe() -> None:
    assert page_name(3, "../../etc/passwd") == "articles/003-etc_passwd.html"
    assert page_name(1, "我的.txt") == "articles/001-txt.html"
    assert page_name(2, "...") == "articles/002-article.html"


def test_render_site_takes_quote_objects(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "“Ready to go now,” she said."
    (folder / "a.txt").write_bytes("\ufeff".encode() + text.encode())  # a BOM is not part of the text
    q = Quote(article="a.txt", index=0, kind="direct", text="Ready to go now,", start=1, end=17,
              paragraph=0, speaker="Ann Lee", speaker_span=Span("she", 19, 22),
              verb=Verb("said", "say", 23, 27), utterance=0, rule="speech-verb", confidence=0.9)
    site = render_site([q], folder, tmp_path / "out")
    assert site.problems == [] and site.missing == []
    page = (tmp_path / "out" / "articles" / "001-a.txt.html").read_text(encoding="utf-8")
    assert article_node(page).text == text
    assert (tmp_path / "out" / "index.html").is_file()


def test_load_texts_finds_articles_like_extract_named_them(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "b.txt").write_bytes(b"\xef\xbb\xbfB text")
    (tmp_path / "c.txt").write_text("C text", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ids = ["sub/b.txt", "c.txt", "feed.jsonl:3", "x" * 5000, "in", "sub/b.txt"]
    texts, paths = load_texts(ids, "in")
    assert texts == {"sub/b.txt": "B text", "c.txt": "C text", "feed.jsonl:3": None, "x" * 5000: None,
                     "in": None}
    assert paths["sub/b.txt"] == os.path.join("in", "sub", "b.txt") and paths["c.txt"] == "c.txt"
    texts, _ = load_texts(["in/sub/b.txt", str(tmp_path / "c.txt")])  # default: relative to the cwd
    assert list(texts.values()) == ["B text", "C text"]


# --- speakers summary ---------------------------------------------------------------------------


def test_speaker_summary_counts_quotes_and_claims_apart() -> None:
    def r(article, speaker, kind="direct"):
        return {"article": article, "speaker": speaker, "kind": kind, "text": "x", "start": 0, "end": 1}

    recs = [r("a", "Bo"), r("a", "Bo", "partial"), r("b", "Bo"), r("a", "Al"), r("b", "Al", "partial"),
            r("a", None), r("a", "Cy", "other"), r("c", "Al"), r("c", None, "other"), r("b", "Ann"),
            r("d", "Ann", "indirect"), r("d", "Ann", "indirect")]
    rows = speaker_summary(recs)

    def row(speaker, quotes, direct, partial, indirect, articles):
        return {"speaker": speaker, "variants": [speaker] if speaker else [], "quotes": quotes, "direct": direct,
                "partial": partial, "indirect": indirect, "articles": articles}

    assert rows == [row("Al", 3, 2, 1, 0, 3), row("Ann", 1, 1, 0, 2, 2), row("Bo", 3, 2, 1, 0, 2),
                    row(None, 1, 1, 0, 0, 1)]
    table = format_speaker_table(rows).splitlines()
    assert table[0].split() == ["speaker", "quotes", "direct", "partial", "claims", "articles", "variants"]
    assert table[2].split() == ["Ann", "1", "1", "0", "2", "2"]
    assert table[4].startswith(UNATTRIBUTED) and table[4].split()[-5:] == ["1", "1", "0", "0", "1"]
    assert [line.split() for line in format_speaker_table([]).splitlines()] == [table[0].split()]


def test_speaker_summary_accepts_quote_objects() -> None:
    q = Quote(article="a", index=0, kind="partial", text="t", start=0, end=1, paragraph=0, speaker="Al")
    assert speaker_summary([q]) == [{"speaker": "Al", "variants": ["Al"], "quotes": 1, "direct": 0, "partial": 1,
                                     "indirect": 0, "articles": 1}]


def _r(article: str, speaker: str | None, kind: str = "direct") -> dict:
    return {"article": article, "speaker": speaker, "kind": kind, "text": "x", "start": 0, "end": 1}


def test_variants_of_one_person_are_one_row_and_different_people_stay_apart() -> None:
    recs = [_r("a", "Dana Quill"), _r("b", "Dana J. Quill"), _r("c", "Ms. Quill"), _r("c", "Dana Quill", "indirect"),
            _r("d", "Dana Quill Jr."), _r("d", "Quill"), _r("e", "Robin Quill"), _r("f", "Quill"),
            _r("g", "The Harbor Department of Fisheries"), _r("h", "Harbor Department of Fisheries", "partial"),
            _r("i", "Lee Park"), _r("j", "Lee H. Park"), _r("k", "Lee T. Park"), _r("k", "Harbor")]
    rows = {r["speaker"]: r for r in speaker_summary(recs)}
    # Dana Quill: full name, middle initial, and a surname with a title in an article quoting her in full
    assert rows["Dana Quill"]["variants"] == ["Dana Quill", "Dana J. Quill", "Ms. Quill"]
    assert (rows["Dana Quill"]["quotes"], rows["Dana Quill"]["indirect"], rows["Dana Quill"]["articles"]) == (3, 1, 3)
    # a suffix and a different first name are different people; a surname alone in an article
    # that names neither (or only the Jr.) stays a row of its own
    assert rows["Dana Quill Jr."]["variants"] == ["Dana Quill Jr."]
    assert rows["Robin Quill"]["variants"] == ["Robin Quill"]
    assert rows["Quill"]["variants"] == ["Quill"] and rows["Quill"]["articles"] == 2
    # organisations group by their whole name only
    assert rows["Harbor Department of Fisheries"]["variants"] == ["Harbor Department of Fisheries",
                                                                 "The Harbor Department of Fisheries"]
    assert rows["Harbor"]["variants"] == ["Harbor"]
    # two different middle initials are two people; the name without one is neither
    assert {k for k in rows if k.startswith("Lee")} == {"Lee Park", "Lee H. Park", "Lee T. Park"}


def test_a_surname_alone_joins_the_person_its_article_text_names() -> None:
    from quotes.review.speakers import group_speakers

    recs = [_r("a", "Dana Quill"), _r("b", "Robin Quill"), _r("c", "Quill"), _r("d", "Quill")]
    texts = {"c": "Later, Dana Quill said the harbor would open.", "d": "Dana Quill and Robin Quill spoke."}
    rows = {r["speaker"]: r for r in speaker_summary(recs, texts=texts)}
    assert rows["Dana Quill"]["variants"] == ["Dana Quill", "Quill"] and rows["Dana Quill"]["articles"] == 2
    assert rows["Quill"]["articles"] == 1  # article d names two Quills
    notes = group_speakers(recs, texts=texts).notes
    assert "'Quill' -> 'Dana Quill' (its article's text names him or her)" in notes
    assert any(n.startswith("'Quill' left alone (its article names several") for n in notes)


# --- reading records, and the CLI ---------------------------------------------------------------


def test_parse_records_reports_each_bad_line() -> None:
    good = json.dumps({"article": "a", "index": 0, "kind": "direct", "text": "x", "start": 0, "end": 1})
    data = "\n".join([good, "{not json", "", '{"article": "a"}', "[1, 2]", good.replace('"start": 0', '"start": "0"'),
                      good]).encode()
    records, errors = parse_records(data, "q.jsonl")
    assert len(records) == 2
    assert [e.split(":")[:2] for e in errors] == [["q.jsonl", "2"], ["q.jsonl", "4"], ["q.jsonl", "5"], ["q.jsonl", "6"]]


def run_cli(*args: str, cwd: Path = ROOT, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "quotes", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, timeout=120)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_review_reports_bad_lines_and_mismatches(tmp_path: Path) -> None:
    arts = tmp_path / "arts"
    arts.mkdir()
    text = "“It is all fine,” he said."
    (arts / "a.txt").write_text(text, encoding="utf-8")
    good = rec("a.txt", text, "It is all fine,", index=0, mention="he", verb="said")
    quotes = write_jsonl(tmp_path / "q.jsonl", [good, dict(good, index=1, start=0)])
    with quotes.open("a") as fh:
        fh.write("oops\n")
    out = tmp_path / "site"
    done = run_cli("review", str(quotes), "--articles", str(arts), "-o", str(out))
    assert done.returncode == 1
    err = done.stderr.decode().splitlines()
    assert any(line.startswith(f"error: {quotes}:3:") for line in err)
    assert any(line.startswith("error: a.txt: record 1: quote offsets 0-16 do not match") for line in err)
    assert (out / "index.html").is_file() and (out / "articles" / "001-a.txt.html").is_file()
    # all good: exit 0; default --articles is the current directory
    write_jsonl(quotes, [good])
    done = run_cli("review", str(quotes), "-o", str(out), cwd=arts)
    assert done.returncode == 0, done.stderr.decode()
    assert "review of 1 article(s), 1 records" in done.stderr.decode()


def test_cli_speakers_table_and_jsonl(tmp_path: Path) -> None:
    text = "“Alpha beta gamma,” Ann said. “Delta,” Bob said. “Eps zeta eta,” Ann said. Ann Lee said it rains."
    quotes = write_jsonl(tmp_path / "q.jsonl", [
        rec("a.txt", text, "Alpha beta gamma,", index=0, speaker="Ann Lee"),
        rec("a.txt", text, "Delta,", index=1, speaker="Bob", kind="other"),
        rec("a.txt", text, "Eps zeta eta,", index=2, speaker="Ms. Lee"),
        rec("a.txt", text, "it rains", index=3, speaker="Ann Lee", kind="indirect"),
        rec("b.txt", text, "Alpha beta gamma,", index=0, speaker=None, kind="partial"),
    ])
    done = run_cli("speakers", str(quotes))
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0].split() == ["speaker", "quotes", "direct", "partial", "claims", "articles", "variants"]
    assert lines[1].split() == ["Ann", "Lee", "2", "2", "0", "1", "1", "Ms.", "Lee"]
    assert lines[2].split() == [UNATTRIBUTED, "1", "0", "1", "0", "1"]
    assert len(lines) == 3
    done = run_cli("speakers", "--format", "jsonl", "-", stdin=quotes.read_bytes() + b"{bad\n")
    assert done.returncode == 1 and "error: -:6:" in done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(r["speaker"], r["variants"], r["quotes"], r["indirect"], r["articles"]) for r in rows] == [
        ("Ann Lee", ["Ann Lee", "Ms. Lee"], 2, 1, 1), (None, [], 1, 0, 1)]


# --- the samples in a real browser --------------------------------------------------------------


def _word_at(text: str, word: str, pos: int) -> int:
    m = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)").search(text, pos)
    assert m, f"{word!r} not found after {pos}"
    return m.start()


def sample_records() -> tuple[list[dict], dict[str, str]]:
    """Full records for the fixture specs, offsets computed from the sample texts."""
    texts: dict[str, str] = {}
    records: list[dict] = []
    counts: dict[str, int] = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        spec = json.loads(line)
        article = spec["article"]
        if article not in texts:
            texts[article] = decode((SAMPLES / article).read_bytes())
        text = texts[article]
        start = text.index(spec["quote_after"]) + 1
        end = text.index("”", start)
        r = {"schema_version": 1, "article": article, "index": counts.get(article, 0), "kind": spec["kind"],
             "text": text[start:end], "start": start, "end": end, "paragraph": text.count("\n", 0, start),
             "sentence": None, "speaker": spec["speaker"], "speaker_span": None, "verb": None, "cue": None,
             "utterance": spec["utterance"], "rule": spec["rule"], "confidence": spec["confidence"],
             "model": "hand-made"}
        counts[article] = r["index"] + 1
        if spec.get("mention"):
            from_ = text.index(spec["mention_after"]) if spec.get("mention_after") else end
            s = _word_at(text, spec["mention"], from_)
            r["speaker_span"] = {"text": spec["mention"], "start": s, "end": s + len(spec["mention"])}
        if spec.get("verb"):
            from_ = text.index(spec["verb_after"]) if spec.get("verb_after") else end
            s = _word_at(text, spec["verb"], from_)
            r["verb"] = {"text": spec["verb"], "lemma": spec["lemma"], "start": s, "end": s + len(spec["verb"])}
        if spec.get("cue"):
            a, b = r["speaker_span"], r["verb"]
            s, e = min(a["start"], b["start"]), max(a["end"], b["end"])
            r["cue"] = {"text": text[s:e], "start": s, "end": e}
        records.append(r)
    return records, texts


def test_sample_fixture_records_fit_the_samples() -> None:
    records, texts = sample_records()
    assert len(records) == 15
    for r in records:
        text = texts[r["article"]]
        assert text[r["start"]:r["end"]] == r["text"] and r["text"]
        for key in ("speaker_span", "verb", "cue"):
            if r[key]:
                assert text[r[key]["start"]:r[key]["end"]] == r[key]["text"]
    assert records[1]["text"].startswith("We are committed") and records[1]["speaker_span"]["text"] == "he"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("QUOTES_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = chromium_path()
browser = pytest.mark.skipif(CHROMIUM is None, reason="headless chromium not installed (apt-get install chromium)")


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
           f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done


def dump_dom(profile: Path, page: Path) -> Node:
    done = chromium(profile, "--dump-dom", page.resolve().as_uri())
    dom = done.stdout.decode("utf-8")
    assert "<html" in dom
    return parse(dom, strict=False)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("review")
    records, texts = sample_records()
    bad = dict(records[-1], index=99, start=records[-1]["start"] + 3)  # offsets off by 3
    missing = {"schema_version": 1, "article": "feed.jsonl:1", "index": 0, "kind": "direct",
               "text": "Text from a JSONL feed & <friends>", "start": 10, "end": 44, "speaker": "Some One"}
    quotes = write_jsonl(tmp / "quotes.jsonl", records + [bad, missing])
    out = tmp / "site"
    done = run_cli("review", str(quotes), "--articles", str(SAMPLES), "-o", str(out))
    return {"tmp": tmp, "out": out, "records": records, "texts": texts, "done": done}


def test_sample_review_cli_output(sample_site) -> None:
    done = sample_site["done"]
    err = done.stderr.decode()
    assert done.returncode == 1  # the deliberately shifted record
    assert "error: 003_6e365e60f861a161.txt: record 99: quote offsets" in err
    assert "1 article(s) without text, e.g. 'feed.jsonl:1'" in err
    assert sorted(p.name for p in (sample_site["out"] / "articles").iterdir()) == [
        "001-000_19a75a33014863ff.txt.html", "002-003_6e365e60f861a161.txt.html", "003-feed.jsonl_1.html"]


@pytest.mark.browser
@browser
def test_sample_review_in_headless_chromium(sample_site) -> None:
    out, records, texts = sample_site["out"], sample_site["records"], sample_site["texts"]
    profile = sample_site["tmp"] / "profile"
    pages = {"000_19a75a33014863ff.txt": out / "articles" / "001-000_19a75a33014863ff.txt.html",
             "003_6e365e60f861a161.txt": out / "articles" / "002-003_6e365e60f861a161.txt.html"}
    for article, page in pages.items():
        dom = dump_dom(profile, page)
        body = dom.by_id("text")
        assert body.text == texts[article]  # the page shows exactly the article text
        marks = body.find_all("mark", cls="m-quote")
        for r in (r for r in records if r["article"] == article):
            pieces = [m for m in marks if m.attrs.get("data-record") == str(r["index"])]
            assert pieces, f"record {r['index']} of {article} not marked"
            assert "".join(p.text for p in pieces) == r["text"]
            first = pieces[0]
            assert first.attrs["id"] == f"q{r['index']}"
            assert first.attrs["data-speaker"] == (r["speaker"] or "")
            assert first.attrs["data-kind"] == r["kind"]
            assert "k-" + r["kind"] in first.classes and f"u{r['utterance'] % 8}" in first.classes
            if r["speaker_span"]:
                speaker = dom.by_id(first.attrs["data-speaker-ref"])
                assert speaker.text == r["speaker_span"]["text"] and "m-speaker" in speaker.classes
                assert r["speaker"] in speaker.attrs["data-speaker"].split(" | ")
                assert f"q{r['index']}" in speaker.attrs["data-quotes"].split()
            else:
                assert "data-speaker-ref" not in first.attrs
            if r["verb"]:
                verb = dom.by_id(first.attrs["data-verb-ref"])
                assert verb.text == r["verb"]["text"] and "m-verb" in verb.classes
        # records sharing an utterance share colour and label stem
        by_utt: dict[int, set[str]] = {}
        for m in marks:
            by_utt.setdefault(int(m.attrs["data-utterance"]), set()).add(m.attrs["data-label"].split()[0])
        assert all(len(labels) == 1 for labels in by_utt.values())
        # side list: each speaker's quotes link to their anchors
        side = dom.by_id("speakers")
        links = [a.attrs["href"] for a in side.find_all("a")]
        assert sorted(links) == sorted(f"#q{r['index']}" for r in records if r["article"] == article)
    # the shifted record is listed, not drawn
    dom = dump_dom(profile, pages["003_6e365e60f861a161.txt"])
    assert [li.attrs["data-record"] for li in dom.by_id("problems").find_all("li")] == ["99"]
    assert not dom.find_all("mark", data_record="99")
    # the index, and the page of the article with no text
    index = dump_dom(profile, out / "index.html")
    rows = {tr.attrs["data-article"]: tr for tr in index.find_all("tr") if "data-article" in tr.attrs}
    assert rows["000_19a75a33014863ff.txt"].attrs["data-quotes"] == "9"
    assert rows["000_19a75a33014863ff.txt"].attrs["data-speakers"] == "2"
    assert rows["003_6e365e60f861a161.txt"].attrs["data-quotes"] == "7"
    missing = dump_dom(profile, out / "articles" / "003-feed.jsonl_1.html")
    assert missing.by_id("unavailable") is not None
    assert "Text from a JSONL feed & <friends>" in missing.text


JS_PROBE = """
<script>
(function () {
  var q = document.getElementById("q3");
  q.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  var lit = Array.prototype.map.call(document.querySelectorAll(".lit"), function (e) { return e.id || e.className; });
  var out = document.createElement("pre");
  out.id = "probe";
  out.setAttribute("data-lit", document.querySelectorAll("#text .lit").length);
  out.textContent = document.querySelector("#details dl").textContent;
  document.body.appendChild(out);
}());
</script>
"""


@pytest.mark.browser
@browser
def test_sample_review_script_links_quote_to_speaker_and_screenshot(sample_site) -> None:
    """Clicking a quote lights up its speaker and verb and shows its record; screenshot the page."""
    out, records = sample_site["out"], sample_site["records"]
    page = out / "articles" / "001-000_19a75a33014863ff.txt.html"
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", JS_PROBE + "</body>"), encoding="utf-8")
    profile = sample_site["tmp"] / "profile"
    dom = dump_dom(profile, probe)
    result = dom.by_id("probe")
    r = records[3]  # “Fueling Russia’s ...” he added: speaker, verb and cue
    assert "Antony Blinken" in result.text and "direct" in result.text and "speech-verb" in result.text
    assert "added" in result.text
    assert int(result.attrs["data-lit"]) >= 3  # quote, speaker mention, verb
    lit_text = {n.text for n in dom.by_id("text").iter() if "lit" in n.classes}
    assert {r["text"], r["speaker_span"]["text"], r["verb"]["text"]} <= lit_text

    # a screenshot, with a quote pinned so the record panel shows
    shot_page = page.with_name("shot.html")
    pin = '<script>document.getElementById("q1").dispatchEvent(new MouseEvent("click", {bubbles: true}));</script>'
    shot_page.write_text(page.read_text(encoding="utf-8").replace("</body>", pin + "</body>"), encoding="utf-8")
    shot = sample_site["tmp"] / "review.png"
    chromium(profile, f"--screenshot={shot}", "--window-size=1200,1600", shot_page.resolve().as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    # docs/review.png is made from the real extraction of samples/ by docs/make_screenshot.py


def test_a_name_in_running_text_has_a_lower_case_word_near_it() -> None:
    from quotes.review.speakers import written_in_running_text

    text = "Jane Roe Slams Harbor Plan\nThe mayor, Jane Roe, said the plan would fail.\nBy Tom Park\n"
    assert written_in_running_text("Jane Roe", text)
    assert not written_in_running_text("Jane Roe Slams Harbor Plan", text)  # only the headline
    assert not written_in_running_text("Tom Park", text)  # only the byline
    assert not written_in_running_text("Roe Slams", "Roe Slamson said so.")  # whole words only


def test_every_page_of_a_review_carries_its_review_id_and_each_record_its_identity() -> None:
    from quotes.review import review_id

    t1, t2 = "“One two three,” Ann said.", "“Four five six,” Bob said."
    recs = [rec("a.txt", t1, "One two three,", speaker="Ann Lee", rule="speech-verb", cue_family="speech"),
            rec("b.txt", t2, "Four five six,", speaker="Bob Roe", kind="indirect", rule="reported", confidence=0.7)]
    site = build_site(recs, {"a.txt": t1, "b.txt": t2})
    rid = review_id(recs)
    assert rid == review_id(list(reversed(recs))) and len(rid) == 16
    assert rid != review_id(recs[:1])
    for name, html_text in site.files.items():
        body = parse(html_text).find_all("body")[0]
        assert body.attrs["data-review"] == rid, name
    page = parse(site.files["articles/002-b.txt.html"])
    (row,) = page.find_all("tr", cls="record")
    assert row.attrs["data-identity"] == f"b.txt\t{recs[1]['start']}\t{recs[1]['end']}\tindirect"
    assert (row.attrs["data-kind"], row.attrs["data-rule"], row.attrs["data-cue-family"]) == ("indirect", "reported", "")
    (mark,) = page.by_id("text").find_all("mark", cls="m-quote")
    assert "k-indirect" in mark.classes
    assert [o.attrs["value"] for o in page.by_id("f-kind").find_all("option")] == ["", "indirect"]
    first = parse(site.files["articles/001-a.txt.html"])
    assert "cf-speech" in first.by_id("text").find_all("mark", cls="m-quote")[0].classes
    assert [o.attrs["value"] for o in first.by_id("f-family").find_all("option")] == ["", "speech"]
    assert first.by_id("keys") is not None and first.by_id("export") is not None
