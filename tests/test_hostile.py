"""Hostile input: no article takes the run down, and the work on each one is bounded.

The corpus is generated here (nothing large is committed). What takes minutes at full size (a
200,000-word line, a 2 MB article) is tested at small size with low limits; bench/bench.py
measures the full size (``--hostile``).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from quotes.parse import ParseNote, _windows, cut_paragraph


# --- bounded pieces for the tokenizer ------------------------------------------------------------


def test_a_long_paragraph_is_cut_into_pieces_at_sentence_ends_then_spaces():
    text = "Intro.\n" + " ".join(f"Word{i} said it." for i in range(200)) + "\nEnd."
    start = text.index("Word0")
    end = text.index("\nEnd")
    pieces = cut_paragraph(text, start, end, limit=100)
    assert len(pieces) > 10
    assert all(0 < b - a <= 100 for a, b in pieces)
    assert pieces[0][0] == start and pieces[-1][1] == end
    # every cut falls after a sentence end, and only spaces lie between the pieces
    assert all(text[b - 1] == "." for a, b in pieces)
    assert all(not text[b:a2].strip() for (_, b), (a2, _) in zip(pieces, pieces[1:]))


def test_a_paragraph_with_no_stop_is_cut_at_spaces_and_one_with_no_space_at_the_limit():
    text = " ".join(["word"] * 100)
    pieces = cut_paragraph(text, 0, len(text), limit=50)
    assert all(text[a:b].split() == ["word"] * len(text[a:b].split()) for a, b in pieces)
    assert "".join(text[a:b] + " " for a, b in pieces).split() == text.split()
    solid = "x" * 250
    assert cut_paragraph(solid, 0, 250, limit=100) == [(0, 100), (100, 200), (200, 250)]
    assert cut_paragraph("short one", 0, 9, limit=100) == [(0, 9)]


@given(st.text(alphabet=st.sampled_from("ab .,!?\u201c\u201d\t"), max_size=400), st.integers(5, 60))
def test_pieces_cover_every_non_space_character_once(text, limit):
    pieces = cut_paragraph(text, 0, len(text), limit=limit)
    assert all(0 < b - a <= limit for a, b in pieces)
    assert all(b <= a2 for (_, b), (a2, _) in zip(pieces, pieces[1:]))
    covered = "".join(text[a:b] for a, b in pieces)
    assert covered.replace(" ", "").replace("\t", "") == text.replace(" ", "").replace("\t", "")


# --- bounded sentences for the dependency parser -------------------------------------------------


def _sentence(texts):
    tokens = [SimpleNamespace(text=t, words=[t] * (2 if t == "don't" else 1)) for t in texts]
    return SimpleNamespace(tokens=tokens, words=[w for t in tokens for w in t.words])


def test_a_long_sentence_is_cut_into_windows_after_punctuation_and_tokens_stay_whole():
    texts = (["a"] * 7 + [","]) * 10 + ["don't"] * 5
    sent = _sentence(texts)
    windows = _windows(sent, 10)
    assert windows[0] == (0, 8) and windows[-1][1] == len(texts)
    assert all(b == a2 for (_, b), (a2, _) in zip(windows, windows[1:]))
    for lo, hi in windows:
        assert sum(len(t.words) for t in sent.tokens[lo:hi]) <= 10
    assert all(texts[hi - 1] == "," for lo, hi in windows[:-2])
    assert _windows(_sentence(["a"] * 10), 10) == [(0, 10)]


@pytest.mark.model
def test_no_sentence_longer_than_the_limit_reaches_the_parser_and_offsets_stay_exact(shipped_parser):
    from quotes.parse import Parser

    parser = Parser(shipped_parser.spec, max_sentence_words=12, max_piece_chars=120)
    line = " ".join(f"item {i} costs {i} dollars" for i in range(40))
    text = f"Prices.\n“It is a long list,” Jane Doe said of it, {line} and more\nShe said “Fine.”\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [sents] = parser.parse_many([text])
    notes = [w.message for w in caught if isinstance(w.message, ParseNote)]
    assert len(notes) == 1 and notes[0].text is text
    assert "tokenized in pieces" in str(notes[0]) and "cut into windows" in str(notes[0])
    assert all(len(s.words) <= 12 for s in sents if s.parsed)
    for s in sents:
        for w in s.words:
            assert w.text == text[w.start:w.end] or len({x.start for x in s.words if x.start == w.start}) > 1
        assert all(1 <= w.id <= len(s.words) and 0 <= w.head <= len(s.words) for w in s.words)
    assert [s.index for s in sents] == list(range(len(sents)))
