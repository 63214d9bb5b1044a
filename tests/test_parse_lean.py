"""The lean inference paths of `quotes.parse` (relations scored on the chosen arcs, dictionary
lemmas without stanza's seq2seq loader, id lists packed at once, batches sorted on their
lengths alone, a decoder that contracts only the best heads' own cycles, vocabulary look-ups
remembered, optimizers built only when used) give what stanza's own code gives: the same
tensors and ids, the same heads, relations, tags and lemmas on invented text, and an optimizer
that trains as the real one."""

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



@settings(max_examples=200, deadline=None)
@given(known=st.lists(st.text(max_size=3), max_size=30, unique=True), lower=st.booleans(),
       ignore=st.lists(st.text(max_size=2), max_size=2),
       calls=st.lists(st.lists(st.text(max_size=3) | st.none(), max_size=10), max_size=6),
       id_calls=st.lists(st.lists(st.integers(min_value=0, max_value=40), max_size=10), max_size=6))
def test_remembered_vocabulary_lookups_are_stanzas(known, lower, ignore, calls, id_calls) -> None:
    from quotes import parse

    parse._install_map_memo()
    from stanza.models.common.vocab import VOCAB_PREFIX, BaseVocab
    from stanza.models.pos.vocab import WordVocab

    units = VOCAB_PREFIX + [u for u in known if u not in VOCAB_PREFIX]
    vocab = WordVocab.load_state_dict({"lang": "", "idx": 0, "cutoff": 0, "lower": lower, "ignore": ignore,
                                       "_id2unit": units, "_unit2id": {u: i for i, u in enumerate(units)}})
    for units_asked in calls * 2:  # the second time from the memo
        assert vocab.map(list(units_asked)) == BaseVocab.map.stanza_map(vocab, list(units_asked))
    for ids_asked in id_calls * 2:
        ids_asked = [i for i in ids_asked if i < len(units)]
        assert vocab.unmap(ids_asked) == BaseVocab.unmap.stanza_unmap(vocab, ids_asked)

@settings(max_examples=300, deadline=None)
@given(lens=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=40),
       fields=st.integers(min_value=1, max_value=4))
def test_batches_sort_as_stanza_sorts_them(lens, fields) -> None:
    """Equal lengths are frequent (word lengths): their order is stanza's too."""
    from quotes import parse

    parse._install_sort_all()
    import stanza.models.pos.data as pos_data

    batch = [[(f, i) for i in range(len(lens))] for f in range(fields)]
    fast = pos_data.sort_all
    assert fast(batch, lens) == fast.stanza_sort_all(batch, lens)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(min_value=2, max_value=40),
       sharp=st.floats(min_value=0.1, max_value=8.0))
def test_the_decoder_returns_stanzas_single_root_tree(seed, n, sharp) -> None:
    """Arc scores like the parser's (log-softmax over heads), flat enough that the best heads
    often hold cycles or several roots: the tree is the one stanza's reweighted search finds."""
    import numpy as np

    from quotes import parse

    parse._install_fast_decoder()
    import stanza.models.common.chuliu_edmonds as cle
    import stanza.models.depparse.model as depparse_model

    logits = np.random.default_rng(seed).normal(size=(n, n)) * sharp
    scores = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    theirs = cle.chuliu_edmonds_one_root(scores.copy())
    assert depparse_model.chuliu_edmonds_one_root(scores.copy()).tolist() == theirs.tolist()


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
    from stanza.models.common.vocab import BaseVocab

    predict, process = depparse_model.GraphParser.predict, LemmaProcessor.process
    vocab_map, vocab_unmap = BaseVocab.map, BaseVocab.unmap
    try:
        depparse_model.GraphParser.predict = predict.stanza_predict
        LemmaProcessor.process = process.stanza_process
        BaseVocab.map, BaseVocab.unmap = vocab_map.stanza_map, vocab_unmap.stanza_unmap
        theirs = parser.parse_many(TEXTS)
    finally:
        depparse_model.GraphParser.predict, LemmaProcessor.process = predict, process
        BaseVocab.map, BaseVocab.unmap = vocab_map, vocab_unmap
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


def test_a_deferred_optimizer_is_built_on_first_use_and_trains_as_the_real_one() -> None:
    import torch

    from quotes.parse import _LazyOptimizer

    def make(value):
        return torch.nn.Parameter(torch.tensor([value, -value]))

    mine, theirs = make(1.0), make(1.0)
    built = []

    def adam(params, **kwargs):
        built.append(True)
        return torch.optim.Adam(params, **kwargs)

    lazy = _LazyOptimizer(adam, ([mine],), {"lr": 0.1, "betas": (0.9, 0.9)})
    real = torch.optim.Adam([theirs], lr=0.1, betas=(0.9, 0.9))
    assert not built  # nothing made until used
    for p, opt in ((mine, lazy), (theirs, real)):
        for _ in range(3):
            opt.zero_grad()
            (p ** 2).sum().backward()
            opt.step()
    assert built == [True] and torch.equal(mine, theirs)
    assert lazy.param_groups[0]["lr"] == 0.1

    split = _LazyOptimizer(lambda: {"general_optimizer": real}, (), {})
    assert list(split) == ["general_optimizer"] and split["general_optimizer"] is real and len(split) == 1
    assert "general_optimizer" in split and dict(split.items()) == {"general_optimizer": real}
