"""Attribution rules: one module per construction family.

Every rule reads a `Sentence` view and a `QuoteContext` and returns an `Attribution` or None.
Rules never touch stanza objects, files or global state, so the same rule runs on a model's
parse and on a hand-written CoNLL-U tree in the tests.

Rule names (the record's ``rule``):

- ``speech-verb``: the quote is the ccomp/parataxis of a reporting verb, or the verb is the
  parataxis of the quote (“…,” he said / X said “…” / “…,” X told reporters).
- ``speech-verb-inverted``: the verb precedes its subject after the quote (“…,” said X).
- ``quoted-as``: X was quoted (by Y) as saying “…”.
- ``colon``: a colon lead-in, in the same sentence (X told reporters: “…”) or in the sentence
  or paragraph before the quote.
- ``according-to``: “…,” according to X.
- ``trailing-dash``: “…” — X.
- ``partial``: a quoted fragment inside reported speech (X said the ship passed “in pursuit…”).
- ``continuation``: a quote with no attribution of its own that continues the previous
  speaker's run of quotes (GenderGapTracker's "floating quotes").
- ``multi-paragraph``: a later paragraph of a quote that spans paragraphs (“ opens each
  paragraph, ” closes only the last).
- ``lead-in``: a quote paragraph whose speaker is the subject of the last sentence of the
  paragraph before (no quote, no colon there): "X spoke of the plan. ¶ “…”".
- ``unattributed``: a sentence-like quote for which no speaker was found.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from dataclasses import dataclass

from .. import lexicon
from ..marks import QuoteSpan
from ..tree import Sentence, Word

from .registry import CONFIDENCE, RULES  # noqa: E402,F401 - the one table of rules


@dataclass(frozen=True)
class QuoteContext:
    """A quote span and the article text around it, as the rules see it."""

    text: str
    span: QuoteSpan
    #: (start, end) of every quote of the article, marks included: a speaker is never quoted text
    others: tuple[tuple[int, int], ...] = ()

    @functools.cached_property
    def lo(self) -> int:
        return self.span.open_start

    @functools.cached_property
    def hi(self) -> int:
        return self.span.close_end if self.span.close_end is not None else self.span.end

    def contains(self, word: Word) -> bool:
        """A word is inside when it starts within the marks (the marks themselves included)."""
        return self.lo <= word.start < self.hi

    def quoted(self, word: Word) -> bool:
        """Inside this quote or any other quote of the article (“Judge,” Brafman said, “…”)."""
        if self.contains(word):
            return True
        starts, ends = self._other_bounds
        # quotes do not overlap: only the last one opening at or before the word can hold it
        i = bisect.bisect_right(starts, word.start) - 1
        return i >= 0 and word.start < ends[i]

    @functools.cached_property
    def _other_bounds(self) -> tuple[list[int], list[int]]:
        return _bounds(self.others)

    def opens_paragraph(self) -> bool:
        """Only white space stands between the start of the line and the opening mark."""
        line_start = max(self.text.rfind("\n", 0, self.lo), self.text.rfind("\r", 0, self.lo)) + 1
        return not self.text[line_start:self.lo].strip()

    def opens_with_capital(self) -> bool:
        """The quote reads as a sentence of its own: its content opens with a capital letter."""
        return self.text[self.span.start:self.span.end].lstrip()[:1].isupper()

    def set_off(self) -> bool:
        """True when punctuation or a sentence boundary sets the quote apart from its frame.

        A quote opening a paragraph or following ``, : ; —`` (He said, “…” / He said: “…”), or
        one whose content ends in ``, ? !`` before its closing mark (“…,” he said), stands as
        the speaker's own sentence: a direct quote. One that runs into the syntax (said the ship
        passed “in pursuit of …”) is a fragment: a partial quote.
        """
        i = self.lo  # the text before the mark, less spaces (no copy of the article's head)
        while i > 0 and self.text[i - 1] in " \t\u00a0":
            i -= 1
        before = self.text[max(0, i - 2):i]
        if not before or before[-1] in "\n\r" or before[-1] in ",:;—–―-.?!…":
            return True
        if before[-1] in "\"”’'" and len(before) > 1 and before[-2] in ".?!,":
            return True
        content = self.text[self.span.start : self.span.end].rstrip()
        return bool(content) and content[-1] in ",?!" and self.span.close_end is not None


_BOUNDS: tuple = (None, None)  # the last quote spans `_bounds` was given, and its answer (one
# reference, read and replaced at once, so threads never mix two articles' spans)


def _bounds(others: tuple[tuple[int, int], ...]) -> tuple[list[int], list[int]]:
    """Starts of the sorted spans and the furthest end so far (in case two spans ever overlap).
    Every quote of an article shares one ``others`` tuple: computed once per article, not per
    quote (which made matching quadratic in the number of quotes)."""
    global _BOUNDS
    seen, answer = _BOUNDS
    if seen is not others:
        spans = sorted(others)
        ends, reach = [], -1
        for _, hi in spans:
            reach = max(reach, hi)
            ends.append(reach)
        answer = [lo for lo, _ in spans], ends
        _BOUNDS = (others, answer)
    return answer


@dataclass(frozen=True)
class Attribution:
    """What a rule found: the speaker's head word, the cue verb and the whole cue clause."""

    rule: str
    kind: str  # "direct" | "partial"
    sentence: Sentence
    speaker: Word | None
    verb: Word | None
    verb_last: Word | None = None  # last word of a multi-word cue ("according to", "point out")
    cue_ids: tuple[int, ...] = ()
    family: str | None = None  # the cue family (lexicon.CUE_FAMILIES); None: read from the verb

    @property
    def confidence(self) -> float:
        return CONFIDENCE.get(self.rule, 0.5)


#: Regular English inflections, tried when a lemmatizer leaves a rare verb form as it is
#: ("quipped" -> "quip"): (suffix, replacement), longest first.
_INFLECTIONS = (("pped", "p"), ("tted", "t"), ("gged", "g"), ("ied", "y"), ("ies", "y"),
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
        for suffix, repl in _INFLECTIONS:
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
