"""A quote paragraph introduced by the paragraph before it, with no quote and no colon there.

    Defense Minister Jane Doe praised the alliance on Saturday.
    “This region matters more to our security than any other.”

News often sets the speaker up in one paragraph and gives the words in the next. When a quote
opens its paragraph, reads as a sentence, and nothing else attributes it, the last sentence of
the paragraph right before — one with no quotation of its own, whose main verb is a reporting
verb — names the speaker: that verb's subject, when it is a name or a personal pronoun. The verb
is the cue. Any main verb would catch more of PolNeAR's cues ("spoke …", "issued a statement"),
but on PolNeAR train it was wrong as often as right ("They think …", "The Does cut …"). The
rule's lower confidence tells a reader it is read from the layout, not from a reporting clause.
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids, is_reporting, subject_of

#: Subjects that name a person: a name, or a personal pronoun.
PERSON_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})


def find(previous: Sentence | None, quote: QuoteContext, *, quote_paragraph: int | None,
         verbs: frozenset[str]) -> Attribution | None:
    """``previous``: the sentence right before the quote; ``quote_paragraph``: the paragraph
    index of the quote's own sentence."""
    if previous is None or quote_paragraph is None or previous.paragraph != quote_paragraph - 1:
        return None
    if not quote.opens_paragraph() or not quote.opens_with_capital():
        return None
    between = quote.text[previous.end:quote.lo]
    if between.strip() or "\n" not in between and "\r" not in between:
        return None
    if any(quote.quoted(w) for w in previous.words) or previous.words[-1].text not in (".", "!"):
        return None
    root = next((w for w in previous.words if w.head == 0), None)
    if root is None or not is_reporting(root, verbs, sentence=previous):
        return None  # "They think …", "The Does cut …": only a reporting verb sets up the words
    speaker = subject_of(previous, root, quote)
    if speaker is None or not (speaker.upos == "PROPN" or speaker.text.lower() in PERSON_PRONOUNS):
        return None
    return Attribution(rule="lead-in", kind="direct", sentence=previous, speaker=speaker, verb=root,
                       cue_ids=cue_ids(previous, root, speaker, quote))
