"""The rules, in one registry: every rule name a record's ``rule`` can carry, with its confidence
and what it finds (`RULES`), and the steps the matcher walks top to bottom, each with the function
it calls, the sentences it reads and the rule names it can give (`QUOTE_STEPS`, `CUE_STEPS`).

The matcher (`quotes.match`) offers each quote span to the quote steps in order; the first that
attributes the quote wins. Then it offers every parsed sentence to the cue steps (reported
speech, which starts from a cue word rather than a quote mark). Quotes no step attributed get a
speaker from the run of quotes they continue, or none (`LINKED`). A record's ``confidence`` is
looked up here (`confidence`), so a rule that is not in this registry cannot be emitted; the
tests check that the rule table, the steps, the README's rule list and the records of the
fixture trees name the same rules. A new construction is one module, one step row, one tree.

``confidence`` is how often the construction was right when read by hand on PolNeAR *train*.
A step's ``reads``: the sentences it reads besides the quote's own or the cue's own:
``previous`` (the sentence or paragraph before the quote), ``next`` (the sentence after it),
or nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..tree import Sentence
from .context import Attribution, QuoteContext
from . import according_to, adjacent, colon, headline, lead_paragraph, reported, scored, speech_verbs, trailing_dash


class Rule(NamedTuple):
    name: str
    confidence: float
    finds: str


RULES: tuple[Rule, ...] = (
    # quotes
    Rule("speech-verb", 0.95, "“…,” he said / X said “…” / “…,” X told reporters"),
    Rule("speech-verb-inverted", 0.95, "“…,” said X"),
    Rule("quoted-as", 0.9, "X was quoted as saying “…”"),
    Rule("according-to", 0.9, "“…,” according to X"),
    Rule("trailing-dash", 0.8, "“…” — X"),
    Rule("partial", 0.8, "a quoted fragment inside reported speech"),
    Rule("colon", 0.85, "X told reporters: “…”"),
    Rule("lead-in", 0.6, "X spoke of the plan. ¶ “…”"),
    Rule("multi-paragraph", 0.85, "a later paragraph of a quote that spans paragraphs"),
    Rule("continuation", 0.75, "a quote continuing the previous speaker's run"),
    Rule("unattributed", 0.3, "a sentence-like quote with no speaker found"),
    Rule("other", 0.1, "a title, nickname or scare quote"),
    # reported speech
    Rule("reported", 0.85, "X said (that) …; X told Y (that) …; the report found that …"),
    Rule("reported-after", 0.8, "…, X said. / The plan, he said, will fail. / As X noted, …"),
    Rule("reported-according-to", 0.85, "According to X, … / …, according to X"),
    Rule("reported-noun", 0.7, "X's claim that …"),
    Rule("reported-intention", 0.7, "X vowed to …; X called on Y to …"),
    Rule("reported-object", 0.7, "X called for a repeal of the law; X criticized the plan"),
    Rule("reported-view", 0.75, "In X's view, …"),
    Rule("reported-order", 0.7, "X said CLAUSE / CLAUSE, X said, read from word order"),
    Rule("reported-mixed", 0.75, "X called the test “a clear violation” of the treaty (the whole content of a partial quote)"),
    Rule("reported-headline", 0.85, "Doe: Budget Will Fail / Doe Slams Budget / Budget Will Fail, Doe Says (a headline)"),
    Rule("reported-scored", 0.55, "X dubbed the bill a giveaway; X went after Y's record (a cue no word list names)"),
)

#: Confidence by rule name.
CONFIDENCE: dict[str, float] = {r.name: r.confidence for r in RULES}

#: Rules the matcher gives after the walk, from the run of quotes around a quote that no step
#: attributed (`quotes.match`): the paragraphs of one quote, a speaker's run, or no speaker.
LINKED: tuple[str, ...] = ("multi-paragraph", "continuation", "unattributed", "other")


def confidence(rule: str) -> float:
    """The confidence of a rule name; a name that is not in `RULES` is an error, not a guess."""
    try:
        return CONFIDENCE[rule]
    except KeyError:
        raise KeyError(f"rule {rule!r} is not in quotes/rules/registry.py: add a Rule row for it") from None


@dataclass(frozen=True)
class QuoteSite:
    """One quote span with the sentences around it: what a quote step reads."""

    quote: QuoteContext
    #: the sentences the quote (marks included) overlaps: the one with its closing mark first,
    #: then the one with its opening mark (“…,” he said before He said: “…”), then the rest
    touched: tuple[Sentence, ...]
    #: the sentence before the one the quote opens in, and the sentence after the quote
    previous: Sentence | None
    following: Sentence | None
    verbs: frozenset[str]
    dashes: frozenset[str]
    max_depth: int

    @functools.cached_property
    def first(self) -> Sentence | None:
        """The first sentence the quote touches (the one it opens in)."""
        return min(self.touched, key=lambda s: s.start) if self.touched else None

    @functools.cached_property
    def speech_verb_readings(self) -> tuple[Attribution, ...]:
        """What `speech_verbs.find` reads in each touched sentence, in order, up to the first
        direct quote: read once, used by two steps (`_speech_verb`, then `_partial` after the
        steps that a direct attribution outranks)."""
        found: list[Attribution] = []
        for sentence in self.touched:
            got = speech_verbs.find(sentence, self.quote, verbs=self.verbs, max_depth=self.max_depth)
            if got is not None:
                found.append(got)
                if got.kind == "direct":
                    break
        return tuple(found)


@dataclass(frozen=True)
class CueSite:
    """The article around the parsed sentences: what a cue step reads besides its sentence."""

    text: str
    #: a context that holds no quote of its own but every quote span of the article (``others``):
    #: no cue or speaker is read inside a quotation
    quotes: QuoteContext
    #: (start, end) of every quote, marks included, sorted
    quote_ranges: list[tuple[int, int]]
    #: every partial quote a quote step attributed: (start, end) with its marks, and the attribution
    partials: tuple[tuple[int, int, Attribution], ...] = ()


class Step(NamedTuple):
    name: str
    #: quote steps: ``run(site: QuoteSite) -> Attribution | None``; cue steps:
    #: ``run(sentence, site: CueSite, earlier: list of reported.Reported) -> iterable of reported.Reported``
    run: Callable
    reads: tuple[str, ...]
    rules: tuple[str, ...]  # the rule names its attributions can carry


# --- quote steps ----------------------------------------------------------------------------------
# Each takes a QuoteSite and returns an Attribution or None. They are tried in the order of
# QUOTE_STEPS, most reliable first.

def _speech_verb(site: QuoteSite) -> Attribution | None:
    """A reporting verb of the quote's own sentences introduces it as a direct quote (“…,” he
    said / X said “…” / “…,” said X / X was quoted as saying “…”). A direct hit whose verb has
    no subject may be a headline (Doe: ‘It Is Not A Wild Demand’ To Ask For More): the name
    before the colon of the first sentence says who, when it names someone."""
    direct = next((a for a in site.speech_verb_readings if a.kind == "direct"), None)
    if direct is not None and direct.speaker is None:
        headline = colon.lead_in(site.first, site.quote, verbs=site.verbs)
        if headline is not None and headline.speaker is not None:
            return headline
    return direct


def _according_to(site: QuoteSite) -> Attribution | None:
    return next((a for s in site.touched if (a := according_to.find(s, site.quote)) is not None), None)


def _trailing_dash(site: QuoteSite) -> Attribution | None:
    sentences = list(site.touched[:1]) + ([site.following] if site.following is not None else [])
    return trailing_dash.find(sentences, site.quote, dashes=site.dashes)


def _adjacent(site: QuoteSite) -> Attribution | None:
    return next((a for s in site.touched
                 if (a := adjacent.find(s, site.quote, verbs=site.verbs, following=site.following)) is not None),
                None)


def _partial(site: QuoteSite) -> Attribution | None:
    """The partial quote the speech-verb reading found (X said the ship passed “in pursuit…”),
    kept until here: a direct attribution by any step above outranks it."""
    return next((a for a in site.speech_verb_readings if a.kind != "direct"), None)


def _clause_around(site: QuoteSite) -> Attribution | None:
    """Reporting words the tree does not link to the quote, sentence by sentence: "Doe said in
    a statement that “…”", then "“…” and against the law, Doe said."."""
    for s in site.touched:
        found = (adjacent.that_clause(s, site.quote, verbs=site.verbs)
                 or adjacent.closing_clause(s, site.quote, verbs=site.verbs))
        if found is not None:
            return found
    return None


