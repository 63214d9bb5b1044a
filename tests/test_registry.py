"""The rule table, the README's rule list and the records agree on the rule names."""

from __future__ import annotations

import re
from pathlib import Path

import quotes
from quotes.rules.registry import CONFIDENCE, RULES
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
