"""The small read-only view of a parsed sentence that the rules read.

A `Sentence` holds `Word`s with the Universal Dependencies fields the matcher needs (text, lemma,
upos, head, deprel) and character offsets into the *article* text. It is built from a stanza
parse (``quotes.parse``) or from hand-written CoNLL-U (`read_conllu`), so every rule can be tested
on a tree written by hand, with no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator, NamedTuple


class Word(NamedTuple):
    """One syntactic word. ``id`` is 1-based within its sentence; ``head`` 0 is the root.

    Words of a multi-word token (don't = do + n't) carry the offsets of the whole token.
    A named tuple: immutable, and about four times cheaper to build than a frozen dataclass,
    which matters when a cache-warm rerun rebuilds every word of every article.
    """

    id: int
    text: str
    lemma: str
    upos: str
    head: int
    deprel: str
    start: int
    end: int
    xpos: str | None = None
    feats: str | None = None

    @property
    def rel(self) -> str:
        """The deprel without its subtype: ``nsubj:pass`` -> ``nsubj``."""
        return self.deprel.split(":", 1)[0]


@dataclass(frozen=True)
class Sentence:
    """A parsed sentence: words in order plus its place in the article."""

    words: tuple[Word, ...]
    index: int = 0
    paragraph: int = 0
    #: False when only tagged, not dependency-parsed (sentences far from any quote are not
    #: parsed, for speed): heads are then 0 and deprels "dep".
    parsed: bool = True

    @property
    def start(self) -> int:
        return self.words[0].start if self.words else 0

    @property
    def end(self) -> int:
        return self.words[-1].end if self.words else 0

    def word(self, word_id: int) -> Word:
        return self.words[word_id - 1]

    @cached_property
    def children_map(self) -> dict[int, tuple[int, ...]]:
        kids: dict[int, list[int]] = {}
        for w in self.words:
            kids.setdefault(w.head, []).append(w.id)
        return {k: tuple(v) for k, v in kids.items()}

    @cached_property
    def depths(self) -> dict[int, int]:
        """Each word's number of ancestors, read top down from the root in one pass (a word on a
        cycle that a broken parse left unreachable from the root counts its ancestors up the
        cycle, as `ancestors` walks them)."""
        depth: dict[int, int] = {}
        level, frontier = 0, list(self.children_map.get(0, ()))
        while frontier:
            nxt: list[int] = []
            for i in frontier:
                if i not in depth:
                    depth[i] = level
                    nxt.extend(self.children_map.get(i, ()))
            level, frontier = level + 1, nxt
        for w in self.words:
            if w.id not in depth:
                depth[w.id] = sum(1 for _ in self.ancestors(w))
        return depth

    def children(self, word_id: int, *rels: str) -> list[Word]:
        """Dependents of ``word_id``; with ``rels``, only those whose deprel (or its base) matches."""
        out = [self.word(i) for i in self.children_map.get(word_id, ())]
        if rels:
            out = [w for w in out if w.deprel in rels or w.rel in rels]
        return out

    def head_of(self, word: Word) -> Word | None:
        return self.word(word.head) if word.head else None

    def ancestors(self, word: Word) -> Iterator[Word]:
        seen = {word.id}
        current = word
        while current.head and current.head not in seen:
            current = self.word(current.head)
            seen.add(current.id)
            yield current

    def subtree(self, word_id: int, *, exclude: Iterable[str] = ()) -> list[Word]:
        """``word_id`` and all its descendants in order, not descending into ``exclude`` deprels."""
        excluded = set(exclude)
        out: list[int] = []
        stack = [word_id]
        seen: set[int] = set()
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            out.append(i)
            for child in self.children_map.get(i, ()):
                w = self.word(child)
                if w.deprel in excluded or w.rel in excluded:
                    continue
                stack.append(child)
        return [self.word(i) for i in sorted(out)]


# --- hand-written CoNLL-U -------------------------------------------------------------------


def _parse_misc(misc: str) -> dict[str, str]:
    out = {}
    if misc and misc != "_":
        for item in misc.split("|"):
            key, _, value = item.partition("=")
            out[key] = value
    return out


def read_conllu(conllu: str) -> tuple[str, list[Sentence]]:
    """Build an article from CoNLL-U: returns ``(text, sentences)`` with offsets into ``text``.

    Offsets are rebuilt from the forms and ``SpaceAfter=No``, the way UD defines them. Sentences
    are joined by one space; ``# newpar`` (or ``# newdoc``) starts a new paragraph on a new
    line. A ``# text =`` comment, when present, must match the rebuilt sentence: hand-written
    fixtures are checked, not trusted.
    """
    text_parts: list[str] = []
    sentences: list[Sentence] = []
    pos = 0
    paragraph = -1
    blocks = [b for b in conllu.strip("\n").split("\n\n") if b.strip()]
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip()]
        comments = [ln for ln in lines if ln.startswith("#")]
        rows = [ln.split("\t") for ln in lines if not ln.startswith("#")]
        new_par = paragraph < 0 or any(
            c.startswith("# newpar") or c.startswith("# newdoc") for c in comments
        )
        if new_par:
            if paragraph >= 0:
                text_parts.append("\n")
                pos += 1
            paragraph += 1
        elif sentences:
            text_parts.append(" ")
            pos += 1
        sent_start = pos
        words: list[Word] = []
        mwt_end = 0
        mwt_span: tuple[int, int] | None = None
        pieces: list[str] = []
        for row in rows:
            if len(row) != 10:
                raise ValueError(f"CoNLL-U row needs 10 columns, got {len(row)}: {row!r}")
            wid, form, lemma, upos, xpos, feats, head, deprel, _deps, misc = row
            if "." in wid:
                continue
            misc_d = _parse_misc(misc)
            space = "" if misc_d.get("SpaceAfter") == "No" else " "
            if "-" in wid:
                first, last = (int(x) for x in wid.split("-"))
                mwt_end = last
                mwt_span = (pos, pos + len(form))
                pieces.append(form + space)
                pos += len(form) + len(space)
                continue
            word_id = int(wid)
            if mwt_span and word_id <= mwt_end:
                start, end = mwt_span
                if word_id == mwt_end:
                    mwt_span = None
            else:
                start, end = pos, pos + len(form)
                pieces.append(form + space)
                pos += len(form) + len(space)
            words.append(Word(
                id=word_id, text=form, lemma=lemma, upos=upos, head=int(head), deprel=deprel,
                start=start, end=end, xpos=None if xpos == "_" else xpos,
                feats=None if feats == "_" else feats,
            ))
        sent_text = "".join(pieces).rstrip(" ")
        pos = sent_start + len(sent_text)
        for c in comments:
            if c.startswith("# text ="):
                declared = c.split("=", 1)[1].strip()
                if declared != sent_text:
                    raise ValueError(f"# text {declared!r} does not match the forms {sent_text!r}")
        text_parts.append(sent_text)
        sentences.append(Sentence(words=tuple(words), index=len(sentences), paragraph=paragraph))
    return "".join(text_parts), sentences
