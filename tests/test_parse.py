"""Parse post-processing that needs no model: closing marks cut off by the sentence splitter."""

from __future__ import annotations

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
