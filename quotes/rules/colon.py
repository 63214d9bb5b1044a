"""A lead-in in the sentence or paragraph before the quote.

    The minister told reporters:
    “We will not back down.”

The quote opens a new sentence (or paragraph) and the text before it ends with a colon — or a
comma after a reporting verb with no complement of its own (GUM splits "X commented," from the
quote that follows) — and the reporting verb nearest that mark, with its subject, attributes the
quote. Rule ``colon`` for a colon, ``speech-verb`` for a comma.

With no reporting verb, a colon right before a quote that is a sentence of its own still
attributes it, as PolNeAR annotates (the colon, or the lead-in's own verb, is the cue):

    Doe concludes: “Nobody planned this.”      Doe: ‘I Will Not Step Aside’
    Here’s Doe in the spring of 1998: “Our plan …”
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids, is_reporting, name_head, subject_of


def find(previous: Sentence | None, quote: QuoteContext, *, verbs: frozenset[str]) -> Attribution | None:
    if previous is None:
        return None
    before = quote.text[: quote.lo].rstrip()
    if not before or before[-1] not in ":," or not (previous.start <= len(before) - 1 <= previous.end):
        return None
    mark_at = len(before) - 1
    verbs_before = [w for w in previous.words if w.end <= mark_at and is_reporting(w, verbs, sentence=previous)]
    if not verbs_before:
        if before[-1] == ":" and (quote.opens_paragraph() or quote.opens_with_capital()):
            return _block_lead_in(previous, quote)
        return None
    verb = verbs_before[-1]
    if before[-1] == ",":
        # the verb must be waiting for its content: no clausal complement and no later verb
        if sentence_has_content(previous, verb) or any(
            w.upos == "VERB" and w.start > verb.end and w.end <= mark_at for w in previous.words
        ):
            return None
    speaker = subject_of(previous, verb, quote) or name_after(previous, verb, mark_at)
    return Attribution(rule="colon" if before[-1] == ":" else "speech-verb", kind="direct",
                       sentence=previous, speaker=speaker, verb=verb,
                       cue_ids=cue_ids(previous, verb, speaker, quote))


def sentence_has_content(sentence: Sentence, verb) -> bool:
    return any(c.rel in ("ccomp", "parataxis", "obj", "xcomp") for c in sentence.children(verb.id))


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


#: Dashes that can end a lead-in as a colon does: "Doe also embraced the idea -- “…”".
LEAD_DASHES = ("—", "--", "–")

#: Lead-in subjects that never name a source ("It is simple: …", "This is the point: …").
NOT_A_SOURCE = frozenset({"it", "this", "that", "there", "what", "which", "who", "these", "those",
                          "here", "one", "all", "both"})


def lead_in(sentence: Sentence, quote: QuoteContext, *, verbs: frozenset[str],
            max_words: int = 25) -> Attribution | None:
    """A colon inside the quote's own sentence, with no reporting verb before it:
    "Mr. Doe gloated: “I told you …”", a headline's "Doe: ‘We Will Win …’".

    The lead-in (the words between the sentence start and the colon, at most ``max_words``)
    must hang together as one phrase; its head's subject (a verb's) or the head itself (a name
    alone) is the speaker, and the lead-in's verb, else the colon, the cue.
    """
    before = quote.text[: quote.lo].rstrip()
    dashed = before.endswith(LEAD_DASHES) and quote.opens_with_capital()
    if not (before.endswith(":") or dashed) or not quote.opens_with_capital():
        return _headline_name(sentence, quote, verbs=verbs)
    mark = next(d for d in (":", *LEAD_DASHES) if before.endswith(d))
    colon_at = len(before) - len(mark)
    if not sentence.start <= colon_at < sentence.end:
        return None
    words = [w for w in sentence.words if w.end <= colon_at + len(mark)]
    if not words or words[-1].text != mark or len(words) - 1 > max_words:
        return None
    colon_word, words = words[-1], words[:-1]
    # "WHAT READERS WANT - Jane Doe and John Roe:": the name after a dash
    dash = max((i for i, w in enumerate(words) if w.text in ("-", "—", "–", "--")), default=-1)
    words = words[dash + 1:]
    if not words or any(quote.quoted(w) for w in words):
        return None
    ids = {w.id for w in words}
    heads = [w for w in words if w.head not in ids and w.upos != "PUNCT"]
    if not heads:
        return None
    head = max(heads, key=lambda h: len([w for w in sentence.subtree(h.id) if w.id in ids]))
    if any(c.deprel == "expl" for c in sentence.children(head.id)):
        return None  # "There is a promise many voters hear: …" names no source
    if dashed and head.upos != "VERB":
        return None  # Doe also backed the plan — “…”: only a verb sets the words up
    if head.upos in ("VERB", "AUX"):
        speaker = subject_of(sentence, head, quote)
        # "Here’s Clinton in 1992:" — a copula is no cue; the colon is
        verb = head if head.upos == "VERB" else colon_word
    elif dashed:
        return None  # a dash after a bare name is a trailing attribution's business, not a lead-in
    elif head.upos in ("PROPN", "NOUN") and len(words) <= 8:
        # a name alone before the colon (a headline, a list of commentators): the colon is the cue
        speaker = next((c for c in sentence.children(head.id) if c.deprel in ("nsubj", "nsubj:pass")
                        and c.upos in ("PROPN", "NOUN", "PRON")), head)
        verb = colon_word
    elif not dashed and (subj := next((c for c in sentence.children(head.id) if c.deprel == "nsubj"
                                        and c.upos in ("PROPN", "NOUN", "PRON")), None)) is not None:
        # "Here’s Doe in 1992:", "The board was blunt:": the subject of the lead-in, the colon as cue
        speaker, verb = subj, colon_word
    else:
        return None
    if speaker is None or speaker.text.lower() in NOT_A_SOURCE or speaker.upos not in ("PROPN", "NOUN", "PRON"):
        return None
    return Attribution(rule="colon", kind="direct", sentence=sentence, speaker=speaker, verb=verb,
                       cue_ids=cue_ids(sentence, verb, speaker, quote))


def _headline_name(sentence: Sentence, quote: QuoteContext, *, verbs: frozenset[str],
                   max_words: int = 6) -> Attribution | None:
    """A headline that opens with the speaker's name and a colon, the quote later in it:
    "Doe: Roe Would Pick Liberals, ‘I Fear The Same Fate Is Near’ for Smith".

    The words before the sentence's first colon must be a short name (a proper noun among at
    most ``max_words`` nouns, proper nouns, adjectives and title abbreviations, no verb), and no
    reporting verb may stand between the colon and the quote: in "SHIFT PRIORITIES: …, an expert
    said leaders voiced concerns about a “kill web”" the quote is the leaders'.
    """
    words = [w for w in sentence.words if w.end <= quote.lo]
    colon_i = next((i for i, w in enumerate(words) if w.text == ":"), None)
    if colon_i is None or colon_i == 0 or colon_i > max_words:
        return None
    if any(is_reporting(w, verbs, sentence=sentence) for w in words[colon_i + 1:]):
        return None
    name = words[:colon_i]
    if any(quote.quoted(w) for w in name) or not any(w.upos == "PROPN" for w in name):
        return None
    if any(w.upos not in ("PROPN", "NOUN", "ADJ", "PUNCT") for w in name):
        return None
    ids = {w.id for w in name}
    head = name_head(sentence, next(w for w in reversed(name) if w.upos == "PROPN"), lambda h: h.id in ids)
    return Attribution(rule="colon", kind="direct" if quote.set_off() else "partial", sentence=sentence,
                       speaker=head, verb=words[colon_i], cue_ids=cue_ids(sentence, words[colon_i], head, quote))


def name_after(sentence: Sentence, verb, mark_at: int):
    """“Stated Doe:”, “Continued Doe:” — an inverted lead-in: the name between the verb and
    the mark, when the parse gave the verb no subject."""
    between = [w for w in sentence.words if w.start >= verb.end and w.end <= mark_at]
    if between and all(w.upos == "PROPN" for w in between) and len(between) <= 4:
        ids = {w.id for w in between}
        return name_head(sentence, between[-1], lambda h: h.id in ids)
    return None
