"""Is this word a reporting verb, and which: lemmas the lemmatizer missed, phrasal particles
(shot back, pointed out), participles, aspect verbs."""

from __future__ import annotations

import functools

from .. import lexicon
from ..tree import Sentence, Word


#: Regular inflection endings and what they replace, to read a cue verb the tagger left unlemmatized.
INFLECTIONS = (("pped", "p"), ("tted", "t"), ("gged", "g"), ("ied", "y"), ("ies", "y"),
               ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("d", ""))


def verb_lemma(word: Word, verbs: frozenset[str], *, nouns_too: bool = False,
               sentence: Sentence | None = None) -> str | None:
    """The reporting-verb lemma of ``word``, or None when it is not a reporting verb.

    ``nouns_too``: also a word tagged NOUN ("Viguerie adds", "she notes": taggers trained on
    little data often read such verbs as plural nouns); only for word-order rules.
    ``sentence``: the word's sentence, to read a phrasal verb's particle ("shot back" is
    "shoot back" in the lexicon; "shot" alone is no cue).
    """
    if word.upos not in ("VERB", "AUX") and not (nouns_too and word.upos in ("NOUN", "PROPN")):
        return None
    lemma = word.lemma.lower()
    if sentence is not None:
        prt = particle(sentence, word, verbs)
        if prt is not None:
            return f"{lemma} {prt.text.lower()}"
        if lemma in ASPECT_VERBS and sentence.children(word.id, "xcomp"):
            return None  # "would continue to reinforce ties": an aspect verb, not speech
    if lemma in verbs:
        return lemma
    form = word.text.lower()
    if lemma == form and lexicon.irregular_verbs().get(form) in verbs:
        return lexicon.irregular_verbs()[form]  # "Said Doe, …" left unlemmatized
    if lemma == form:
        for suffix, repl in INFLECTIONS:
            if form.endswith(suffix) and form[: -len(suffix)] + repl in verbs:
                return form[: -len(suffix)] + repl
    return None


def particle(sentence: Sentence, word: Word, verbs: frozenset[str]) -> Word | None:
    """The particle of a phrasal reporting verb in the lexicon ("shot back", "pointed out"):
    a compound:prt, or the word right after the verb when the parser made it an advmod."""
    lemma = word.lemma.lower()
    if lemma not in _phrasal_heads(verbs):
        return None
    candidates = sentence.children(word.id, "compound:prt") + [
        c for c in sentence.children(word.id, "advmod", "obl", "compound") if c.id == word.id + 1]
    return next((c for c in candidates if f"{lemma} {c.text.lower()}" in verbs), None)


@functools.lru_cache(maxsize=8)
def _phrasal_heads(verbs: frozenset[str]) -> frozenset[str]:
    """The verbs that begin a phrasal cue of ``verbs`` ("shoot" for "shoot back")."""
    return frozenset(v.split(" ", 1)[0] for v in verbs if " " in v)


def is_participle(word: Word) -> bool:
    """An -ing form ("adding", "telling"): read by its spelling, since small taggers often miss VBG."""
    return word.text.lower().endswith("ing")


def is_reporting(word: Word, verbs: frozenset[str], *, nouns_too: bool = False,
                 sentence: Sentence | None = None) -> bool:
    return verb_lemma(word, verbs, nouns_too=nouns_too, sentence=sentence) is not None


#: Reporting verbs that are aspect verbs when a clause follows them ("he continued, “…”" is
#: speech; "would continue to reinforce ties" is not).
ASPECT_VERBS = frozenset({"continue", "begin"})
