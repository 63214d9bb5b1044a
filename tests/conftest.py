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
