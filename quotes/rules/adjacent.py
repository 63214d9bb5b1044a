"""A short reporting clause right beside the quote, read from word order when the tree is off.

    “…,” Biden said.          “…?” asked the judge.          She said: “…”

Parsers sometimes attach a long quotation anywhere but to its verb. News style is regular
enough that the clause itself tells: a handful of words right after the closing mark (or right
before the opening mark, ending in a comma or colon) holding a reporting verb and a nominal. This
rule runs only after the tree rules found nothing, and takes the verb's own subject when the
parse has one, else the nominal next to the verb.
"""

from __future__ import annotations

from .. import lexicon
from ..tree import Sentence, Word
from . import Attribution, QuoteContext, cue_ids, is_participle, is_reporting, name_head, subject_of
from .lead_paragraph import PERSON_PRONOUNS

NOMINALS = ("PROPN", "PRON", "NOUN", "NUM")
STOPS = ("VERB", "CCONJ", "SCONJ")


def _subject(sentence: Sentence, verb: Word, window: list[Word]) -> Word | None:
    ids = {w.id for w in window}
    times = lexicon.time_words()
    for child in sentence.children(verb.id):
        if child.rel == "nsubj" and child.id in ids and child.text.lower() not in times:
            return child
    # nearest nominal, preferring the one before the verb ("Biden said"), then after ("said Biden")
    before = [w for w in window if w.end <= verb.start and w.upos in NOMINALS and w.text.lower() not in times]
    after = [w for w in window if w.start >= verb.end and w.upos in NOMINALS and w.text.lower() not in times]
    if before:
        # "Jane Doe" for "Doe", when the parse made "Doe" part of the name before it
        return name_head(sentence, before[-1], lambda h: h.id in ids and h.end <= verb.start)
    if after:
        # the head of the phrase after the verb: the last word of the first nominal run
        run = [after[0]]
        for w in window[window.index(after[0]) + 1:]:
            if w.upos in ("PROPN", "NOUN"):
                run.append(w)
            else:
                break
        return run[-1]
    return None


def _cut_at_abbreviation(sentence: Sentence, quote: QuoteContext, following: Sentence) -> bool:
    """The splitter ended the sentence at a title's dot: “…,” Gov. | Kasich replied, or
    “…,” Jane Lee, Mrs. | Roe’s chief of staff, said: the sentence ends in a title
    abbreviation after at most ``max_words`` words of a name."""
    max_words = 5
    after = [w for w in sentence.words if w.start >= quote.hi and w.text not in (",", "”", '"', "’", "''")]
    rest = [w for w in after if w.text != "."]
    if not rest or len(rest) > max_words or not after[-1].text.endswith("."):
        return False
    shortened = lexicon.words("abbreviations") | lexicon.titles()
    *name, last = rest
    return (last.text.rstrip(".").lower() in shortened
            and all(w.upos == "PROPN" or w.text.rstrip(".").lower() in shortened for w in name)
            and not quote.text[sentence.end:following.start].strip())


#: Relations by which a reporting verb carries content of its own (a clause, an object).
CONTENT = ("ccomp", "parataxis", "xcomp", "obj", "iobj", "csubj", "conj")
QUOTE_MARKS = frozenset("\"“”‘’«»„") | {"''", "``"}


def _reported_before(sentence: Sentence, participle: Word, quote: QuoteContext, verbs: frozenset[str]) -> bool:
    """The participle hangs from a reporting verb before the quote: that verb's report holds
    the quote, and the participle adds another."""
    head = sentence.head_of(participle)
    return (head is not None and head.end <= quote.lo and participle.rel in ("advcl", "conj", "xcomp")
            and is_reporting(head, verbs, sentence=sentence))


