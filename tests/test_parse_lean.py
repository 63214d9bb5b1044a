"""The lean inference paths of `quotes.parse` (relations scored on the chosen arcs, dictionary
lemmas without stanza's seq2seq loader, id lists packed at once) give what stanza's own code
gives: the same tensors, and the same heads, relations, tags and lemmas on invented text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ids = st.lists(st.lists(st.integers(min_value=0, max_value=5000), max_size=12), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(rows=ids, extra=st.integers(min_value=0, max_value=3))
def test_id_lists_pack_into_the_tensor_stanza_builds(rows, extra) -> None:
    import torch

    from quotes import parse

    parse._install_long_tensor()
    import stanza.models.pos.data as pos_data

    fast = pos_data.get_long_tensor
    if not any(rows):  # stanza's own function cannot pack only empty rows
        return
    mine, theirs = fast(rows, len(rows) + extra), fast.stanza_get_long_tensor(rows, len(rows) + extra)
    assert mine.dtype == theirs.dtype and mine.shape == theirs.shape and torch.equal(mine, theirs)


TEXTS = [
    "The mayor said on Tuesday that the new bridge would open in March, two months late.",
    "“We will not back down,” Jane Doe, a spokeswoman for the union, told reporters. I gave the cat a fish.",
    "Critics, who called the plan reckless, argued that it would cost the city millions; the council "
    "disagreed, and its chairman, Tom Roe, promised a vote, which he said could come as soon as next week.",
    "He's sure they're wrong. Asked why, she didn't answer.",
]


@pytest.mark.model
def test_the_lean_parse_is_stanzas_parse(shipped_parser) -> None:
    import stanza.models.depparse.model as depparse_model
    from stanza.pipeline.lemma_processor import LemmaProcessor

    from quotes.parse import Parser

    parser = Parser(shipped_parser.spec, depparse="all")
    lean = parser.parse_many(TEXTS)
    predict, process = depparse_model.GraphParser.predict, LemmaProcessor.process
    try:
        depparse_model.GraphParser.predict = predict.stanza_predict
        LemmaProcessor.process = process.stanza_process
        theirs = parser.parse_many(TEXTS)
    finally:
        depparse_model.GraphParser.predict, LemmaProcessor.process = predict, process
    assert lean == theirs
    assert all(s.parsed for sents in lean for s in sents)


@pytest.mark.model
def test_a_sentence_sent_to_stanzas_head_constraint_repair_gets_stanzas_parse(shipped_parser, monkeypatch) -> None:
    """With stanza's head-constraint repair switched on (the shipped model has it off), the
    route for a sentence whose arc labels break a constraint (its full label tensor, then
    stanza's repair), taken here by every sentence: still stanza's own parse."""
    import stanza.models.depparse.head_constraints as hc
    import stanza.models.depparse.model as depparse_model

    from quotes.parse import Parser

    parser = Parser(shipped_parser.spec, depparse="all")
    parser.dep  # loading the parser installs the lean paths
    monkeypatch.setitem(parser.dep.processors["depparse"].config, "resolve_head_constraints", True)
    predict = depparse_model.GraphParser.predict
    try:
        depparse_model.GraphParser.predict = predict.stanza_predict
        theirs = parser.parse_many(TEXTS)
    finally:
        depparse_model.GraphParser.predict = predict
    real_find, real_resolve = hc.find_head_constraint_violations, hc.resolve_head_constraint_violations
    repaired = []

    def always_broken(tree, deprels):  # what the lean path asks: every sentence looks broken
        return real_find(tree, deprels) or [(0, "subj", [])]

    def resolve(*args, **kwargs):  # stanza's repair itself sees the real violations
        repaired.append(1)
        monkeypatch.setattr(hc, "find_head_constraint_violations", real_find)
        try:
            return real_resolve(*args, **kwargs)
        finally:
            monkeypatch.setattr(hc, "find_head_constraint_violations", always_broken)

    monkeypatch.setattr(hc, "find_head_constraint_violations", always_broken)
    monkeypatch.setattr(hc, "resolve_head_constraint_violations", resolve)
    assert parser.parse_many(TEXTS) == theirs
    assert len(repaired) == sum(len(sents) for sents in theirs)
