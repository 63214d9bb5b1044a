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
