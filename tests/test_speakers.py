"""Speaker mentions and their canonical names (`quotes.speakers`), on hand-written parse trees.

A reader links "he", "Blinken" and "the president" back to the person named earlier in the
article; the record keeps both: ``speaker`` (the canonical name) and ``speaker_span`` (the
words as written at the quote).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import quotes
from quotes.record import Quote
from quotes.rules import QuoteContext
from quotes.marks import find_quotes
from quotes.speakers import mention_words, name_words
from quotes.tree import read_conllu

TREES = Path(__file__).parent / "fixtures" / "trees"


def load(name: str):
    return read_conllu((TREES / name).read_text(encoding="utf-8"))


def extract(name: str, **options) -> tuple[str, list[Quote]]:
    text, sentences = load(name)
    records = quotes.extract_parsed(text, sentences, article=name, **options)
    for r in records:
        assert r.text == text[r.start:r.end]
        if r.speaker_span is not None:
            s = r.speaker_span
            assert s.text == text[s.start:s.end]
    return text, records


@pytest.mark.parametrize("name, speaker, span, quote", [
    # a pronoun: the latest subject name before it
    ("pronoun_he.conllu", "Antony Blinken", "he", "We discussed the path forward,"),
    # a surname: the fullest earlier name that holds it, without the title before it
    ("surname_blinken.conllu", "Antony Blinken", "Blinken", "The talks were productive,"),
    ("surname_xi.conllu", "Xi Jinping", "Xi", "Cooperation benefits both sides,"),
    # a title alone: the name that title preceded
    ("title_president.conllu", "William Lai", "the president", "Taiwan will stay the course,"),
])
def test_speaker_resolves_to_the_earlier_full_name(name: str, speaker: str, span: str, quote: str) -> None:
    _, [r] = extract(name)
    assert r.kind == "direct" and r.rule == "speech-verb"
    assert r.text == quote
    assert r.speaker == speaker
    assert r.speaker_span is not None and r.speaker_span.text == span
    assert r.cue is not None and r.cue.text == f"{span} said"
    assert r.paragraph == 1


def test_pronoun_with_no_antecedent_stays_as_written() -> None:
    _, [r] = extract("parataxis_he_said.conllu")
    assert r.speaker == "he"


def test_a_title_case_headline_is_never_a_speaker_name() -> None:
    """A headline parsed as one long proper-noun chain is no antecedent for "she"."""
    _, [r] = extract("headline_not_a_name.conllu")
    assert (r.speaker, r.speaker_span.text) == ("she", "she")


def test_a_relative_pronoun_speaker_is_named_by_its_antecedent() -> None:
    """The campaign hired Pat Buchanan, who told reporters: “We will win the state.”"""
    _, [r] = extract("relative_pronoun_speaker.conllu")
    assert (r.speaker, r.speaker_span.text) == ("Pat Buchanan", "who")


def test_multi_paragraph_pronoun_resolves_for_every_paragraph() -> None:
    _, records = extract("multi_paragraph.conllu")
    assert [r.speaker for r in records] == ["Maria Lopez", "Maria Lopez"]
    assert [r.speaker_span.text for r in records if r.speaker_span] == ["she", "she"]


def test_name_words_drop_the_title_and_keep_the_name() -> None:
    # US Secretary of State Antony Blinken: compound title, nmod "of State", flat surname
    _, sentences = load("surname_blinken.conllu")
    s = sentences[0]
    antony = s.word(5)
    assert [w.text for w in name_words(s, antony)] == ["Antony", "Blinken"]


def test_mention_keeps_the_title_but_not_the_preposition() -> None:
    text, sentences = load("according_to.conllu")
    s = sentences[0]
    ministry = s.word(12)
    quote = QuoteContext(text=text, span=find_quotes(text)[0])
    assert [w.text for w in mention_words(s, ministry, quote)] == ["the", "ministry"]

    text, sentences = load("said_comma_title.conllu")
    s = sentences[0]
    quote = QuoteContext(text=text, span=find_quotes(text)[0])
    assert [w.text for w in mention_words(s, s.word(2), quote)] == ["Mayor", "Jane", "Doe"]

    text, sentences = load("surname_blinken.conllu")
    s = sentences[0]
    words = mention_words(s, s.word(5))
    assert text[words[0].start:words[-1].end] == "US Secretary of State Antony Blinken"


def _tagged(pairs: list[tuple[str, str]]):
    from quotes.tree import Sentence, Word

    pos, ws = 0, []
    for i, (w, upos) in enumerate(pairs, start=1):
        ws.append(Word(id=i, text=w, lemma=w, upos=upos, head=0, deprel="dep", start=pos, end=pos + len(w)))
        pos += len(w) + 1
    return " ".join(w for w, _ in pairs), Sentence(words=tuple(ws), parsed=False)


def test_names_in_sentences_without_a_parse_drop_their_titles():
    from quotes.speakers import Resolver

    text, sentence = _tagged([("Chinese", "PROPN"), ("President", "PROPN"), ("Xi", "PROPN"),
                              ("Jinping", "PROPN"), ("spoke", "VERB")])
    r = Resolver(text, [sentence])
    assert [n.tokens for n in r.names] == [("Xi", "Jinping")]
    assert r.names[0].title == "president" and r.names[0].subject


@pytest.mark.parametrize("pairs, subject", [
    ([("Jane", "PROPN"), ("Doe", "PROPN"), ("said", "VERB")], True),
    ([("Doe", "PROPN"), ("later", "ADV"), ("said", "VERB")], True),
    ([("in", "ADP"), ("Virginia", "PROPN"), ("is", "AUX")], False),
    ([("the", "DET"), ("House", "PROPN"), ("voted", "VERB")], False),
    ([("Christie", "PROPN"), ("Calls", "PROPN"), ("Hillary", "PROPN"), ("Clinton", "PROPN"),
      ("Liar", "PROPN"), ("again", "ADV"), ("says", "VERB")], False),
])
def test_unparsed_sentences_offer_only_plausible_subjects_for_pronouns(pairs, subject) -> None:
    """A pronoun's antecedent comes from subjects; in a sentence that was tagged but not parsed a
    place after "in" or a headline run of capitals must not become "he"."""
    from quotes.speakers import Resolver

    text, sentence = _tagged(pairs)
    assert Resolver(text, [sentence]).names[0].subject is subject


# --- canonical names come from running text ------------------------------------------------------


def test_a_title_case_headline_confirms_a_name_but_never_extends_it() -> None:
    """Headline "Jane Roe Slams Harbor Plan" (one proper-noun chain), then "Mayor Jane Roe met
    the council", then “…,” Roe said: the speaker is Jane Roe, not the headline's words. The
    headline is an attribution of its own (rule ``reported-headline``), of the same Jane Roe."""
    text, records = extract("headline_name_run.conllu")
    [r] = [x for x in records if x.kind == "direct"]
    assert (r.speaker, r.speaker_span.text) == ("Jane Roe", "Roe")
    assert [(x.text, x.speaker, x.rule) for x in records if x.kind == "indirect"] == [
        ("Harbor Plan", "Jane Roe", "reported-headline")]


def test_an_organisation_keeps_its_of_part() -> None:
    text, [r] = extract("organisation_of.conllu")
    assert r.speaker == "Harbor Department of Fisheries"
    assert r.speaker_span.text == "the Harbor Department of Fisheries"


def test_a_surname_takes_the_full_name_written_later_when_it_is_the_only_one() -> None:
    text, [r] = extract("surname_named_later.conllu")
    assert (r.speaker, r.speaker_span.text) == ("Jane Roe", "Roe")


def test_a_surname_stays_as_written_when_later_names_are_different_people() -> None:
    text, sentences = load("surname_named_later.conllu")
    text2 = text + "\nMark Roe, her brother, agreed."
    from quotes.tree import Sentence, Word

    base = len(text) + 1
    words, pos = [], base
    for i, (w, upos, head, rel) in enumerate([("Mark", "PROPN", 4, "nsubj"), ("Roe", "PROPN", 1, "flat"),
                                               (",", "PUNCT", 1, "punct"), ("agreed", "VERB", 0, "root")], 1):
        pos = text2.index(w, pos)
        words.append(Word(id=i, text=w, lemma=w, upos=upos, head=head, deprel=rel, start=pos, end=pos + len(w)))
        pos += len(w)
    extra = Sentence(words=tuple(words), index=len(sentences), parsed=True)
    [r] = quotes.extract_parsed(text2, [*sentences, extra], article="x")
    assert r.speaker == "Roe"


@pytest.mark.parametrize("name", [p.name for p in sorted(TREES.glob("*.conllu"))])
def test_every_canonical_name_is_written_in_the_article(name: str) -> None:
    """A canonical name is the article's own words (verbatim), wherever it was resolved from."""
    text, records = extract(name)
    for r in records:
        if r.speaker is not None:
            assert r.speaker in " ".join(text.split()), (r.speaker, name)


