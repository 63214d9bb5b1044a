"""Reported speech: attributions whose content carries no quote marks, read from the cue.

Where the quote rules start from a quote span, these start from a cue word and read its content
off the tree (UD's reporting constructions, de Marneffe & Nivre 2019; PolNeAR's cue types,
Newell et al. 2018):

- ``reported``: a cue verb with a clausal complement: X said (that) …; X told Y (that) …; the
  report found that …; she believes … (``ccomp``).
- ``reported-after``: a reporting clause after or inside its content, which UD hangs from the
  content's root as ``parataxis`` (a small parser often as ``conj``: `_closing_clause_content`):
  "…, X said." / "The plan, he said, will fail."; and an "as"
  clause hung on it (``advcl``): "As the Times reported, …" / "…, as Doe noted."
- ``reported-according-to``: "According to X, …" / "…, according to X".
- ``reported-noun``: a cue noun with a clause: "X's claim that …", "the warning that …" (``acl``
  or ``ccomp`` of the noun, with "that", or a "that" right after the noun whose clause the
  parser hung elsewhere), "X's promise to …" (a to-clause, for speech, belief and intention
  nouns). The nouns are data: ``lexicon/noun_cues.txt``.
- ``reported-intention``: what is wanted, planned or vowed: "X vowed to fight …" (``xcomp`` of an
  intention verb).
- ``reported-view``: "in X's view/opinion, …".
- ``reported-mixed``: the whole content of a partial quote's attribution where no rule above
  reads it ("Doe called the test “a clear violation” of the treaty"; `mixed`), so that a mixed
  attribution has its indirect record beside the partial one.

Only the outermost attribution of a sentence is read (The department said that Blinken stressed
that …: the department's), as PolNeAR annotates it and a fact-checker checks it: the claim the
article makes is the department's; the inner report is part of what it said. A cue inside a
quotation is the quoted speaker's own words and is left to the quote. Orders (told him to
leave) have no clausal content and are not read.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import lexicon
from ..tree import Sentence, Word
from . import QuoteContext, particle, subject_of, verb_lemma
from .verbs import INFLECTIONS

#: Noun-cue families whose to-clause is content ("Roe's promise to cut taxes", "the call to
#: resign"); an evidence noun's to-clause is not ("a sign to slow down").
NOUN_TO_FAMILIES = frozenset({"speech", "belief", "intention"})
#: Families whose ``xcomp`` is content (what is wanted or promised); other cues' xcomp is an
#: order or an aspect ("told him to leave", "continued to rise").
XCOMP_FAMILIES = frozenset({"intention"})


@dataclass(frozen=True)
class Reported:
    """One reported-speech attribution found in a sentence.

    ``content`` holds the word ids of the content (in order; a parenthetical cue may split it).
    """

    rule: str
    family: str
    sentence: Sentence
    verb: Word
    verb_last: Word | None
    speaker: Word | None
    content: tuple[int, ...]
    cue_ids: tuple[int, ...]
    #: the cue scorer's probability, for a reading it made (`quotes.rules.scored`); else None
    score: float | None = None
    #: (start, end) of the content in the article, for a content that runs past the sentence
    #: (`quotes.rules.headline`); else None, and the content is the words ``content``
    span: tuple[int, int] | None = None

    def content_span(self) -> tuple[int, int]:
        if self.span is not None:
            return self.span
        s = self.sentence
        return s.word(self.content[0]).start, s.word(self.content[-1]).end


@lru_cache(maxsize=None)
def cue_table() -> frozenset[str]:
    return frozenset(lexicon.cue_family_table())


@lru_cache(maxsize=None)
def _every_cue() -> frozenset[str]:
    """The cue lemmas of both lexicon tables: families and object cues."""
    return cue_table() | frozenset(lexicon.object_cues())


def _family(lemma: str, *, xcomp: bool) -> str | None:
    families = lexicon.cue_family_table().get(lemma)
    if not families:
        return None
    if xcomp:
        return "intention" if "intention" in families else None
    usable = [f for f in families if f not in ("intention", "stance")]
    return usable[0] if usable else None


def _trim(sentence: Sentence, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """Content without punctuation or a complementizer at its edges ("that he would win." ->
    "he would win"); a closing quote mark stays when its opening mark is inside."""
    ids = sorted(ids)
    while ids and (sentence.word(ids[0]).upos in ("PUNCT", "CCONJ")
                   or (sentence.word(ids[0]).deprel == "mark" and sentence.word(ids[0]).lemma.lower() in ("that", "whether", "if"))):
        ids.pop(0)
    while ids and sentence.word(ids[-1]).upos == "PUNCT":
        last = sentence.word(ids[-1])
        opened = any(sentence.word(i).text in ("“", "\"", "‘", "«") for i in ids[:-1])
        if last.text in ("”", "\"", "’", "»") and opened:
            break
        ids.pop()
    return ids


def _content(sentence: Sentence, head: Word, *, without: Word | None, quote: QuoteContext) -> list[int]:
    ids = [w.id for w in sentence.subtree(head.id)]
    if without is not None:
        cut = {w.id for w in sentence.subtree(without.id)}
        ids = [i for i in ids if i not in cut]
    return _trim(sentence, ids, quote=quote)


def _mostly_quoted(text: str, start: int, end: int, ranges: list[tuple[int, int]], *, share: float) -> bool:
    """Whether the letters and digits of ``text[start:end]`` lie inside quote marks for at least
    ``share`` of them: such content is a direct quote, which the quote rules report."""
    total = sum(map(str.isalnum, text[start:end]))
    inside, reached = 0, start
    for lo, hi in sorted(_near(ranges, start, end)):
        lo, hi = max(lo, reached), min(hi, end)
        if hi > lo:
            inside += sum(map(str.isalnum, text[lo:hi]))
            reached = hi
    return total > 0 and inside >= share * total


_REACH: tuple = (None, [])  # the last sorted range list `_near` saw, and the furthest end of each prefix


def _near(ranges: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The part of the sorted ``ranges`` that can overlap ``start:end`` (the ranges that open
    before ``start`` as one range up to the furthest end among them), found by bisection, so
    that the cost per content span does not grow with the number of quotes in the article."""
    global _REACH
    seen, reach = _REACH
    if seen is not ranges:
        reach, far = [], -1
        for _, hi in ranges:
            far = max(far, hi)
            reach.append(far)
        _REACH = (ranges, reach)
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    j = bisect.bisect_left(ranges, (end,))
    head = [(start, reach[i])] if i >= 0 and reach[i] > start else []
    return head + ranges[i + 1:j]


def _question(sentence: Sentence, verb: Word) -> bool:
    """"Did he say that …?": a cue in a question asks about an attribution, it makes none."""
    last = next((w for w in reversed(sentence.words) if w.upos == "PUNCT" and w.text not in "”’\"'»)"), None)
    if last is None or last.text != "?":
        return False
    aux = [c for c in sentence.children(verb.id, "aux") if c.lemma.lower() in (
        "do", "have", "be", "will", "would", "can", "could", "shall", "should", "may", "might", "must")]
    subj = [c for c in sentence.children(verb.id, "nsubj")]
    return bool(aux and subj and aux[0].id < subj[0].id)


def _cue_ids(sentence: Sentence, verb: Word, speaker: Word | None, content: set[int], extra: tuple[Word, ...] = ()) -> tuple[int, ...]:
    """The attribution clause: the verb, its speaker mention, auxiliaries, negation and short
    objects ("Blinken told reporters"), as the contiguous run around the verb outside the content."""
    ids: set[int] = {verb.id}
    if speaker is not None:
        ids.update(w.id for w in sentence.subtree(speaker.id, exclude=("acl", "acl:relcl", "punct", "parataxis",
                                                                       "advcl", "ccomp")))
    for child in sentence.children(verb.id, "aux", "aux:pass", "advmod", "iobj", "obj", "compound:prt", "neg",
                                   "nsubj", "nsubj:pass", "expl", "obl:agent"):
        sub = [w.id for w in sentence.subtree(child.id)]
        if len(sub) <= 6:
            ids.update(sub)
    ids.update(w.id for w in extra)
    ids -= content
    if not ids:
        return ()
    lo = hi = verb.id
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    # a comma of the speaker's subtree is no part of the clause (", officials said Tuesday")
    while lo < verb.id and sentence.word(lo).upos == "PUNCT":
        lo += 1
    while hi > verb.id and sentence.word(hi).upos == "PUNCT":
        hi -= 1
    return tuple(range(lo, hi + 1))


def find(sentence: Sentence, quote: QuoteContext, *, text: str, quote_ranges: list[tuple[int, int]],
         quoted_share: float = 0.9, word_order: bool = True) -> list[Reported]:
    """Every outermost reported-speech attribution of ``sentence``.

    ``quote`` is a context holding the article's quote spans (``others``) so that no cue or speaker
    is read inside a quotation; ``quoted_share``: content whose letters lie inside quote marks for
    at least this share is a direct quote and left to the quote rules. ``word_order``: where the
    tree gives a cue verb no content, read "X said CLAUSE." and "CLAUSE, X said." from the words
    (`_by_word_order`).
    """
    if not sentence.parsed:
        return []
    cues = cue_table()
    found: list[Reported] = []
    depths = sentence.depths
    tagged = [_as_tagged(sentence, w) for w in sentence.words]
    candidates = sorted((w for w in tagged if _may_cue(w.text.lower(), w.lemma.lower(), w.upos)),
                        key=lambda w: (depths[w.id], w.id))
    claimed: set[int] = set()  # ids inside content already read (outermost wins)
    owner: dict[int, int] = {}  # word id -> index in found of the content holding it
    for w in candidates:
        if quote.quoted(w):
            continue
        outer = owner.get(w.id)
        if outer is not None and not _own_report(sentence, w, found[outer]):
            continue
        got = _read(sentence, w, quote, cues)
        if got is None and word_order:
            got = _by_word_order(sentence, w, quote, cues, claimed=claimed)
        if got is None:
            continue
        got = _within_subordinate_clause(sentence, got, quote=quote)
        if got is None:
            continue
        got = _before_tail_after_cue(got, quote=quote)
        if got.rule in TRAILING_ADJUNCTS:
            kept = before_trailing_adjunct(sentence, list(got.content), quote=quote, kinds=TRAILING_ADJUNCTS[got.rule])
            got = replace(got, content=tuple(kept)) if len(kept) >= 2 else got
        start, end = got.content_span()
        if _mostly_quoted(text, start, end, quote_ranges, share=quoted_share):
            continue
        if _question(sentence, got.verb):
            continue
        if outer is not None:
            # "X said the plan will pass, though she acknowledged it may fail": two reports;
            # the outer content ends where the inner report begins
            if not sentence.children(w.id, "nsubj", "nsubj:pass"):
                got = replace(got, speaker=found[outer].speaker)  # "X said … and warned …": X's second act
            cut = {x.id for x in sentence.subtree(w.id)} | set(got.cue_ids)
            edge = min(cut | {w.id})
            comma = next((k for k in range(w.id - 1, max(0, w.id - 5), -1) if sentence.word(k).text in (",", ";")), None)
            edge = min(edge, comma) if comma is not None else edge
            kept = _trim(sentence, [i for i in found[outer].content if i < edge], quote=quote)
            if len(kept) < 2:
                continue
            found[outer] = replace(found[outer], content=tuple(kept))
            for i in cut:
                owner.pop(i, None)
        found.append(got)
        claimed.update(got.content)
        for i in got.content:
            owner[i] = len(found) - 1
    return sorted(found, key=lambda r: r.content[0])


