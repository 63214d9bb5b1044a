"""Invariants on any input: records obey the offset rule and no input crashes the run.

The matcher is fed random trees over random text (any shape a parser might produce), and, when
the shipped model is installed, the real parser over random text.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from quotes.marks import paragraph_spans
from quotes.match import extract_quotes
from quotes.record import RECORD_KEYS
from quotes.tree import Sentence, Word

QUOTEY = st.lists(
    st.sampled_from(list("“”‘’\"'«»„`—-:,. \n\r\tabcXYZ") + ["said ", "he ", "according to ", "Blinken "]),
    max_size=80,
).map("".join)
ANY_TEXT = st.one_of(QUOTEY, st.text(max_size=200))

UPOS = ["VERB", "NOUN", "PROPN", "PRON", "PUNCT", "ADP", "AUX", "DET", "ADJ"]
RELS = ["nsubj", "ccomp", "parataxis", "obj", "punct", "case", "flat", "compound", "appos",
        "advcl", "conj", "xcomp", "obl", "dep", "nsubj:pass", "root"]
LEMMAS = ["say", "tell", "according", "he", "to", "quote", "x"]


@st.composite
def parsed_articles(draw):
    text = draw(ANY_TEXT)
    sentences = []
    for p, (start, end) in enumerate(paragraph_spans(text)):
        tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        for i in range(0, len(tokens), 7):  # sentences of up to 7 words
            chunk = tokens[i:i + 7]
            words = []
            for j, (s, e) in enumerate(chunk, start=1):
                head = 0 if j == 1 else draw(st.integers(0, j - 1))
                words.append(Word(
                    id=j, text=text[s:e], lemma=draw(st.sampled_from(LEMMAS + [text[s:e].lower()])),
                    upos=draw(st.sampled_from(UPOS)), head=head,
                    deprel="root" if head == 0 else draw(st.sampled_from(RELS)), start=s, end=e,
                ))
            sentences.append(Sentence(words=tuple(words), index=len(sentences), paragraph=p))
    return text, sentences


def _check(text, records):
    for r in records:
        d = r.to_dict()
        assert tuple(d) == RECORD_KEYS
        assert text[d["start"]:d["end"]] == d["text"]
        for key in ("speaker_span", "cue", "verb"):
            if d[key] is not None:
                assert text[d[key]["start"]:d[key]["end"]] == d[key]["text"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parsed_articles(), st.booleans())
def test_matcher_never_crashes_and_offsets_hold(article, include_other):
    text, sentences = article
    _check(text, extract_quotes(text, sentences, include_other=include_other))


@pytest.mark.model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
@given(ANY_TEXT)
def test_real_parse_of_any_text(shipped_parser, text):
    [sentences] = shipped_parser.parse_many([text])
    _check(text, extract_quotes(text, sentences, include_other=True))