def test_title_case_lines_are_headlines_and_sentences_are_running_text() -> None:
    from quotes.speakers import title_case_lines

    text = "Jane Roe Calls for a Vote on the Plan\nJane Roe called for a vote.\nPhoto: AFP\nRoe"
    lines = [text[a:b] for a, b in title_case_lines(text)]
    assert lines == ["Jane Roe Calls for a Vote on the Plan", "Photo: AFP"]


def test_a_name_split_off_a_possessive_token_ends_at_the_name() -> None:
    """Stanza splits "Roe's" into the words "Roe" and "'s", both with the token's offsets: the
    canonical name is "Jane Roe", not "Jane Roe's"."""
    from quotes.speakers import Resolver
    from quotes.tree import Sentence, Word

    text = "Jane Roe's plan won. Roe spoke."
    ws = (Word(1, "Jane", "Jane", "PROPN", 0, "dep", 0, 4), Word(2, "Roe", "Roe", "PROPN", 0, "dep", 5, 10),
          Word(3, "'s", "'s", "PART", 0, "dep", 5, 10), Word(4, "plan", "plan", "NOUN", 0, "dep", 11, 15))
    later = (Word(1, "Roe", "Roe", "PROPN", 0, "dep", 21, 24), Word(2, "spoke", "speak", "VERB", 0, "dep", 25, 30))
    r = Resolver(text, [Sentence(words=ws, parsed=False), Sentence(words=later, index=1, parsed=False)])
    s = Sentence(words=later, index=1, parsed=False)
    assert r.resolve(s, later[0], [later[0]]) == "Jane Roe"
