"""A colon lead-in in the sentence or paragraph before the quote.

    The minister told reporters:
    “We will not back down.”

The quote opens a new sentence (or paragraph) and the text before it ends with a colon; the
reporting verb nearest the colon in that sentence, and its subject, attribute the quote.
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids, is_reporting, subject_of


def find(previous: Sentence | None, quote: QuoteContext, *, verbs: frozenset[str]) -> Attribution | None:
    if previous is None:
        return None
    before = quote.text[: quote.lo].rstrip()
    if not before.endswith(":") or len(before) - 1 < previous.start or len(before) - 1 >= previous.end + 1:
        return None
    colon_at = len(before) - 1
    verbs_before = [w for w in previous.words if w.end <= colon_at and is_reporting(w, verbs)]
    if not verbs_before:
        return None
    verb = verbs_before[-1]
    speaker = subject_of(previous, verb, quote)
    return Attribution(rule="colon", kind="direct", sentence=previous, speaker=speaker, verb=verb,
                       cue_ids=cue_ids(previous, verb, speaker, quote))
