"""Speaker mentions and their canonical names within one article.

`mention_words` expands the head word a rule found into the mention ("US Secretary of State
Antony Blinken"): its subtree over compound, flat, appos, amod, nmod, det and conj, never
clauses or the quote itself. `Resolver` gives each mention the canonical name of the person:

- a name ("Blinken", "Xi") becomes the fullest earlier name that contains it ("Antony Blinken",
  "Xi Jinping"), the way a reader links a surname back to the first full mention;
- a pronoun ("he", "it") becomes the latest speaker or subject name before it;
- a title alone ("the president") becomes the latest name that title preceded
  ("President William Lai" -> "William Lai");
- anything else stays as written (organisations and groups speak too).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .rules import QuoteContext
from .tree import Sentence, Word

MENTION_STOP_RELS = ("acl", "acl:relcl", "advcl", "parataxis", "ccomp", "xcomp", "dep", "punct",
                     "csubj", "vocative", "discourse", "list", "orphan", "reparandum")
NAME_LINKS = ("flat", "flat:name", "compound", "flat:foreign")


#: Relative pronouns: a speaker mention that names its antecedent ("Buchanan, who said").
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})


def mention_words(sentence: Sentence, head: Word, quote: QuoteContext | None = None) -> list[Word]:
    """The contiguous words of the mention headed by ``head`` (never reaching into the quote)."""
    words = sentence.subtree(head.id, exclude=MENTION_STOP_RELS)
    # the head's own preposition is not part of the name: "according to the ministry" -> "the
    # ministry", "by Smith" -> "Smith" (case words deeper down stay: "Secretary of State")
    marker = {x.id for c in sentence.children(head.id, "case") for x in sentence.subtree(c.id)}
    # "US Air Force leaders on Thursday": a time phrase the parser hung on the name is no part of it
    times = lexicon.time_words()
    marker |= {x.id for c in sentence.children(head.id) if c.text.lower() in times and c.id > head.id
               for x in sentence.subtree(c.id)}
    words = [w for w in words if w.id not in marker]
    if quote is not None:
        words = [w for w in words if not quote.contains(w)]
    ids = {w.id for w in words}
    lo = hi = head.id
    while lo - 1 in ids or (lo - 1 >= 1 and sentence.word(lo - 1).upos == "PUNCT" and lo - 2 in ids):
        lo -= 1
    while hi + 1 in ids or (hi + 1 <= len(sentence.words) and sentence.word(hi + 1).upos == "PUNCT" and hi + 2 in ids):
        hi += 1
    out = [sentence.word(i) for i in range(lo, hi + 1)]
    while out and out[0].upos == "PUNCT":
        out.pop(0)
    while out and out[-1].upos == "PUNCT":
        out.pop()
    # keep brackets balanced: "President William Lai (賴清德)"
    if out and sum(w.text == "(" for w in out) > sum(w.text == ")" for w in out):
        nxt = out[-1].id + 1
        if nxt <= len(sentence.words) and sentence.word(nxt).text == ")" and not (
            quote is not None and quote.contains(sentence.word(nxt))
        ):
            out.append(sentence.word(nxt))
    return out or [head]


def name_words(sentence: Sentence, head: Word) -> list[Word]:
    """The proper-name run around ``head`` ("Antony Blinken" in "Secretary of State Antony Blinken").

    Adjacent PROPN words linked to each other by flat/compound, without title words.
    """
    if head.upos != "PROPN":
        # "the president William Lai": the name is an appos/flat child
        # (a PROPN compound on a common noun is a modifier: "the US Department" is no name)
        kids = [c for c in sentence.children(head.id, "appos", "flat") if c.upos == "PROPN"]
        if not kids:
            return []
        head = kids[-1]
    titles = lexicon.titles()
    # every PROPN reachable through name links, down (a flat/compound child) or up (the word a
    # linked word is the flat/compound of)
    linked = {head.id}
    todo = [head]
    while todo:
        x = todo.pop()
        near = [c for c in sentence.children(x.id) if c.deprel in NAME_LINKS]
        if x.head and x.deprel in NAME_LINKS:
            near.append(sentence.word(x.head))
        for w in near:
            if w.id not in linked and w.upos == "PROPN":
                linked.add(w.id)
                todo.append(w)
    lo = hi = head.id
    while lo - 1 in linked:
        lo -= 1
    while hi + 1 in linked:
        hi += 1
    run = [sentence.word(i) for i in range(lo, hi + 1)]
    # titles split the run ("Secretary of State Antony Blinken", "President Joe Biden"): keep
    # the piece after the last title word, the name itself
    last_title = max((i for i, w in enumerate(run) if w.text.lower() in titles), default=-1)
    return run[last_title + 1:]


def _main_clause(sentence: Sentence, word: Word) -> bool:
    """A subject of the sentence's main verb (or a verb coordinated with it), not of a clause
    inside it: "Biden played it down as Blinken was heading to China" -> Biden."""
    head = sentence.head_of(word)
    while head is not None and head.rel == "conj":
        head = sentence.head_of(head)
    return head is None or head.head == 0


def _last_name_run(mention: list[Word], titles: frozenset[str]) -> list[Word]:
    run: list[Word] = []
    for w in mention:
        if w.upos == "PROPN" and w.text.lower() not in titles:
            run = run + [w] if run and run[-1].id == w.id - 1 else [w]
        elif w.text.lower() in titles:
            run = []
    return run


@dataclass
class _Name:
    tokens: tuple[str, ...]
    start: int
    title: str | None  # the title word right before the name, lowercased
    subject: bool


class Resolver:
    """Canonical names for speaker mentions of one article, read in text order."""

    def __init__(self, text: str, sentences: list[Sentence], *,
                 quote_ranges: list[tuple[int, int]] = (), max_name_words: int = 5):
        """``max_name_words``: a longer run of capitalised words is a headline ("City Water
        Report Quietly Shows The Gap Between …"), never a person's name."""
        self.text = text
        self.max_name_words = max_name_words
        inside = sorted(quote_ranges)
        self.names: list[_Name] = []
        self.speakers: list[tuple[int, str]] = []  # (offset, canonical) of resolved speakers
        titles = lexicon.titles()
        for s in sentences:
            if not s.parsed:
                self._names_from_tags(s, titles, inside)
                continue
            # runs of adjacent proper nouns too, as fuller forms only (no subject flag): a parse
            # that hangs "Antony" and "Blinken" on different heads must not lose the full name
            self._names_from_tags(s, titles, inside, subjects=False)
            seen: set[int] = set()
            for w in s.words:
                if w.upos != "PROPN" or w.id in seen:
                    continue
                if w.head and s.word(w.head).upos == "PROPN" and w.deprel in NAME_LINKS:
                    continue  # not the head of its name
                run = name_words(s, w)
                if not run:
                    continue
                seen.update(x.id for x in run)
                if len(run) > max_name_words:
                    continue
                before = s.word(run[0].id - 1) if run[0].id > 1 else None
                title = before.text.lower() if before is not None and before.text.lower() in titles else None
                quoted = any(lo <= run[0].start < hi for lo, hi in inside)
                self.names.append(_Name(
                    tokens=tuple(x.text for x in run), start=run[0].start, title=title,
                    subject=w.rel == "nsubj" and not quoted and _main_clause(s, w),
                ))

    def _names_from_tags(self, s: Sentence, titles: frozenset[str], inside: list, *,
                         subjects: bool = True) -> None:
        """Names in a sentence that was tagged but not parsed: runs of adjacent PROPN words.

        A run followed by a verb (within two words) counts as a subject, as in "Blinken said".
        """
        words = s.words
        i = 0
        while i < len(words):
            if words[i].upos != "PROPN" or not words[i].text[:1].isalnum():  # not a tagger's ‘not
                i += 1
                continue
            j = i
            while j + 1 < len(words) and words[j + 1].upos == "PROPN" and words[j + 1].text[:1].isalnum():
                j += 1
            run = [w for w in words[i:j + 1]]
            last_title = max((k for k, w in enumerate(run) if w.text.lower() in titles), default=-1)
            title_word = run[last_title] if last_title >= 0 else (words[i - 1] if i > 0 else None)
            run = run[last_title + 1:]  # "Chinese President Xi Jinping" -> "Xi Jinping"
            if run and len(run) <= self.max_name_words:
                title = title_word.text.lower() if title_word is not None and title_word.text.lower() in titles else None
                after = words[j + 1:j + 3]
                # "Blinken said", "Blinken has said"; not "in Virginia is", "the House voted"
                # (a determiner or preposition before the run makes it a non-subject or not a person)
                lead = words[i - 1] if i > 0 else None
                subject = subjects and len(after) > 0 and (
                    after[0].upos in ("VERB", "AUX")
                    or (after[0].upos == "ADV" and any(w.upos in ("VERB", "AUX") for w in after[1:]))
                ) and not (lead is not None and lead.upos in ("ADP", "DET") and title is None) and len(run) <= 4
                # (a longer run of capitals is a headline, "Christie Calls Clinton ‘A Disgrace’")
                quoted = any(lo <= run[0].start < hi for lo, hi in inside)
                self.names.append(_Name(tokens=tuple(w.text for w in run), start=run[0].start,
                                        title=title, subject=subject and not quoted))
            i = j + 1

    def _fullest(self, tokens: tuple[str, ...], *, before: int) -> tuple[str, ...]:
        best = tokens
        n = len(tokens)
        for name in self.names:
            if name.start > before and name.tokens != tokens:
                continue
            t = name.tokens
            if len(t) > len(best) and any(t[i:i + n] == tokens for i in range(len(t) - n + 1)):
                best = t
        return best

    def _join(self, tokens: tuple[str, ...]) -> str:
        return " ".join(tokens)

    def resolve(self, sentence: Sentence, head: Word, mention: list[Word]) -> str:
        """The canonical name for the mention headed by ``head``; remembers it for pronouns."""
        at = mention[0].start
        canonical = self._resolve(sentence, head, mention, at)
        self.speakers.append((at, canonical))
        return canonical

    def _resolve(self, sentence: Sentence, head: Word, mention: list[Word], at: int) -> str:
        surface = self.text[mention[0].start:mention[-1].end]
        clause = sentence.head_of(head)
        if head.text.lower() in RELATIVE_PRONOUNS and clause is not None and clause.deprel == "acl:relcl":
            # "Pat Buchanan, who said …": the mention stays "who", the name is Buchanan's
            antecedent = sentence.head_of(clause)
            if antecedent is not None and antecedent.upos in ("PROPN", "NOUN"):
                return self._resolve(sentence, antecedent, mention_words(sentence, antecedent), at)
        pronouns = lexicon.pronouns()
        if head.upos == "PRON" or head.text.lower() in pronouns:
            cls = pronouns.get(head.text.lower())
            if cls is None:
                return surface
            return self._antecedent(at) or surface
        name = name_words(sentence, head)
        titles = lexicon.titles()
        if not name and head.text.lower() in titles:
            # "British Member of Parliament Desmond Swayne": the head is a title, the name is
            # the last run of proper nouns after the last title word of the mention
            name = _last_name_run(mention, titles)
        if name and len(name) <= self.max_name_words:
            return self._join(self._fullest(tuple(w.text for w in name), before=at))
        title_words = [w.text.lower() for w in mention if w.text.lower() in titles]
        if title_words:
            for cand in reversed([n for n in self.names if n.start < at]):
                if cand.title in title_words:
                    return self._join(self._fullest(cand.tokens, before=at))
        return surface

    def _antecedent(self, at: int) -> str | None:
        """The latest speaker, else the latest subject name, before offset ``at``."""
        last_speaker = next(((o, c) for o, c in reversed(self.speakers) if o < at), None)
        last_subject = next((n for n in reversed(self.names) if n.start < at and n.subject), None)
        if last_subject is not None and (last_speaker is None or last_subject.start > last_speaker[0]):
            return self._join(self._fullest(last_subject.tokens, before=at))
        if last_speaker is not None:
            return last_speaker[1]
        return None
