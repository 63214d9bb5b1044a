"""The registry (quotes/rules/registry.py) is what the matcher walks: its rule table, its steps,
the README's rule list and the records agree on the rule names, and the matcher asks exactly the
registry's steps, in the registry's order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import quotes
from conftest import extract_tree
from quotes.rules import Attribution, registry
from quotes.rules.registry import CONFIDENCE, CUE_STEPS, LINKED, QUOTE_STEPS, RULES
from quotes.tree import read_conllu

ROOT = Path(__file__).resolve().parent.parent
TREES = Path(__file__).parent / "fixtures" / "trees"


def test_every_rule_has_one_row_and_a_confidence_between_0_and_1():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert set(CONFIDENCE) == set(names)
    assert all(0 < r.confidence <= 1 for r in RULES)


def test_the_readme_lists_exactly_the_rules_of_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `rule` |"))
    listed = set(re.findall(r"`([a-z-]+)`", row)) - {"rule"}
    assert listed == set(CONFIDENCE)


def test_the_steps_give_exactly_the_rules_of_the_table():
    steps = QUOTE_STEPS + CUE_STEPS
    assert len({s.name for s in steps}) == len(steps)
    given = {rule for step in steps for rule in step.rules}
    assert given <= set(CONFIDENCE)
    # what no step gives, the matcher gives to quotes no step attributed
    assert given | set(LINKED) == set(CONFIDENCE)
    assert all(set(s.reads) <= {"previous", "next"} for s in steps)


def test_every_record_of_every_fixture_tree_names_a_rule_of_the_table():
    seen = set()
    for path in sorted(TREES.glob("*.conllu")):
        text, sentences = read_conllu(path.read_text(encoding="utf-8"))
        for record in quotes.extract_parsed(text, sentences, include_other=True):
            assert record.rule in CONFIDENCE, (path.name, record.rule)
            assert record.confidence <= CONFIDENCE[record.rule]
            seen.add(record.rule)
    # the trees exercise both families of rules
    assert "speech-verb" in seen and "reported" in seen


# --- the walk -------------------------------------------------------------------------------------


def _recorded(steps, calls: list):
    """The same steps, each noting its name (and what it found) in ``calls`` when asked."""
    def wrap(step):
        def run(*args):
            found = step.run(*args)
            calls.append((step.name, found))
            return found
        return step._replace(run=run)
    return tuple(wrap(s) for s in steps)


def _asked(calls) -> list[str]:
    return [name for name, _ in calls]


def test_a_quote_no_step_attributes_is_offered_to_every_quote_step_in_order(monkeypatch):
    # They watched “Casablanca” again. ¶ The so-called “peace plan” collapsed within a week.
    calls = []
    monkeypatch.setattr(registry, "QUOTE_STEPS", _recorded(QUOTE_STEPS, calls))
    _, records = extract_tree("scare_quotes.conllu", include_other=True, kinds=("direct", "partial", "other"))
    assert [r.kind for r in records] == ["other", "other"]
    assert _asked(calls) == [s.name for s in QUOTE_STEPS] * 2


@pytest.mark.parametrize("name, answers, rule", [
    ("parataxis_he_said.conllu", "speech-verb", "speech-verb"),   # “…,” he said.
    ("trailing_dash.conllu", "trailing-dash", "trailing-dash"),    # “…” — Jane Doe
    ("partial_deep.conllu", "partial", "partial"),                 # X said the ship passed “in pursuit …”
    ("lead_in_paragraph.conllu", "lead-paragraph", "lead-in"),     # X praised the alliance. ¶ “…”
])
def test_the_first_step_that_attributes_a_quote_ends_its_walk(monkeypatch, name, answers, rule):
    calls = []
    monkeypatch.setattr(registry, "QUOTE_STEPS", _recorded(QUOTE_STEPS, calls))
    _, [r] = extract_tree(name, kinds=("direct", "partial"))
    names = [s.name for s in QUOTE_STEPS]
    # every step down to the one that answers is asked, in order; none after it
    assert _asked(calls) == names[:names.index(answers) + 1]
    assert [found is not None for _, found in calls] == [False] * (len(calls) - 1) + [True]
    assert r.rule == rule


def _claim_every_quote(rule: str):
    def run(site):
        return Attribution(rule=rule, kind="direct", sentence=site.first, speaker=None, verb=None)
    return registry.Step("claim-all", run, (), (rule,))


def test_a_step_added_at_the_top_of_the_registry_is_asked_first(monkeypatch):
    monkeypatch.setattr(registry, "QUOTE_STEPS", (_claim_every_quote("unattributed"), *QUOTE_STEPS))
    _, [r] = extract_tree("parataxis_he_said.conllu", kinds=("direct",))
    # “We are committed to peace,” he said.: the new step outranks the speech verb
    assert (r.rule, r.speaker, r.verb) == ("unattributed", None, None)
    assert r.confidence == round(CONFIDENCE["unattributed"] * 0.6, 2)  # no speaker: less sure


def test_a_step_giving_a_rule_the_registry_does_not_name_is_an_error(monkeypatch):
    monkeypatch.setattr(registry, "QUOTE_STEPS", (_claim_every_quote("made-up"), *QUOTE_STEPS))
    with pytest.raises(KeyError, match="made-up.*registry"):
        extract_tree("parataxis_he_said.conllu")


def test_every_parsed_sentence_is_offered_to_the_cue_steps(monkeypatch):
    calls = []
    monkeypatch.setattr(registry, "CUE_STEPS", _recorded(CUE_STEPS, calls))
    text, records = extract_tree("reported_said_that.conllu")
    _, sentences = read_conllu((TREES / "reported_said_that.conllu").read_text(encoding="utf-8"))
    assert _asked(calls) == [s.name for s in CUE_STEPS] * len(sentences)
    assert any(r.kind == "indirect" for r in records)

    monkeypatch.setattr(registry, "CUE_STEPS", ())
    _, records = extract_tree("reported_said_that.conllu")
    assert not any(r.kind == "indirect" for r in records)  # no cue step: no reported speech


def test_each_step_gives_only_the_rules_its_row_names_and_every_step_has_a_tree(monkeypatch):
    calls = []
    monkeypatch.setattr(registry, "QUOTE_STEPS", _recorded(QUOTE_STEPS, calls))
    monkeypatch.setattr(registry, "CUE_STEPS", _recorded(CUE_STEPS, calls))
    rows = {s.name: s for s in QUOTE_STEPS + CUE_STEPS}
    answered = set()
    for path in sorted(TREES.glob("*.conllu")):
        text, sentences = read_conllu(path.read_text(encoding="utf-8"))
        calls.clear()
        quotes.extract_parsed(text, sentences, include_other=True)
        for name, found in calls:
            results = [] if found is None else [found] if isinstance(found, Attribution) else list(found)
            for a in results:
                assert a.rule in rows[name].rules, (path.name, name, a.rule)
                answered.add(name)
    assert answered == set(rows)
