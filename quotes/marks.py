"""Quote-mark pairing on plain text: where the quotations are, without any parsing.

`find_quotes` pairs opening and closing quotation marks paragraph by paragraph and returns one
`QuoteSpan` per quotation (per paragraph, for a quotation that runs over several paragraphs).
`paragraph_spans` gives the paragraphs it works in. Offsets are 0-based, half-open, in code
points of the text as given, so ``text[span.start:span.end]`` is the quoted content.

Conventions followed (each rule's docstring names its own):

* The Unicode Standard, ch. 6 "Writing Systems and Punctuation", §6.2 "Quotation Marks" and
  "Apostrophes": the curly marks and their language-specific uses, and U+2019 doubling as the
  apostrophe.
* AP Stylebook, "quotation marks" (running quotations) and Chicago Manual of Style, ch. 13
  (quotations of more than one paragraph; quotations within quotations).
* AP Stylebook / Chicago Manual of Style, ch. 7: possessives and contractions (apostrophes).
* Duden (German: „…“ and »…«), Lexique des règles typographiques en usage à l'Imprimerie
  nationale (French «…»), Svenska skrivregler (Swedish/Finnish ”…”).
* Penn Treebank tokenization and plain-ASCII wire/archive feeds: ``…'' and ''…'' as double
  quotation marks.

The module is pure: no I/O, no state, and `find_quotes` never raises on a ``str``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["QuoteSpan", "STYLES", "find_quotes", "paragraph_spans"]

#: The values of `QuoteSpan.style`.
STYLES = ("double", "single", "guillemet", "low", "doubled-apostrophe")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One paired quotation (or one paragraph of a multi-paragraph quotation).

    ``0 <= open_start < start <= end <= len(text)``; ``text[start:end]`` is the content with no
    quote marks and no leading or trailing whitespace.
    """

    start: int  # first code point of the content (after the opening mark)
    end: int  # end of the content (half-open): before the closing mark, or the paragraph end
    open_start: int  # offset of the opening mark
    close_end: int | None  # just after the closing mark; None for an unclosed paragraph of a
    # multi-paragraph quotation
    paragraph: int  # 0-based paragraph index (into `paragraph_spans`)
    utterance: int  # 0-based; shared by the paragraphs of one multi-paragraph quotation
    style: str  # "double" | "single" | "guillemet" | "low" | "doubled-apostrophe"


# --------------------------------------------------------------------------------------------
# Paragraphs

