"""A name after a dash that follows the quote: “…” — Jane Doe, or “…” - Jane Doe, also on
the line after a quote that is a paragraph of its own (pull quotes, fact-check lists).

Common in wire copy, pull quotes and social posts: the dash stands where "said" would, so the
dash is the record's cue (``verb``), as PolNeAR annotates it.
"""

from __future__ import annotations

from ..tree import Sentence
from . import Attribution, QuoteContext

NAME_TAGS = ("PROPN", "NOUN")


def find(sentences: list[Sentence], quote: QuoteContext, *, dashes: frozenset[str]) -> Attribution | None:
    if quote.span.close_end is None:
        return None
    after = quote.text[quote.hi:]
    stripped = after.lstrip(" \t\u00a0")
    if stripped[:1] in ("\n", "\r") and quote.opens_paragraph():
        # a quote paragraph signed on the line below: “…” ¶ - Jane Doe, in a tweet.
        stripped = stripped.lstrip(" \t\u00a0\n\r")
    dash = next((d for d in sorted(dashes, key=len, reverse=True) if stripped.startswith(d)), None)
    if dash is None:
        return None
    name_from = quote.hi + (len(after) - len(stripped)) + len(dash)
    for sentence in sentences:
        following = [w for w in sentence.words if w.start >= name_from]
        if not following:
            continue
        first = following[0]
        if quote.text[name_from:first.start].strip() or first.upos not in NAME_TAGS:
            return None
        run = [first]
        for w in following[1:]:
            if w.upos in NAME_TAGS or (w.upos == "PUNCT" and w.text in ".") :
                run.append(w)
            else:
                break
        ids = {w.id for w in run}
        head = next((w for w in run if w.head not in ids), run[-1])
        dash_at = name_from - len(dash)
        dash_word = next((w for w in sentence.words if w.start == dash_at), None)
        if dash_word is not None:
            ids.add(dash_word.id)
        return Attribution(rule="trailing-dash", kind="direct", sentence=sentence, speaker=head,
                           verb=dash_word, cue_ids=tuple(sorted(ids)))
    return None
