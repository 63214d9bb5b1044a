"""``reported-headline``: a headline that names its source before a colon and gives the claim
after it, with no reporting verb: "Mayor Doe: Budget Will Fail Without New Taxes.",
"Poll: Voters Sour on the Stadium Plan."; and a title-case headline whose cue verb a parser
misreads for a noun or a name (`find_verb`): "Mayor Doe Slams Budget Plan.", "Budget Will
Fail, Mayor Doe Says.".

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

from functools import lru_cache

from .. import lexicon
from ..tree import Sentence, Word
from . import QuoteContext
from .reported import FINITE_TAGS, Reported, _mostly_quoted

#: Punctuation a headline's claim does not end with (the headline's own full stop).
_TRAILING = ".;, \t\u00a0"


def _first_line(sentence: Sentence, text: str, max_line_words: int) -> tuple[int, int] | None:
    """(start, end) of the article's first line when ``sentence`` opens it and it is short."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    if text[:line_start].strip() or text[line_start:sentence.start].strip():
        return None
    line_end = text.find("\n", sentence.start)
    line_end = len(text) if line_end < 0 else line_end
    if len(text[line_start:line_end].split()) > max_line_words:
        return None
    return line_start, line_end


def find(sentence: Sentence, quote: QuoteContext, *, text: str, quote_ranges: list[tuple[int, int]],
         max_source_words: int = 5, max_line_words: int = 30, min_claim_words: int = 3,
         quoted_share: float = 0.9) -> list[Reported]:
    """The headline attribution of ``sentence`` when it opens the article's first line with a
    source and a colon. ``max_source_words``: the longest source phrase; ``max_line_words``: a
    longer first line is running text, not a headline; ``min_claim_words``: a shorter claim is a
    label's subject ("Delegate Count: Iowa"); ``quoted_share``: a claim whose letters lie in
    quote marks for at least this share is a quote, left to the quote rules."""
    line = _first_line(sentence, text, max_line_words)
    if line is None:
        return []
    line_end = line[1]
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
    is tagged), and not all in capitals unless one short word (a kicker: "BREAKING:", "TOP
    STORY:"; "AP:" and "CNN:" are sources)."""
    small = lexicon.words("headline_words")
    names = [w for w in source if w.upos != "PUNCT"]
    if not names or not names[0].text[:1].isupper():
        return False
    if not all(_cased(w, small) for w in names):
        return False
    if all(w.text.isupper() for w in names) and (len(names) > 1 or sum(map(str.isalpha, names[0].text)) >= 4):
        return False
    if any(w.upos in ("VERB", "AUX") and w.xpos in FINITE_TAGS for w in names):
        return False  # "Doe Hits Back: …", "Doe Backs Roe: …": a headline of its own, then a claim
    labels = lexicon.words("headline_labels")
    phrase = " ".join(w.text.lower() for w in names)
    return phrase not in labels and names[-1].text.lower() not in labels


def _cased(w: Word, small: frozenset[str]) -> bool:
    """A word as a headline writes it: capitalised, a number, or one of its small words."""
    return w.text[:1].isupper() or w.text[:1].isdigit() or w.text.lower() in small


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


#: Words that end a stance cue's object in a headline: what follows is the scene ("Doe Backs Roe
#: Amid the Scandal", "… After the Debate"), not what was backed.
OBJECT_END_WORDS = frozenset({"after", "amid", "despite", "during", "while", "with", "before", "following"})
#: Opening quote marks, which may open a headline's claim.
OPENING_QUOTES = frozenset("“‘\"'«")
#: Families whose cue, last in a headline after a comma, reports the clause before it
#: ("Budget Will Fail, Mayor Doe Says").
TRAILING_FAMILIES = frozenset({"speech", "belief", "evidence"})


@lru_cache(maxsize=None)
def _cues() -> dict[str, str]:
    """Cue lemmas a headline verb can stand for, with their family: the object cues (with their
    family there, as `quotes.rules.reported` reads them), then every other single-word cue of
    the family lists (its first family that is no intention or stance, else its first)."""
    out: dict[str, str] = {}
    out.update(lexicon.object_cues())
    for lemma, families in lexicon.cue_family_table().items():
        if " " not in lemma:
            usable = [f for f in families if f not in ("intention", "stance")]
            out.setdefault(lemma, usable[0] if usable else families[0])
    return out


def _cue_lemma(form: str) -> str | None:
    """The cue lemma of a headline's present-tense verb in -s ("Slams" -> slam, "Denies" ->
    deny, "Pushes" -> push), or None."""
    low = form.lower()
    if not low.endswith("s") or low.endswith("ss") or len(low) < 4 or not form[:1].isupper():
        return None
    cues = _cues()
    for lemma in (low[:-1], low[:-2] if low.endswith("es") else None,
                  low[:-3] + "y" if low.endswith("ies") else None):
        if lemma and lemma in cues:
            return lemma
    return None


def _title_case(words: list[Word]) -> bool:
    """Every word capitalised but a headline's small words (``headline_words``)."""
    small = lexicon.words("headline_words")
    alpha = [w for w in words if w.text[:1].isalpha()]
    return len(alpha) >= 3 and all(_cased(w, small) for w in alpha)


def _name_like(words: list[Word]) -> bool:
    """A short subject: capitalised words (digits and small words between), no punctuation but
    a possessive's or an abbreviation's, the last one capitalised and no small word."""
    small = lexicon.words("headline_words")
    if not words or not words[-1].text[:1].isupper() or words[-1].text.lower() in small:
        return False
    return all(_cased(w, small) or w.text in ("’s", "'s") for w in words)


def find_verb(sentence: Sentence, quote: QuoteContext, *, text: str, quote_ranges: list[tuple[int, int]],
              earlier: list[Reported] = (), max_subject_words: int = 6, max_line_words: int = 30,
              min_claim_words: int = 3, quoted_share: float = 0.9) -> list[Reported]:
    """The attribution of a title-case headline whose cue is a present-tense verb in -s that a
    parser, misled by the capitals, gives no content: "Mayor Doe Slams Budget Plan." (the
    subject, the cue, the rest of the line: for an object cue even one name, "Doe Endorses
    Roe") and "Budget Will Fail, Mayor Doe Says." (a speech, belief or evidence cue last, after
    a comma and its subject: the clause before the comma). A second act after a comma or "And"
    ("Doe Backs Roe And Denounces Smith") ends the content. Read only where the steps before
    read nothing of the line (``earlier``); ``min_claim_words``: the shortest clause after a
    speech, belief or evidence verb (an object cue's content may be one name)."""
    line = None if earlier else _first_line(sentence, text, max_line_words)
    if line is None:
        return []
    line_end = line[1]
    words = list(sentence.words)
    body = [w for w in words if w.upos != "PUNCT" or w.text not in ".!?"]
    if not _title_case(body) or any(w.text == ":" for w in body):
        return []
    cues = _cues()
    # "Budget Will Fail, Mayor Doe Says.": the cue last, its subject after a comma
    last = body[-1] if body else None
    if last is not None and (lemma := _cue_lemma(last.text)) is not None and cues[lemma] in TRAILING_FAMILIES:
        comma = next((k for k in range(len(body) - 2, 0, -1) if body[k].text == ","), None)
        if comma is not None and 1 <= len(body) - 1 - comma - 1 <= max_subject_words \
                and _name_like(body[comma + 1:-1]) and not quote.quoted(last):
            start, end = body[0].start, body[comma - 1].end
            if len(text[start:end].split()) >= min_claim_words and not _mostly_quoted(
                    text, start, end, quote_ranges, share=quoted_share):
                speaker = body[-2]
                content = tuple(w.id for w in body[:comma])
                return [Reported("reported-headline", cues[lemma], sentence, last, None, speaker, content,
                                 tuple(range(body[comma + 1].id, last.id + 1)), span=(start, end))]
    # "Mayor Doe Slams Budget Plan.": the subject, the cue, the rest of the line
    k = next((i for i, w in enumerate(body) if i >= 1 and _cue_lemma(w.text) is not None), None)
    if k is None or k > max_subject_words or not _name_like(body[:k]) or quote.quoted(body[k]):
        return []
    verb = body[k]
    lemma = _cue_lemma(verb.text)
    family = cues[lemma]
    first = k + 1
    prt = None
    if first < len(body) and f"{lemma} {body[first].text.lower()}" in cues:
        prt = body[first]  # "Calls for a Vote", "Warns of a Crash"
        family = cues[f"{lemma} {prt.text.lower()}"]
        first += 1
    if first >= len(body) or body[first].upos == "PUNCT" and body[first].text not in OPENING_QUOTES:
        return []  # "Doe Shrugs, Leaves …": nothing said after the verb
    objects = lemma in lexicon.object_cues() and family not in TRAILING_FAMILIES
    end_at = len(body)
    for i in range(first + 1, len(body)):
        w = body[i]
        if w.text == ";" or (w.text in (",", "And", "and") and i + 1 < len(body)
                             and _cue_lemma(body[i + 1].text) is not None):
            end_at = i  # "Backs Roe And Denounces Smith", "Says A, Calls B": a second act
            break
        if objects and w.text.lower() in OBJECT_END_WORDS:
            end_at = i  # "Endorses Roe Amid the Scandal": the scene, not what was endorsed
            break
    start = body[first].start
    end = body[end_at - 1].end if end_at < len(body) else line_end
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    n = len(text[start:end].split())
    if lemma not in lexicon.object_cues() and n < min_claim_words:
        return []
    if n < 1 or _mostly_quoted(text, start, end, quote_ranges, share=quoted_share):
        return []
    content = tuple(w.id for w in body[first:end_at])
    cue = tuple(range(body[0].id, (prt or verb).id + 1))
    subject = next((w for w in reversed(body[:k]) if w.upos != "ADV"), body[k - 1])  # "Doe Finally Backs"
    return [Reported("reported-headline", family, sentence, verb, prt, subject, content, cue,
                     span=(start, end))]
