"""Skim a paragraph for names without a model: the paragraphs far from every quote.

The matcher reads only the sentences around quotation marks; everything else matters only as a
source of fuller names ("Trump" said -> "Donald Trump", mentioned three paragraphs earlier). Those
paragraphs skip stanza altogether (about a quarter of a news article's words, and a quarter of
the tagging time) and are skimmed here instead: a regular-expression tokenizer, sentence breaks
at ``.``/``?``/``!`` before a capital, and capitalised words marked ``PROPN`` (a sentence's first
word only when the next word is capitalised too and it is not in ``lexicon/function_words.txt``;
none in a title-case headline).

The `Sentence` views come out unparsed (``parsed=False``), every other word tagged ``X``, with
offsets into the article like any parsed sentence, so `speakers.Resolver` reads them as it reads
tagged ones: runs of ``PROPN`` words are names (never subjects: no verb is ever tagged).
"""

from __future__ import annotations

import re

from . import lexicon
from .tree import Sentence, Word

#: Words (with inner hyphens or dots: "U.S", "Jean-Luc") and a final dot, or one other character.
TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*\.?|[^\w\s]|_")
ENDS = frozenset(".?!")


def _abbreviation(token: str) -> bool:
    """"Mr.", "Jr.", "U.S." keep their dot; "Trump." at a sentence end does not."""
    core = token[:-1]
    return "." in core or len(core) == 1 or core.lower() in lexicon.words("abbreviations")


def skim(text: str, start: int, end: int, *, paragraph: int, headline_share: float = 0.6) -> list[Sentence]:
    """Unparsed sentences of ``text[start:end]`` with capitalised words tagged ``PROPN``.

    A sentence with no final stop whose words are mostly capitalised (``headline_share`` of them,
    at least four words) is a title-case headline ("Mayor Hid Old Budget Problems From
    Public"): none of its words is taken for a name.
    """
    function_words = lexicon.words("function_words")
    tokens: list[tuple[int, int, str]] = []
    for m in TOKEN.finditer(text, start, end):
        s, e, t = m.start(), m.end(), m.group()
        if len(t) > 1 and t.endswith(".") and not _abbreviation(t):
            tokens += [(s, e - 1, t[:-1]), (e - 1, e, ".")]
        else:
            tokens.append((s, e, t))
    sentences: list[list[tuple[int, int, str]]] = [[]]
    for k, tok in enumerate(tokens):
        sentences[-1].append(tok)
        nxt = tokens[k + 1][2] if k + 1 < len(tokens) else ""
        if tok[2] in ENDS and nxt[:1].isupper():
            sentences.append([])
    out = []
    for toks in sentences:
        if not toks:
            continue
        alpha = [t for _, _, t in toks if t[:1].isalpha()]
        capitals = sum(t[:1].isupper() for t in alpha)
        headline = toks[-1][2] not in ENDS and len(alpha) >= 4 and capitals >= headline_share * len(alpha)
        words = []
        for i, (s, e, t) in enumerate(toks, start=1):
            cap = t[:1].isupper()
            if cap and i == 1:
                nxt = toks[1][2] if len(toks) > 1 else ""
                cap = nxt[:1].isupper() and t.lower() not in function_words
            upos = "PROPN" if cap and not headline else ("PUNCT" if not t[:1].isalnum() else "X")
            words.append(Word(id=i, text=t, lemma=t, upos=upos, head=0, deprel="dep", start=s, end=e))
        out.append(Sentence(words=tuple(words), paragraph=paragraph, parsed=False))
    return out
