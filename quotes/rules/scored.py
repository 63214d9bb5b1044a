"""``reported-scored``: cues no lexicon list names ("dubbed the bill a giveaway", "Doe went
after Roe's record", "are expected to attend"), found by a scorer learned from PolNeAR train.

PolNeAR annotates as an attribution any act of a source about a content: speech acts and
mental states, but also stances and evaluations with a noun-phrase content (Newell et al. 2018,
the annotation guidelines' "the content may be a noun phrase"). Their cues are a long tail: on
PolNeAR train the lexicon's words cover well under half of what `quotes.rules.reported` misses.
The reading here is generic and comes from the tree (UD relations, de Marneffe & Nivre 2019):
a word's clausal complement, open complement, object or oblique is its content, or the clause
it hangs from as ``parataxis``. Whether a word is a cue at all, and whether that reading gives
the annotated content, is what a logistic regression over the word's tree neighbourhood says
(`features`); its weights are data (``quotes/models/cue-scorer.tsv``, written by
``python -m quotes.cue_training``), not code.

This step runs after the lexicon rules and only where they found nothing: a word inside a
reading they made, or whose content would overlap one, is not offered to the scorer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import lexicon
from ..tree import Sentence, Word
from . import QuoteContext, subject_of
from .reported import Reported, _cue_ids, _mostly_quoted, _question, before_trailing_adjunct

#: Where the weights live (one ``feature<TAB>weight`` a line, ``bias`` first).
WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "cue-scorer.tsv"
#: The parts of speech a scored cue can have.
CUE_POS = frozenset({"VERB", "NOUN", "ADJ"})
#: Content openers worth naming in a feature (they say what kind of content follows).
_OPENERS = frozenset({"that", "to", "whether", "if", "for", "about", "on", "of", "against", "with", "how", "why",
                      "what", "as"})


#: The trailing adjuncts a scored content ends before (`quotes.rules.reported.before_trailing_adjunct`).
TRAILING_ADJUNCTS = frozenset({"relative"})

#: Dependents after an object that complete what was said of it.
_COMPLETING = frozenset({"obl", "xcomp", "advcl", "ccomp", "obj", "iobj", "nmod"})


def reading(sentence: Sentence, w: Word) -> tuple[list[int], str] | None:
    """The generic content of ``w`` and how it was read (``ccomp``, ``xcomp``, ``obj``,
    ``obl``, ``para``), or None when the tree gives it none."""
    kids = sentence.children(w.id)
    for rel in ("ccomp", "xcomp", "obj"):
        for c in kids:
            if c.rel == rel and c.upos != "PUNCT":
                ids = {x.id for x in sentence.subtree(c.id)}
                if rel == "xcomp":
                    # "dubbed the bill a giveaway": what is named, then the name
                    for d in kids:
                        if d.rel == "obj" and w.id < d.id < c.id:
                            ids.update(x.id for x in sentence.subtree(d.id))
                if rel == "obj":
                    # "warned China against provocation", "called him a liar": the object with
                    # what completes it after it
                    for d in kids:
                        if d.id > c.id and d.rel in _COMPLETING:
                            ids.update(x.id for x in sentence.subtree(d.id))
                return _trim(sentence, list(ids)), rel
    for c in kids:
        if c.rel in ("obl", "nmod") and c.id > w.id:
            return _trim(sentence, [x.id for x in sentence.subtree(c.id)
                                    if not (x.head == c.id and x.rel == "case")]), "obl"
    if w.rel == "parataxis" and w.head:
        own = {x.id for x in sentence.subtree(w.id)}
        return _trim(sentence, [x.id for x in sentence.subtree(w.head) if x.id not in own]), "para"
    return None


def _trim(sentence: Sentence, ids: list[int]) -> list[int]:
    """Content without punctuation, a conjunction or a complementizer at its edges."""
    ids = sorted(ids)
    while ids and (sentence.word(ids[0]).upos in ("PUNCT", "CCONJ")
                   or (sentence.word(ids[0]).deprel == "mark" and sentence.word(ids[0]).lemma.lower() in ("that", "whether", "if"))):
        ids.pop(0)
    while ids and sentence.word(ids[-1]).upos == "PUNCT":
        ids.pop()
    return ids


def features(sentence: Sentence, w: Word, ids: list[int], how: str) -> list[str]:
    """What the scorer weighs about a candidate cue ``w`` whose generic content is ``ids``
    (read as ``how``): the word, its relation and its dependents, the word it hangs from, the
    reading and the content's shape."""
    lemma = w.lemma.lower()
    out = [f"l={lemma}", f"p={w.upos}", f"lp={lemma}|{w.upos}", f"r={w.rel}", f"lr={lemma}|{w.rel}",
           f"how={how}", f"lh={lemma}|{how}", f"ph={w.upos}|{how}", f"f={w.text.lower()}"]
    for c in sentence.children(w.id):
        rel = c.rel
        out.append(f"c={rel}")
        if rel in ("nsubj", "nsubj:pass", "nmod:poss"):
            out += [f"s={rel}|{c.upos}", f"ls={lemma}|{c.upos}"]
            if c.upos == "PRON":
                out.append(f"sp={c.text.lower()}")
        elif rel == "obj":
            out += [f"o={c.lemma.lower()}", f"lo={lemma}|{c.lemma.lower()}"]
        elif rel in ("aux", "aux:pass", "cop"):
            out.append(f"aux={c.lemma.lower()}")
        elif rel in ("obl", "nmod", "obj", "iobj", "xcomp", "ccomp", "advmod", "compound:prt"):
            out.append(f"lc={lemma}|{rel}")
            if rel == "compound:prt":
                out.append(f"prt={lemma}|{c.text.lower()}")
            for k in sentence.children(c.id, "case", "mark"):
                out += [f"case={k.text.lower()}", f"lk={lemma}|{k.text.lower()}"]
    head = sentence.head_of(w)
    out.append(f"h={head.lemma.lower() if head is not None else '<root>'}")
    if head is not None:
        out.append(f"hr={head.upos}|{w.rel}")
    first = sentence.word(ids[0])
    out += [f"len={min(8, len(ids) // 3)}", f"c0={first.upos}", f"hc0={how}|{first.upos}"]
    if first.lemma.lower() in _OPENERS or first.text.lower() in _OPENERS:
        out.append(f"c0l={first.text.lower()}")
    out.append(f"side={'after' if ids[0] > w.id else 'before'}")
    out.append(f"lside={lemma}|{'after' if ids[0] > w.id else 'before'}|{how}")
    if not any(c.rel in ("nsubj", "nsubj:pass", "nmod:poss") for c in sentence.children(w.id)):
        out.append("nosubj")
    if any(sentence.word(i).upos in ("VERB", "AUX") and sentence.word(i).rel in ("root", "ccomp", "xcomp", "conj")
           for i in ids):
        out.append("cverb")
    before = sentence.word(w.id - 1) if w.id > 1 else None
    after = sentence.word(w.id + 1) if w.id < len(sentence.words) else None
    out.append(f"pw={before.lemma.lower() if before is not None else '<s>'}")
    out.append(f"nw={after.lemma.lower() if after is not None else '</s>'}")
    return out