def _within_subordinate_clause(sentence: Sentence, got: Reported, *, quote: QuoteContext) -> Reported | None:
    """"Doe, who said the plan would fail, now backs it.", "While Doe said the plan would fail,
    Roe backs it.": the content of a cue (or of the verb its to-clause hangs on) in a relative
    clause set off by a comma (``acl:relcl``) or in an adverbial clause with a subordinator
    before its main clause (``advcl``) ends at the comma after which the clause's subtree ends;
    the words after it are the main clause's, which a reading that runs to the sentence's end
    took in. A restrictive clause ("everyone who said …") and a quoted comma end nothing; a
    reported clause cut before any verb of its own is kept whole (the parser misplaced the rest
    of the clause). None when fewer than two words stay."""
    node = got.verb
    if node.rel == "xcomp" and node.head:
        node = sentence.word(node.head)
    fronted = node.deprel == "advcl" and node.head > node.id and bool(sentence.children(node.id, "mark"))
    if node.deprel != "acl:relcl" and not fronted:
        return got
    inside = {x.id for x in sentence.subtree(node.id)}
    first = min(i for i in inside if sentence.word(i).upos != "PUNCT")
    if not fronted and (first < 2 or sentence.word(first - 1).text != ","):
        return got  # a restrictive clause ("anyone who says …"): the noun's own phrase goes on
    kept: list[int] = []
    for i in got.content:
        if i > got.verb.id and i not in inside and i - 1 in got.content and sentence.word(i - 1).text in (",", ";") \
                and not quote.quoted(sentence.word(i - 1)):
            break  # the relative clause's closing comma, then the main clause
        kept.append(i)
    if len(kept) == len(got.content):
        return got
    kept = _trim(sentence, kept, quote=quote)
    if got.rule in ("reported", "reported-order") and not any(
            sentence.word(i).upos in ("VERB", "AUX") for i in kept):
        return got  # a reported clause cut before its verb: the parse misplaced the clause, not the content
    return replace(got, content=tuple(kept)) if len(kept) >= 2 else None

def _before_tail_after_cue(got: Reported, *, quote: QuoteContext) -> Reported:
    """Content that runs on past its own cue ends before the cue when what follows the cue is
    the writer's, not the speaker's: "The plan is a disgrace, critics said Friday, as they
    rallied outside" (an "as" clause of the scene) and "…, the paper reported, whose editor …" (a
    relative clause), which a small parser hangs on the content's head. Only where the
    content's head comes before the cue: "The plan, he said, will fail" is a parenthetical cue
    inside one clause, and its second half is the content's head; "…, she said, and the vote
    …" or "…, he said, since …" go on what was said and stay."""
    sentence = got.sentence
    cue = set(got.cue_ids) | {got.verb.id}
    lo, hi = min(cue), max(cue)
    before = [i for i in got.content if i < lo]
    after = [sentence.word(i) for i in got.content if i > hi and sentence.word(i).upos != "PUNCT"]
    if not before or not after:
        return got
    depths = sentence.depths
    tops = _phrase_heads(sentence, got.content)
    least = min(depths[i] for i in tops)
    if any(i > hi for i in tops if depths[i] == least):
        return got
    first = after[0]
    if first.text.lower() not in RELATIVE_WORDS and not (first.text.lower() == "as" and first.upos == "SCONJ"):
        return got
    kept = _trim(sentence, before, quote=quote)
    return replace(got, content=tuple(kept)) if len(kept) >= 2 else got


#: Relative words that, after a comma past the content's head, open a non-restrictive relative
#: clause: the writer's gloss of the last noun ("a close race in the state, where …").
TRAILING_RELATIVES = frozenset({"who", "whom", "whose", "where"})
#: The trailing adjuncts (`before_trailing_adjunct`) that the content of each rule ends before,
#: as measured on PolNeAR dev and train (a kind stays off a rule where it cost as much as it won).
TRAILING_ADJUNCTS: dict[str, frozenset[str]] = {
    "reported": frozenset({"relative"}),
    "reported-object": frozenset({"dash"}),
    "reported-order": frozenset({"dash"}),
}


def before_trailing_adjunct(sentence: Sentence, ids: list[int], *, quote: QuoteContext,
                            kinds: frozenset[str] | set[str]) -> list[int]:
    """Content that ends before an adjunct the writer adds after its head, which a small parser
    hangs inside the content: ``relative``, a comma and a non-restrictive relative clause
    (`TRAILING_RELATIVES`: "said the vote was close in the state, where 18 seats are open");
    ``dash``, a dash
    set off by spaces, the only one in the content ("criticized the plan -- a bill that …",
    `lexicon.dashes`), which in an object's content opens the writer's aside.
    The adjunct must come after the content's head (in "the mayor, who leads the city, will
    resign" the head "resign" follows) and be one phrase that runs to the content's end."""
    if len(ids) < 3:
        return ids
    depths = sentence.depths
    tops = _phrase_heads(sentence, ids)
    if not tops:
        return ids
    least = min(depths[i] for i in tops)
    top = next(i for i in tops if depths[i] == least)
    dashes = lexicon.dashes()
    for n in range(2, len(ids) - 1):
        i = ids[n]
        w, nxt = sentence.word(i), sentence.word(ids[n + 1])
        if i <= top or nxt.id != i + 1 or quote.quoted(w):
            continue
        if "dash" in kinds and w.text in dashes and sentence.word(i - 1).end < w.start and w.end < nxt.start \
                and not any(sentence.word(k).text in dashes for k in ids if k != i) and _one_phrase(sentence, ids[n + 1:]):
            return _trim(sentence, ids[:n], quote=quote)
        if w.text != "," or not _one_phrase(sentence, ids[n + 1:]):
            continue
        low = nxt.text.lower()
        if "relative" in kinds and low in TRAILING_RELATIVES:
            return _trim(sentence, ids[:n], quote=quote)
    return ids


def _phrase_heads(sentence: Sentence, ids: list[int] | tuple[int, ...]) -> list[int]:
    """The words of ``ids``, punctuation aside, whose head lies outside them: the heads of the
    phrases they make (one for a whole subtree)."""
    inside = set(ids)
    return [i for i in ids if sentence.word(i).upos != "PUNCT" and sentence.word(i).head not in inside]


def _one_phrase(sentence: Sentence, ids: list[int]) -> bool:
    """Whether the words ``ids``, punctuation aside, are one subtree: one of them heads the rest."""
    return len(_phrase_heads(sentence, ids)) == 1


def _as_tagged(sentence: Sentence, w: Word) -> Word:
    """``w``, retagged as a verb where a small tagger took a verb in -s for a plural noun though
    the parse gives it a subject and a clause ("Mr. Doe notes that …", "Doe plans to …"): a NOUN
    with a nominal subject and a clausal complement (``ccomp`` or ``xcomp``) and no determiner,
    copula or case, which no noun has; or one the parser made the subject of its own content,
    right before the complementizer "that" of that clause ("Lakeside notes that the polls differ")."""
    if w.upos != "NOUN" or not w.text.endswith("s") or w.text.endswith("ss"):
        return w
    if sentence.children(w.id, "det", "cop", "case"):
        return w
    if sentence.children(w.id, "nsubj") and sentence.children(w.id, "ccomp", "xcomp"):
        return w._replace(upos="VERB")
    if w.deprel == "nsubj" and w.head > w.id + 1 and w.id < len(sentence.words):
        after = sentence.word(w.id + 1)
        if after.text.lower() == "that" and after.upos == "SCONJ" and after.head == w.head:
            return w._replace(upos="VERB")
    return w


def _name_on_retagged(sentence: Sentence, w: Word, *, quote: QuoteContext) -> Word | None:
    """The speaker of a cue verb the tagger took for a noun (`_as_tagged`) and the parser gave
    its subject as a compound ("Lakeside notes that …": "Lakeside" a compound of "notes"): the nearest
    name or noun so hung before it."""
    if w.upos != "VERB" or sentence.word(w.id).upos != "NOUN":
        return None
    names = [c for c in sentence.children(w.id, "compound") if c.id < w.id and c.upos in ("PROPN", "NOUN", "PRON")
             and not quote.quoted(c)]
    return max(names, key=lambda c: c.id) if names else None


def _own_report(sentence: Sentence, cue: Word, outer: Reported) -> bool:
    """A cue inside another report's content that is a report of its own: an adverbial or
    coordinated clause with its own subject (…, though she acknowledged …), or a relative clause
    on the object of an object cue (praised Roe, who said …), not a clause the outer speaker
    reported (said that Blinken stressed that …: only the outermost is read)."""
    if not sentence.children(cue.id, "nsubj", "nsubj:pass"):
        return _second_act(sentence, cue, outer)
    node = cue
    while node.head and node.id not in outer.cue_ids and node.id != outer.verb.id:
        if node.rel in ("advcl", "conj") and sentence.word(node.head).id in outer.content:
            return True
        if node.deprel == "acl:relcl" and outer.rule == "reported-object" and node.head in outer.content and all(
                c.text.lower() != "it" for c in sentence.children(node.id, "nsubj")):
            # "Doe praised Roe, who said the plan works": a relative clause on the object of an
            # object cue is the act of the one it names, not more of what was praised ("it"
            # names no one)
            return True
        if node.rel == "ccomp":
            return False
        node = sentence.word(node.head)
    return False


#: Families whose verb, coordinated inside a report without a subject of its own, is the
#: speaker's next act rather than more of what was said.
SECOND_ACT_FAMILIES = frozenset({"speech"})


def _second_act(sentence: Sentence, cue: Word, outer: Reported) -> bool:
    """"Doe said he would order a review and warned against hackers": a speech verb with no
    subject of its own, coordinated with a verb of the content, is the speaker's second report
    (a small parser hangs it on the content's verb instead of the cue)."""
    if cue.rel != "conj" or cue.upos != "VERB" or cue.head not in outer.content or cue.id < outer.verb.id:
        return False
    lemma = verb_lemma(cue, _every_cue(), sentence=sentence)
    return lemma is not None and any(f in SECOND_ACT_FAMILIES for f in lexicon.cue_family_table().get(lemma, ()))


@lru_cache(maxsize=None)
def _cue_heads() -> frozenset[str]:
    """First words of every cue in the lexicon ("point" of "point out", "call" of "call for")."""
    return frozenset(k.split(" ", 1)[0] for k in (*lexicon.cue_family_table(), *lexicon.object_cues()))


@lru_cache(maxsize=65536)
def _may_cue(form: str, lemma: str, upos: str) -> bool:
    """Whether a word can start any reading of `_read` or `_by_word_order`: the same lexical
    tests they make, on the word alone, so that the common word costs one look-up."""
    if form == "according":
        return True
    if upos in ("NOUN", "ADJ"):
        return lemma in lexicon.view_nouns() or lemma in lexicon.noun_cues() or lemma in _prefixed_heads()
    if upos not in ("VERB", "AUX"):
        return False
    heads = _cue_heads()
    if lemma in heads or form in heads or lexicon.irregular_verbs().get(form) in heads:
        return True
    if lexicon.lemma_guess(form) in heads:
        return True
    return any(form.endswith(suffix) and form[: -len(suffix)] + repl in heads for suffix, repl in INFLECTIONS)


@lru_cache(maxsize=None)
def _prefixed_heads() -> frozenset[str]:
    """First words of the object cues that name a preposition ("call" of "call for")."""
    return frozenset(k.split(" ", 1)[0] for k in lexicon.object_cues() if " " in k)


