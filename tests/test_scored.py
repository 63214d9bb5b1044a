"""The cue scorer (`quotes.rules.scored`, rule ``reported-scored``): cues no word list names,
read on hand-written trees of invented sentences with the shipped weights, and the trainer
(`quotes.cue_training`) on an invented article."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import extract_tree
from quotes.evaluate import Attribution
from quotes.rules import scored
from quotes.tree import read_conllu

TREES = Path(__file__).parent / "fixtures" / "trees"


def indirect(name: str) -> list[tuple]:
    _, records = extract_tree(name)
    return [(r.text, r.speaker, r.verb.text if r.verb else None, r.rule, r.cue_family)
            for r in records if r.kind == "indirect"]


def test_the_shipped_weights_are_there_and_load():
    bias, table = scored.weights()
    assert table, "quotes/models/cue-scorer.tsv is missing or empty: run python -m quotes.cue_training"
    assert all(isinstance(v, float) for v in table.values())


def test_a_naming_verb_no_word_list_names_is_read_by_the_scorer():
    # Senator Roe dubbed the bill a giveaway to insurers.
    assert "dub" not in scored.lexicon.cue_family_table()
    [(text, speaker, verb, rule, family)] = indirect("scored_dubbed_bill.conllu")
    assert (rule, family, verb, speaker) == ("reported-scored", "other", "dubbed", "Roe")
    assert text.endswith("a giveaway to insurers")


def test_a_scored_record_carries_the_scorers_probability_as_its_confidence():
    from quotes.rules.registry import CONFIDENCE

    _, records = extract_tree("scored_dubbed_bill.conllu")
    [r] = [r for r in records if r.rule == "reported-scored"]
    text, sentences = read_conllu((TREES / "scored_dubbed_bill.conllu").read_text(encoding="utf-8"))
    s = sentences[0]
    ids, how = scored.reading(s, s.word(3))
    p = scored.score(scored.features(s, s.word(3), ids, how))
    assert r.confidence == min(CONFIDENCE["reported-scored"], round(p, 2))
    # the passive with no agent has no speaker: the speakerless discount applies on top
    [q] = [r for r in extract_tree("scored_passive_expected.conllu")[1] if r.rule == "reported-scored"]
    assert q.confidence < CONFIDENCE["reported-scored"]


def test_an_ordinary_verb_with_an_object_gives_no_record():
    # The company opened a new store.: an act, not an attribution
    assert indirect("scored_opened_store.conllu") == []


def test_orders_stay_unread_as_the_lexicon_rules_decide():
    # Doe told him to leave.: the scorer is not offered the order either
    assert indirect("reported_order_told_to_leave.conllu") == []


def test_what_the_lexicon_rules_read_is_never_read_again():
    # Jane Doe said that the bridge would reopen in May.: one record, the lexicon rule's
    records = indirect("reported_said_that.conllu")
    assert [r[3] for r in records] == ["reported"]


def test_without_weights_the_step_finds_nothing(tmp_path):
    text, sentences = read_conllu((TREES / "scored_dubbed_bill.conllu").read_text(encoding="utf-8"))
    from quotes.match import _NOWHERE
    from quotes.rules import QuoteContext

    quote = QuoteContext(text=text, span=_NOWHERE, others=())
    kwargs = dict(text=text, quote_ranges=[], taken=set())
    assert scored.find(sentences[0], quote, **kwargs)
    assert scored.find(sentences[0], quote, weights_path=str(tmp_path / "none.tsv"), **kwargs) == []
    # a threshold above every score keeps nothing
    assert scored.find(sentences[0], quote, threshold=1.01, **kwargs) == []


def test_training_on_an_invented_article_learns_its_cue(tmp_path):
    pytest.importorskip("sklearn")
    from quotes.cue_training import examples, fit, write_weights

    text, sentences = read_conllu((TREES / "scored_dubbed_bill.conllu").read_text(encoding="utf-8"))
    s = sentences[0]
    dub, content = s.word(3), (s.word(4).start, s.word(9).end)
    gold = [Attribution(id="E1", label="Attribution", content=(content,), cue=((dub.start, dub.end),),
                        source=((s.word(1).start, s.word(2).end),))]
    data = examples(text, sentences, gold)
    assert [label for feats, label in data if "l=dub" in feats] == [1]
    other_text, other = read_conllu((TREES / "scored_opened_store.conllu").read_text(encoding="utf-8"))
    negatives = examples(other_text, other, [])
    assert negatives and all(label == 0 for _, label in negatives)
    bias, table = fit((data + negatives) * 5, c=1.0)
    path = tmp_path / "w.tsv"
    write_weights(path, bias, table, about="test weights")
    loaded_bias, loaded = scored.weights(str(path))
    assert loaded_bias == pytest.approx(bias, abs=1e-4) and set(loaded) == set(table)
    [(feats, _)] = [d for d in data if "l=dub" in d[0]]
    [(neg, _)] = negatives[:1]
    assert scored.score(feats, path=str(path)) > 0.5 > scored.score(neg, path=str(path))


def test_a_content_holding_a_report_of_its_own_is_not_read_around_it():
    # The campaign hired Pat Buchanan, who told reporters: “We will win the state.”: the quote
    # is Buchanan's; "hired" is not read as a cue whose object holds his report
    _, records = extract_tree("relative_pronoun_speaker.conllu")
    assert [(r.kind, r.speaker) for r in records] == [("direct", "Pat Buchanan")]


def test_a_passive_cue_names_no_source_without_an_agent():
    # All three candidates are expected to attend the gala on Friday.: who expects it is not said
    [(text, speaker, verb, rule, family)] = indirect("scored_passive_expected.conllu")
    assert (text, speaker, verb, rule, family) == ("to attend the gala on Friday", None, "expected",
                                                   "reported-scored", "belief")
