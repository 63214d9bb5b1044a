"""``reported-headline``: a headline that names its source before a colon and gives the claim
after it, with no reporting verb: "Mayor Doe: Budget Will Fail Without New Taxes.",
"Poll: Voters Sour on the Stadium Plan.".

News headlines drop the verb of saying and keep the colon (the "Name: claim" form of wire and
web headlines); PolNeAR annotates the colon as the cue and the words before it as the source.
The quote rules read the form when the claim is quoted (`quotes.rules.colon`); this step reads
the claim that carries no quote marks, or only some (a mixed claim keeps its partial quote).

It reads only an article's first line (its headline, when the text opens with one), and only
a short one: a colon in running text more often opens a list or an explanation. The source is
a short capitalised phrase; a label that heads a headline rather than naming a source ("The
Latest:", "Breaking:", an all-capitals kicker such as "EXCLUSIVE:") is no source
(``lexicon/headline_labels.txt``). The headline may be split into several sentences by a
tokenizer that takes a capitalised word for a new sentence; the claim runs to the end of the
line whatever the sentences are, so the record's content is given as a character span.
"""

from __future__ import annotations

from .. import lexicon
from ..tree import Sentence, Word
from . import QuoteContext
from .reported import FINITE_TAGS, Reported, _mostly_quoted

#: Punctuation a headline's claim does not end with (the headline's own full stop).
_TRAILING = ".;, \t\u00a0"


def find(sentence: Sentence, quote: QuoteContext, *, text: str, quote_ranges: list[tuple[int, int]],
         max_source_words: int = 5, max_line_words: int = 30, min_claim_words: int = 3,
         quoted_share: float = 0.9) -> list[Reported]:
    """The headline attribution of ``sentence`` when it opens the article's first line with a
    source and a colon. ``max_source_words``: the longest source phrase; ``max_line_words``: a
    longer first line is running text, not a headline; ``min_claim_words``: a shorter claim is a
    label's subject ("Delegate Count: Iowa"); ``quoted_share``: a claim whose letters lie in
    quote marks for at least this share is a quote, left to the quote rules."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    if text[:line_start].strip() or text[line_start:sentence.start].strip():
        return []
    line_end = text.find("\n", sentence.start)
    line_end = len(text) if line_end < 0 else line_end
    if len(text[line_start:line_end].split()) > max_line_words:
        return []
    colon_at = next((i for i, w in enumerate(sentence.words) if w.text == ":"), None)
    if colon_at is None or not 1 <= colon_at <= max_source_words:
        return []
    colon = sentence.words[colon_at]
    source = list(sentence.words[:colon_at])
    if quote.quoted(colon) or any(quote.quoted(w) for w in source) or not _source_like(source):
        return []
    start = colon.end
    while start < line_end and text[start].isspace():
        start += 1
    end = line_end
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    if len(text[start:end].split()) < min_claim_words:
        return []
    if _mostly_quoted(text, start, end, quote_ranges, share=quoted_share):
        return []
    speaker = _source_head(source)
    content = tuple(w.id for w in sentence.words[colon_at + 1:] if w.start >= start and w.end <= end)
    cue = tuple(range(source[0].id, colon.id + 1))
    return [Reported("reported-headline", "speech", sentence, colon, None, speaker, content, cue,
                     span=(start, end))]


def _source_like(source: list[Word]) -> bool:
    """A short capitalised phrase that names someone: every word capitalised but a headline's
    small words (``headline_words``), no headline label, no finite verb (where the sentence
    is tagged), and not all in capitals unless one short word (a kicker: "BREAKING:", "FIX IS
    IN:"; "AP:" and "CNN:" are sources)."""
    small = lexicon.words("headline_words")
    names = [w for w in source if w.upos != "PUNCT"]
    if not names or not names[0].text[:1].isupper():
        return False
    if any(not (w.text[:1].isupper() or w.text[:1].isdigit() or w.text.lower() in small) for w in names):
        return False
    if all(w.text.isupper() for w in names) and (len(names) > 1 or sum(map(str.isalpha, names[0].text)) >= 4):
        return False
    if any(w.upos in ("VERB", "AUX") and w.xpos in FINITE_TAGS for w in names):
        return False  # "Doe Wades In: …", "Doe Endorses Roe: …": a headline of its own, then a claim
    labels = lexicon.words("headline_labels")
    phrase = " ".join(w.text.lower() for w in names)
    return phrase not in labels and names[-1].text.lower() not in labels


def _source_head(source: list[Word]) -> Word:
    """The word that stands for the source: the last capitalised word before the phrase's first
    small word ("Obama" of "Obama on Climate Change"), else its last word."""
    small = lexicon.words("headline_words")
    names = [w for w in source if w.upos != "PUNCT"]
    run: list[Word] = []
    for w in names:
        if run and w.text.lower() in small:
            break
        run.append(w)
    return run[-1]