def _colon_before(site: QuoteSite) -> Attribution | None:
    return colon.find(site.previous, site.quote, verbs=site.verbs)


def _colon_lead_in(site: QuoteSite) -> Attribution | None:
    return colon.lead_in(site.first, site.quote, verbs=site.verbs) if site.first is not None else None


def _lead_paragraph(site: QuoteSite) -> Attribution | None:
    paragraph = site.first.paragraph if site.first is not None else None
    return lead_paragraph.find(site.previous, site.quote, quote_paragraph=paragraph, verbs=site.verbs)


QUOTE_STEPS: tuple[Step, ...] = (
    Step("speech-verb", _speech_verb, (), ("speech-verb", "speech-verb-inverted", "quoted-as", "colon")),
    Step("according-to", _according_to, (), ("according-to",)),
    Step("trailing-dash", _trailing_dash, ("next",), ("trailing-dash",)),
    Step("adjacent", _adjacent, ("next",), ("speech-verb", "speech-verb-inverted", "colon")),
    Step("partial", _partial, (), ("partial",)),
    Step("clause-around", _clause_around, (), ("speech-verb", "partial")),
    Step("colon-before", _colon_before, ("previous",), ("colon", "speech-verb")),
    Step("colon-lead-in", _colon_lead_in, (), ("colon",)),
    Step("lead-paragraph", _lead_paragraph, ("previous",), ("lead-in",)),
)


