"""Attribution rules: one module per construction family.

Every rule reads a `Sentence` view and a `QuoteContext` and returns an `Attribution` or None.
Rules never touch stanza objects, files or global state, so the same rule runs on a model's
parse and on a hand-written CoNLL-U tree in the tests. `registry` holds them as steps, in the
order the matcher walks them, with every rule name and its confidence.

Rule names (the record's ``rule``):

- ``speech-verb``: the quote is the ccomp/parataxis of a reporting verb, or the verb is the
  parataxis of the quote (“…,” he said / X said “…” / “…,” X told reporters).
- ``speech-verb-inverted``: the verb precedes its subject after the quote (“…,” said X).
- ``quoted-as``: X was quoted (by Y) as saying “…”.
- ``colon``: a colon lead-in, in the same sentence (X told reporters: “…”) or in the sentence
  or paragraph before the quote.
- ``according-to``: “…,” according to X.
- ``trailing-dash``: “…” — X.
- ``partial``: a quoted fragment inside reported speech (X said the ship passed “in pursuit…”).
- ``continuation``: a quote with no attribution of its own that continues the previous
  speaker's run of quotes (GenderGapTracker's "floating quotes").
- ``multi-paragraph``: a later paragraph of a quote that spans paragraphs (“ opens each
  paragraph, ” closes only the last).
- ``lead-in``: a quote paragraph whose speaker is the subject of the last sentence of the
  paragraph before (no quote, no colon there): "X spoke of the plan. ¶ “…”".
- ``unattributed``: a sentence-like quote for which no speaker was found.
"""


from __future__ import annotations

from .context import Attribution, QuoteContext  # noqa: F401
from .verbs import ASPECT_VERBS, is_participle, is_reporting, particle, verb_lemma  # noqa: F401
from .clauses import (ADDRESSEE_VERBS, SPEAKER_TAGS, SUBJECT_RELS, cue_ids, mistagged_name,  # noqa: F401
                      name_head, spoken_to, subject_of)
from .repair import repair_punctuation, title_case  # noqa: F401
# last: the registry imports the rule modules, which take the helpers above from this package
from .registry import CONFIDENCE, RULES  # noqa: F401 - the one registry of rules
