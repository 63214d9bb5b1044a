"""The `Quote` record: what `quotes` writes, one JSON object per quoted span.

Schema version 1. Every key is present on every record (``None`` when absent); new keys may be
added in later versions without bumping ``schema_version``; a removed or renamed key bumps it.

Offsets are 0-based, half-open, in Unicode code points of the article text *as read* (a UTF-8
BOM is not part of the text), so ``article_text[start:end] == text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

Kind = Literal["direct", "partial", "indirect", "other"]
#: Every kind, in the order `--kinds` documents them.
KINDS = ("direct", "partial", "indirect", "other")

#: The keys of a record, in output order (the README documents each one).
RECORD_KEYS = (
    "schema_version", "article", "index", "kind", "text", "start", "end", "paragraph",
    "sentence", "speaker", "speaker_span", "verb", "cue", "cue_family", "utterance", "rule",
    "confidence", "model",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article: ``article_text[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Verb:
    """The reporting verb (or cue word such as "according"), with its lemma."""

    text: str
    lemma: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "lemma": self.lemma, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed span: a quotation (kinds direct, partial), reported content (indirect), or
    a title or scare quote (other), with its attribution.

    ``utterance`` groups records that are one act of speech: the paragraphs of a multi-paragraph
    quote, and quotes that continue a speaker's words with no attribution of their own.
    """

    article: str
    index: int
    kind: Kind
    text: str
    start: int
    end: int
    paragraph: int
    sentence: int | None = None
    speaker: str | None = None
    speaker_span: Span | None = None
    verb: Verb | None = None
    cue: Span | None = None
    cue_family: str | None = None
    utterance: int | None = None
    rule: str | None = None
    confidence: float | None = None
    model: str | None = None
    schema_version: int = field(default=SCHEMA_VERSION)

    def to_dict(self) -> dict[str, Any]:
        """The record as written to JSONL: every key of `RECORD_KEYS`, in that order."""
        return {
            "schema_version": self.schema_version,
            "article": self.article,
            "index": self.index,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "sentence": self.sentence,
            "speaker": self.speaker,
            "speaker_span": self.speaker_span.to_dict() if self.speaker_span else None,
            "verb": self.verb.to_dict() if self.verb else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "cue_family": self.cue_family,
            "utterance": self.utterance,
            "rule": self.rule,
            "confidence": self.confidence,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        """The record that `to_dict` wrote as ``d`` (``Quote.from_dict(q.to_dict()) == q``); the
        caller checks the values (`quotes.cache` does, against the article text)."""
        span, verb, cue = d["speaker_span"], d["verb"], d["cue"]
        return cls(
            article=d["article"], index=d["index"], kind=d["kind"], text=d["text"], start=d["start"],
            end=d["end"], paragraph=d["paragraph"], sentence=d["sentence"], speaker=d["speaker"],
            speaker_span=None if span is None else Span(span["text"], span["start"], span["end"]),
            verb=None if verb is None else Verb(verb["text"], verb["lemma"], verb["start"], verb["end"]),
            cue=None if cue is None else Span(cue["text"], cue["start"], cue["end"]),
            cue_family=d["cue_family"], utterance=d["utterance"], rule=d["rule"],
            confidence=d["confidence"], model=d["model"], schema_version=d["schema_version"],
        )
