"""The matcher: quote spans + parsed sentences of one article -> `Quote` records.

The order is written once, here, top to bottom; the rules themselves are steps of the registry
(`quotes.rules.registry`), walked in its order:

1. pair quote marks (``marks.find_quotes``);
2. for each quote, walk the registry's quote steps (``QUOTE_STEPS``) over the sentences it touches
   and their neighbours (`registry.QuoteSite`): the first step that attributes the quote wins —
   a reporting verb, "according to", a trailing dash, a reporting clause beside the quote, a
   partial quote inside reported speech, then the lead-ins before it; a speaker who is spoken
   to ("Trump was asked, “…”") is no speaker;
3. a quote with no attribution of its own takes the speaker of the paragraph run it continues
   (multi-paragraph quotes, then "floating" continuation quotes);
4. walk the registry's cue steps (``CUE_STEPS``: reported speech) over every parsed sentence and
   merge what they find with the quotes, in text order (a partial quote inside reported content
   shares its utterance);
5. resolve each speaker mention to a canonical name;
6. tell quotes from titles, nicknames and scare quotes: a short quote with no attribution is
   kind ``other`` and is left out unless asked for.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from collections.abc import Iterable

from . import lexicon
from .marks import QuoteSpan, find_quotes
from .record import Quote, Span, Verb
from .rules import (Attribution, QuoteContext, is_participle, particle, registry, repair_punctuation, spoken_to,
                    title_case, verb_lemma)
from .speakers import Resolver, mention_words
from .tree import Sentence


@dataclass
class _Item:
    span: QuoteSpan
    sentence: Sentence | None
    attribution: Attribution | None = None
    rule: str | None = None
    kind: str = "direct"
    utterance: int = 0
    inherit_from: "_Item | None" = None
    group: "_Item | None" = None  # the first item of this item's utterance
    speaker: str | None = None
    speaker_span: Span | None = None


def _word_count(text: str) -> int:
    return len(text.split())


def _sentences_for(span: QuoteSpan, sentences: list[Sentence], starts: list[int]) -> list[Sentence]:
    """Sentences overlapping the quote (marks included): closing one first, then opening one."""
    lo = span.open_start
    hi = span.close_end if span.close_end is not None else span.end
    i = max(0, bisect.bisect_right(starts, lo) - 1)
    hit: list[Sentence] = []
    while i < len(sentences) and sentences[i].start < hi:
        if sentences[i].end > lo:
            hit.append(sentences[i])
        i += 1
    if len(hit) <= 1:
        return hit
    return [hit[-1], hit[0], *hit[1:-1]]


def _previous_sentence(span: QuoteSpan, sentences: list[Sentence], starts: list[int]) -> Sentence | None:
    i = bisect.bisect_right(starts, span.open_start) - 1
    while i >= 0 and sentences[i].end > span.open_start:
        i -= 1
    return sentences[i] if i >= 0 else None


def _next_sentence(span: QuoteSpan, sentences: list[Sentence], starts: list[int]) -> Sentence | None:
    """The first sentence that starts at or after the end of the quote (its closing mark included)."""
    hi = span.close_end if span.close_end is not None else span.end
    i = bisect.bisect_left(starts, hi)
    return sentences[i] if i < len(sentences) else None


def _attribute(site: registry.QuoteSite) -> Attribution | None:
    """Walk the registry's quote steps in order: the first that attributes the quote wins. The
    speaker found is never the one spoken to (“Trump was asked, “…”": no speaker)."""
    for step in registry.QUOTE_STEPS:
        found = step.run(site)
        if found is not None:
            if spoken_to(found.sentence, found.verb, found.speaker):
                found = dataclasses.replace(found, speaker=None)
            return found
    return None


def extract_quotes(
    text: str,
    sentences: list[Sentence],
    *,
    article: str = "-",
    model: str | None = None,
    include_other: bool = False,
    min_words: int = 3,
    max_depth: int = 5,
    continuation_paragraphs: int = 1,
    verbs: frozenset[str] | None = None,
    spans: list[QuoteSpan] | None = None,
    reported_speech: bool = True,
    kinds: tuple[str, ...] | None = None,
) -> list[Quote]:
    """Every quotation of one parsed article as `Quote` records, in text order.

    ``min_words``: a quote with no attribution and fewer words is a title, nickname or scare
    quote (kind ``other``). ``max_depth``: how deep below a reporting verb a partial quote may
    sit. ``continuation_paragraphs``: how many paragraphs a speaker's run of quotes may go on
    without a new attribution (a paragraph with no quote always ends it). ``reported_speech``:
    also read attributions without quote marks (kind ``indirect``, `quotes.rules.reported`).
    ``kinds``: keep only records of these kinds (default: all; ``other`` only with
    ``include_other``).
    """
    verbs = verbs if verbs is not None else lexicon.reporting_verbs()
    dashes = lexicon.dashes()
    spans = spans if spans is not None else find_quotes(text)
    sentences = prepared(sentences)
    starts = [s.start for s in sentences]
    items: list[_Item] = []
    others = quote_bounds(spans)
    for span in spans:
        site = registry.QuoteSite(
            quote=QuoteContext(text=text, span=span, others=others),
            touched=tuple(_sentences_for(span, sentences, starts)),
            previous=_previous_sentence(span, sentences, starts), following=_next_sentence(span, sentences, starts),
            verbs=verbs, dashes=dashes, max_depth=max_depth)
        item = _Item(span=span, sentence=site.first, utterance=span.utterance)
        item.attribution = _attribute(site)
        if item.attribution is not None:
            item.rule = item.attribution.rule
            item.kind = item.attribution.kind
        items.append(item)

    _link_runs(items, text, continuation_paragraphs=continuation_paragraphs, min_words=min_words)
    if reported_speech:
        partials = tuple((i.span.open_start, i.span.close_end if i.span.close_end is not None else i.span.end,
                          i.attribution) for i in items if i.kind == "partial" and i.attribution is not None)
        items = _merge_reported(items, _reported_items(sentences, cue_site(text, others, partials=partials)))
    _renumber_utterances(items)

    resolver = Resolver(text, sentences, quote_ranges=[
        (i.span.open_start, i.span.close_end if i.span.close_end is not None else i.span.end)
        for i in items if i.kind != "indirect"
    ])
    records: list[Quote] = []
    # speakers are resolved in text order of their mentions: a pronoun takes the latest name
    for item in sorted(items, key=_mention_order):
        a = item.attribution
        if a is not None and a.speaker is not None:
            quote = QuoteContext(text=text, span=item.span) if item.kind != "indirect" else QuoteContext(
                text=text, span=_NOWHERE, others=others)
            mention = mention_words(a.sentence, a.speaker, quote)
            if item.kind == "indirect":
                mention = _this_side_of_cue(mention, a.speaker, a.verb)
            item.speaker_span = Span(text[mention[0].start:mention[-1].end], mention[0].start, mention[-1].end)
            # reported speech names reports and polls too ("the survey found"): only a person's
            # name or a pronoun is someone a later "he" can stand for
            remember = item.kind != "indirect" or a.speaker.upos in ("PROPN", "PRON")
            item.speaker = resolver.resolve(a.sentence, a.speaker, mention, remember=remember)
            if (item.kind == "indirect" and a.verb is not None and a.speaker.upos != "PRON"
                    and a.verb.text in item.speaker.split()):
                # a name the resolver built across the cue ("Doe Slams Budget Plan" from a title-case
                # headline parsed as one name) is no name: the mention says who
                item.speaker = item.speaker_span.text
    wanted = set(kinds) if kinds is not None else None
    for item in items:
        # after every attribution is resolved: a multi-paragraph quote's earlier paragraphs
        # inherit from the paragraph that carries the attribution, which comes later
        if item.speaker is None and item.inherit_from is not None:
            item.speaker = item.inherit_from.speaker
        if item.kind == "other" and not include_other:
            continue
        if wanted is not None and item.kind not in wanted:
            continue
        records.append(_record(item, text, article=article, model=model, index=len(records)))
    return records


#: A quote span that holds no word: the context reported speech is read in (no quote of its own).
_NOWHERE = QuoteSpan(start=-1, end=-1, open_start=-1, close_end=-1, paragraph=-1, utterance=-1, style="none")


def _this_side_of_cue(mention: list, speaker, verb) -> list:
    """A reported attribution's speaker mention never reaches across its own cue word, where a
    bad parse hung the content on the speaker ("Doe: Budget Will Fail" in title case, the colon
    the cue): the words on the speaker's side of the cue, no punctuation at their edges."""
    if verb is None or not any(w.id == verb.id for w in mention):
        return mention
    out = [w for w in mention if (w.id < verb.id) == (speaker.id < verb.id) and w.id != verb.id]
    while len(out) > 1 and out[0].upos == "PUNCT":
        out = out[1:]
    while len(out) > 1 and out[-1].upos == "PUNCT":
        out = out[:-1]
    return out or mention


def _mention_order(item: _Item) -> int:
    a = item.attribution
    if a is not None and a.speaker is not None:
        return a.speaker.start
    return item.span.open_start


def prepared(sentences: Iterable[Sentence]) -> list[Sentence]:
    """An article's sentences as the matcher reads them: in text order, punctuation repaired
    (`repair_punctuation`). The cue scorer's trainer reads them the same way."""
    return sorted((repair_punctuation(s) for s in sentences), key=lambda s: s.start)


def quote_bounds(spans: Iterable[QuoteSpan]) -> tuple[tuple[int, int], ...]:
    """(start, end) of each quote, marks included (to its end where it never closes)."""
    return tuple((q.open_start, q.close_end if q.close_end is not None else q.end) for q in spans)


def cue_site(text: str, others: tuple[tuple[int, int], ...], *,
             partials: tuple[tuple[int, int, Attribution], ...] = ()) -> registry.CueSite:
    """What the cue steps read besides a sentence: the article and its quotes (``others``,
    `quote_bounds`), so that no cue or speaker is read inside a quotation, and the partial
    quotes the quote steps attributed (``partials``: start and end with marks, attribution)."""
    return registry.CueSite(text=text, quotes=QuoteContext(text=text, span=_NOWHERE, others=others),
                            quote_ranges=sorted(others), partials=partials)


def _reported_items(sentences: list[Sentence], site: registry.CueSite) -> list[_Item]:
    """Walk the registry's cue steps over every parsed sentence, in order: reported speech, as items."""
    out: list[_Item] = []
    for sentence in sentences:
        earlier: list = []
        for step in registry.CUE_STEPS:
            got = list(step.run(sentence, site, earlier))
            earlier += got
            for r in got:
                start, end = r.content_span()
                span = QuoteSpan(start=start, end=end, open_start=start, close_end=end,
                                 paragraph=sentence.paragraph, utterance=-1, style="none")
                attribution = Attribution(rule=r.rule, kind="indirect", sentence=sentence, speaker=r.speaker,
                                          verb=r.verb, verb_last=r.verb_last, cue_ids=r.cue_ids, family=r.family,
                                          score=r.score)
                out.append(_Item(span=span, sentence=sentence, attribution=attribution, rule=r.rule,
                                 kind="indirect"))
    return out


def _merge_reported(items: list[_Item], found: list[_Item]) -> list[_Item]:
    """Quote items and reported-speech items in one text order. A partial quote inside reported
    content shares its utterance (the issue's mixed attribution: one indirect record for the
    content, the partial record for the quoted words)."""
    partials = [q for q in items if q.kind == "partial"]
    for r in found:
        inside = next((q for q in partials if r.span.start <= q.span.start and q.span.end <= r.span.end + 1), None)
        if inside is not None:
            r.group = inside.group or inside
    return sorted(items + found, key=lambda i: (i.span.start, i.kind == "indirect"))


def _link_runs(items: list[_Item], text: str, *, continuation_paragraphs: int, min_words: int) -> None:
    """Give quotes without an attribution the speaker of the run they continue."""
    # 1. paragraphs of one multi-paragraph quote share the attribution found on any of them
    by_utterance: dict[int, list[_Item]] = {}
    for item in items:
        by_utterance.setdefault(item.span.utterance, []).append(item)
    for group in by_utterance.values():
        if len(group) < 2:
            continue
        source = next((i for i in group if i.attribution is not None and i.kind == "direct"), None)
        if source is None:
            continue
        for i in group:
            i.group = group[0]
            if i.attribution is None:
                i.inherit_from, i.rule, i.kind = source, "multi-paragraph", "direct"

    # 2. floating quotes continue the latest direct quote of an unbroken run of quoted paragraphs
    quoted_paragraphs = {i.span.paragraph for i in items}
    last: _Item | None = None
    partial: _Item | None = None  # the latest attributed partial quote
    for item in items:
        if item.attribution is not None:
            a = item.attribution
            if item.kind == "partial" and a.speaker is not None:
                partial = item
            if (a.speaker is None and a.verb is not None and is_participle(a.verb)
                    and last is not None and last.span.paragraph == item.span.paragraph):
                # “…,” he said, adding, “…”: a participle with no subject the parse can reach
                # goes on with the speaker of the quote before it
                item.inherit_from = last.inherit_from or last
            if item.kind == "direct" or _reported_after(item, text):
                last = item
            elif last is not None and not _same_speaker_word(item, last):
                last = None
            continue
        if item.inherit_from is not None:
            last = item
            continue
        words = _word_count(text[item.span.start:item.span.end])
        if (partial is not None and (last is None or partial.span.open_start > last.span.open_start)
                and words >= min_words and _after_partial(item, partial, text)):
            last = partial
        if last is not None and words >= min_words and _continues(item, last, quoted_paragraphs,
                                                                  continuation_paragraphs, text):
            item.inherit_from = last.inherit_from or last
            item.rule, item.kind = "continuation", "direct"
            item.group = last.group or last
            last = item
            continue
        if words >= max(min_words, 6) and _sentence_like(text, item.span):
            item.rule, item.kind = "unattributed", "direct"
        else:
            item.rule, item.kind = "other", "other"


def _reported_after(item: _Item, text: str) -> bool:
    """A partial quote whose reporting clause follows it and ends its sentence
    (“make the name known” in the city, Mr. Doe said.): the next quote of the
    paragraph goes on with the same speaker, as after a direct quote."""
    a = item.attribution
    if a is None or a.verb is None or a.verb.start < item.span.open_start:
        return False
    tail = text[a.verb.end:a.sentence.end]
    return len(tail.split()) <= 4 and tail.rstrip()[-1:] in (".", "!")


def _after_partial(item: _Item, partial: _Item, text: str) -> bool:
    """A whole quoted sentence right after a sentence that carries an attributed partial quote,
    in the same paragraph (Doe said she found Roe “very quiet,” and also kind. “At that time,
    everyone wanted to be Roe.”): the same speaker goes on. AP Stylebook, "quotation
    marks": a new speaker needs a new attribution, so a bare quote continues the last one."""
    if item.span.paragraph != partial.span.paragraph or not _sentence_like(text, item.span):
        return False
    end = partial.span.close_end if partial.span.close_end is not None else partial.span.end
    between = text[end:item.span.open_start].rstrip()
    # a sentence ends between them (“very quiet,” and also kind. “At that …”), or the partial
    # quote ended one (… “very quiet.” “At that …”); a second fragment of the same sentence
    # (called it “X” and “Y”) does neither
    ends = between[-1:] in (".", "!", "?") if between else text[partial.span.end - 1:partial.span.end] in (".", "!", "?")
    return len(between.split()) <= 3 and ends


def _same_speaker_word(item: _Item, last: _Item) -> bool:
    a, b = item.attribution, (last.inherit_from or last).attribution
    return a is not None and b is not None and a.speaker is not None and b.speaker is not None and (
        a.speaker.text.lower() == b.speaker.text.lower()
    )


def _continues(item: _Item, last: _Item, quoted: set[int], window: int, text: str) -> bool:
    p0, p1 = last.span.paragraph, item.span.paragraph
    if p1 - p0 > window or p1 < p0:
        return False
    if any(p not in quoted for p in range(p0 + 1, p1)):
        return False
    if p1 == p0:
        # in the same paragraph, a title-cased quote that runs into the sentence is a title
        # (the author of “Rivers and Roads”, the network’s “Morning Hour”), not more words
        before = text[:item.span.open_start].rstrip(" \t\u00a0")
        set_off = not before or before[-1] in "\n\r.?!,:;—–-…\"”’'"
        return set_off or not title_case(text[item.span.start:item.span.end])
    # a new paragraph continues the run only when it opens with the quote
    para_start = text.rfind("\n", 0, item.span.open_start) + 1
    return not text[para_start:item.span.open_start].strip()


def _sentence_like(text: str, span: QuoteSpan) -> bool:
    content = text[span.start:span.end].strip()
    return bool(content) and (content[0].isupper() or content[0].isdigit()) and content[-1] in ".?!,…"


def _renumber_utterances(items: list[_Item]) -> None:
    """Number utterances in text order; items of one utterance share their first item's id."""
    ids: dict[int, int] = {}
    for item in items:
        root = item.group or item
        if id(root) not in ids:
            ids[id(root)] = len(ids)
        item.utterance = ids[id(root)]


def _record(item: _Item, text: str, *, article: str, model: str | None, index: int) -> Quote:
    a = item.attribution
    src = a if a is not None else (item.inherit_from.attribution if item.inherit_from else None)
    verb = cue = None
    if src is not None and src.verb is not None:
        last = src.verb_last or src.verb
        if src.verb_last is None:
            lemma = verb_lemma(src.verb, lexicon.reporting_verbs(), nouns_too=True,
                               sentence=src.sentence) or src.verb.lemma.lower()
            if " " in lemma:  # a phrasal cue: "shot back" when the particle follows the verb
                prt = particle(src.sentence, src.verb, lexicon.reporting_verbs())
                if prt is not None and prt.id == src.verb.id + 1:
                    last = prt
        else:
            # "called for" -> "call for"; "according to" stays as written (its lemma is "accord")
            head = src.verb.text.lower() if src.verb.text.lower() == "according" else src.verb.lemma.lower()
            lemma = f"{head} {last.text.lower()}"
        verb = Verb(text[src.verb.start:last.end], lemma, src.verb.start, last.end)
    if src is not None and src.cue_ids:
        first, end = src.sentence.word(src.cue_ids[0]), src.sentence.word(src.cue_ids[-1])
        cue = Span(text[first.start:end.end], first.start, end.end)
    speaker_span = item.speaker_span
    if speaker_span is None and item.inherit_from is not None:
        speaker_span = item.inherit_from.speaker_span
    family = None
    if src is not None and verb is not None:
        family = src.family or _family_of(verb)
    confidence = registry.confidence(item.rule or "other")
    if a is not None and a.score is not None:
        # a scored reading: the scorer's own probability, at most the rule's precision
        confidence = min(confidence, round(a.score, 2))
    if a is not None and a.speaker is None:
        confidence = round(confidence * 0.6, 2)
    return Quote(
        article=article, index=index, kind=item.kind, text=text[item.span.start:item.span.end],
        start=item.span.start, end=item.span.end, paragraph=item.span.paragraph,
        sentence=item.sentence.index if item.sentence is not None else None,
        speaker=item.speaker, speaker_span=speaker_span, verb=verb, cue=cue, cue_family=family,
        utterance=item.utterance, rule=item.rule, confidence=confidence, model=model,
    )


def _family_of(verb: Verb) -> str:
    """The cue family of a quote's cue: "according to" has its own; a colon or dash stands for
    a speech verb; a verb takes its first family in the lexicon (speech for reporting verbs)."""
    if verb.lemma == "according to":
        return "according-to"
    families = lexicon.cue_family_table().get(verb.lemma)
    return families[0] if families else "speech"
