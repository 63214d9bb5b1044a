"""Shared fixtures and skip rules.

Tests that need the shipped stanza model are marked ``model`` and skip when it is not installed;
tests that need ``../shared/data`` are marked ``shared`` and skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SAMPLES = ROOT / "samples"


def _model_available() -> bool:
    from quotes.parse import ModelError, resolve_model

    try:
        resolve_model("shipped")
    except ModelError:
        return False
    return True


def pytest_collection_modifyitems(config, items):
    have_model = _model_available()
    have_shared = SHARED.is_dir()
    for item in items:
        if "model" in item.keywords and not have_model:
            item.add_marker(pytest.mark.skip(reason="shipped model not installed (quotes/models/en)"))
        if "shared" in item.keywords and not have_shared:
            item.add_marker(pytest.mark.skip(reason="../shared/data not present"))


@pytest.fixture(scope="session")
def shipped_parser():
    from quotes.parse import Parser, resolve_model

    return Parser(resolve_model("shipped"))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


TREES = Path(__file__).parent / "fixtures" / "trees"


def extract_tree(name: str, **options):
    """``(text, records)`` for one hand-written tree of ``fixtures/trees``, checked for what every
    record promises: its index, every key, and the offset rule on each of its spans."""
    import quotes
    from quotes.record import RECORD_KEYS
    from quotes.tree import read_conllu

    text, sentences = read_conllu((TREES / name).read_text(encoding="utf-8"))
    records = quotes.extract_parsed(text, sentences, article=name, **options)
    for i, r in enumerate(records):
        assert r.index == i
        assert r.text == text[r.start:r.end]
        assert tuple(r.to_dict()) == RECORD_KEYS
        for span in (r.speaker_span, r.cue, r.verb):
            if span is not None:
                assert span.text == text[span.start:span.end]
    return text, records


_TOKEN = __import__("re").compile(r"\w+|[^\w\s]")


def flat_parse(text: str) -> list:
    """A parse with no model: word and punctuation tokens, one flat sentence per paragraph (every
    word hangs from the first), with exact offsets. For stub parsers in tests."""
    from quotes.marks import paragraph_spans
    from quotes.tree import Sentence, Word

    out = []
    for pi, (start, end) in enumerate(paragraph_spans(text)):
        words = tuple(
            Word(id=i + 1, text=m.group(), lemma=m.group().lower(), upos="NOUN" if m.group().isalnum() else "PUNCT",
                 head=0 if i == 0 else 1, deprel="root" if i == 0 else "dep", start=m.start(), end=m.end())
            for i, m in enumerate(_TOKEN.finditer(text, start, end))
        )
        if words:
            out.append(Sentence(words=words, index=len(out), paragraph=pi))
    return out