def _name_aside_verb(sentence: Sentence, quote: QuoteContext, verbs: frozenset[str], *,
                     max_name: int = 6, max_aside: int = 30, max_tail: int = 10) -> Attribution | None:
    """“…,” Harry Doe, 52, of Dayton, Ohio, who was among those surveyed, said. — a name right
    after the quote, a comma, an aside of any shape (ages, places, relative clauses, participles,
    quoted titles), then ", said": the verb is the first reporting verb right after a comma."""
    after = [w for w in sentence.words if w.start >= quote.hi]
    while after and after[0].upos == "PUNCT" and after[0].text != ",":
        after = after[1:]  # the closing mark
    name = []
    for w in after:
        if w.text == ",":
            break
        name.append(w)
    if not 0 < len(name) <= max_name or any(w.upos in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ") for w in name):
        return None
    nominals = [w for w in name if w.upos in ("PROPN", "NOUN")]
    if not nominals:
        return None
    rest = after[len(name):]
    for i, w in enumerate(rest[:max_aside]):
        if w.upos == "PUNCT" and w.text in (".", ";", ":", "!", "?"):
            return None
        if i and rest[i - 1].text == "," and w.upos == "VERB" and is_reporting(w, verbs, sentence=sentence):
            if len([x for x in rest[i + 1:] if x.upos != "PUNCT"]) > max_tail:
                return None
            ids = {x.id for x in name}
            speaker = name_head(sentence, nominals[-1], lambda h: h.id in ids)
            return Attribution(rule="speech-verb", kind="direct", sentence=sentence, speaker=speaker,
                               verb=w, cue_ids=cue_ids(sentence, w, speaker, quote))
    return None


def _without_asides(words: list[Word], *, max_words: int = 15) -> list[Word]:
    """``words`` less an aside set off by commas with no verb in it (“…,” the planner Jane
    Doe, a former clerk at the Port Authority, wrote): the reporting verb comes after it.
    The parser often hangs such an apposition anywhere, so it is read from the commas."""
    commas = [i for i, w in enumerate(words) if w.text == ","]
    for a, b in zip(commas, commas[1:]):
        inside = words[a + 1:b]
        if (a > 0 and 0 < len(inside) <= max_words
                and not any(w.upos in ("VERB", "AUX", "SCONJ", "CCONJ") for w in inside)):
            return words[:a] + _without_asides(words[b + 1:], max_words=max_words)
    return words


def _word_order_report(sentence: Sentence, quote: QuoteContext, verb: Word, speaker: Word) -> Attribution:
    """A report read from word order around the quote: direct when the quote is set off as the
    speaker's own sentence, else a partial quote inside the report."""
    kind = "direct" if quote.set_off() else "partial"
    return Attribution(rule="speech-verb" if kind == "direct" else "partial", kind=kind, sentence=sentence,
                       speaker=speaker, verb=verb, cue_ids=cue_ids(sentence, verb, speaker, quote))


def closing_clause(sentence: Sentence, quote: QuoteContext, *, verbs: frozenset[str],
                   max_words: int = 8) -> Attribution | None:
    """“…” and against the housing law, Doe said. — the sentence ends in a short reporting clause
    after its last comma (a subject and a reporting verb, or the verb and then its subject), which
    reports all of the sentence before it, the quote included. Tried last, when nothing closer
    attributes the quote."""
    words = [w for w in sentence.words if not quote.quoted(w)]
    while words and words[-1].upos == "PUNCT" and words[-1].text in (".", "!"):
        words = words[:-1]
    comma = max((i for i, w in enumerate(words) if w.text == ","), default=None)
    if comma is None:
        return None
    tail = words[comma + 1:]
    if not tail or len(tail) > max_words or tail[0].start < quote.hi or any(w.upos == "PUNCT" for w in tail):
        return None
    verb = next((w for w in tail if w.upos == "VERB" and is_reporting(w, verbs, sentence=sentence)), None)
    if verb is None or any(w.upos in ("VERB", "AUX", "SCONJ", "CCONJ") and w is not verb and w.rel != "aux"
                           for w in tail):
        return None
    speaker = subject_of(sentence, verb, quote) or _subject(sentence, verb, tail)
    if speaker is None or speaker.id not in {w.id for w in tail} or sentence.children(speaker.id, "case"):
        return None  # (", wrote in an email": an oblique is no speaker)
    return _word_order_report(sentence, quote, verb, speaker)


def that_clause(sentence: Sentence, quote: QuoteContext, *, verbs: frozenset[str],
                max_gap: int = 8, max_frame: int = 5) -> Attribution | None:
    """Doe said in a statement that “…” / Doe said that in this climate, “…” — a reporting verb,
    at most ``max_frame`` words of its own (an oblique, an adverb), "that", then at most
    ``max_gap`` words with no verb before the opening mark. The parser often hangs a long quoted
    clause on the oblique instead; the words around it still say whose it is. Tried after the
    tree rules found nothing, a tree-read partial quote included."""
    before = [w for w in sentence.words if w.end <= quote.lo and not quote.quoted(w)]
    tail = []
    for w in reversed(before):
        if w.text.lower() == "that" and w.upos in ("SCONJ", "PRON", "DET"):
            break
        if w.upos in ("VERB", "AUX") or w.text in (".", ";", ":") or len(tail) >= max_gap:
            return None
        tail.append(w)
    else:
        return None
    that = before[len(before) - len(tail) - 1]
    frame = []
    for w in reversed(before[:that.id - before[0].id]):
        if is_reporting(w, verbs, sentence=sentence) and w.upos == "VERB":
            speaker = subject_of(sentence, w, quote)
            if speaker is None:
                return None
            return _word_order_report(sentence, quote, w, speaker)
        if w.upos in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ") or len(frame) >= max_frame:
            return None
        frame.append(w)
    return None


def _bare_clause_after(sentence: Sentence, quote: QuoteContext, following: Sentence | None, *,
                       verbs: frozenset[str], max_words: int = 10) -> Attribution | None:
    """“… are counted.” Doe said. — a quote closed on a full stop, then a sentence that is
    nothing but a reporting clause (a reporting verb as its root, with a subject and no
    content of its own, at most ``max_words`` words): the writer's comma became a stop, and the
    splitter cut there."""
    if quote.span.close_end is None or following is None or following.paragraph != sentence.paragraph:
        return None
    if sentence.end > quote.hi or quote.text[quote.hi:following.start].strip():
        return None
    words = [w for w in following.words if w.upos != "PUNCT"]
    root = next((w for w in following.words if w.head == 0), None)
    if root is None or not words or len(words) > max_words or not is_reporting(root, verbs, sentence=following):
        return None
    if any(quote.quoted(w) or w.text in QUOTE_MARKS for w in following.words):
        return None  # He added, “…”: the next sentence quotes words of its own
    if any(c.rel in CONTENT or c.rel == "cc" or c.lemma.lower() in ("not", "never")
           for c in following.children(root.id)):
        return None  # "Doe said she would win.", "But Roe did not respond.": a report of its own
    speaker = subject_of(following, root, quote)
    if speaker is None or speaker.deprel != "nsubj" or not (
            speaker.upos == "PROPN" or speaker.text.lower() in PERSON_PRONOUNS
            or speaker.upos == "NOUN" and following.children(speaker.id, "det")):
        return None  # "The plan was reported by the paper.": not a speaker
    rule = "speech-verb-inverted" if speaker.start > root.start else "speech-verb"
    return Attribution(rule=rule, kind="direct", sentence=following, speaker=speaker, verb=root,
                       cue_ids=cue_ids(following, root, speaker, quote))


def find(sentence: Sentence, quote: QuoteContext, *, verbs: frozenset[str],
         max_words: int = 12, following: Sentence | None = None) -> Attribution | None:
    """``following``: the next sentence of the paragraph, for when a sentence splitter cut
    “…,” | Biden said. after the closing mark."""
    content = quote.text[quote.span.start:quote.span.end].rstrip()
    if quote.span.close_end is not None and content[-1:] in (",", "?", "!", "—"):
        window = []
        if following is not None and following.paragraph == sentence.paragraph and (
            (sentence.end <= quote.hi and not quote.text[quote.hi:following.start].strip())
            or _cut_at_abbreviation(sentence, quote, following)
        ):
            sentence = following
        for w in sentence.words:
            if w.start < quote.hi:
                continue
            if w.upos == "PUNCT" and w.text in ("“", '"', "‘", "«", ".", ";", ":"):
                break
            window.append(w)
        window = _without_asides(window)[:max_words + 1]
        verb = next((w for w in window if is_reporting(w, verbs, nouns_too=True, sentence=sentence) and not quote.quoted(w)), None)
        if verb is not None and is_participle(verb) and _reported_before(sentence, verb, quote, verbs):
            verb = None  # Doe said Roe stands for “…,” stating that …: the report before is the cue
        if verb is not None and not any(w.upos in STOPS for w in window if w.start < verb.start):
            # “…,” adding that it was … — a participle never takes the words after it as its
            # subject: only the one it shares with the verb it hangs from
            speaker = subject_of(sentence, verb, quote) if is_participle(verb) else _subject(sentence, verb, window)
            if speaker is not None:
                rule = "speech-verb-inverted" if speaker.start > verb.start else "speech-verb"
                return Attribution(rule=rule, kind="direct", sentence=sentence, speaker=speaker,
                                   verb=verb, cue_ids=cue_ids(sentence, verb, speaker, quote))
        found = _name_aside_verb(sentence, quote, verbs)
        if found is not None:
            return found
    before = quote.text[: quote.lo].rstrip()
    if before[-1:] in (",", ":"):
        window = [w for w in sentence.words if w.end <= len(before)]
        if window and window[-1].upos == "PUNCT":
            window = window[:-1]
        window = window[-max_words:]
        verbs_in = [w for w in window if is_reporting(w, verbs, sentence=sentence)]
        if verbs_in:
            verb = verbs_in[-1]
            tail = [w for w in window if w.start > verb.end]
            if len(tail) <= 3 and not any(w.upos in STOPS for w in tail):
                if is_participle(verb):
                    # "…, telling Reuters, “…”": a participle's subject is not the word before it
                    speaker = subject_of(sentence, verb, quote)
                    head = sentence.head_of(verb)
                    if speaker is None and head is not None and verb.rel == "ccomp" and not quote.contains(head):
                        # "she said, adding, “…”" with "adding" parsed as what she said
                        speaker = subject_of(sentence, head, quote)
                else:
                    # the tree's subject first (shook her head and said, “…”: said shares
                    # shook's subject), else the nominal before the verb
                    speaker = subject_of(sentence, verb, quote) or _subject(
                        sentence, verb, [w for w in window if w.end <= verb.start] or window)
                if speaker is not None:
                    return Attribution(rule="colon" if before.endswith(":") else "speech-verb",
                                       kind="direct", sentence=sentence, speaker=speaker, verb=verb,
                                       cue_ids=cue_ids(sentence, verb, speaker, quote))
    return _bare_clause_after(sentence, quote, following, verbs=verbs)
