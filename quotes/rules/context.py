"""What a rule reads and returns: the quote span in its article (`QuoteContext`) and what the
rule found (`Attribution`)."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from ..marks import QuoteSpan
from ..tree import Sentence, Word


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
    score: float | None = None  # a learned scorer's probability that the reading is right, if one made it


#: Regular English inflections, tried when a lemmatizer leaves a rare verb form as it is
#: ("quipped" -> "quip"): (suffix, replacement), longest first.
