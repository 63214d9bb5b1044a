"""“…,” according to X — and "According to X, …" around a quote in the same sentence.

UD attaches "according to X" as ``case`` + ``fixed`` on X (EWT, GUM), so X is the head of the
word "according"; a parse that attaches it otherwise still gives X as the first noun after "to".
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext, cue_ids

NOMINALS = ("NOUN", "PROPN", "PRON", "NUM", "X")


def find(sentence: Sentence, quote: QuoteContext) -> Attribution | None:
    words = sentence.words
    for i, w in enumerate(words[:-1]):
        if w.text.lower() != "according" or words[i + 1].text.lower() != "to":
            continue
        if quote.contains(w):
            continue
        to = words[i + 1]
        source = sentence.head_of(w)
        if source is None or source.upos not in NOMINALS or source.start < to.end or quote.contains(source):
            source = next((x for x in words[i + 2:] if x.upos in NOMINALS and not quote.contains(x)), None)
            # climb to the head of the noun phrase (“the ministry's spokesman”)
            while source is not None:
                head = sentence.head_of(source)
                if head is None or head.upos not in NOMINALS or head.start < to.end or quote.contains(head) or source.rel not in ("compound", "flat", "nmod:poss", "amod"):
                    break
                source = head
        if source is None:
            continue
        kind = "direct" if quote.set_off() else "partial"
        ids = cue_ids(sentence, None, source, quote, extra=(w, to))
        return Attribution(rule="according-to", kind=kind, sentence=sentence, speaker=source,
                           verb=w, verb_last=to, cue_ids=ids)
    return None
