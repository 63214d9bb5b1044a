"""A quote introduced by the sentence before it, with no quote and no colon there.

    Defense Minister Jane Doe praised the alliance on Saturday.
    “This region matters more to our security than any other.”

    The plan will fail, Jane Doe said in a statement. “Nobody asked the workers.”

News often sets the speaker up in one paragraph and gives the words in the next. When a quote
opens its paragraph, reads as a sentence, and nothing else attributes it, the last sentence of
the paragraph right before — or the sentence right before it in the same paragraph, when
the quote opens a sentence and ends one (so no reporting clause of its own follows it) — one
with no quotation of its own but a title, whose main verb is a reporting
verb — names the speaker: that verb's subject, when it is a name or a personal pronoun. The verb
is the cue. Any main verb would catch more of PolNeAR's cues ("spoke …", "issued a statement"),
but on PolNeAR train it was wrong as often as right ("They think …", "The Does cut …"). The
rule's lower confidence tells a reader it is read from the layout, not from a reporting clause.
"""

from __future__ import annotations

import re

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids, is_reporting, subject_of, title_case

#: Subjects that name a person: a name, or a personal pronoun.
PERSON_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
#: Quote marks that may close the sentence before (… said Doe, a host of “Morning Hour.”).
QUOTE_MARKS = frozenset("\"“”‘’'«»„`")


def find(previous: Sentence | None, quote: QuoteContext, *, quote_paragraph: int | None,
         verbs: frozenset[str]) -> Attribution | None:
    """``previous``: the sentence right before the quote; ``quote_paragraph``: the paragraph
    index of the quote's own sentence. A quote in ``previous`` may only be a title (a host of
    “Morning Hour.”): after someone's quoted words the quote continues their run instead."""
    if previous is None or quote_paragraph is None or not quote.opens_with_capital():
        return None
    between = quote.text[previous.end:quote.lo]
    if between.strip():
        return None
    if previous.paragraph == quote_paragraph - 1:
        if not quote.opens_paragraph() or "\n" not in between and "\r" not in between:
            return None
    elif previous.paragraph != quote_paragraph or not _ends_sentence(quote):
        return None
    if _clause_after(quote):
        return None  # “…,” Doe, the former governor, said: its own clause, which the parse missed
    if any(previous.start <= lo < previous.end and not title_case(quote.text[lo:hi])
           for lo, hi in quote.others):
        return None  # “…,” Doe said. “…”: a continuation of that quote's run, not a lead-in
    ending = [w for w in previous.words if not (w.upos == "PUNCT" and w.text in QUOTE_MARKS)]
    if not ending or ending[-1].text not in (".", "!"):
        return None
    root = _reporting_root(previous, verbs)
    if root is None or quote.quoted(root):
        return None  # "They think …", "The Does cut …": only a reporting verb sets up the words
    speaker = subject_of(previous, root, quote)
    if speaker is None or quote.quoted(speaker) or not (
            speaker.upos == "PROPN" or speaker.text.lower() in PERSON_PRONOUNS):
        return None
    return Attribution(rule="lead-in", kind="direct", sentence=previous, speaker=speaker, verb=root,
                       cue_ids=cue_ids(previous, root, speaker, quote))


def _ends_sentence(quote: QuoteContext) -> bool:
    """The quote closes on . ? ! (not a comma, which a reporting clause would follow)."""
    content = quote.text[quote.span.start:quote.span.end].rstrip()
    return quote.span.close_end is not None and content[-1:] in (".", "?", "!", "…")


def _clause_after(quote: QuoteContext, *, max_words: int = 15) -> bool:
    """Words follow the closing mark on the quote's line before the sentence ends (“…,” Doe
    said. / “…?” asked Doe.): the quote has a reporting clause of its own."""
    if quote.span.close_end is None:
        return False
    line = re.split(r"[\n\r]", quote.text[quote.span.close_end:], maxsplit=1)[0]
    clause = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    return 0 < len(clause.split()) <= max_words and clause.strip()[:1] not in "“\"‘'«"


def _reporting_root(sentence: Sentence, verbs: frozenset[str]):
    """The sentence's reporting verb: its root, or a reporting clause hung on the root as
    parataxis at the sentence's end (The plan will fail, Jane Doe said.)."""
    root = next((w for w in sentence.words if w.head == 0), None)
    if root is None:
        return None
    if is_reporting(root, verbs, sentence=sentence):
        return root
    for c in sentence.children(root.id, "parataxis"):
        if c.start > root.start and is_reporting(c, verbs, sentence=sentence) and all(
                w.upos == "PUNCT" or w.id in {x.id for x in sentence.subtree(c.id)}
                for w in sentence.words if w.start > c.start):
            return c
    return None
