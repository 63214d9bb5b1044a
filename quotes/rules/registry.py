"""The rules, in one table: the name a record's ``rule`` carries, its confidence, the sentences
it reads, and what it finds.

The matcher (`quotes.match`) tries the quote rules in this order for each quote span and runs the
reported-speech rules (`quotes.rules.reported`) over every parsed sentence; a record's
``confidence`` is looked up here, so a rule that is not in this table cannot be emitted (the
tests check that the table, the README's rule list and the code name the same rules).

``confidence`` is how often the construction was right when read by hand on PolNeAR *train*.
``reads``: the sentences the rule reads besides the quote's own or the cue's own: ``previous``
(the sentence or paragraph before), ``next`` (the sentence after), or nothing.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    name: str
    confidence: float
    reads: tuple[str, ...]
    finds: str


RULES: tuple[Rule, ...] = (
    # quotes: tried in this order for each quote span
    Rule("speech-verb", 0.95, (), "“…,” he said / X said “…” / “…,” X told reporters"),
    Rule("speech-verb-inverted", 0.95, (), "“…,” said X"),
    Rule("quoted-as", 0.9, (), "X was quoted as saying “…”"),
    Rule("according-to", 0.9, (), "“…,” according to X"),
    Rule("trailing-dash", 0.8, ("next",), "“…” — X"),
    Rule("partial", 0.8, (), "a quoted fragment inside reported speech"),
    Rule("colon", 0.85, ("previous",), "X told reporters: “…”"),
    Rule("lead-in", 0.6, ("previous",), "X spoke of the plan. ¶ “…”"),
    Rule("multi-paragraph", 0.85, (), "a later paragraph of a quote that spans paragraphs"),
    Rule("continuation", 0.75, ("previous",), "a quote continuing the previous speaker's run"),
    Rule("unattributed", 0.3, (), "a sentence-like quote with no speaker found"),
    Rule("other", 0.1, (), "a title, nickname or scare quote"),
    # reported speech: read from each cue of a parsed sentence
    Rule("reported", 0.85, (), "X said (that) …; X told Y (that) …; the report found that …"),
    Rule("reported-after", 0.8, (), "…, X said. / The plan, he said, will fail."),
    Rule("reported-according-to", 0.85, (), "According to X, … / …, according to X"),
    Rule("reported-noun", 0.7, (), "X's claim that …"),
    Rule("reported-intention", 0.7, (), "X vowed to …; X called on Y to …"),
    Rule("reported-object", 0.7, (), "X called for a repeal of the law; X criticized the plan"),
    Rule("reported-view", 0.75, (), "In X's view, …"),
    Rule("reported-order", 0.7, (), "X said CLAUSE / CLAUSE, X said, read from word order"),
)

#: Confidence by rule name.
CONFIDENCE: dict[str, float] = {r.name: r.confidence for r in RULES}
