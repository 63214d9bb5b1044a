"""Reading a reporting clause off the tree: the speaker of a verb, the words of the cue, a name
the tagger missed, a question put to someone rather than by them."""

from __future__ import annotations

from .. import lexicon
from ..tree import Sentence, Word
from .context import QuoteContext


SUBJECT_RELS = ("nsubj", "nsubj:pass", "csubj", "nsubj:outer")
#: Verbs whose passive subject is the one spoken to, not the speaker: "Trump was asked, “…”"
#: (the asker, when named, is the "by" agent).
ADDRESSEE_VERBS = frozenset({"ask", "tell", "question", "urge", "interview", "press"})
#: What a speaker can be: a subject tagged otherwise ("Later, …" as nsubj) is a parse error.
SPEAKER_TAGS = ("NOUN", "PROPN", "PRON", "NUM", "X", "SYM", "DET", "ADJ")


def subject_of(sentence: Sentence, verb: Word, quote: QuoteContext) -> Word | None:
    """The speaker of ``verb``: its subject, or the subject it shares by control/coordination.

    UD attaches a shared subject to the first verb only (He paused and said …; Xi offered a
    hint, saying …), so an xcomp/advcl/conj verb without its own subject takes its head's.
    """
    node: Word | None = verb
    for _ in range(4):
        if node is None:
            return None
        subjects = [c for c in sentence.children(node.id)
                    if c.deprel in SUBJECT_RELS and not quote.quoted(c)
                    and (c.upos in SPEAKER_TAGS or mistagged_name(sentence, c))
                    and c.text.lower() not in lexicon.time_words()  # "Toner said Friday"
                    and not (c.deprel == "nsubj:pass" and node.lemma.lower() in ADDRESSEE_VERBS)]
        if subjects:
            # a verb has one subject; two is a parse error, and the one next to the verb is the
            # speaker far more often (One of the lessons is that “…,” Lai said)
            return min(subjects, key=lambda c: abs(c.id - node.id))
        for child in sentence.children(node.id, "obl"):
            # passive with agent: “…” was said by X
            if any(c.lemma.lower() == "by" for c in sentence.children(child.id, "case")) and any(
                c.deprel == "aux:pass" for c in sentence.children(node.id)
            ):
                return child
        if node.rel in ("xcomp", "advcl", "conj", "acl") and node.head:
            from_acl = node.rel == "acl"
            node = sentence.head_of(node)
            if node is not None and quote.contains(node):
                return None
            if from_acl and node is not None and node.upos == "NOUN" and node.rel in ("obj", "obl") and node.head:
                # "Doe and Roe issued a statement describing …": the statement's issuer
                node = sentence.head_of(node)
                if node is not None and quote.contains(node):
                    return None
            continue
        return None
    return None


def mistagged_name(sentence: Sentence, word: Word) -> bool:
    """A capitalised subject tagged VERB or ADJ mid-sentence, with nothing hanging from it but
    a name's parts (“…,” Halsted said, with "Halsted" read as a verb): small taggers miss rare
    surnames that look like verb forms."""
    if word.upos not in ("VERB", "ADJ") or word.deprel not in ("nsubj", "nsubj:pass"):
        return False
    if not word.text[:1].isupper() or word.id == 1 or word.text.isupper():
        return False
    before = sentence.word(word.id - 1)
    if before.upos == "PUNCT" and before.text in ".!?":
        return False  # a sentence start the splitter missed
    return all(c.deprel in ("flat", "compound", "amod", "det", "punct", "appos")
               for c in sentence.children(word.id))


def cue_ids(sentence: Sentence, verb: Word | None, speaker: Word | None, quote: QuoteContext,
            *, extra: tuple[Word, ...] = ()) -> tuple[int, ...]:
    """Word ids of the attribution clause: speaker mention, verb, its auxiliaries and object.

    ("Blinken told reporters", "said X", "according to X"): contiguous, outside the quote.
    """
    ids: set[int] = set()
    if speaker is not None:
        ids.update(w.id for w in sentence.subtree(speaker.id, exclude=("acl", "acl:relcl", "punct",
                   "parataxis", "advcl", "ccomp")) if not quote.contains(w))
    if verb is not None:
        ids.add(verb.id)
        for child in sentence.children(verb.id, "aux", "aux:pass", "advmod", "iobj", "obj",
                                       "compound:prt", "neg", "mark"):
            if quote.contains(child):
                continue
            sub = [w for w in sentence.subtree(child.id) if not quote.contains(w)]
            if len(sub) <= 4:
                ids.update(w.id for w in sub)
    ids.update(w.id for w in extra)
    if not ids:
        return ()
    # keep the clause contiguous, never reaching into the quote: the run of outside words
    # around the verb (or the speaker when there is no verb)
    anchor = verb.id if verb is not None else (speaker.id if speaker is not None else min(ids))
    lo = hi = anchor
    while lo - 1 >= min(ids) and not quote.contains(sentence.word(lo - 1)):
        lo -= 1
    while hi + 1 <= max(ids) and not quote.contains(sentence.word(hi + 1)):
        hi += 1
    while lo < hi and sentence.word(lo).upos == "PUNCT":
        lo += 1
    while hi > lo and sentence.word(hi).upos == "PUNCT":
        hi -= 1
    return tuple(range(lo, hi + 1))


def spoken_to(sentence: Sentence, verb: Word | None, speaker: Word | None) -> bool:
    """"Trump was asked, “…”": the passive of an ``ADDRESSEE_VERBS`` verb, whose ``speaker`` is
    not its "by" agent, names the one spoken to. The asker then is unknown."""
    if verb is None or speaker is None or verb.lemma.lower() not in ADDRESSEE_VERBS:
        return False
    if not any(c.deprel == "aux:pass" for c in sentence.children(verb.id)):
        return False
    return not any(c.lemma.lower() == "by" for c in sentence.children(speaker.id, "case"))


def name_head(sentence: Sentence, word: Word, keep) -> Word:
    """The first word of the name ``word`` ends ("Doe" in "Jane Doe" is a flat dependent of
    "Jane"): climb flat/compound links while ``keep(head)`` allows the head."""
    while word.rel in ("flat", "compound") and word.head and keep(sentence.word(word.head)):
        word = sentence.word(word.head)
    return word
