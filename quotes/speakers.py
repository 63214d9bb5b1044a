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

Canonical names are read from running text: the name is the article's own words, sliced from the
text (``article_text`` holds it verbatim), and a title-case line (a headline, "Doe Calls For A
Vote") may confirm a name but never extends one with its other words. An organisation's name
keeps its "of ..." part ("US Department of State"). A name written only later in the article is
used when it is the only fuller one there ("Trump said ..." before "Donald Trump" is named).
"""

from __future__ import annotations

import bisect
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
    run = run[last_title + 1:]
    if run:  # "US Department" + "of State"
        end = _organisation_end(sentence.words, run[-1].id - 1)
        run += [sentence.word(i) for i in range(run[-1].id + 1, end + 2)]
    return _trim_lower(run)


def _organisation_end(words: tuple[Word, ...] | list[Word], last: int) -> int:
    """Index (in ``words``) of the last word of a name whose run ends at ``words[last]``: past
    "of"/"for" and the capitalised words after it when that word heads an organisation
    ("US Department" + "of State"; "Ministry of Health and Welfare")."""
    if words[last].text.lower() not in lexicon.words("organisations"):
        return last
    end = last
    i = last + 1
    while i + 1 < len(words) and words[i].text.lower() in ("of", "for") and _capital(words[i + 1]):
        j = i + 1
        while j + 1 < len(words) and (_capital(words[j + 1]) or (
                words[j + 1].text.lower() == "and" and j + 2 < len(words) and _capital(words[j + 2]))):
            j += 1
        end = i = j
        i += 1
    return end


def _capital(w: Word) -> bool:
    return w.upos in ("PROPN", "NOUN", "ADJ") and w.text[:1].isupper()


def _trim_lower(run: list[Word]) -> list[Word]:
    """A name starts and ends with a capitalised word: a tagger's "reports" in "The Times
    reports" is no part of it."""
    lo, hi = 0, len(run)
    while lo < hi and not run[lo].text[:1].isupper():
        lo += 1
    while hi > lo and not run[hi - 1].text[:1].isupper():
        hi -= 1
    return run[lo:hi]


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text`` written in title case: a headline or a caption,
    where every word but the small ones (lexicon ``headline_words``) is capitalised. The other
    lines are running text. A line of fewer than two words is never a headline."""
    small = lexicon.words("headline_words")
    out = []
    pos = 0
    for line in text.split("\n"):
        words = [w.strip("“”\"‘’'()[],.;:!?—–-") for w in line.split()]
        words = [w for w in words if w[:1].isalpha()]
        if len(words) >= 2 and not any(w[:1].islower() and w.lower() not in small for w in words):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


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


class _Ranges:
    """Half-open ranges (quotes, headline lines), asked whether an offset lies in one by
    bisection: ranges may nest, so each keeps the furthest end reached so far."""

    def __init__(self, ranges):
        spans = sorted(ranges)
        self.starts = [lo for lo, _ in spans]
        self.reach: list[int] = []
        far = -1
        for _, hi in spans:
            far = max(far, hi)
            self.reach.append(far)

    def holds(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.reach[i]


@dataclass
class _Name:
    tokens: tuple[str, ...]
    start: int
    title: str | None  # the title word right before the name, lowercased
    subject: bool
    end: int = -1  # end offset of the name's last word
    running: bool = True  # in running text, not in a title-case line


class Resolver:
    """Canonical names for speaker mentions of one article, read in text order."""

    def __init__(self, text: str, sentences: list[Sentence], *,
                 quote_ranges: list[tuple[int, int]] = (), max_name_words: int = 5):
        """``max_name_words``: a longer run of capitalised words is a headline ("City Water
        Report Quietly Shows The Gap Between …"), never a person's name."""
        self.text = text
        self.max_name_words = max_name_words
        self.headlines = title_case_lines(text)
        self._headline_ranges = _Ranges(self.headlines)
        inside = _Ranges(quote_ranges)
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
                quoted = inside.holds(run[0].start)
                self._add(_Name(
                    tokens=tuple(x.text for x in run), start=run[0].start, title=title,
                    subject=w.rel == "nsubj" and not quoted and _main_clause(s, w), end=self._end(run[-1]),
                ))
        self._index_names()

    def _names_from_tags(self, s: Sentence, titles: frozenset[str], inside: list, *,
                         subjects: bool = True) -> None:
        """Names in a sentence that was tagged but not parsed: runs of adjacent PROPN words.

        A run followed by a verb (within two words) counts as a subject, as in "Blinken said".
        """
        words = s.words
        # only proper nouns open a run: jump from one to the next
        starts = [k for k, w in enumerate(words) if w.upos == "PROPN" and w.text[:1].isalnum()]
        i = 0
        for k in starts:
            if k < i:
                continue  # inside the run read before
            i = k
            j = i
            while j + 1 < len(words) and words[j + 1].upos == "PROPN" and words[j + 1].text[:1].isalnum():
                j += 1
            j = _organisation_end(words, j)  # "US Department" + "of State"
            run = [w for w in words[i:j + 1]]
            last_title = max((n for n, w in enumerate(run) if w.text.lower() in titles), default=-1)
            title_word = run[last_title] if last_title >= 0 else (words[i - 1] if i > 0 else None)
            run = _trim_lower(run[last_title + 1:])  # "Chinese President Xi Jinping" -> "Xi Jinping"
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
                quoted = inside.holds(run[0].start)
                self._add(_Name(tokens=tuple(w.text for w in run), start=run[0].start,
                                title=title, subject=subject and not quoted, end=self._end(run[-1])))
            i = j + 1

    def _add(self, name: _Name) -> None:
        name.running = not self._in_headline(name.start)
        if not name.running and len(name.tokens) > 3:
            name.subject = False  # "Doe Calls Roe A Liar": a headline run is nobody's antecedent
        self.names.append(name)

    def _end(self, w: Word) -> int:
        """Where the word ends: a word split off a token ("Trump" of "Trump's") carries the
        token's offsets, so its end is its own text's."""
        if self.text.startswith(w.text, w.start):
            return w.start + len(w.text)
        return w.end

    def _in_headline(self, offset: int) -> bool:
        return self._headline_ranges.holds(offset)

    def _index_names(self) -> None:
        """Indexes over the names found, so that resolving each mention costs no scan of every
        name of the article (which made resolution quadratic in its length)."""
        self._by_word: dict[str, list[_Name]] = {}  # word -> running-text names holding it, in list order
        self._holding: dict[tuple[str, ...], list[_Name]] = {}  # `_running_with`'s answers
        for name in self.names:
            if name.running:
                for word in dict.fromkeys(name.tokens):
                    self._by_word.setdefault(word, []).append(name)
        subjects = sorted((n.start, i) for i, n in enumerate(self.names) if n.subject)
        latest, best = [], -1
        for _, i in subjects:
            best = max(best, i)
            latest.append(best)
        self._subjects = ([o for o, _ in subjects], latest)  # by offset, with the latest list position so far
        self._titled = [n for n in self.names if n.title is not None]

    def _running_with(self, tokens: tuple[str, ...], holds) -> list[_Name]:
        """The running-text names for which ``holds(name.tokens)``, in list order, found once per
        ``tokens`` among the names that share its first word (so resolving every mention costs
        no scan of every name: the cost stays linear in the article)."""
        found = self._holding.get(tokens)
        if found is None:
            pool = self._by_word.get(tokens[0], ()) if tokens else [x for x in self.names if x.running]
            found = self._holding[tokens] = [x for x in pool if holds(x.tokens)]
        return found

    def _last_subject(self, at: int) -> _Name | None:
        """The last subject name in list order that starts before ``at`` (a bisection over the
        subjects sorted by offset, with the latest list position of each prefix)."""
        starts, latest = self._subjects
        k = bisect.bisect_left(starts, at)
        return self.names[latest[k - 1]] if k else None

    def _verbatim(self, start: int, end: int) -> str:
        """The name as the article writes it: whole words (a tokenizer's "Don" of "Donna"), no
        leading "The", one space for any line break."""
        text = self.text
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        name = text[start:end]
        for det in ("The ", "the "):
            if name.startswith(det) and len(name) > len(det):
                name = name[len(det):]
        return " ".join(name.split())

    def _fullest(self, tokens: tuple[str, ...], *, before: int) -> _Name | None:
        """The fullest running-text name that contains ``tokens``: the longest one written
        before ``before``; else the one written later that ends with them (a surname), when
        every such name names the same person (the same first and last word). None when no
        name is fuller."""
        n = len(tokens)
        if n == 1 and tokens[0].isupper():
            return None  # an acronym ("US", "CNN") is a name of its own, not part of a fuller one

        def holds(t: tuple[str, ...]) -> bool:
            if len(t) <= n or not any(t[i:i + n] == tokens for i in range(len(t) - n + 1)):
                return False
            # an organisation extends only a name of its head: "US Department" -> "US Department
            # of State", but "the US" is the country
            of = next((i for i, x in enumerate(t) if x in ("of", "for")), None)
            return of is None or of == 0 or t[of - 1] in tokens

        best: _Name | None = None
        later: list[_Name] = []
        for name in self._running_with(tokens, holds):
            if name.start > before:
                if name.tokens[-n:] == tokens:  # a surname: "Roe" -> "Jane Roe", not "House" -> "House …"
                    later.append(name)
            elif best is None or len(name.tokens) > len(best.tokens):
                best = name
        if best is None and later and len({(x.tokens[0], x.tokens[-1]) for x in later}) == 1:
            best = max(later, key=lambda x: (len(x.tokens), -x.start))
        return best

    def _name_of(self, tokens: tuple[str, ...], start: int, end: int, *, head: str | None = None,
                 before: int) -> str:
        """The canonical name for the name ``tokens`` written at ``start:end`` (``head``: the
        mention's head word), as a mention at offset ``before`` reads it."""
        if self._in_headline(start):
            # a headline may confirm a name, never extend one: the fullest running-text name
            # inside the run that holds the head word ("Jane Doe" of "Jane Doe Slams The Plan")
            n = len(tokens)
            inside = [x for x in self.names if x.running and len(x.tokens) <= n
                      and any(tokens[i:i + len(x.tokens)] == x.tokens for i in range(n - len(x.tokens) + 1))
                      and (head is None or head in x.tokens)]
            if inside:
                found = max(inside, key=lambda x: (len(x.tokens), -x.start))
                best = self._fullest(found.tokens, before=before) or found
                return self._verbatim(best.start, best.end)
        best = self._fullest(tokens, before=before)
        if best is not None:
            return self._verbatim(best.start, best.end)
        return self._verbatim(start, end)

    def resolve(self, sentence: Sentence, head: Word, mention: list[Word], *, remember: bool = True) -> str:
        """The canonical name for the mention headed by ``head``; remembers it for pronouns."""
        at = mention[0].start
        canonical = self._resolve(sentence, head, mention, at)
        if remember and canonical.lower() not in RELATIVE_PRONOUNS:  # a later pronoun may stand for this speaker
            self.speakers.append((at, canonical))
        return canonical

    def _resolve(self, sentence: Sentence, head: Word, mention: list[Word], at: int) -> str:
        surface = self.text[mention[0].start:mention[-1].end]
        clause = sentence.head_of(head)
        if head.text.lower() in RELATIVE_PRONOUNS and clause is not None and clause.deprel == "acl:relcl":
            # "Pat Buchanan, who said …": the mention stays "who", the name is Buchanan's
            antecedent = sentence.head_of(clause)
            if antecedent is not None and antecedent.upos in ("PROPN", "NOUN"):
                words = mention_words(sentence, antecedent)
                # a parse that hangs the clause on a long noun phrase ("a big reason … was the
                # rise of X, who said") names no one: the mention stays "who"
                if name_words(sentence, antecedent) or len(words) <= self.max_name_words:
                    return self._resolve(sentence, antecedent, words, at)
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
            return self._name_of(tuple(w.text for w in name), name[0].start, self._end(name[-1]),
                                 head=head.text, before=at)
        title_words = [w.text.lower() for w in mention if w.text.lower() in titles]
        if title_words:
            for cand in reversed([n for n in self._titled if n.start < at]):
                if cand.title in title_words:
                    return self._name_of(cand.tokens, cand.start, cand.end, before=at)
        return surface

    def _antecedent(self, at: int) -> str | None:
        """The latest speaker, else the latest subject name, before offset ``at``."""
        last_speaker = next(((o, c) for o, c in reversed(self.speakers) if o < at), None)
        last_subject = self._last_subject(at)
        if last_subject is not None and (last_speaker is None or last_subject.start > last_speaker[0]):
            return self._name_of(last_subject.tokens, last_subject.start, last_subject.end, before=at)
        if last_speaker is not None:
            return last_speaker[1]
        return None