@lru_cache(maxsize=None)
def weights(path: str | None = None) -> tuple[float, dict[str, float]]:
    """The scorer's bias and feature weights (empty when the weights file is missing, so that
    the step finds nothing rather than failing)."""
    p = Path(path) if path is not None else WEIGHTS
    if not p.is_file():
        return 0.0, {}
    bias, table = 0.0, {}
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition("\t")
        if name == "bias":
            bias = float(value)
        else:
            table[name] = float(value)
    return bias, table


def score(feats: list[str], *, path: str | None = None) -> float:
    """The scorer's probability that a candidate is a cue whose generic reading is its content."""
    bias, table = weights(path)
    if not table:
        return 0.0
    z = bias + sum(table.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def taken_by(found: Iterable[Reported]) -> set[int]:
    """The word ids earlier readings hold (cue clauses, contents, cue words): never offered."""
    out: set[int] = set()
    for r in found:
        out.update(r.content)
        out.update(r.cue_ids)
        out.add(r.verb.id)
    return out


def candidates(sentence: Sentence, quote: QuoteContext, taken: set[int]):
    """Each word the scorer is offered, with its generic reading: a noun, verb or adjective
    outside quotation marks, outside what earlier steps read, whose content is free too."""
    for w in sentence.words:
        if w.upos not in CUE_POS or w.id in taken or quote.quoted(w):
            continue
        got = reading(sentence, w)
        if got is None:
            continue
        ids, how = got
        if how == "xcomp" and _order(sentence, w):
            continue  # "told him to leave": an order, not a report (as `quotes.rules.reported` decides)
        if len(ids) < 2 or taken.intersection(ids) or w.id in ids:
            continue
        yield w, ids, how


def _order(sentence: Sentence, w: Word) -> bool:
    """"told him to leave": an addressee, then a to-infinitive."""
    return any(c.rel in ("obj", "iobj") for c in sentence.children(w.id)) and any(
        x.upos in ("VERB", "AUX") and any(m.text.lower() == "to" for m in sentence.children(x.id, "mark"))
        for x in sentence.children(w.id, "xcomp"))


def _holds_report(sentence: Sentence, ids: list[int]) -> bool:
    """Whether the content holds a report of its own: a reporting verb with its own subject
    ("hired Pat Buchanan, who told reporters: …")."""
    verbs = lexicon.reporting_verbs()
    inside = set(ids)
    return any(sentence.word(i).upos == "VERB" and sentence.word(i).lemma.lower() in verbs
               and any(c.id in inside for c in sentence.children(i, "nsubj"))
               for i in ids)


def speaker_of(sentence: Sentence, w: Word, quote: QuoteContext) -> Word | None:
    """Who the cue is of: a verb's or adjective's subject, a noun's owner ("Doe's defence of …")."""
    if w.upos == "NOUN":
        return next(iter(sentence.children(w.id, "nmod:poss")), None)
    if sentence.children(w.id, "aux:pass", "nsubj:pass"):
        # "All three candidates are expected to speak": the passive's subject is what is
        # expected; the source is the agent ("by the party"), when there is one
        return next((c for c in sentence.children(w.id, "obl", "obl:agent")
                     if any(k.lemma.lower() == "by" for k in sentence.children(c.id, "case"))), None)
    return subject_of(sentence, w, quote)


def family(lemma: str) -> str:
    """A scored cue's family: the lexicon's, when a family list names the lemma, else ``other``."""
    families = lexicon.cue_family_table().get(lemma)
    return families[0] if families else "other"


def find(sentence: Sentence, quote: QuoteContext, *, text: str, quote_ranges: list[tuple[int, int]],
         taken: set[int], threshold: float = 0.25, quoted_share: float = 0.9,
         weights_path: str | None = None) -> list[Reported]:
    """The scored attributions of ``sentence``: candidates the scorer puts at ``threshold`` or
    above, best first, none overlapping another or what earlier steps read (``taken``); content
    that is mostly quoted is left to the quote rules, a cue in a question makes none, and a
    content that holds a report of its own is not read around it.
    ``threshold`` was chosen on PolNeAR train articles the scorer was not fitted on (the best
    F1 over all attributions); ``weights_path``: other weights than the shipped ones."""
    if not sentence.parsed or not weights(weights_path)[1]:
        return []
    scored_ones = []
    for w, ids, how in candidates(sentence, quote, taken):
        p = score(features(sentence, w, ids, how), path=weights_path)
        if p >= threshold:
            scored_ones.append((p, w, ids))
    found: list[Reported] = []
    used = set(taken)
    for p, w, ids in sorted(scored_ones, key=lambda t: (-t[0], t[1].id)):
        if w.id in used or used.intersection(ids):
            continue
        if _holds_report(sentence, ids):
            continue  # "hired Pat Buchanan, who told reporters: …": the inner report is the one read
        # "showed a close contest in the state, where …": the writer's relative clause is no part
        # of what was shown (cut after scoring, so that the scorer weighs the reading it learned)
        kept = before_trailing_adjunct(sentence, list(ids), quote=quote, kinds=TRAILING_ADJUNCTS)
        ids = kept if len(kept) >= 2 else ids
        start, end = sentence.word(ids[0]).start, sentence.word(ids[-1]).end
        if _mostly_quoted(text, start, end, quote_ranges, share=quoted_share) or _question(sentence, w):
            continue
        speaker = speaker_of(sentence, w, quote)
        if speaker is not None and speaker.id in ids:
            speaker = None
        if speaker is None and w.upos != "VERB":
            continue  # "Criticism of the law grew": a noun or adjective with no owner names no one's act
        cue = _cue_ids(sentence, w, speaker, set(ids))
        found.append(Reported("reported-scored", family(w.lemma.lower()), sentence, w, None, speaker,
                              tuple(ids), cue, score=p))
        used.update(ids)
        used.update(cue)
        used.add(w.id)
    return sorted(found, key=lambda r: r.content[0])
