"""A lead-in in the sentence or paragraph before the quote.

    The minister told reporters:
    “We will not back down.”

The quote opens a new sentence (or paragraph) and the text before it ends with a colon — or a
comma after a reporting verb with no complement of its own (GUM splits "X commented," from the
quote that follows) — and the reporting verb nearest that mark, with its subject, attributes the
quote. Rule ``colon`` for a colon, ``speech-verb`` for a comma.
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids, is_reporting, subject_of


def find(previous: Sentence | None, quote: QuoteContext, *, verbs: frozenset[str]) -> Attribution | None:
    if previous is None:
        return None
    before = quote.text[: quote.lo].rstrip()
    if not before or before[-1] not in ":," or not (previous.start <= len(before) - 1 <= previous.end):
        return None
    mark_at = len(before) - 1
    verbs_before = [w for w in previous.words if w.end <= mark_at and is_reporting(w, verbs)]
    if not verbs_before:
        if before[-1] == ":" and _opens_paragraph(quote):
            return _block_lead_in(previous, quote)
        return None
    verb = verbs_before[-1]
    if before[-1] == ",":
        # the verb must be waiting for its content: no clausal complement and no later verb
        if sentence_has_content(previous, verb) or any(
            w.upos == "VERB" and w.start > verb.end and w.end <= mark_at for w in previous.words
        ):
            return None
    speaker = subject_of(previous, verb, quote)
    return Attribution(rule="colon" if before[-1] == ":" else "speech-verb", kind="direct",
                       sentence=previous, speaker=speaker, verb=verb,
                       cue_ids=cue_ids(previous, verb, speaker, quote))


def sentence_has_content(sentence: Sentence, verb) -> bool:
    return any(c.rel in ("ccomp", "parataxis", "obj", "xcomp") for c in sentence.children(verb.id))


def _opens_paragraph(quote: QuoteContext) -> bool:
    line_start = max(quote.text.rfind("\n", 0, quote.lo), quote.text.rfind("\r", 0, quote.lo)) + 1
    return not quote.text[line_start:quote.lo].strip()


def _block_lead_in(previous: Sentence, quote: QuoteContext) -> Attribution | None:
    """A quoted block after a lead-in with no reporting verb: "The transcript follows:",
    "Here is what the senator wrote to donors:" — the lead-in's subject (or its head noun when
    it has no verb) is the source, its main verb the cue."""
    root = next((w for w in previous.words if w.head == 0), None)
    if root is None:
        return None
    speaker = subject_of(previous, root, quote) if root.upos in ("VERB", "AUX") else (
        root if root.upos in ("NOUN", "PROPN") else None)
    if speaker is None:
        return None
    # with no reporting verb the colon itself is the cue, as PolNeAR annotates it
    colon_word = next((w for w in reversed(previous.words) if w.text == ":"), None)
    return Attribution(rule="colon", kind="direct", sentence=previous, speaker=speaker,
                       verb=colon_word, cue_ids=cue_ids(previous, colon_word, speaker, quote))
