"""Repairs and checks on the words themselves: punctuation the tagger read as a name, a
title-cased quote."""

from __future__ import annotations

import dataclasses

from ..tree import Sentence


def repair_punctuation(sentence: Sentence) -> Sentence:
    """A word with no letter or digit (“―”, “--”) that the tagger read as a name or a word is
    punctuation: retag it PUNCT, and give its dependents to its first one, which takes its place
    in the tree ("―Jane Doe" parsed as ― ← Jane, Doe becomes Jane ← Doe, ― attached to Jane).
    UD gives punctuation no dependents, so the tree stays one tree. The matcher makes this
    repair as it reads a parse; the parse (and the parse cache) is left as it is."""
    bad = [w for w in sentence.words if not w.text[:1].isalnum() and w.upos not in ("PUNCT", "SYM")
           and not any(ch.isalnum() for ch in w.text)]
    if not bad:
        return sentence
    if not sentence.parsed:
        return dataclasses.replace(sentence, words=tuple(
            w._replace(upos="PUNCT") if w in bad else w for w in sentence.words))
    words = list(sentence.words)
    for b in bad:
        b = words[b.id - 1]
        kids = [w for w in words if w.head == b.id]
        if kids:
            heir = kids[0]
            words[heir.id - 1] = heir._replace(head=b.head, deprel=b.deprel)
            for k in kids[1:]:
                words[k.id - 1] = words[k.id - 1]._replace(head=heir.id)
            words[b.id - 1] = b._replace(upos="PUNCT", head=heir.id, deprel="punct")
        else:
            words[b.id - 1] = b._replace(upos="PUNCT", deprel="punct" if b.head else b.deprel)
    return dataclasses.replace(sentence, words=tuple(words))


def title_case(content: str, *, min_letters: int = 4) -> bool:
    """“Rivers and Roads”, “Morning Hour”: every word of ``min_letters`` or more
    letters capitalised, and at least two words: a title, not someone's words."""
    words = [w.strip(".,:;!?’'\"()") for w in content.split()]
    long = [w for w in words if len(w) >= min_letters]
    return len(words) >= 2 and bool(long) and all(w[:1].isupper() for w in long)
