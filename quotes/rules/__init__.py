"""Attribution rules: one module per construction family.

Every rule reads a `Sentence` view and a `QuoteContext` and returns an `Attribution` or None.
Rules never touch stanza objects, files or global state, so the same rule runs on a model's
parse and on a hand-written CoNLL-U tree in the tests. `registry` holds them as steps, in the
order the matcher walks them, with every rule name and its confidence.

The rule names a record's ``rule`` can carry, each with its confidence and an example, are the
rows of `registry.RULES` (the README's rule list is checked against them).
"""


from __future__ import annotations

from .context import Attribution, QuoteContext  # noqa: F401
from .verbs import ASPECT_VERBS, is_participle, is_reporting, particle, verb_lemma  # noqa: F401
from .clauses import (ADDRESSEE_VERBS, SPEAKER_TAGS, SUBJECT_RELS, cue_ids, mistagged_name,  # noqa: F401
                      name_head, spoken_to, subject_of)
from .repair import repair_punctuation, title_case  # noqa: F401
# last: the registry imports the rule modules, which take the helpers above from this package
from .registry import CONFIDENCE, RULES  # noqa: F401 - the one registry of rules
