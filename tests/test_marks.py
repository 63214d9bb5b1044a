"""Quote-mark pairing (`quotes.marks`): what a reader sees quoted is what comes back."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.marks import STYLES, QuoteSpan, find_quotes, paragraph_spans


def contents(text: str, **kw: int) -> list[str]:
    return [text[q.start:q.end] for q in find_quotes(text, **kw)]


# --- paragraphs -------------------------------------------------------------------------------


def test_paragraphs_split_on_every_line_break_and_skip_blank_lines() -> None:
    text = "One.\nTwo.\r\nThree.\rFour.\u2028Five.\u2029Six.\n\n   \t\nSeven."
    got = [text[s:e] for s, e in paragraph_spans(text)]
    assert got == ["One.", "Two.", "Three.", "Four.", "Five.", "Six.", "Seven."]


def test_paragraph_spans_exclude_line_breaks_and_surrounding_spaces() -> None:
    text = "  Alpha beta  \r\n\r\nGamma\r\n"
    assert paragraph_spans(text) == [(2, 12), (18, 23)]


def test_no_paragraphs_in_empty_or_blank_text() -> None:
    assert paragraph_spans("") == []
    assert paragraph_spans(" \n\r\n \u2029") == []
    assert find_quotes("") == []


# --- each style -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "content", "style"),
    [
        ("The mayor said “we will fix the bridge” on Friday.", "we will fix the bridge", "double"),
        ('The mayor said "we will fix the bridge" on Friday.', "we will fix the bridge", "double"),
        ("The mayor said ‘we will fix the bridge’ on Friday.", "we will fix the bridge", "single"),
        ("The mayor said 'we will fix the bridge' on Friday.", "we will fix the bridge", "single"),
        ("Le maire a dit «nous réparerons le pont» vendredi.", "nous réparerons le pont",
         "guillemet"),
        ("Le maire a dit « nous réparerons le pont » vendredi.", "nous réparerons le pont",
         "guillemet"),
        ("Der Bürgermeister sagte »wir reparieren die Brücke« am Freitag.",
         "wir reparieren die Brücke", "guillemet"),
        ("Der Bürgermeister sagte „wir reparieren die Brücke“ am Freitag.",
         "wir reparieren die Brücke", "low"),
        ("Burmistrz powiedział „naprawimy most” w piątek.", "naprawimy most", "low"),
        ("The mayor said ''we will fix the bridge'' on Friday.", "we will fix the bridge",
         "doubled-apostrophe"),
        ("The mayor said ``we will fix the bridge'' on Friday.", "we will fix the bridge",
         "doubled-apostrophe"),
    ],
)
def test_each_style_pairs(text: str, content: str, style: str) -> None:
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == content
    assert q.style == style
    assert text[q.open_start:q.start].strip() in ("“", '"', "‘", "'", "«", "»", "„", "``", "''")
    assert q.close_end is not None
    assert text[q.end:q.close_end].strip() in ("”", '"', "’", "'", "»", "«", "“", "''")


def test_span_fields_point_at_the_marks() -> None:
    text = "Officials said “the road is closed,” citing ice."
    (q,) = find_quotes(text)
    assert (q.open_start, q.start, q.end, q.close_end) == (15, 16, 35, 36)
    assert text[q.open_start] == "“" and text[q.close_end - 1] == "”"
    assert (q.paragraph, q.utterance, q.style) == (0, 0, "double")
    assert q.style in STYLES


def test_quote_span_is_frozen() -> None:
    (q,) = find_quotes("“Hi.”")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.start = 0  # type: ignore[misc]


# --- apostrophes versus single quotes ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I don’t know what O’Brien’s plan is.",
        "I don't know what O'Brien's plan is.",
        "Music from the ’90s still sells, and fans love ’em.",
        "Music from the '90s still sells, and fans love 'em.",
        "He has played rock ’n’ roll since ’06.",
        "He has played rock 'n' roll since '06.",
        "The Hawks’ coach praised the Lakers’ defence.",
        "The Hawks' coach praised the Lakers' defence.",
        "The Hawks’ coach praised the players’ 2019 season.",
        "It was the Jones’ house, not the Smiths’.",
    ],
)
def test_apostrophes_are_not_quotes(text: str) -> None:
    assert find_quotes(text) == []


def test_plural_possessive_closes_a_pending_single_quote() -> None:
    text = "The council backed ‘growth in a wide range of areas’ said the deputy mayor."
    assert contents(text) == ["growth in a wide range of areas"]


def test_possessive_inside_a_single_quote_does_not_cut_it_short() -> None:
    text = "She called it ‘a bad week for the Hawks’ coach and his staff’ on Sunday."
    assert contents(text) == ["a bad week for the Hawks’ coach and his staff"]
    text = "‘The players’ union is wrong,’ he said."
    assert contents(text) == ["The players’ union is wrong,"]
    text = "'The players' union is wrong,' he said."
    assert contents(text) == ["The players' union is wrong,"]


def test_possessive_next_to_a_real_single_quote() -> None:
    text = "The Hawks’ ‘new era’ began with the Lakers’ loss."
    assert contents(text) == ["new era"]


def test_apostrophes_inside_a_quote_stay_in_it() -> None:
    text = "‘We don’t play rock ’n’ roll since the ’90s,’ the singer said."
    assert contents(text) == ["We don’t play rock ’n’ roll since the ’90s,"]


def test_ascii_single_quotes_with_contractions() -> None:
    text = "'It's not O'Neill's fault,' the coach said."
    assert contents(text) == ["It's not O'Neill's fault,"]


# --- nesting, mixed styles, punctuation ------------------------------------------------------


def test_nested_quote_keeps_the_outer_span() -> None:
    text = "“He said ‘no’ to me,” she said."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "He said ‘no’ to me,"
    assert q.style == "double"


def test_british_nesting_single_outside_double() -> None:
    text = "‘They told us “wait until spring” again,’ the farmer said."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "They told us “wait until spring” again,"
    assert q.style == "single"


def test_mixed_styles_in_one_paragraph() -> None:
    text = "The minister said “the budget is final” and called critics ‘misinformed’ later."
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["the budget is final", "misinformed"]
    assert [q.style for q in qs] == ["double", "single"]
    assert [q.utterance for q in qs] == [0, 1]


def test_quotes_after_colon_and_dash() -> None:
    text = "Her answer: “Absolutely not.” His reply—“Fine.” Then:\"Good.\" Also —'Sure.'"
    assert contents(text) == ["Absolutely not.", "Fine.", "Good.", "Sure."]


def test_marks_next_to_punctuation() -> None:
    text = '“Yes,” he said. “No.” She asked: “Why?” He said "Because!" and left.'
    assert contents(text) == ["Yes,", "No.", "Why?", "Because!"]


def test_content_is_stripped_of_whitespace() -> None:
    text = "He said “  spaced out  ” and «\u00a0bonjour\u00a0»."
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["spaced out", "bonjour"]
    assert qs[0].start == qs[0].open_start + 3


def test_empty_quotes_are_skipped() -> None:
    assert contents("He said “” and “   ” and \"\" then “ok”.") == ["ok"]


# --- unbalanced and odd counts ---------------------------------------------------------------


def test_odd_count_still_pairs_what_pairs() -> None:
    assert contents("He said “yes and then “no” twice.") == ["no"]
    assert contents('He said "yes and then "no" twice.') == ["no"]


def test_stray_closer_is_skipped() -> None:
    assert contents("He said yes” and then “no” twice.") == ["no"]


def test_unclosed_opener_does_not_stop_later_pairs() -> None:
    # “then never closes: the quotes after it pair on their own
    text = "“Sure,” he said, and “then ‘maybe’ she added “fine” and left."
    assert contents(text) == ["Sure,", "maybe", "fine"]


def test_truncated_paragraph_gives_no_span() -> None:
    text = "Critics said the “short” videos are “aimed at\nThe company did not respond."
    assert contents(text) == ["short"]


def test_truncated_paragraph_before_single_quote_paragraph_is_not_continued() -> None:
    text = "He said “the plan is\n‘Fine,’ she replied."
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["Fine,"]
    assert qs[0].close_end is not None


def test_inch_marks_in_curly_text_do_not_pair() -> None:
    text = "“The 12\" pipe burst,” he said."
    assert contents(text) == ["The 12\" pipe burst,"]


# --- multi-paragraph quotations --------------------------------------------------------------


MULTI = (
    "The chief spoke first.\n"
    "“We have three crews on the ridge tonight.\n"
    "“More are coming from the coast by morning.\n"
    "“Nobody should go back yet,” she said.\n"
    "Residents asked “when?” at the meeting."
)


def test_multi_paragraph_quote_shares_an_utterance() -> None:
    qs = find_quotes(MULTI)
    assert [MULTI[q.start:q.end] for q in qs] == [
        "We have three crews on the ridge tonight.",
        "More are coming from the coast by morning.",
        "Nobody should go back yet,",
        "when?",
    ]
    assert [q.paragraph for q in qs] == [1, 2, 3, 4]
    assert [q.utterance for q in qs] == [0, 0, 0, 1]
    assert [q.close_end is None for q in qs] == [True, True, False, False]
    paras = paragraph_spans(MULTI)
    assert qs[0].end == paras[1][1] and qs[1].end == paras[2][1]
    assert MULTI[qs[2].close_end - 1] == "”"


def test_multi_paragraph_quote_after_a_closed_quote_in_the_same_paragraph() -> None:
    text = "“It burned fast,” she said. “We lost two barns\n  “and a shed.”"
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["It burned fast,", "We lost two barns",
                                                  "and a shed."]
    assert [q.utterance for q in qs] == [0, 1, 1]


def test_multi_paragraph_single_quote_and_trailing_space() -> None:
    text = "‘First we plan, \t\n‘then we build.’"
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["First we plan,", "then we build."]
    assert [q.utterance for q in qs] == [0, 0]
    assert qs[0].close_end is None and qs[1].close_end == len(text)


def test_multi_paragraph_ascii_quotes_with_crlf() -> None:
    text = '"One thing.\r\n"Another thing," he said.\r\nNext.'
    qs = find_quotes(text)
    assert [(q.start, q.end, q.open_start, q.close_end) for q in qs] == [
        (1, 11, 0, None), (14, 28, 13, 29)]
    assert [q.utterance for q in qs] == [0, 0]


# --- offsets -------------------------------------------------------------------------------


def test_crlf_line_endings_keep_exact_offsets() -> None:
    text = "Intro line.\r\nShe said “first”.\r\n\r\nHe said “second” too.\r\n"
    qs = find_quotes(text)
    assert [(q.start, q.end, q.paragraph) for q in qs] == [(23, 28, 1), (43, 49, 2)]
    assert [text[q.start:q.end] for q in qs] == ["first", "second"]
    lf = text.replace("\r\n", "\n")
    assert [lf[q.start:q.end] for q in find_quotes(lf)] == ["first", "second"]


def test_lone_cr_line_endings() -> None:
    text = "A.\r“B,” he said.\rC."
    (q,) = find_quotes(text)
    assert (q.start, q.end, q.paragraph) == (4, 6, 1)


def test_offsets_are_code_points_after_emoji_and_cjk() -> None:
    text = "🔥🎉 市长说 “修好桥” 👍"
    (q,) = find_quotes(text)
    assert (q.open_start, q.start, q.end, q.close_end) == (7, 8, 11, 12)
    assert text[q.start:q.end] == "修好桥"


def test_min_chars_filters_short_content() -> None:
    text = "He said “no” and then “absolutely not”."
    assert contents(text, min_chars=3) == ["absolutely not"]
    assert contents(text, min_chars=1) == ["no", "absolutely not"]
    assert [q.utterance for q in find_quotes(text, min_chars=3)] == [0]


# --- two-apostrophe wire style -------------------------------------------------------------


def test_two_apostrophes_are_one_double_mark() -> None:
    text = "''We're ready,'' the coach said, ''and we won't quit.''"
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["We're ready,", "and we won't quit."]
    assert {q.style for q in qs} == {"doubled-apostrophe"}
    assert [q.close_end - q.end for q in qs] == [2, 2]


def test_backtick_wire_quotes_with_inner_single_quote() -> None:
    text = "``They said 'wait','' he recalled."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "They said 'wait',"
    assert q.open_start == 0 and q.start == 2


def test_three_apostrophes_close_inner_and_outer() -> None:
    text = "He wrote ''they shouted 'stop''' and left."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "they shouted 'stop'"
    assert q.style == "doubled-apostrophe"


# --- robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["\ud800“x”", "“", "”", "'", "''", "``", "\"", "«»«", "„", "’n’", "\r\n\r", "“\n”", "'''''"],
)
def test_odd_inputs_do_not_raise(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.open_start < q.start <= q.end <= len(text)


MARKS = "“”‘’\"'`«»„‚‹›"
ALPHABET = st.sampled_from(list(MARKS + "abcsnHO09 ,.:—-()\n\r\u2028\u2029\t\u00a0"))
TEXTS = st.one_of(
    st.lists(ALPHABET, max_size=80).map("".join),
    st.lists(st.one_of(ALPHABET, st.characters()), max_size=80).map("".join),
    st.text(max_size=60),
)


def _check_invariants(text: str, spans: list[QuoteSpan]) -> None:
    paras = paragraph_spans(text)
    prev_end = -1
    prev_utt = -1
    for q in spans:
        assert 0 <= q.open_start < q.start <= q.end <= len(text)
        content = text[q.start:q.end]
        assert content and not content[0].isspace() and not content[-1].isspace()
        stop = q.close_end if q.close_end is not None else q.end
        assert q.end <= stop <= len(text)
        assert q.open_start > prev_end, "spans overlap or are out of order"
        prev_end = stop - 1
        p_start, p_end = paras[q.paragraph]
        assert p_start <= q.open_start and stop <= p_end
        assert q.style in STYLES
        assert q.utterance in (prev_utt, prev_utt + 1)
        prev_utt = q.utterance


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_property_never_raises_and_spans_are_well_formed(text: str) -> None:
    spans = find_quotes(text)
    _check_invariants(text, spans)
    # every content is at least min_chars long
    for q in find_quotes(text, min_chars=3):
        assert q.end - q.start >= 3


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_property_paragraphs_are_sorted_disjoint_and_trimmed(text: str) -> None:
    last = -1
    for s, e in paragraph_spans(text):
        assert last <= s < e <= len(text)
        chunk = text[s:e]
        assert not chunk[0].isspace() and not chunk[-1].isspace()
        assert not any(c in chunk for c in "\n\r\u2028\u2029")
        last = e


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["“a b”", "‘c d’", "\"e\"", "«f»", " x ", "’s", "\n"]),
                max_size=12))
def test_property_well_formed_quotes_are_all_found(parts: list[str]) -> None:
    text = "".join(parts)
    spans = find_quotes(text)
    _check_invariants(text, spans)
    expected = [p[1:-1] for p in parts if p[0] in "“‘\"«"]
    # Quotes glued to a word (’s“a b”) may be read as closers; spaced out, all are found.
    spaced = " ".join(parts)
    assert [spaced[q.start:q.end] for q in find_quotes(spaced)] == expected


def test_chain_that_never_closes_keeps_its_continued_paragraphs() -> None:
    # Each unclosed paragraph is kept when the next one opens with the same style; the last
    # unclosed paragraph has no continuation, so it is a cut-off quote and gives no span.
    text = "“Part one\n\n  “part two\n“part three"
    qs = find_quotes(text)
    assert [text[q.start:q.end] for q in qs] == ["Part one", "part two"]
    assert [(q.paragraph, q.utterance, q.close_end) for q in qs] == [(0, 0, None), (1, 0, None)]


@pytest.mark.parametrize("text, expected", [
    # half-converted quotes: an ASCII opener closed by a curly closer
    ('"There are two of us,” said Doe. “That’s Roe and me.”', ["There are two of us,", "That’s Roe and me."]),
    # a mistyped closer: “ glued to the word before it and followed by a space
    ("“It's unusual,“ said Doe. “It's hard to do.”", ["It's unusual,", "It's hard to do."]),
    # an inch sign still opens nothing
    ('A 6" screen, she said, is “too small.”', ["too small."]),
])
def test_mismatched_marks_that_can_only_close_still_close(text: str, expected: list[str]) -> None:
    assert contents(text) == expected
