"""Paragraphs far from every quote are skimmed for names without a model (quotes/skim.py)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from quotes.skim import skim


def _tags(text: str) -> list[list[tuple[str, str]]]:
    return [[(w.text, w.upos) for w in s.words] for s in skim(text, 0, len(text), paragraph=0)]


def test_names_titles_and_abbreviations_survive_skimming() -> None:
    text = "Mr. Donald J. Trump visited the U.S. Capitol. In Washington, Sen. Joe Manchin spoke to Kim."
    first, second = _tags(text)
    assert first[:4] == [("Mr.", "PROPN"), ("Donald", "PROPN"), ("J.", "PROPN"), ("Trump", "PROPN")]
    assert ("U.S.", "PROPN") in first and first[-1] == (".", "PUNCT")
    # a sentence's capitalised first word is a name only if it is not a function word
    assert second[0] == ("In", "X") and ("Kim", "PROPN") in second and second[-1] == (".", "PUNCT")


def test_a_title_case_headline_gives_no_names() -> None:
    assert all(upos != "PROPN" for s in _tags("Mayor Hid Old Budget Problems From Public") for _, upos in s)


def test_skimmed_sentences_are_unparsed_and_placed_in_their_paragraph() -> None:
    text = "Intro.\nJane Doe arrived late. Then she left."
    start = text.index("Jane")
    sents = skim(text, start, len(text), paragraph=1)
    assert len(sents) == 2 and all(not s.parsed and s.paragraph == 1 for s in sents)


@given(st.text(max_size=300))
def test_skimmed_words_keep_their_offsets(text: str) -> None:
    for s in skim(text, 0, len(text), paragraph=0):
        for w in s.words:
            assert text[w.start:w.end] == w.text and w.text.strip() == w.text and w.text