def _read(sentence: Sentence, w: Word, quote: QuoteContext, cues: frozenset[str]) -> Reported | None:
    low = w.text.lower()
    # "according to X, …" / "…, according to X"
    if low == "according" and any(c.text.lower() == "to" for c in sentence.children(w.id, "fixed")):
        source = sentence.head_of(w)
        if source is None or w.rel != "case":
            return None
        clause = sentence.head_of(source)
        if clause is None:
            return None
        to = next(c for c in sentence.children(w.id, "fixed") if c.text.lower() == "to")
        cue = tuple(sorted({x.id for x in sentence.subtree(source.id, exclude=("punct",))} | {w.id, to.id}))
        ids = _edge_content(sentence, cue, quote=quote)
        if ids is None:
            ids = _content(sentence, clause, without=source, quote=quote)
        if len(ids) < 2:
            return None
        return Reported("reported-according-to", "according-to", sentence, w, to, source, tuple(ids),
                        (cue[0], *range(cue[0] + 1, cue[-1] + 1)) if cue else ())
    if w.upos in ("NOUN",) and w.lemma.lower() in lexicon.view_nouns() and any(
            c.lemma.lower() == "in" for c in sentence.children(w.id, "case")):
        owner = next(iter(sentence.children(w.id, "nmod:poss", "nmod")), None)
        clause = sentence.head_of(w)
        if owner is None or clause is None or w.rel != "obl":
            return None
        ids = _content(sentence, clause, without=w, quote=quote)
        if len(ids) < 3:
            return None
        cue = tuple(x.id for x in sentence.subtree(w.id))
        return Reported("reported-view", "belief", sentence, w, None, owner, tuple(ids), cue)
    if w.upos == "NOUN" and w.lemma.lower() in lexicon.noun_cues():
        family = lexicon.noun_cues()[w.lemma.lower()]
        clause = next((c for c in sentence.children(w.id, "acl", "ccomp")
                       if any(m.lemma.lower() == "that" for m in sentence.children(c.id, "mark"))), None)
        if clause is None:
            clause = _that_after_noun(sentence, w)
        if clause is None and family in NOUN_TO_FAMILIES:
            # "Roe's promise to cut taxes", "the call to resign": what was promised or called for
            clause = next((c for c in sentence.children(w.id, "acl") if c.id > w.id and c.upos in ("VERB", "AUX")
                           and any(m.text.lower() == "to" for m in sentence.children(c.id, "mark"))), None)
        if clause is None:
            return None
        ids = _content(sentence, clause, without=None, quote=quote)
        if len(ids) < 3:
            return None
        owner = next(iter(sentence.children(w.id, "nmod:poss")), None)
        if owner is None:
            by = [c for c in sentence.children(w.id, "nmod") if any(k.lemma.lower() in ("by", "from", "of")
                                                                    for k in sentence.children(c.id, "case"))]
            owner = by[0] if by else None
        cue = tuple(sorted({w.id} | ({x.id for x in sentence.subtree(owner.id)} if owner else set())))
        return Reported("reported-noun", family, sentence, w, None, owner, tuple(ids),
                        tuple(range(cue[0], cue[-1] + 1)))
    if w.upos in ("NOUN", "ADJ"):
        return _object_content(sentence, w, quote)
    if w.upos not in ("VERB", "AUX"):
        return None
    lemma = verb_lemma(w, cues, sentence=sentence)
    if lemma is None:
        return _object_content(sentence, w, quote)
    prt = particle(sentence, w, cues)
    content_head = next(iter(sentence.children(w.id, "ccomp")), None)
    if content_head is None and sentence.children(w.id, "expl"):
        # "It was reported that …": UD makes the extraposed clause the (passive) clausal subject
        content_head = next(iter(sentence.children(w.id, "csubj")), None)
    if content_head is None:
        # "Doe cautioned, as did Roe, that the plan might change": a small parser hangs the
        # "that" clause as an adverbial, coordinated or loose clause; a clause after the cue
        # that opens with the complementizer "that" is its complement whatever its relation
        content_head = next((c for c in sentence.children(w.id, "advcl", "conj", "dep", "parataxis")
                             if c.id > w.id and any(m.lemma.lower() == "that" and m.id < c.id
                                                    for m in sentence.children(c.id, "mark"))), None)
    rule, xcomp = "reported", False
    without: Word | None = None
    span: list[int] | None = None
    inverted: Word | None = None
    if content_head is None:
        got = _that_after_verb(sentence, w, prt, quote=quote)
        if got is not None:
            content_head, span = got
    if content_head is None:
        head = sentence.head_of(w)
        if w.rel == "parataxis" and head is not None and _own_object(sentence, w):
            inverted = _inverted_speaker(sentence, w, lemma, quote=quote)
        if w.rel == "parataxis" and head is not None and (inverted is not None or not _own_object(sentence, w)):
            content_head, without, rule = head, w, "reported-after"
        elif w.rel == "advcl" and head is not None and _as_clause(sentence, w, lemma):
            content_head, without, rule = head, w, "reported-after"
        elif w.rel == "conj" and head is not None and head.id < w.id:
            span = _closing_clause_content(sentence, w, lemma, quote=quote)
            if span is not None:
                content_head, rule = head, "reported-after"
    urging, urge_case = lemma, None
    if lemma not in URGING:
        # "called on voters to …": UD makes "on" the case of the one urged, not a particle
        for c in sentence.children(w.id, "obl"):
            case = next((k for k in sentence.children(c.id, "case") if k.id == w.id + 1), None)
            if case is not None and f"{lemma} {case.text.lower()}" in URGING:
                urging, urge_case = f"{lemma} {case.text.lower()}", case
    if content_head is None and urging in URGING:
        # "called on Republicans to drop him", "urged voters to stay home": who is urged and to do what;
        # the one urged follows the verb ("In 1977, Doe asked Roe to …": not the year)
        xc = next((c for c in sentence.children(w.id, "xcomp") if c.id > w.id), None)
        if xc is None:
            # "called on Obama to retaliate": a small parser hangs the to-infinitive as an adverbial
            # (a purpose clause, "in order to show", is none)
            xc = next((c for c in sentence.children(w.id, "advcl") if c.id > w.id and c.upos == "VERB"
                       and (marks := sentence.children(c.id, "mark"))
                       and all(m.text.lower() == "to" and m.id < c.id for m in marks)), None)
        addressee = next((c for c in sentence.children(w.id, "obj", "obl") if w.id < c.id < (xc.id if xc else 0)), None)
        if xc is not None and addressee is not None:
            first = min(x.id for x in sentence.subtree(addressee.id))  # "the board", not "board"
            ids = _trim(sentence, list(range(first, max(x.id for x in sentence.subtree(xc.id)) + 1)), quote=quote)
            ids = [i for i in ids if not (sentence.word(i).deprel == "case" and sentence.word(i).head == addressee.id)]
            if len(ids) >= 3:
                speaker = subject_of(sentence, w, quote) or _participle_speaker(sentence, w, quote)
                last = prt if prt is not None and prt.id == w.id + 1 else urge_case
                cue = _cue_ids(sentence, w, speaker, set(ids), extra=tuple(x for x in (prt, urge_case) if x))
                return Reported("reported-intention", "intention", sentence, w, last, speaker, tuple(ids), cue)
    if content_head is None:
        xc = next((c for c in sentence.children(w.id, "xcomp")
                   if c.upos in ("VERB", "AUX") and any(m.text.lower() == "to" for m in sentence.children(c.id, "mark"))), None)
        if xc is not None and _family(lemma, xcomp=True):
            content_head, rule, xcomp = xc, "reported-intention", True
    if content_head is None:
        return _object_content(sentence, w, quote)
    family = _family(lemma, xcomp=xcomp)
    if family is None:
        return None
    ids = span if span is not None else _content(sentence, content_head, without=without, quote=quote)
    if rule == "reported" and ids and ids[0] > w.id:
        ids = _cut_after_clause(sentence, _to_clause_end(sentence, w, ids, quote=quote), content_head, quote=quote)
        ids = _with_stray_subject(sentence, w, lemma, ids, quote=quote)
        ids = _from_complementizer(sentence, w, content_head, ids, quote=quote)
        ids = _before_gloss(sentence, ids, content_head, quote=quote)
        ids = _before_participle_act(sentence, ids, quote=quote)
        ids = _with_fronted_part(sentence, w, ids, quote=quote)
    elif rule == "reported-intention" and ids and ids[0] > w.id:
        ids = _with_infinitive_conjuncts(sentence, w, ids, quote=quote)
        ids = _before_gloss(sentence, ids, content_head, quote=quote)  # "vowed to cut the tax, a pledge …"
        ids = _before_participle_act(sentence, ids, quote=quote)
    if len(ids) < 2:
        return None
    if rule == "reported-after":
        ids = _before_speaker_after_quote(sentence, w, ids, quote=quote)
        ids = _with_content_past_cue(sentence, w, ids, quote=quote)
    # "Doe said the plan would fail, arguing that …": a participle after a comma with no subject
    # of its own is the act of the reporting verb before it, wherever the parser hung it
    own = sentence.children(w.id, "nsubj", "nsubj:pass")
    speaker = inverted or (None if own else _participle_speaker(sentence, w, quote)) \
        or subject_of(sentence, w, quote) or _participle_speaker(sentence, w, quote) \
        or _name_on_retagged(sentence, w, quote=quote)
    if speaker is not None and speaker.id in ids:
        speaker = None
    if speaker is not None and speaker.upos == "PRON" and speaker.text.lower() == "it":
        speaker = None  # "it was reported that …": no source
    cue = _cue_ids(sentence, w, speaker, set(ids), extra=(prt,) if prt else ())
    return Reported(rule, family, sentence, w, prt if prt is not None and prt.id == w.id + 1 else None,
                    speaker, tuple(ids), cue)


#: Relations of the words between a cue verb and its speaker's mention: "Doe often says".
_CUE_LEAD_RELS = frozenset({"aux", "aux:pass", "advmod", "neg"})


def _with_fronted_part(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext,
                       max_words: int = 25) -> list[int]:
    """"The museum, Doe said, would make visitors think.": a reporting clause set off by commas
    inside its content, which a small parser read as the sentence's main clause (the cue the
    root, what comes before it its subject or adverbial, what comes after its complement). Where
    the content after the cue opens after a comma and the speaker's mention is set off from the
    sentence's start by a comma, the words before that comma are the content's first part. At
    most ``max_words`` of them; none inside a quotation (a quote the quote rules read) or holding
    a cue verb of their own, a participle clause ("Taking the stage, Doe said, …": the speaker's
    act), a colon, semicolon or dash (a clause of the writer's before it); and the record stays
    mostly content: the two parts hold more words than the reporting clause between them."""
    if not ids or ids[0] < verb.id + 2 or sentence.word(ids[0] - 1).text != ",":
        return ids
    own = {x.id for x in sentence.subtree(verb.id)}
    if any(k not in own or sentence.word(k).upos == "SCONJ" for k in range(verb.id + 1, ids[0])):
        return ids  # "asserted that, abortion aside, …": the content opens before the comma
    subjects = [c for c in sentence.children(verb.id, "nsubj", "nsubj:pass") if c.id < verb.id]
    if not subjects:
        return ids
    mention = {x.id for x in sentence.subtree(max(subjects, key=lambda c: c.id).id)}
    lo = min(mention)
    if any(k not in mention and not (sentence.word(k).head == verb.id and sentence.word(k).rel in _CUE_LEAD_RELS)
           for k in range(lo, verb.id)):
        return ids  # the speaker's mention and the cue's auxiliaries and adverbs only: "Doe often says"
    if lo < 3 or sentence.word(lo - 1).text != ",":
        return ids
    front = _trim(sentence, list(range(1, lo - 1)), quote=quote)
    if not front or len(front) > max_words or len(front) + len(ids) <= ids[0] - front[-1] - 1:
        return ids
    dashes = lexicon.dashes()
    for i in front:
        w = sentence.word(i)
        if quote.quoted(w) or w.text in (";", ":") or w.text in dashes or (w.rel == "advcl" and _bare_participle(sentence, w)) or (
                w.upos == "VERB" and verb_lemma(w, cue_table(), sentence=sentence) is not None):
            return ids
    return front + ids