# --- cue steps ------------------------------------------------------------------------------------
# Each takes one parsed sentence, the CueSite and what the steps before it read in that sentence,
# and returns the attributions read from its cues.

def _reported(sentence: Sentence, site: CueSite, earlier: list[reported.Reported]) -> Iterable[reported.Reported]:
    return reported.find(sentence, site.quotes, text=site.text, quote_ranges=site.quote_ranges)


def _scored(sentence: Sentence, site: CueSite, earlier: list[reported.Reported]) -> Iterable[reported.Reported]:
    """Cues no word list names, where the lexicon's rules read nothing (`scored`)."""
    return scored.find(sentence, site.quotes, text=site.text, quote_ranges=site.quote_ranges,
                       taken=scored.taken_by(earlier))


def _mixed(sentence: Sentence, site: CueSite, earlier: list[reported.Reported]) -> Iterable[reported.Reported]:
    """A partial quote of this sentence that no reading above holds in its content: the whole
    content of its attribution (`reported.mixed`), so that a mixed attribution has an indirect
    record beside its partial one."""
    held = [r.content_span() for r in earlier]
    found: list[reported.Reported] = []
    for lo, hi, a in site.partials:
        if a.sentence is not sentence or a.verb is None or any(s <= lo + 1 and hi - 1 <= e + 1 for s, e in held):
            continue
        got = reported.mixed(sentence, a.verb, a.speaker, lo, hi, quote=site.quotes, text=site.text,
                             quote_ranges=site.quote_ranges)
        if got is not None:
            held.append(got.content_span())
            found.append(got)
    return found


def _headline(sentence: Sentence, site: CueSite, earlier: list[reported.Reported]) -> Iterable[reported.Reported]:
    """An article's first line in the "Source: claim" form (`headline`)."""
    return headline.find(sentence, site.quotes, text=site.text, quote_ranges=site.quote_ranges)


def _headline_verb(sentence: Sentence, site: CueSite, earlier: list[reported.Reported]) -> Iterable[reported.Reported]:
    """A title-case headline's cue verb that the steps before read nothing of (`headline.find_verb`)."""
    return headline.find_verb(sentence, site.quotes, text=site.text, quote_ranges=site.quote_ranges, earlier=earlier)


CUE_STEPS: tuple[Step, ...] = (
    Step("headline", _headline, (), ("reported-headline",)),
    Step("reported", _reported, (), ("reported", "reported-after", "reported-according-to", "reported-noun",
                                     "reported-intention", "reported-object", "reported-view",
                                     "reported-order")),
    Step("scored", _scored, (), ("reported-scored",)),
    Step("mixed", _mixed, (), ("reported-mixed",)),
    Step("headline-verb", _headline_verb, (), ("reported-headline",)),
)
