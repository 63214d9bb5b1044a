"""Parse pre- and post-processing: closing marks cut off by the sentence splitter, the sentences
that get a dependency parse, and datelines read apart from the story's first sentence."""

from __future__ import annotations

import pytest

import quotes
from quotes.match import extract_quotes
from quotes.parse import merge_closing_marks
from quotes.tree import read_conllu

SPLIT = """# text = “We won,
1	“	“	PUNCT	``	_	3	punct	_	SpaceAfter=No
2	We	we	PRON	PRP	_	3	nsubj	_	_
3	won	win	VERB	VBD	_	0	root	_	SpaceAfter=No
4	,	,	PUNCT	,	_	3	punct	_	SpaceAfter=No

# text = ” Doe said.
1	”	”	PUNCT	''	_	3	punct	_	_
2	Doe	Doe	PROPN	NNP	_	3	nsubj	_	_
3	said	say	VERB	VBD	_	0	root	_	SpaceAfter=No
4	.	.	PUNCT	.	_	3	punct	_	_
"""


def test_closing_mark_goes_back_to_the_sentence_it_closes():
    text, sentences = read_conllu(SPLIT)
    # read_conllu joins sentences with a space; make the text what a splitter would have seen
    merged = merge_closing_marks(sentences)
    assert [w.text for w in merged[0].words] == ["“", "We", "won", ",", "”"]
    assert merged[0].words[-1].head == 3 and merged[0].words[-1].deprel == "punct"
    assert [w.text for w in merged[1].words] == ["Doe", "said", "."]
    assert [w.id for w in merged[1].words] == [1, 2, 3]
    assert merged[1].words[1].head == 0 and merged[1].words[0].head == 2
    assert [s.index for s in merged] == [0, 1]


def test_a_sentence_of_only_a_closing_mark_disappears():
    conllu = SPLIT.split("\n\n")[0] + "\n\n# text = ”\n1\t”\t”\tPUNCT\t''\t_\t0\troot\t_\t_\n"
    _, sentences = read_conllu(conllu)
    merged = merge_closing_marks(sentences)
    assert len(merged) == 1 and merged[0].words[-1].text == "”"


def test_the_quote_is_still_attributed_after_the_merge():
    text, sentences = read_conllu(SPLIT)
    [q] = extract_quotes(text, merge_closing_marks(sentences))
    assert (q.text, q.speaker, q.verb.lemma) == ("We won,", "Doe", "say")


def test_only_the_neighbours_a_rule_can_read_are_dependency_parsed() -> None:
    """The parse is most of the cost: the sentence before a quote is parsed only when the quote
    opens its sentence (a lead-in), the one after only when the quote closes its sentence."""
    from quotes.parse import sentences_to_parse

    def joined(sents: list[str]) -> tuple[str, list[tuple[int, int]]]:
        spans, pos = [], 0
        for s in sents:
            spans.append((pos, pos + len(s)))
            pos += len(s) + 1
        return " ".join(sents), spans

    text, spans = joined(["Intro here.", "Doe spoke.", "“We will win,” Doe said.", "Then more.", "Last one."])
    assert sentences_to_parse(text, spans) == {1, 2}
    assert sentences_to_parse(text, spans, context="all") == {1, 2, 3}
    assert sentences_to_parse(text, spans, context="none") == {2}
    text, spans = joined(["Doe spoke:", "“We will win.”", "Doe said.", "Last one."])
    assert sentences_to_parse(text, spans) == {0, 1, 2}


def test_a_dateline_is_found_up_to_its_dash_and_a_sentence_opening_is_not() -> None:
    from quotes.parse import dateline_end

    datelines = ["SPRINGFIELD (AP) —", "NORTH HAVEN, Oct. 3 (UPI) --", "Springfield (AFP) –", "Oct 3 (Reuters) -",
                 "SPRINGFIELD ―"]
    for dateline in datelines:
        text = dateline + " Mayor Jane Doe said on Monday that the bridge would open."
        assert text[:dateline_end(text, 0, len(text))] == dateline
    for text in ["Doe - the mayor - said it would open.", "The plan — he said — will fail.",
                 "U.S. officials said the bridge would open.", "SPRINGFIELD —"]:
        assert dateline_end(text, 0, len(text)) is None


@pytest.mark.model
def test_the_dateline_is_no_speaker(shipped_parser) -> None:
    """The parser reads the dateline apart from the story's first sentence, so the place and
    agency are not taken for the subject of its cue; offsets stay those of the text."""
    from quotes.parse import Parser

    text = "SPRINGFIELD, Oct. 3 (UPI) -- Mayor Jane Doe said on Monday that the new bridge would open in March."
    sentences = Parser(shipped_parser.spec).parse_many([text])[0]
    assert text[sentences[0].start:sentences[0].end] == "SPRINGFIELD, Oct. 3 (UPI) --"
    records = [q for q in quotes.extract(text, model="shipped") if q.kind == "indirect"]
    assert len(records) == 1 and records[0].speaker_span.text.endswith("Doe")
    assert records[0].speaker_span.start > len("SPRINGFIELD, Oct. 3 (UPI) --")
    assert all(text[q.start:q.end] == q.text for q in records)
