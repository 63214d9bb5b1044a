"""Word lists the rules read: data, one entry a line, kept apart from the logic.

A new cue verb or title is one line in a ``.txt`` file beside this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of ``<name>.txt`` (comments and blank lines skipped, lowercased)."""
    out = set()
    for line in (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.add(line.lower())
    return frozenset(out)


@lru_cache(maxsize=None)
def pronouns() -> dict[str, str]:
    """Pronoun -> class ("person" or "thing") from ``pronouns.txt``."""
    out = {}
    for entry in words("pronouns"):
        cls, _, word = entry.partition(" ")
        out[word] = cls
    return out


@lru_cache(maxsize=None)
def irregular_verbs() -> dict[str, str]:
    """Irregular verb form -> lemma from ``irregular_verbs.txt`` ("said" -> "say")."""
    return dict(entry.split(" ", 1) for entry in words("irregular_verbs"))


def reporting_verbs() -> frozenset[str]:
    return words("reporting_verbs")


def time_words() -> frozenset[str]:
    return words("time_words")


def titles() -> frozenset[str]:
    return words("titles")


def dashes() -> frozenset[str]:
    return words("dashes")


def view_nouns() -> frozenset[str]:
    """Nouns of "in X's view, …" (``view_nouns.txt``)."""
    return words("view_nouns")


@lru_cache(maxsize=None)
def noun_cues() -> dict[str, str]:
    """Cue noun -> family from ``noun_cues.txt`` ("claim" -> speech)."""
    out: dict[str, str] = {}
    for entry in sorted(words("noun_cues")):
        family, _, noun = entry.partition(" ")
        if family not in CUE_FAMILIES:
            raise ValueError(f"noun_cues.txt: unknown family {family!r} (known: {', '.join(CUE_FAMILIES)})")
        out[noun.strip()] = family
    return out


#: Families a cue can belong to, in the order the record key ``cue_family`` names them.
CUE_FAMILIES = ("speech", "according-to", "evidence", "belief", "intention", "stance")


@lru_cache(maxsize=None)
def cue_family_table() -> dict[str, tuple[str, ...]]:
    """Cue lemma -> its families in ``cue_families.txt`` order ("hope" -> belief, intention).

    Every reporting verb (``reporting_verbs.txt``) is a speech cue."""
    out: dict[str, list[str]] = {}
    for lemma in reporting_verbs():
        out.setdefault(lemma, []).append("speech")
    for line in (HERE / "cue_families.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if not line:
            continue
        family, _, lemma = line.partition(" ")
        if family not in CUE_FAMILIES:
            raise ValueError(f"cue_families.txt: unknown family {family!r} (known: {', '.join(CUE_FAMILIES)})")
        families = out.setdefault(lemma.strip(), [])
        if family not in families:
            families.append(family)
    return {k: tuple(v) for k, v in out.items()}


def cue_families() -> dict[str, str]:
    """Cue lemma -> its first family (what the evaluation reads a gold cue as)."""
    return {k: v[0] for k, v in cue_family_table().items()}


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("d", ""))


def lemma_guess(form: str) -> str:
    """A cue lemma for a word form without a tagger ("argued" -> "argue", "said" -> "say"):
    irregular forms from ``irregular_verbs.txt``, then regular endings, when they give a cue."""
    form = form.lower()
    table = cue_family_table()
    if form in table:
        return form
    irregular = irregular_verbs().get(form)
    if irregular:
        return irregular
    for suffix, repl in _SUFFIXES:
        if form.endswith(suffix) and form[: -len(suffix)] + repl in table:
            return form[: -len(suffix)] + repl
        if suffix in ("ed", "ing") and form.endswith(suffix) and len(form) > 4 and form[-len(suffix) - 1] == form[-len(suffix) - 2]:
            stem = form[: -len(suffix) - 1]  # "planned" -> "plan"
            if stem in table:
                return stem
    return form




@lru_cache(maxsize=None)
def cue_forms() -> frozenset[str]:
    """Lower-case word forms that may be a cue: the cheap lexical check that decides which
    sentences get a dependency parse for reported speech (lemmas, regular inflections, and the
    irregular forms)."""
    forms: set[str] = {"according", "reportedly", "allegedly"}
    for lemma in set(cue_family_table()) | set(object_cues()):
        head = lemma.split(" ", 1)[0]
        stems = {head}
        forms.add(head)
        for stem in stems:
            e = stem.endswith("e")
            y = stem.endswith("y") and stem[-2:-1] not in "aeiou"
            forms.update({stem + "s", stem + "es", stem + ("d" if e else "ed"), stem + "ing",
                          (stem[:-1] + "ing") if e else stem + "ing", (stem[:-1] + "ies") if y else stem + "s",
                          (stem[:-1] + "ied") if y else stem + "ed", stem + stem[-1] + "ed", stem + stem[-1] + "ing"})
    forms.update(irregular_verbs())
    return frozenset(forms)


@lru_cache(maxsize=None)
def object_cues() -> dict[str, str]:
    """Cue (lemma, or "lemma particle") whose object is its content -> family, from
    ``object_cues.txt``."""
    out: dict[str, str] = {}
    for line in (HERE / "object_cues.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            family, _, cue = line.partition(" ")
            out.setdefault(cue.strip(), family)
    return out