_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: paragraphs are separated by line breaks (\\n, \\r\\n, \\r,
    and also U+2028/U+2029); end excludes the line break; empty/whitespace-only lines are not
    paragraphs. Offsets are code points of text as given.

    A paragraph span is also trimmed of leading and trailing whitespace (``str.isspace``), so
    ``text[start:end]`` starts and ends with a non-space character. Line breaks are exactly the
    five above (Unicode Standard §5.8 "Newline Guidelines"); other characters that
    ``str.splitlines`` treats as breaks (\\v, \\f, U+001C–U+001E, U+0085) are treated as spaces.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        _add_trimmed(text, pos, m.start(), spans)
        pos = m.end()
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    start, end = _trim(text, start, end)
    if start < end:
        out.append((start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------------------------
# Marks
#
# A mark is read as a token that may open a quotation of one *family* and/or close quotations of
# some families. Families keep marks apart that never pair with each other (a curly “ is not
# closed by an ASCII ", which in curly text is far more often an inch sign); each family has an
# output style.

_DQ_CURLY, _DQ_ASCII, _SQ_CURLY, _SQ_ASCII = "dq-curly", "dq-ascii", "sq-curly", "sq-ascii"
_GUIL_FR, _GUIL_DE, _LOW, _DAPOS = "guil-fr", "guil-de", "low", "dapos"

_STYLE = {
    _DQ_CURLY: "double",
    _DQ_ASCII: "double",
    _SQ_CURLY: "single",
    _SQ_ASCII: "single",
    _GUIL_FR: "guillemet",
    _GUIL_DE: "guillemet",
    _LOW: "low",
    _DAPOS: "doubled-apostrophe",
}

_SINGLE_FAMILIES = frozenset({_SQ_CURLY, _SQ_ASCII})

#: Words written with a leading apostrophe for omitted letters ('em, 'til, rock 'n' roll):
#: Chicago Manual of Style ch. 7 (contractions), AP Stylebook "apostrophe" (omitted letters).
_ELISIONS = frozenset(
    {"em", "n", "til", "tis", "twas", "twere", "twill", "cause", "cos", "coz", "bout", "nuff",
     "neath", "fraid"}
)


@dataclass(frozen=True, slots=True)
class _Token:
    pos: int  # offset of the mark
    end: int  # offset just after the mark
    opens: str | None  # family this mark may open
    closes: frozenset[str]  # families this mark may close
    weak: bool = False  # a plural-possessive-looking closer (the Hawks’ coach)


def _opening_context(p: str | None) -> bool:
    """Whether a mark after `p` stands where a quotation can open: start of the paragraph, a
    space, an opening bracket, a dash, another quote mark, or a colon (Unicode §6.2: an opening
    mark precedes the word it quotes; categories Ps, Pd, Pi, Pf)."""
    if p is None or p.isspace() or p in "\"'`:":
        return True
    return unicodedata.category(p) in ("Ps", "Pd", "Pi", "Pf")


def _is_elision(text: str, j: int, end: int) -> bool:
    """Whether an apostrophe-like mark before ``text[j]`` marks omitted letters rather than
    opening a quotation: 'em, 'til, 'n', and abbreviated years and decades ('90s, the '06 season)
    (Chicago Manual of Style ch. 7; AP Stylebook "apostrophe", "years")."""
    k = j
    while k < end and text[k].isalpha():
        k += 1
    if k > j:
        return text[j:k].lower() in _ELISIONS
    if j + 2 <= end and text[j].isdigit() and text[j + 1].isdigit():
        after = text[j + 2] if j + 2 < end else None
        return after is None or after == "s" or not after.isalnum()
    return False


def _is_n_elision(text: str, i: int, start: int, end: int) -> bool:
    """Whether the mark at `i` is the second apostrophe of rock ’n’ roll / rock 'n' roll."""
    return (
        i - 2 >= start
        and text[i - 1] in "nN"
        and text[i - 2] in "'\u2018\u2019"
        and (i - 3 < start or text[i - 3].isspace())
        and (i + 1 >= end or not text[i + 1].isalnum())
    )


def _possessive_look(text: str, i: int, end: int) -> bool:
    """Whether a closing-looking single mark at `i` reads as a plural (or s-final name)
    possessive: it follows "s" and is followed by a space and a word (the Hawks’ coach, the
    Lakers' 2019 season). AP Stylebook "possessives"; Chicago Manual of Style ch. 7."""
    if i == 0 or text[i - 1] not in "sS" or i + 1 >= end or not text[i + 1].isspace():
        return False
    k = i + 1
    while k < end and text[k].isspace():
        k += 1
    return k < end and text[k].isalnum()


def _single(text: str, i: int, p: str | None, n: str | None, start: int, end: int,
            family: str, can_open_mark: bool, can_close_mark: bool) -> _Token | None:
    """A single-quote mark (‘ ’ or ASCII '), told apart from the apostrophe.

    Unicode §6.2 (U+2019 is both the right single quotation mark and the apostrophe); Chicago
    Manual of Style ch. 7 and AP Stylebook "apostrophe": between letters (don’t, O’Brien) and
    before omitted letters (’90s, ’em, rock ’n’ roll) it is an apostrophe. An opening mark
    follows the start, a space, opening punctuation or another quote mark and precedes a
    non-space; a closing mark follows a non-space and is not followed by a letter or digit.
    """
    if p is not None and n is not None and p.isalnum() and n.isalnum():
        return None
    opens = (
        can_open_mark
        and _opening_context(p)
        and n is not None
        and not n.isspace()
        and not _is_elision(text, i + 1, end)
    )
    closes = (
        can_close_mark
        and p is not None
        and not p.isspace()
        and (n is None or not n.isalnum())
        and not _is_n_elision(text, i, start, end)
    )
    if not opens and not closes:
        return None
    return _Token(
        i, i + 1, family if opens else None, frozenset({family}) if closes else frozenset(),
        weak=closes and _possessive_look(text, i, end),
    )


def _ambiguous_double(i: int, length: int, p: str | None, n: str | None,
                      family: str) -> _Token | None:
    """A double mark that looks the same at both ends (ASCII ", two apostrophes ''): it opens
    after the start, a space, an opening bracket, a dash, a quote mark or a colon and before a
    non-space; it closes after a non-space. Where both hold, it closes a pending mark of its kind
    and otherwise opens (typewriter convention, Unicode §6.2 "neutral" quotation marks)."""
    opens = _opening_context(p) and n is not None and not n.isspace()
    closes = p is not None and not p.isspace()
    if not opens and not closes:
        return None
    return _Token(i, i + length, family if opens else None,
                  frozenset({family}) if closes else frozenset())


#: Every character that can be (part of) a quote mark: the scan jumps from one to the next.
_MARK_CHARS = re.compile("[\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\"`']")


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """The quote-mark tokens of the paragraph ``text[start:end]``, in text order."""
    out: list[_Token] = []
    i = start
    search = _MARK_CHARS.search
    while i < end:
        m = search(text, i, end)
        if m is None:
            break
        i = m.start()
        c = text[i]
        p = text[i - 1] if i > start else None
        n = text[i + 1] if i + 1 < end else None
        tok: _Token | None = None
        step = 1
        if c == "\u201c":  # “ opens English double; closes German „…“ (Duden)
            if p is not None and not p.isspace() and (n is None or n.isspace()):
                # “It's unusual,“ said Doe: glued to the word before it and followed by a
                # space, it can only close (a mistyped ”), so it closes a pending “ too
                tok = _Token(i, i + 1, None, frozenset({_LOW, _DQ_CURLY}))
            else:
                tok = _Token(i, i + 1, _DQ_CURLY, frozenset({_LOW}))
        elif c == "\u201d":
            # ” closes “…” and Polish/Hungarian „…”; opens Swedish/Finnish ”…” (Svenska
            # skrivregler) where it stands before a word after a space or the start. It also
            # closes a pending ASCII " (text whose quotes were half converted: "Yes,” she said).
            opens = (p is None or p.isspace()) and n is not None and not n.isspace()
            tok = _Token(i, i + 1, _DQ_CURLY if opens else None, frozenset({_DQ_CURLY, _LOW, _DQ_ASCII}))
        elif c == "\u201e":  # „ (German, Polish, …): opens only
            tok = _Token(i, i + 1, _LOW, frozenset())
        elif c == "\u00ab":  # « opens French «…» and closes German »…« (Duden)
            tok = _Token(i, i + 1, _GUIL_FR, frozenset({_GUIL_DE}))
        elif c == "\u00bb":
            opens = _opening_context(p) and n is not None and not n.isspace()
            tok = _Token(i, i + 1, _GUIL_DE if opens else None, frozenset({_GUIL_FR}))
        elif c == "\u2018":
            tok = _single(text, i, p, n, start, end, _SQ_CURLY, True, False)
        elif c == "\u2019":
            tok = _single(text, i, p, n, start, end, _SQ_CURLY, False, True)
        elif c == '"':
            tok = _ambiguous_double(i, 1, p, n, _DQ_ASCII)
        elif c == "`" and n == "`":  # ``…'' (Penn Treebank, ASCII wire feeds): opens only
            tok = _Token(i, i + 2, _DAPOS, frozenset())
            step = 2
        elif c == "'":
            j = i
            while j < end and text[j] == "'":
                j += 1
            step = j - i
            out.extend(_apostrophe_run(text, i, j, start, end))
        if tok is not None:
            out.append(tok)
        i += step
    return out


def _apostrophe_run(text: str, i: int, j: int, start: int, end: int) -> list[_Token]:
    """Tokens for the run of ASCII apostrophes ``text[i:j]``.

    Two apostrophes are one double mark (''…'' in ASCII wire copy, the closer of ``…''; Penn
    Treebank convention), so ''quote'' is never read as two single quotes. In an odd run the
    lone apostrophe is the inner mark: first when the run closes ('no'''), last when it opens
    (''' no').
    """
    p = text[i - 1] if i > start else None
    n = text[j] if j < end else None
    k = j - i
    if k == 1:
        tok = _single(text, i, p, n, start, end, _SQ_ASCII, True, True)
        return [tok] if tok is not None else []
    units = [2] * (k // 2)
    if k % 2:
        if _opening_context(p):
            units.append(1)
        else:
            units.insert(0, 1)
    out: list[_Token] = []
    q = i
    for length in units:
        if length == 2:
            tok = _ambiguous_double(q, 2, p, n, _DAPOS)
        else:
            tok = _single(text, q, p, n, start, end, _SQ_ASCII, True, True)
        if tok is not None:
            out.append(tok)
        q += length
    return out


# --------------------------------------------------------------------------------------------
# Pairing

@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int
    pairs: list[tuple[_Token, _Token]]  # closed pairs, any depth
    pending: list[_Token]  # openers left unclosed at the paragraph end, in text order
    lead: _Token | None  # the opening mark that starts the paragraph, if any


class _Stack:
    """Pending openers, with the positions of each family's openers for constant-time lookup
    (no quadratic search on text with thousands of unmatched marks)."""

    __slots__ = ("items", "where")

    def __init__(self) -> None:
        self.items: list[_Token] = []
        self.where: dict[str, list[int]] = {}

    def push(self, t: _Token) -> None:
        assert t.opens is not None
        self.where.setdefault(t.opens, []).append(len(self.items))
        self.items.append(t)

    def topmost(self, families: frozenset[str]) -> int:
        """Index of the most recent pending opener of one of `families`, or -1."""
        return max((self.where[f][-1] for f in families if self.where.get(f)), default=-1)

    def cut(self, k: int) -> None:
        """Drop the opener at `k` and everything opened after it."""
        del self.items[k:]
        for idx in self.where.values():
            while idx and idx[-1] >= k:
                idx.pop()


def _pair(text: str, start: int, end: int) -> _Paragraph:
    """Pair the marks of one paragraph with a stack.

    A closer closes the most recent pending opener it can close; openers above it are left
    unclosed (“He said ‘no,” she said). Quotations nest (Chicago Manual of Style ch. 13:
    quotations within quotations), so a same-kind opener before any closer does not cancel an
    earlier one (He said “yes and then “no” twice pairs “no”). A plural-possessive-looking
    closer (the Hawks’ coach) closes a pending single quote only if no unambiguous closer for it
    comes before the next single opener in the paragraph.
    """
    toks = _tokens(text, start, end)
    stack = _Stack()
    pairs: list[tuple[_Token, _Token]] = []
    for idx, t in enumerate(toks):
        target = -1
        if t.closes:
            families = t.closes | {t.opens} if t.opens else t.closes
            k = stack.topmost(families)
            if k >= 0 and stack.items[k].opens in t.closes:
                target = k
        if target >= 0 and t.weak and _later_strong_closer(toks, idx, t.closes):
            continue  # an apostrophe after all (weak marks never open)
        if target >= 0:
            pairs.append((stack.items[target], t))
            stack.cut(target)
        elif t.opens is not None:
            stack.push(t)
    lead = toks[0] if toks and toks[0].pos == start and toks[0].opens is not None else None
    return _Paragraph(start, end, pairs, stack.items, lead)


def _later_strong_closer(toks: list[_Token], idx: int, families: frozenset[str]) -> bool:
    """Whether the next mark of these families after `idx` is a closer that is not itself a
    possessive look-alike (then the weak mark at `idx` is an apostrophe)."""
    for k in range(idx + 1, len(toks)):
        t = toks[k]
        if t.closes & families:
            return not t.weak
        if t.opens in families:
            return False
    return False


def find_quotes(text: str, *, min_chars: int = 1) -> list[QuoteSpan]:
    """All paired quotations in text order. Never raises on any string.

    Per paragraph (`paragraph_spans`), marks are paired (see `_pair`); only the outermost
    quotation of a nest is returned (“He said ‘no’ to me,” she said is one span), and opening or
    closing marks that find no partner are skipped.

    Multi-paragraph quotations (AP Stylebook "quotation marks", running quotations; Chicago
    Manual of Style ch. 13): the opening mark starts each paragraph and the closing mark ends
    only the last. When a paragraph has an unclosed opener and the next paragraph begins with an
    opening mark of the same style, the earliest such unclosed opener runs to the end of its
    paragraph (``close_end`` None) and the next paragraph's quotation continues the same
    ``utterance``. Otherwise an unclosed opener gives no span (a paragraph cut off mid-quote).

    Content is stripped of surrounding whitespace; empty content and content shorter than
    `min_chars` characters are left out. Utterance numbers count the returned spans' utterances
    from 0 in text order.
    """
    paras = [_pair(text, s, e) for s, e in paragraph_spans(text)]
    raw: list[tuple[int, int, int, int | None, int, str]] = []
    for pi, para in enumerate(paras):
        cut = para.end  # pairs opening at or after `cut` are inside the unclosed part
        unclosed: _Token | None = None
        nxt = paras[pi + 1].lead if pi + 1 < len(paras) else None
        if nxt is not None and nxt.opens is not None:
            style = _STYLE[nxt.opens]
            for t in para.pending:
                if t.opens is not None and _STYLE[t.opens] == style:
                    unclosed = t
                    cut = t.pos
                    break
        reach = -1
        for o, c in sorted(para.pairs, key=lambda oc: oc[0].pos):
            if o.pos >= cut or o.pos < reach:
                continue  # nested in an outer quotation
            reach = c.end
            assert o.opens is not None
            raw.append((o.end, c.pos, o.pos, c.end, pi, _STYLE[o.opens]))
        if unclosed is not None:
            assert unclosed.opens is not None
            raw.append((unclosed.end, para.end, unclosed.pos, None, pi, _STYLE[unclosed.opens]))

    out: list[QuoteSpan] = []
    utterance = -1
    for start, end, open_start, close_end, pi, style in raw:
        start, end = _trim(text, start, end)
        if start >= end or end - start < min_chars:
            continue
        prev = out[-1] if out else None
        lead = paras[pi].lead
        continues = (
            prev is not None
            and prev.close_end is None
            and prev.paragraph == pi - 1
            and lead is not None
            and lead.pos == open_start
        )
        if not continues:
            utterance += 1
        out.append(QuoteSpan(start, end, open_start, close_end, pi, utterance, style))
    return out