#: Subordinators of a clause that, after a reporting clause set inside the content, goes on
#: the content: "Lenox thrived, Doe said, until it went bankrupt in 1999".
CONTINUING_MARKS = frozenset({"until", "because", "since", "unless", "if", "although", "though"})


#: Relations of what a reporting clause holds after its verb besides content: "…, Doe told
#: reporters on Monday, …".
_CUE_ADJUNCT_RELS = ("nsubj", "iobj", "obl", "obl:tmod", "obl:npmod", "nmod:tmod", "advmod", "compound:prt")


def _with_content_past_cue(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """"The mill thrived, Doe said, until it closed.", "Sales rose, the firm said, and profits
    doubled.": the content before a reporting clause set off by commas goes on past it where a
    small parser hung the rest on the cue verb: a clause after the cue's comma, with a subject of
    its own, that opens with a subordinator of ``CONTINUING_MARKS`` (a reason, a time limit or a
    condition of what was said; "after" and "before" more often give when the speaker spoke) or
    with "and", running to the sentence's end. Not after a cue that says something of its own
    (an object, a clause, "said yes"), nor after a quotation ("“…,” Doe said, and Roe cut in":
    the quote's reporting clause, then the writer's next clause)."""
    if not ids or ids[-1] > verb.id or sentence.children(verb.id, "obj", "ccomp", "xcomp"):
        return ids
    if any(quote.quoted(sentence.word(k)) for k in range(ids[-1], verb.id)):
        return ids  # "“…,” Doe said, and Roe cut in": a quote's reporting clause, then the writer's
    n = len(sentence.words)
    for c in sentence.children(verb.id, "advcl", "conj"):
        sub = [x.id for x in sentence.subtree(c.id)]
        first = min(sub)
        if c.id < verb.id or first < 2 or sentence.word(first).text != "," and sentence.word(first - 1).text != ",":
            continue
        if c.rel == "conj":
            marks = [m for m in sentence.children(c.id, "cc") if m.lemma.lower() in ("and",)]
        else:
            marks = [m for m in sentence.children(c.id, "mark") if m.lemma.lower() in CONTINUING_MARKS]
        if not marks or quote.quoted(c) or not sentence.children(c.id, "nsubj", "nsubj:pass"):
            continue
        if any(sentence.word(k).upos != "PUNCT" for k in range(max(sub) + 1, n + 1)):
            continue
        adjuncts = {x.id for a in sentence.children(verb.id, *_CUE_ADJUNCT_RELS) for x in sentence.subtree(a.id)}
        if any(sentence.word(k).upos != "PUNCT" and k not in adjuncts for k in range(verb.id + 1, first)):
            continue  # "Doe said yes, yes, until …": the cue says something of its own first
        return _trim(sentence, ids + sub, quote=quote)
    return ids


def _before_speaker_after_quote(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """"“The plan works,” Doe, the mayor, said.": content before a reporting clause ends at the
    closing quote mark that a name or noun phrase follows with no verb before the cue, where a
    small parser hung the speaker's mention on the content instead of on the verb."""
    before = [i for i in ids if i < verb.id]
    for k in range(len(before) - 2, 0, -1):
        mark, nxt = sentence.word(before[k]), before[k + 1]
        if mark.text in ("”", "''", '"', "’") and nxt == mark.id + 1 \
                and sentence.word(nxt).upos in ("PROPN", "DET", "NOUN", "ADJ") \
                and not any(sentence.word(j).upos in ("VERB", "AUX") for j in range(nxt, verb.id)):
            kept = _trim(sentence, [i for i in ids if i <= mark.id], quote=quote)
            return kept if len(kept) >= 2 else ids
    return ids


def _before_participle_act(sentence: Sentence, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """Content ends before a comma and a participle of a reporting verb with no subject of its
    own ("said he did not believe it, arguing that …", "wants to sign up voters, adding that …"):
    the speaker's next act, which a small parser hangs inside the reported clause; and before a
    comma and "according to" ("said taxes would rise, according to a memo"): another source."""
    verbs = lexicon.reporting_verbs()
    for n, i in enumerate(ids):
        w = sentence.word(i)
        if n < 2 or w.text != "," or quote.quoted(w) or i + 1 not in ids:
            continue
        nxt = sentence.word(i + 1)
        if nxt.text.lower() == "according" and i + 2 in ids and sentence.word(i + 2).text.lower() == "to":
            kept = _trim(sentence, ids[:n], quote=quote)  # "…, according to X": a source of its own
            return kept if len(kept) >= 2 else ids
        if nxt.upos == "VERB" and nxt.text.lower().endswith(PARTICIPLE_ENDINGS) and nxt.rel in ("advcl", "conj", "xcomp") \
                and not sentence.children(nxt.id, "nsubj", "nsubj:pass") \
                and verb_lemma(nxt, verbs, sentence=sentence) is not None:
            kept = _trim(sentence, ids[:n], quote=quote)
            return kept if len(kept) >= 2 else ids
    return ids


#: Endings of a participle that can open the speaker's next act after a comma.
PARTICIPLE_ENDINGS = ("ing",)


def _with_infinitive_conjuncts(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """"Doe wants to raise the tax, cut fees and hire teachers", "declined to threaten Roe or
    even name him": a bare infinitive after the content that a small parser coordinated with
    the cue verb cannot be the cue verb's own second act (it has no tense and no subject), so
    it goes on the list of what was wanted, vowed or declined; so does one it hung on the cue
    verb as parataxis after a comma ("wants to raise the tax, cut fees and …"). One with a
    clause of its own ("… and argue that it works", "… when I posted it") is a new report or
    scene and stays out."""
    ids = list(ids)
    for c in sentence.children(verb.id, "conj", "parataxis"):
        if c.id <= ids[-1] or c.xpos != "VB" or quote.quoted(c) or sentence.children(c.id, "nsubj", "nsubj:pass", "aux", "mark", "ccomp", "advcl"):
            continue
        sub = [x.id for x in sentence.subtree(c.id)]
        gap = range(ids[-1] + 1, min(sub))
        if any(sentence.word(k).text in (";", ":") or sentence.word(k).upos in ("VERB", "AUX") for k in gap):
            continue
        ids = _trim(sentence, sorted(set(ids) | set(range(ids[-1] + 1, max(sub) + 1))), quote=quote)
    return ids


def _complementizer_after(sentence: Sentence, word_id: int) -> Word | None:
    """The word right after ``word_id`` when it is the complementizer "that" of a clause to its
    right (the clause's head follows it), else None."""
    if word_id >= len(sentence.words):
        return None
    mark = sentence.word(word_id + 1)
    if mark.text.lower() != "that" or mark.upos != "SCONJ" or mark.rel != "mark" or mark.head <= mark.id:
        return None
    return mark


def _that_after_noun(sentence: Sentence, noun: Word) -> Word | None:
    """"Doe's claim that there were thousands of them" where a small parser hung the clause on
    the verb the noun depends on (as ``parataxis`` or ``dep``): the word right after the cue noun
    is the complementizer "that" of a clause to its right that does not hold the noun."""
    mark = _complementizer_after(sentence, noun.id)
    if mark is None:
        return None
    clause = _above_function_word(sentence, sentence.word(mark.head))
    if any(x.id == noun.id for x in sentence.subtree(clause.id)):
        return None
    return clause


def _above_function_word(sentence: Sentence, w: Word) -> Word:
    """The word a copula or auxiliary to its left serves ("that there have been “thousands …”"
    with "that" hung on "been": the clause is headed by "thousands"), else ``w``."""
    if w.rel in ("cop", "aux") and w.head > w.id:
        return sentence.word(w.head)
    return w


def _inverted_speaker(sentence: Sentence, verb: Word, lemma: str, *, quote: QuoteContext) -> Word | None:
    """"The debates will not move the race, noted one analyst at the paper.": an inverted
    reporting clause at the sentence's end whose speaker a small parser made the verb's object.
    The verb takes a bare clause (``bare_clause_cues.txt``), follows a comma, has no subject, and
    its object, a name or a noun, comes right after it and runs to the end of the sentence; the
    object is the speaker."""
    if lemma not in lexicon.words("bare_clause_cues") or sentence.children(verb.id, "nsubj", "nsubj:pass"):
        return None
    if verb.id < 3 or sentence.word(verb.id - 1).text != ",":
        return None
    obj = next((c for c in sentence.children(verb.id, "obj") if c.upos in ("PROPN", "NOUN")), None)
    if obj is None or quote.quoted(obj):
        return None
    words = sentence.subtree(obj.id)
    if min(x.id for x in words) != verb.id + 1 or any(
            w.upos != "PUNCT" for w in sentence.words[max(x.id for x in words):]):
        return None
    return obj


def _closing_clause_content(sentence: Sentence, verb: Word, lemma: str, *,
                            quote: QuoteContext) -> list[int] | None:
    """"The talks broke down, and the meeting ended early, said one aide in the room." / "…,
    other studies have shown.": a reporting clause set off by a comma at the sentence's end
    that a small parser coordinated with the content's verb (``conj`` where UD has
    ``parataxis``). It has a subject, no "and" or "but" of its own (which would make it a
    second act) and nothing to say of its own (no object or clause, but the one told: "…, an
    official told the paper."); everything before its comma is the content. None when the
    clause is not at the end of the sentence."""
    own = ("cc", "iobj", "xcomp", "ccomp", "csubj") if lemma in ADDRESSEE_FIRST else \
        ("cc", "obj", "iobj", "xcomp", "ccomp", "csubj")
    if sentence.children(verb.id, *own) or not sentence.children(verb.id, "nsubj"):
        return None
    mine = {x.id for x in sentence.subtree(verb.id)}
    lead = [c for c in sentence.children(verb.id, "nsubj", "aux", "advmod") if c.id < verb.id]
    start = min([verb.id] + [x.id for c in lead for x in sentence.subtree(c.id)])
    if start < 3 or sentence.word(start - 1).text != "," or quote.quoted(verb):
        return None
    if any(w.id not in mine and w.upos != "PUNCT" for w in sentence.words[start - 1:]):
        return None
    ids = _trim(sentence, list(range(1, start - 1)), quote=quote)
    return ids if len(ids) >= 3 else None


def _that_after_verb(sentence: Sentence, verb: Word, prt: Word | None, *,
                     quote: QuoteContext) -> tuple[Word, list[int]] | None:
    """"Doe charges that firms that stand to gain donated millions", "Roe wrote on Monday that
    the vote was rigged", "…, warning that the plan will fail": the complementizer "that" right
    after a cue verb (or past its adjuncts, `_that_after_adjuncts`) opens its complement though
    a small parser hung the clause elsewhere (on an adjunct noun, on the main verb, or made its
    subject the cue's). The content runs from after "that" to the end of the clause the "that"
    marks, without any branch of it that holds the cue; returns that clause's head and the ids.
    None when no such "that" follows or its clause is no clause to the right."""
    start = verb.id + 1
    if prt is not None and prt.id == start:
        start += 1
    if start > len(sentence.words):
        return None
    first = sentence.word(start)
    k = start if first.text.lower() == "that" and first.upos == "SCONJ" else \
        _that_after_adjuncts(sentence, start, quote=quote)
    if k is None:
        return None
    mark = sentence.word(k)
    clause = _marked_clause(sentence, mark)
    if clause is None or quote.quoted(mark):
        return None
    inside = {x.id for x in sentence.subtree(clause.id)}
    cut: set[int] = set()
    if verb.id in inside:
        # "Lest you assume that A, I should say …": the clause's branch that holds the cue is not content
        cut = next(({x.id for x in sentence.subtree(c.id)} for c in sentence.children(clause.id)
                    if verb.id in {x.id for x in sentence.subtree(c.id)}), set())
    end = max((i for i in inside - cut if i > k), default=None)
    if end is None or clause.id > end or any(k < i <= end for i in cut):
        return None
    return clause, _trim(sentence, list(range(k + 1, end + 1)), quote=quote)


def _participle_speaker(sentence: Sentence, verb: Word, quote: QuoteContext, *, max_words: int = 25) -> Word | None:
    """"“…,” Doe said in a statement, adding that …": a participle after a comma with no
    subject the tree leads to (a small parser hangs it on the quote's verb) is the act of the
    reporting verb before it; its subject is the speaker. None when no reporting verb with a
    subject comes first within ``max_words``."""
    if verb.upos != "VERB" or not verb.text.lower().endswith("ing") or verb.id < 3 \
            or sentence.word(verb.id - 1).text != ",":
        return None
    verbs = lexicon.reporting_verbs()
    for k in range(verb.id - 2, max(0, verb.id - max_words), -1):
        w = sentence.word(k)
        if w.upos == "VERB" and not quote.quoted(w) and verb_lemma(w, verbs, sentence=sentence) is not None:
            return subject_of(sentence, w, quote)
    return None


def _edge_content(sentence: Sentence, cue: tuple[int, ...], *, quote: QuoteContext) -> list[int] | None:
    """The content of a cue phrase set off at an edge of its sentence: "CLAUSE, according to X."
    and "According to X, CLAUSE." report the whole clause, wherever a small parser hangs the
    phrase ("… has since grown to hold 2.3 million inmates, according to X": not only "to hold
    …"). None when the phrase sits inside the sentence."""
    n = len(sentence.words)
    lo, hi = cue[0], cue[-1]
    after = [sentence.word(i) for i in range(hi + 1, n + 1)]
    before = [sentence.word(i) for i in range(1, lo)]
    if before and before[-1].text == "," and all(w.upos == "PUNCT" for w in after):
        ids = list(range(1, lo - 1))
    elif after and after[0].text == "," and all(w.upos in ("CCONJ", "ADV", "PUNCT") for w in before):
        ids = list(range(hi + 2, n + 1))
    else:
        return None
    return _trim(sentence, ids, quote=quote)


def _as_clause(sentence: Sentence, verb: Word, lemma: str) -> bool:
    """"As the Times reported, Doe raised $1 million." / "…, as Doe noted.": a cue that takes a
    bare clause (``bare_clause_cues.txt``), with a subject and nothing to say of its own (no
    object or clause), in an "as" clause reports the clause it hangs on; "as the plan is known"
    (a passive), "as he spoke" and "As Doe said goodbye" are no reports."""
    if not any(m.lemma.lower() == "as" for m in sentence.children(verb.id, "mark")):
        return False
    if lemma not in lexicon.words("bare_clause_cues") or not sentence.children(verb.id, "nsubj"):
        return False
    return not sentence.children(verb.id, "obj", "ccomp", "xcomp", "iobj", "csubj", "aux:pass", "nsubj:pass")


def _own_object(sentence: Sentence, verb: Word) -> bool:
    """Whether a parenthetical-looking cue has content of its own after it ("…, Doe promised a
    country of new opportunities"): an object of two words or more that is no time expression,
    which the object reading takes; "…, she told reporters" has only an addressee."""
    times = lexicon.time_words()
    for c in sentence.children(verb.id, "obj"):
        words = sentence.subtree(c.id)
        if c.id > verb.id and len(words) >= 2 and not any(w.text.lower() in times for w in words):
            return True
    return False


#: Cues that urge someone to act: the one urged and the act are the content ("called on X to …",
#: "warned voters to stay home"); orders ("told him to leave") are no attribution.
URGING = frozenset({"urge", "call on", "encourage", "implore", "press", "push", "exhort", "ask", "beg", "challenge",
                    "warn", "advise", "remind", "persuade", "convince", "invite"})


#: Subordinators of a reason clause, which after a reported clause gives the speaker's reason.
REASON_MARKS = frozenset({"because", "since"})


def _reason_clause(sentence: Sentence, clause: Word) -> bool:
    """"Doe said the bill would fail because the votes were not there": a reason clause after
    the content is part of what was said, though a small parser hangs it on the cue verb."""
    return clause.rel == "advcl" and any(m.lemma.lower() in REASON_MARKS for m in sentence.children(clause.id, "mark"))


def _to_clause_end(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext,
                   clause: bool = True) -> list[int]:
    """Content after its verb runs to the end of the sentence ("said she thinks America is
    strongest when people work together"), where a small parser often hangs its last words on the
    verb; it stops before what is the verb's own: a coordinated verb (… and warned that …), a
    comma and a participle or "according to", a semicolon or a new quotation, and, when the cue
    sits in an adverbial clause before the main one ("While Doe said the plan works, Roe …"), a
    comma and the main clause. ``clause``: the
    content is a clause, which a coordinated clause that is no new report continues
    (`_content_conj`; "said that A, and that B" past its comma too), as does a conjunct that
    opens with a quotation (`_quoted_conjunct`; "said A, but “we will …”"), a reason clause
    (`_reason_clause`), past a comma as well where the words after it go on the reported clause
    (`_goes_on_past_comma`); an object's content never runs into the next verb."""
    own = {x.id for c in sentence.children(verb.id, "conj", "parataxis", "advcl")
           if c.id > ids[-1] and not (clause and (_content_conj(sentence, c) or _reason_clause(sentence, c)
                                                  or _quoted_conjunct(sentence, c, quote=quote)))
           for x in sentence.subtree(c.id)}
    end = ids[-1]
    n = len(sentence.words)
    fronted = any(x.rel == "advcl" and x.head > x.id for x in (verb, *sentence.ancestors(verb)))
    while end + 1 <= n:
        nxt = sentence.word(end + 1)
        if nxt.id in own or nxt.text in (";", ":") or (nxt.deprel == "cc" and nxt.head in own):
            break
        if nxt.text == "," and end + 2 <= n:
            after = sentence.word(end + 2)
            if clause and after.upos == "CCONJ" and end + 3 <= n and sentence.word(end + 3).lemma.lower() == "that" \
                    and sentence.word(end + 3).upos == "SCONJ":
                end += 1
                continue  # "said that A, and that B": more of what was said
            if clause and _goes_on_past_comma(sentence, verb, after, own):
                end += 1
                continue
            if clause and after.upos == "CCONJ" and end + 3 <= n and _opens_quote(sentence.word(end + 3), quote=quote):
                end += 1
                continue  # "said A, and “we will …”": the speaker's own words go on
            if after.id in own or after.text.lower() in CLAUSE_END_WORDS or after.upos in ("SCONJ", "CCONJ") or (
                    after.upos == "VERB" and after.text.lower().endswith(("ing", "ed"))):
                break
            if fronted and _clause_opening(sentence, list(range(end + 2, n + 1))):
                break  # "While Doe said the plan works, she conceded …": the main clause begins
        if quote.quoted(nxt) and not quote.quoted(sentence.word(end)) and sentence.word(end).upos == "PUNCT":
            break  # a new quotation after a comma or colon; one that goes on the clause is content
        end += 1
    return _trim(sentence, list(dict.fromkeys(ids + list(range(ids[-1] + 1, end + 1)))), quote=quote)


#: Opening quote marks, as a tokenizer gives them.
OPENING_MARKS = frozenset({"“", "\"", "‘", "«", "``", "''"})


def _opens_quote(w: Word, *, quote: QuoteContext) -> bool:
    """Whether ``w`` is the opening mark of a quotation."""
    return w.text in OPENING_MARKS and quote.quoted(w)


def _quoted_conjunct(sentence: Sentence, conj: Word, *, quote: QuoteContext) -> bool:
    """"Doe said Roe is “like a wet match” and “no builder”": a conjunct of the cue verb
    that opens, after its conjunction, with a quotation is more of what the speaker said, in
    the speaker's words, though a small parser coordinated it with the cue verb."""
    if conj.rel != "conj" or not quote.quoted(conj):
        return False
    words = [w for w in sentence.subtree(conj.id) if not (w.deprel == "cc" or w.text == ",")]
    if any(w.upos == "VERB" and not quote.quoted(w) and verb_lemma(w, _every_cue(), sentence=sentence)
           for w in words):
        return False  # "… “a con” and encouraged voters to …": the speaker's next act
    return bool(words) and _opens_quote(words[0], quote=quote)


def _goes_on_past_comma(sentence: Sentence, verb: Word, after: Word, own: set[int]) -> bool:
    """Whether the word ``after`` a comma past the content goes on the reported clause, though a
    small parser hung what it opens on the cue verb: a conjunction whose verb has no subject of
    its own and is no act of the speaker ("said Doe had raised $2 million, and spent half of it":
    the reported subject's second act, as in "said Doe had raised it and spent it"), and "because"
    or "since" opening a reason clause ("said the claim was false, because the vote came later":
    the speaker's reason, as without the comma). A conjunction before a clause with a subject of
    its own ("…, and the mayor agreed") opens the writer's next sentence as often as not."""
    if after.deprel not in ("cc", "mark") or after.head <= after.id:
        return False
    opened = sentence.word(after.head)
    if opened.head != verb.id or opened.id in own:
        return False
    if after.upos == "CCONJ" and after.deprel == "cc":
        return opened.rel in ("conj", "ccomp") and not sentence.children(opened.id, "nsubj", "nsubj:pass", "expl")
    return after.lemma.lower() in REASON_MARKS and opened.rel in ("advcl", "ccomp")


def _before_gloss(sentence: Sentence, ids: list[int], head: Word, *, quote: QuoteContext) -> list[int]:
    """A reported clause ends before a noun phrase the writer tacks on after its last comma to
    gloss a word of it ("said he did not back Doe, the council's choice", "said costs would rise
    by 2 percent, a record"): a phrase past the content's verb that opens with a determiner and is
    one noun phrase, hung on a word of the content and running to its end. A phrase with a
    coordination outside a relative clause of its own is more likely the end of a list ("said
    the plan covers schools, the police and the roads") and stays, as does a phrase after a
    parenthetical word ("instead of, say, the party"). The same holds for what an object cue
    judged ("criticized the budget, a plan of the council") and what was vowed ("vowed to cut
    the levy, a tax on shops")."""
    commas = [n for n, i in enumerate(ids) if i > head.id and sentence.word(i).text == "," and not quote.quoted(sentence.word(i))]
    if not commas:
        return ids
    n = commas[-1]
    phrase = ids[n + 1:]
    if not phrase or phrase != list(range(phrase[0], phrase[-1] + 1)) or sentence.word(phrase[0]).upos != "DET":
        return ids
    inside = set(phrase)
    roots = [sentence.word(i) for i in _phrase_heads(sentence, phrase)]
    if len(roots) != 1:
        return ids
    root = roots[0]
    if root.upos not in ("NOUN", "PROPN", "NUM") or root.rel == "conj" or root.head not in set(ids):
        return ids
    if sentence.children(root.id, "conj") or any(c.id not in inside and c.upos != "PUNCT" for c in sentence.children(root.id)):
        return ids
    relative = {x.id for c in sentence.children(root.id, "acl") for x in sentence.subtree(c.id)}
    if any(sentence.word(i).upos == "CCONJ" and i not in relative for i in phrase):
        return ids
    if any(sentence.word(ids[k]).text == "," for k in range(max(0, n - 2), n)):
        return ids
    return _trim(sentence, ids[:n], quote=quote)


def _cut_after_clause(sentence: Sentence, ids: list[int], head: Word, *, quote: QuoteContext) -> list[int]:
    """Content that ends where the reported clause does: after the content's own verb, a comma
    and a comparison, a contrast or a relative clause ("they favour Doe, compared with 40 percent
    who …", "it would be Doe, who leads …") begin the writer's words, which a small parser often
    hangs inside the content's subtree. Read off PolNeAR train: a participle or "despite" after
    the comma is as often the speaker's words as not, and stays."""
    for n, i in enumerate(ids):
        w = sentence.word(i)
        if i <= head.id or w.text != "," or quote.quoted(w) or n + 1 >= len(ids):
            continue
        after = sentence.word(ids[n + 1])
        if after.text.lower() in CUT_WORDS:
            return _trim(sentence, ids[:n], quote=quote)
    return ids


def _with_stray_subject(sentence: Sentence, verb: Word, lemma: str, ids: list[int], *,
                        quote: QuoteContext) -> list[int]:
    """"Doe said much of the talk was about trade": a small parser often makes the reported
    clause's subject the cue verb's object and the rest its complement; an object between the
    verb and the content (of a cue that takes no addressee) is the content's first words; so is
    a second subject of the verb there, after its speaker ("Doe said Roe's acceptance of gifts
    was akin to bribery", "acceptance" made a subject of "said"), unless a relative clause in it
    has a cue of its own ("the examples that critics point to …", read as a report of its own)."""
    if lemma in ADDRESSEE_FIRST:
        return ids
    obj = next((c for c in sentence.children(verb.id, "obj") if verb.id < c.id < ids[0]), None)
    if obj is None and any(c.id < verb.id for c in sentence.children(verb.id, "nsubj")):
        obj = next((c for c in sentence.children(verb.id, "nsubj") if verb.id < c.id < ids[0]), None)
        if obj is not None and any(w.deprel == "acl:relcl" and _may_cue(w.text.lower(), w.lemma.lower(), w.upos)
                                   for w in sentence.subtree(obj.id)):
            return ids  # "said the examples that critics point to …": a report of its own inside
    if obj is None or quote.quoted(obj):
        return ids
    sub = [x.id for x in sentence.subtree(obj.id)]
    if max(sub) + 1 < ids[0] and any(sentence.word(k).text in (",", ";", ":") for k in range(max(sub) + 1, ids[0])):
        return ids
    return _trim(sentence, sorted(set(ids) | set(range(min(sub), ids[0]))), quote=quote)


def _from_complementizer(sentence: Sentence, verb: Word, head: Word, ids: list[int], *,
                         quote: QuoteContext, max_words: int = 12) -> list[int]:
    """"He suggested that profiting off the collapse was good business": the content starts
    right after the complementizer "that" of its clause, though a small parser hung the words
    between them (the clause's subject, here a gerund) on the cue verb. ``max_words``: words
    between the "that" and the content, beyond which the "that" is taken to open no subject."""
    mark = next((m for m in sentence.children(head.id, "mark") if m.lemma.lower() == "that"), None)
    if mark is None or not verb.id < mark.id < ids[0] - 1 or ids[0] - mark.id - 1 > max_words:
        return ids
    gap = range(mark.id + 1, ids[0])
    if any(sentence.word(k).text in (",", ";", ":", "(") or quote.quoted(sentence.word(k)) for k in gap):
        return ids
    return _trim(sentence, sorted(set(ids) | set(gap)), quote=quote)


#: Words after a comma, past the content's verb, that open what the reported clause is not.
CUT_WORDS = frozenset({"after", "while", "compared", "whereas", "which", "who"})


def _object_to_phrase_end(sentence: Sentence, verb: Word, ids: list[int], *, quote: QuoteContext,
                          max_gap: int = 3) -> list[int]:
    """An object's content runs on to what completes it ("called for the US to step up …",
    "referred to the US as …", "criticized Doe for accepting …") or modifies it (a participle
    with no subject: "praised Doe's work preserving the park", "a ban on X entering the country",
    up to its first comma), which a small parser often hangs on the verb as an adverbial
    clause or an oblique right after the object (a to-clause also past a phrase of at most
    ``max_gap`` words with no time word: "rejected a plea from voters in Ohio to reopen …"), and stops
    before the verb's adjuncts of time, place and occasion ("defended the plan this week on
    her radio show", "criticized the law during a visit to Dayton": `OCCASION_CASES`) and
    before a new clause ("After mentioning Doe by name, Roe cast …")."""
    times = lexicon.time_words()
    following = ids[-1] + 1
    for c in sentence.children(verb.id, "advcl", "xcomp", "obl"):
        sub = [x.id for x in sentence.subtree(c.id)]
        if min(sub) == following and sentence.word(following).text.lower() in COMPLETING_WORDS:
            ids = sorted(set(ids) | set(sub))
            break
        gap = range(following, min(sub))
        if c.rel == "advcl" and 0 < len(gap) <= max_gap and sentence.word(min(sub)).text.lower() == "to" and not any(
                sentence.word(k).upos in ("PUNCT", "VERB", "AUX") or sentence.word(k).text.lower() in times
                for k in gap):
            # "turned down a plea from farmers in Iowa to reopen …": past a short phrase
            ids = sorted(set(ids) | set(gap) | set(sub))
            break
        if c.id == following and _bare_participle(sentence, c):
            # "praised Doe's work preserving the park": the participle right after the object
            # modifies it, though a small parser hung it on the verb; up to its first comma
            comma = next((k for k in sub if sentence.word(k).text in (",", ";", ":")), None)
            ids = sorted(set(ids) | {k for k in sub if comma is None or k < comma})
            break
    stops = set()
    for c in sentence.children(verb.id):
        if c.id <= ids[-1]:
            continue
        case = next((k for k in sentence.children(c.id, "case")), None)
        if c.deprel in ("obl:tmod", "nmod:tmod", "obl:npmod", "advcl") or (
                c.rel == "obl" and case is not None and case.lemma.lower() in ADJUNCT_CASES
                and any(x.text.lower() in times for x in sentence.subtree(c.id))) or (
                c.rel == "obl" and case is not None and case.lemma.lower() in OCCASION_CASES):
            stops.add(min(x.id for x in sentence.subtree(c.id)))
    whole = _to_clause_end(sentence, verb, ids, quote=quote, clause=False)
    out = []
    for n, i in enumerate(whole):
        w = sentence.word(i)
        if i > ids[-1] and (i in stops or w.text.lower() in times or w.upos == "SCONJ"
                            or w.text.lower() in ("while", "when", "where")
                            or (w.text == "," and _clause_opening(sentence, whole[n + 1:]))):
            break
        out.append(i)
    out = _before_aside(sentence, _trim(sentence, out, quote=quote), quote=quote)
    return _before_gloss(sentence, out, verb, quote=quote) if out else out


def _bare_participle(sentence: Sentence, w: Word) -> bool:
    """A participle (-ing or -en) with no subject, complementizer or auxiliary of its own: a
    modifier of the noun before it, not a clause."""
    return (w.xpos or "") in ("VBG", "VBN") and not sentence.children(
        w.id, "nsubj", "nsubj:pass", "mark", "aux", "aux:pass", "expl")


#: Relative words that open an aside after a comma ("the rules, which …", "Doe, who …").
RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose"})


def _before_aside(sentence: Sentence, ids: list[int], *, quote: QuoteContext, min_words: int = 2) -> list[int]:
    """An object's content ends before a non-restrictive relative clause ("praised the new
    budget, which surprised her colleagues"): set off by a comma, it is the
    writer's comment on the object, not what the speaker said or judged. ``min_words``: the
    content kept before it."""
    for n, i in enumerate(ids):
        if n < min_words or i + 1 > len(sentence.words):
            continue
        w, nxt = sentence.word(i), sentence.word(i + 1)
        if w.text == "," and nxt.text.lower() in RELATIVE_WORDS and not quote.quoted(w) and not quote.quoted(nxt):
            return _trim(sentence, ids[:n], quote=quote)
    return ids


#: First words of what completes a cue's object: "criticized Doe for accepting …", "accused Doe
#: of lying", "called for the US to step up …", "described the dinner as a roast".
COMPLETING_WORDS = frozenset({"for", "of", "to", "as"})


#: Prepositions of an oblique of the verb that always name the occasion of the cue, never what
#: completes its object ("criticized the law during a visit to Dayton", "before the committee").
OCCASION_CASES = frozenset({"during", "before", "after", "amid"})

#: Prepositions of an oblique that is the time, place or occasion of the cue, not its content.
ADJUNCT_CASES = frozenset({"on", "at", "during", "in", "since", "after", "before", "with", "amid", "by", "from"})


def _content_conj(sentence: Sentence, conj: Word) -> bool:
    """A clause coordinated with the cue verb that is more content, not a second act of the
    speaker: "said A and that B" (its own "that"), or "says he is proud and expects to win",
    whose verb is no cue (a small parser hangs the second clause on the cue verb). "said A and
    warned that B" has a cue verb of its own and is the speaker's second report, as "said A and
    encouraged voters to …" is the speaker's next act (a verb of `URGING`)."""
    if conj.rel != "conj":
        return False
    if any(m.lemma.lower() == "that" for m in sentence.children(conj.id, "mark")):
        return True
    if conj.upos not in ("VERB", "AUX", "ADJ"):
        return False
    lemma = verb_lemma(conj, _every_cue(), sentence=sentence)
    return lemma is None and conj.lemma.lower() not in lexicon.object_cues() and conj.lemma.lower() not in URGING


#: Words after a comma that start what is no longer the reported clause ("…, however this time
#: …", "…, compared with …", "…, while …").
CLAUSE_END_WORDS = frozenset({"according", "said", "says", "however", "while", "though", "although", "but",
                              "as", "after", "before", "compared", "which", "when", "where", "who", "even",
                              "despite", "including", "a", "an", "the"})


#: Cue verbs whose object is the one told, before the content (told reporters the plan …).
ADDRESSEE_FIRST = frozenset({"tell", "inform", "assure", "remind", "warn", "notify", "convince", "persuade"})
#: Families whose verb takes a bare clause in news ("officials said the deal …").
CLAUSE_FAMILIES = frozenset({"speech", "belief", "evidence"})
#: Tags a reported clause can open with (not a preposition, an infinitive or punctuation).
_CLAUSE_OPENERS = frozenset({"DET", "PRON", "PROPN", "NOUN", "NUM", "ADJ", "ADV", "SYM", "AUX"})


def _finite_verb(sentence: Sentence, ids: list[int]) -> bool:
    for i in ids:
        w = sentence.word(i)
        if w.upos in ("VERB", "AUX") and not (i > 1 and sentence.word(i - 1).text.lower() == "to") \
                and not w.text.lower().endswith("ing"):
            return True
    return False


#: Words that end a noun phrase before its verb is reached: a relative clause or a new clause.
_NOT_IN_SUBJECT = frozenset({"which", "who", "whom", "when", "where", "while", "because", "as", "if", "to"})


def _clause_opening(sentence: Sentence, ids: list[int], *, max_subject_words: int = 8) -> bool:
    """Whether ``ids`` open with a clause: a short subject, then a finite verb, with no comma or
    relative word before it and no preposition but "of" first ("the two raised …", "300 players
    from ten countries signed up"; not "a way through the act, which gives …")."""
    for n, i in enumerate(ids):
        w = sentence.word(i)
        if n > max_subject_words:
            return False
        if w.upos in ("VERB", "AUX") and not w.text.lower().endswith("ing") and not (
                i > 1 and sentence.word(i - 1).text.lower() == "to"):
            return n > 0 or w.upos == "AUX"
        if w.text in (",", ";", ":", "(") or w.text.lower() in _NOT_IN_SUBJECT or w.upos == "SCONJ":
            return False
        if w.upos == "ADP" and w.text.lower() != "of" and n == 0:
            return False
    return False


def _that_after_adjuncts(sentence: Sentence, start: int, *, quote: QuoteContext, max_words: int = 10) -> int | None:
    """The id of the word "that" which opens a clause a few words after the cue, past an
    addressee or an adjunct the parser hung the clause on ("claimed in an interview with the
    paper that …"); None when a verb, punctuation or a quotation comes first, or when the
    "that" is the mark of no clause (`_marked_clause`)."""
    n = len(sentence.words)
    if start < n and sentence.word(start).text == ",":
        return _that_after_aside(sentence, start, quote=quote, max_words=max_words + 4)
    for k in range(start, min(n, start + max_words) + 1):
        w = sentence.word(k)
        if w.text.lower() == "that" and w.upos == "SCONJ" and k > start:
            return k if w.rel != "mark" or _marked_clause(sentence, w) is not None else None
        if w.upos in ("VERB", "AUX", "PUNCT", "SCONJ") or quote.quoted(w):
            return None
    return None


def _that_after_aside(sentence: Sentence, comma: int, *, quote: QuoteContext, max_words: int) -> int | None:
    """"Doe insisted, in a letter to the council on Monday, that …": an aside set off by
    commas right after the cue, then the complementizer "that" right after the closing comma.
    The aside holds no verb, clause or quotation (it is an adjunct, not a clause of its own);
    returns the id of the "that", or None."""
    n = len(sentence.words)
    for k in range(comma + 1, min(n, comma + 1 + max_words) + 1):
        w = sentence.word(k)
        if w.text == ",":
            if k == comma + 1 or k + 1 > n:
                return None
            that = sentence.word(k + 1)
            if that.text.lower() != "that" or that.upos != "SCONJ" or quote.quoted(that):
                return None
            return k + 1 if _marked_clause(sentence, that) is not None else None
        if w.upos in ("VERB", "AUX", "PUNCT", "SCONJ") or quote.quoted(w):
            return None
    return None


def _marked_clause(sentence: Sentence, mark: Word) -> Word | None:
    """The head of the clause the complementizer ``mark`` opens, to its right; None when what
    follows is no clause with a subject or an auxiliary, as when the parser took a determiner
    for the complementizer ("argued at that meeting in a letter sent Monday"). A "that" hung on
    the clause's subject opens the subject's clause."""
    if mark.rel != "mark" or mark.head <= mark.id:
        return None
    clause = sentence.word(mark.head)
    if clause.rel in ("nsubj", "nsubj:pass") and clause.head > clause.id:
        clause = sentence.word(clause.head)
    if clause.upos not in ("VERB", "AUX", "ADJ", "NOUN", "PROPN", "PRON", "NUM"):
        return None
    if not (sentence.children(clause.id, "nsubj", "nsubj:pass", "csubj", "expl", "cop", "aux", "aux:pass")
            or any(sentence.word(i).rel in ("nsubj", "nsubj:pass") for i in range(mark.id + 1, clause.id))):
        return None
    return clause


def _by_word_order(sentence: Sentence, verb: Word, quote: QuoteContext, cues: frozenset[str], *,
                   claimed: set[int], max_speaker_words: int = 10) -> Reported | None:
    """"Officials said the two raised $350 million." and "The deal is dead, officials said.",
    read from the words where the parse hung the clause elsewhere (a small parser often makes
    the reported subject the verb's object). Only speech, belief and evidence cues; the content
    needs a finite verb, so "said nothing" and "told him to leave" are no reports."""
    if verb.upos not in ("VERB", "AUX") or verb.id in claimed:
        return None
    lemma = verb_lemma(verb, cues, sentence=sentence)
    if lemma is None:
        return None
    family = _family(lemma, xcomp=False)
    if family not in CLAUSE_FAMILIES:
        return None
    n = len(sentence.words)
    times = lexicon.time_words()
    words = sentence.words
    # after the verb: X said (that) CLAUSE
    i = verb.id + 1
    prt = particle(sentence, verb, cues)
    if prt is not None and prt.id == i:
        i += 1
    that = _that_after_adjuncts(sentence, i, quote=quote)
    if that is not None:
        i = that  # "argued during Saturday's debate that …", "told the crowd in Miami that …"
    elif lemma in ADDRESSEE_FIRST:
        j = i
        while j <= n and j - i < 4 and sentence.word(j).upos in ("PRON", "PROPN", "NOUN", "DET"):
            j += 1
        if j == i:
            return None  # "warned of", "told of": no one told, no clause
        i = j
    while i <= n and (sentence.word(i).text.lower() in times or sentence.word(i).text.lower() in ("on", "last", "this", "late", "early")):
        i += 1
    if i <= n and sentence.word(i).text.lower() == "that" and sentence.word(i).upos in ("SCONJ", "PRON", "DET"):
        i += 1
    speaker = subject_of(sentence, verb, quote)
    if verb.id > 1 and sentence.word(verb.id - 1).upos in ("DET", "ADP"):
        return None  # "the said document"
    if lemma not in lexicon.words("bare_clause_cues"):
        return None
    if speaker is None and verb.id > 1 and sentence.word(verb.id - 1).upos not in ("NOUN", "PROPN", "PRON"):
        return None  # “…,” said X: an inverted report of a quote, not a clause after the verb
    if i <= n and words[i - 1].upos in _CLAUSE_OPENERS and not quote.quoted(words[i - 1]):
        end = i
        while end + 1 <= n:
            nxt = sentence.word(end + 1)
            if nxt.text == "," and end + 2 <= n and (sentence.word(end + 2).text.lower().endswith("ing")
                                                     and sentence.word(end + 2).upos == "VERB"
                                                     or sentence.word(end + 2).text.lower() == "according"):
                break
            end += 1
        ids = _trim(sentence, list(range(i, end + 1)), quote=quote)
        if len(ids) >= 3 and _clause_opening(sentence, ids) and not claimed.intersection(ids):
            if speaker is not None and speaker.id in ids:
                speaker = None
            cue = _cue_ids(sentence, verb, speaker, set(ids))
            return Reported("reported-order", family, sentence, verb, None, speaker, tuple(ids), cue)
        return None
    # before the verb: CLAUSE, X said. / CLAUSE, said X.
    tail = [w for w in words[verb.id:] if w.upos != "PUNCT"]
    comma = None
    k = verb.id - 1
    while k >= 1 and verb.id - k <= max_speaker_words:
        w = sentence.word(k)
        if w.text == ",":
            comma = k
            break
        if w.upos == "VERB" or quote.quoted(w):
            return None
        k -= 1
    if comma is None or comma < 4 or len(tail) > max_speaker_words:
        return None
    if any(w.upos == "VERB" and w.id != verb.id for w in tail):
        return None
    ids = _trim(sentence, list(range(1, comma)), quote=quote)
    if len(ids) < 3 or not _finite_verb(sentence, ids) or claimed.intersection(ids):
        return None
    if speaker is not None and speaker.id in ids:
        speaker = None
    if speaker is None:
        # "…, said X": the name after the verb
        after = [w for w in words[verb.id:] if w.upos in ("PROPN", "NOUN", "PRON")]
        speaker = after[0] if after else None
    cue = _cue_ids(sentence, verb, speaker, set(ids))
    return Reported("reported-order", family, sentence, verb, None, speaker, tuple(ids), cue)


def _object_content(sentence: Sentence, verb: Word, quote: QuoteContext, *, min_words: int = 2) -> Reported | None:
    """``reported-object``: a cue whose object is what was said or judged ("called for a
    repeal of the law", "cited remarks he had made", "criticized the plan"), from
    ``object_cues.txt``. A phrasal cue's content follows its preposition ("complained about
    the microphone")."""
    if verb.upos not in ("VERB", "NOUN", "ADJ"):
        return None
    table = lexicon.object_cues()
    if verb.upos != "VERB":
        return _phrase_object(sentence, verb, quote, table=table)
    got = _passive_subject(sentence, verb, quote, table=table)
    if got is not None:
        return got
    lemma = verb.lemma.lower()
    heads = _prefixed_heads()
    if lemma not in table and lemma not in heads:
        guess = lexicon.lemma_guess(verb.text)
        if guess == verb.text.lower() or (guess not in table and guess not in heads):
            return None
        lemma = guess
    def keyed(child: Word) -> bool:
        case = next(iter(sentence.children(child.id, "case")), None)
        return case is not None and f"{lemma} {case.text.lower()}" in table

    # "thanked Obama for acting": the content is what the preposition names, not the one thanked
    for child in sorted(sentence.children(verb.id, "obl", "obj", "iobj"), key=lambda c: not keyed(c)):
        cases = [c for c in sentence.children(child.id, "case")]
        prep = cases[0].text.lower() if cases else None
        key = f"{lemma} {prep}" if prep else lemma
        if key not in table or (prep is None and child.rel not in ("obj",)):
            continue
        if quote.quoted(child) or child.upos in ("PRON",) and len(sentence.subtree(child.id)) == 1:
            continue
        ids = [w.id for w in sentence.subtree(child.id) if w.id not in {c.id for c in cases}]
        if lemma == "call" and prep is None:
            continue  # "called him a liar" is a naming, read by the quote rules when quoted
        ids = _trim(sentence, ids, quote=quote)
        if ids and ids[0] > verb.id:
            ids = _with_stray_that_clause(sentence, ids, quote=quote)
            ids = _object_to_phrase_end(sentence, verb, ids, quote=quote)
            ids = _before_conjoined_verb(sentence, child, ids, quote=quote)
        size = len([i for i in ids if sentence.word(i).upos != "PUNCT"])
        if size < min_words and not (size == 1 and sentence.word(ids[0]).upos == "PROPN"):
            continue  # "supported Sanders" is a stance on a person; "supported it" says nothing
        speaker = subject_of(sentence, verb, quote) or _participle_speaker(sentence, verb, quote)
        if speaker is not None and speaker.id in ids:
            speaker = None
        last = cases[0] if cases and cases[0].id == verb.id + 1 else None
        cue = _cue_ids(sentence, verb, speaker, set(ids), extra=(last,) if last else ())
        return Reported("reported-object", table[key], sentence, verb, last, speaker, tuple(ids), cue)
    return _gerund_content(sentence, verb, lemma, quote, table=table)


def _with_stray_that_clause(sentence: Sentence, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """"Doe defended the idea that taxes must rise": a "that" clause right after the object
    completes it, but a small parser often hangs it on the verb (or higher) rather than on the
    noun; as for a cue noun (`_that_after_noun`), the clause that the complementizer right after
    the object opens, and that does not hold the object, is part of the object's content."""
    mark = _complementizer_after(sentence, ids[-1])
    if mark is None or quote.quoted(mark):
        return ids
    clause = [x.id for x in sentence.subtree(mark.head)]
    if any(i in clause for i in ids) or min(clause) != mark.id:
        return ids
    return _trim(sentence, sorted(set(ids) | set(range(mark.id, max(clause) + 1))), quote=quote)


#: Fine-grained tags of a finite verb.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _before_conjoined_verb(sentence: Sentence, obj: Word, ids: list[int], *, quote: QuoteContext) -> list[int]:
    """An object's content ends before a coordinated finite verb that a small parser hung on the
    object ("attacked the officers and blamed the courts": "blamed" made a conjunct of
    "officers"): the object is a noun phrase, and the second verb is a new act of the subject,
    not part of what was judged. A finite clause opened by a subordinator ("condemned the
    launch as the army fired …") was measured too and is left: it cost as much as it won."""
    inside = set(ids)
    for n, i in enumerate(ids):
        w = sentence.word(i)
        if n < 1 or i <= obj.id or w.head <= i or w.head not in inside or quote.quoted(w):
            continue
        head = sentence.word(w.head)
        if head.upos not in ("VERB", "AUX") or (head.xpos or "") not in FINITE_TAGS:
            continue
        if w.deprel == "cc" and head.rel == "conj":
            kept = _trim(sentence, ids[:n], quote=quote)
            return kept if kept else ids
    return ids


def _gerund_content(sentence: Sentence, verb: Word, lemma: str, quote: QuoteContext, *,
                    table: dict[str, str], max_gap: int = 3) -> Reported | None:
    """"Doe called for raising the tax", "Roe accused the mayor of hiding the report": an
    object cue whose content is a gerund clause after a preposition, which UD (and a small
    parser) hangs on the verb as an adverbial clause marked by the preposition (``advcl`` with
    ``mark``), not as an oblique, so `_object_content` finds no object. The preposition either
    makes the cue ("call for", "complain about" in ``object_cues.txt``), right after the verb,
    or completes a cue with an object (accuse X of, blame X for: `COMPLETING_WORDS`), right
    after the object; the content is the one accused and the clause, without the preposition.
    ``max_gap``: words allowed before the preposition (called Friday for …). Read only with a
    speaker: the verb's subject (an unnamed source here was more often wrong than right on
    PolNeAR train)."""
    times = lexicon.time_words()
    for child in sentence.children(verb.id, "advcl"):
        if child.id < verb.id or child.upos != "VERB" or not child.text.lower().endswith("ing") or quote.quoted(child):
            continue
        mark = next((m for m in sentence.children(child.id, "mark") if m.upos in ("SCONJ", "ADP")), None)
        if mark is None or mark.id > child.id:
            continue
        prep = mark.text.lower()
        obj = next((c for c in sentence.children(verb.id, "obj")
                    if verb.id < c.id < mark.id and c.text.lower() not in times), None)
        if obj is None:
            key = f"{lemma} {prep}" if f"{lemma} {prep}" in table else None
        else:
            key = lemma if lemma in table and prep in COMPLETING_WORDS else None
        if key is None:
            continue
        before = verb.id + 1 if obj is None else max(x.id for x in sentence.subtree(obj.id)) + 1
        between = [sentence.word(k) for k in range(before, mark.id)]
        if len(between) > max_gap or any(w.upos in ("PUNCT", "VERB", "AUX") for w in between):
            continue
        speaker = subject_of(sentence, verb, quote) or _participle_speaker(sentence, verb, quote)
        first = min(x.id for x in sentence.subtree(obj.id)) if obj is not None else mark.id + 1
        ids = [i for i in range(first, max(x.id for x in sentence.subtree(child.id)) + 1) if i != mark.id]
        ids = _object_to_phrase_end(sentence, verb, _trim(sentence, ids, quote=quote), quote=quote)
        if len(ids) < 2 or speaker is None or speaker.id in ids:
            continue
        last = mark if mark.id == verb.id + 1 else None
        cue = _cue_ids(sentence, verb, speaker, set(ids), extra=(last,) if last else ())
        return Reported("reported-object", table[key], sentence, verb, last, speaker, tuple(ids), cue)
    return None


#: Families whose passive with an agent reports its subject ("was reported by", "was rejected
#: by"); a belief's passive ("was seen by", "was felt by") more often describes than reports.
PASSIVE_FAMILIES = frozenset({"speech", "stance", "evidence"})


def _passive_subject(sentence: Sentence, verb: Word, quote: QuoteContext, *, table: dict[str, str],
                     min_words: int = 2) -> Reported | None:
    """"The deal was first reported by the Gazette", "The plan was rejected by most voters":
    a passive cue with its agent reports its subject, as the active's object would be; the
    agent is the source. ``min_words``: a shorter subject ("It was posted by …") says nothing,
    but for a name ("Doe was endorsed by the union"), unless the cue takes an addressee ("Doe
    was asked by reporters": the one asked)."""
    if not sentence.children(verb.id, "aux:pass"):
        return None
    subject = next(iter(sentence.children(verb.id, "nsubj:pass")), None)
    agent = next((c for c in sentence.children(verb.id, "obl", "obl:agent")
                  if any(k.lemma.lower() == "by" for k in sentence.children(c.id, "case"))), None)
    if subject is None or agent is None or quote.quoted(subject):
        return None
    if any(w.deprel == "mark" and w.lemma.lower() == "that" for w in sentence.subtree(subject.id)):
        return None  # "Doe's claim that the vote was rigged was rejected by …": the claim is the report
    lemma = verb_lemma(verb, _every_cue(), sentence=sentence) or verb.lemma.lower()
    family = table.get(lemma) or _family(lemma, xcomp=False)
    if family not in PASSIVE_FAMILIES or lemma in ("call", "hold", "know"):
        return None
    ids = _trim(sentence, [w.id for w in sentence.subtree(subject.id, exclude=("acl:relcl",))], quote=quote)
    size = len([i for i in ids if sentence.word(i).upos != "PUNCT"])
    if size < min_words and not (size == 1 and sentence.word(ids[0]).upos == "PROPN"
                                 and lemma not in ADDRESSEE_FIRST and lemma not in URGING and lemma != "question"):
        return None
    cue = _cue_ids(sentence, verb, agent, set(ids))
    return Reported("reported-object", family, sentence, verb, None, agent, tuple(ids), cue)


def _phrase_object(sentence: Sentence, cue: Word, quote: QuoteContext, *, table: dict[str, str]) -> Reported | None:
    """A noun or adjective cue whose content follows its preposition ("his criticism of the
    plan", "Doe is critical of the deal"), from ``object_cues.txt``. Read only with a source:
    the noun's owner, the subject of the verb the noun is the object of, or the adjective's
    subject; "criticism of the plan" alone names no one."""
    lemma = cue.lemma.lower()
    for child in sentence.children(cue.id, "nmod", "obl"):
        if child.id < cue.id or quote.quoted(child):
            continue
        cases = sentence.children(child.id, "case")
        if not cases or cases[0].id != cue.id + 1 or f"{lemma} {cases[0].text.lower()}" not in table:
            continue
        if child.upos == "PRON" and len(sentence.subtree(child.id)) == 1:
            continue
        if cue.upos == "NOUN":
            speaker = next(iter(sentence.children(cue.id, "nmod:poss")), None)
            head = sentence.head_of(cue)
            if (speaker is None or speaker.upos == "PRON") and head is not None and cue.rel == "obj" \
                    and head.upos == "VERB":
                # "The governor renewed his criticism of …": the subject names whom "his" stands for
                speaker = subject_of(sentence, head, quote) or speaker
        else:
            speaker = subject_of(sentence, cue, quote)
        if speaker is None or speaker.upos not in ("PROPN", "PRON", "NOUN"):
            continue
        ids = _trim(sentence, [w.id for w in sentence.subtree(child.id) if w.id != cases[0].id], quote=quote)
        if len(ids) < 1 or speaker.id in ids:
            continue
        mention = [x.id for x in sentence.subtree(speaker.id, exclude=("acl", "acl:relcl", "punct", "appos"))]
        first = min(mention + [cue.id])
        cue_ids = tuple(range(first, cases[0].id + 1)) if first < cue.id else (cue.id, cases[0].id)
        return Reported("reported-object", table[f"{lemma} {cases[0].text.lower()}"], sentence, cue, cases[0],
                        speaker, tuple(ids), cue_ids)
    return None


#: Relations by which the branch of a partial quote's cue verb that holds the quote is its
#: content (said the plan was “a disaster”, called the test “a clear violation”, criticized as
#: “…”); a quote in the verb's subject or in a modifier of it is no content of that verb.
MIXED_RELS = frozenset({"ccomp", "xcomp", "obj", "parataxis", "advcl", "dep", "csubj"})
#: Prepositions by which an oblique of the cue verb carries its content ("described him as “…”",
#: "spoke of “…”"); the preposition itself stays out when it opens the content.
MIXED_CASES = frozenset({"as", "about", "of", "over", "upon"})


def mixed(sentence: Sentence, verb: Word, speaker: Word | None, lo: int, hi: int, *, quote: QuoteContext,
          text: str, quote_ranges: list[tuple[int, int]], min_words: int = 1,
          quoted_share: float = 0.9) -> Reported | None:
    """``reported-mixed``: the whole content of a mixed attribution whose quote rule read only
    the quoted words (Doe called the test “a clear violation” of the treaty; Roe was criticized
    as a “use it or lose it” approach; Doe blasted Roe as a “disgrace”), which no cue rule
    reads. ``lo:hi`` is the partial quote (marks included), ``verb`` and ``speaker`` what its
    quote rule found. The content is the branch of the verb that holds the quote, through a
    content relation (`MIXED_RELS`, or an oblique with a preposition of `MIXED_CASES`); a
    predicative after an object ("called the test “…”", "painted him as “…”") has the object
    too, as the one named is part of what was said of it. ``min_words``: words of the content
    outside the quote, below which the partial record alone is the attribution. ``quoted_share``:
    content so much inside quote marks is the quote's alone (`_mostly_quoted`)."""
    held = {w.id for w in sentence.words if lo <= w.start < hi}
    if not held or verb.id in held:
        return None
    branch = next((c for c in sentence.children(verb.id)
                   if held & {x.id for x in sentence.subtree(c.id)}), None)
    if branch is None:
        return None
    cases = [k for k in sentence.children(branch.id, "case") if k.id < branch.id]
    if branch.rel not in MIXED_RELS and not (
            branch.rel == "obl" and cases and cases[0].lemma.lower() in MIXED_CASES):
        return None
    ids = {x.id for x in sentence.subtree(branch.id)}
    if branch.rel in ("xcomp", "obl"):
        obj = next((c for c in sentence.children(verb.id, "obj") if verb.id < c.id < branch.id), None)
        if obj is not None and not quote.quoted(obj):
            ids |= set(range(min(x.id for x in sentence.subtree(obj.id)), min(ids)))
        elif cases and min(ids) == cases[0].id:
            ids.discard(cases[0].id)  # "criticized as a “…” approach": not "as"
    if speaker is not None and speaker.id in ids:
        return None
    lemma = verb_lemma(verb, _every_cue(), sentence=sentence) or verb.lemma.lower()
    if branch.rel in ("obj", "iobj") and lemma in ADDRESSEE_FIRST:
        return None  # "told MSNBC's “Morning Joe” …": the one told
    content = _before_next_report(sentence, _trim(sentence, sorted(ids), quote=quote), max(held), quote=quote)
    outside = [i for i in content if i not in held and sentence.word(i).upos != "PUNCT"]
    if len(outside) < min_words:
        return None
    start, end = sentence.word(content[0]).start, sentence.word(content[-1]).end
    if _mostly_quoted(text, start, end, quote_ranges, share=quoted_share):
        return None
    families = lexicon.cue_family_table().get(lemma) or (lexicon.object_cues().get(lemma),)
    family = next((f for f in families if f), "speech")
    cue = _cue_ids(sentence, verb, speaker, set(content))
    return Reported("reported-mixed", family, sentence, verb, None, speaker, tuple(content), cue)


def _before_next_report(sentence: Sentence, ids: list[int], after: int, *, quote: QuoteContext) -> list[int]:
    """A mixed content ends before what, past its quote (the words after ``after``), is no more
    of it: a dash and the writer's aside (“total crap” -- one question …), or a comma and a new
    reporting clause with a subject of its own (“…” to cut costs, she said, …)."""
    verbs = lexicon.reporting_verbs()
    dashes = lexicon.dashes()
    for n, i in enumerate(ids):
        w = sentence.word(i)
        if i <= after or quote.quoted(w):
            continue
        if w.text in dashes:
            return _trim(sentence, ids[:n], quote=quote)
        if w.text == "," and any(
                sentence.word(k).upos == "VERB" and verb_lemma(sentence.word(k), verbs, sentence=sentence)
                and sentence.children(k, "nsubj") for k in ids[n + 1:n + 5]):
            return _trim(sentence, ids[:n], quote=quote)
    return ids
