"""The one extraction assembly (`quotes.extractor`): a config in, the same records wherever it runs.

A whitespace-token stub stands in for stanza, passed through the config or the constructor (no
module is patched).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace

import orjson
from click.testing import CliRunner

from quotes.cli import cli
from quotes.extractor import Extractor, ExtractorConfig, ParserLike
from quotes.sources import Article

from test_pipeline import FakeParser, make_articles

STUB_SPEC = SimpleNamespace(name="stub-1", kind="stub", paths={}, resources_dir=None)


def stub_factory(spec, device, threads):
    """Top-level, so configs holding it can go to other processes."""
    return FakeParser(spec)


def _records(results) -> list[tuple[str, list[dict]]]:
    return [(a.id, [q.to_dict() for q in quotes]) for a, quotes in results]


def test_stub_parsers_fit_the_protocol():
    assert isinstance(FakeParser(), ParserLike)
    assert not isinstance(object(), ParserLike)


def test_config_is_frozen_picklable_and_replaceable():
    config = ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, kinds=["direct"])
    assert config.kinds == frozenset({"direct"})
    again = pickle.loads(pickle.dumps(config))
    assert again.parser_factory is stub_factory and again.kinds == config.kinds
    assert config.replace(jobs=3).jobs == 3 and config.jobs == 1


def test_same_records_from_a_factory_a_ready_parser_and_worker_processes(tmp_path):
    articles = make_articles(10)
    config = ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False, batch_size=3)
    from_factory = _records(Extractor(config).extract_articles(articles))
    assert any(quotes for _id, quotes in from_factory)
    assert all(q["model"] == "stub-1" for _id, quotes in from_factory for q in quotes)
    ready = Extractor(config.replace(parser_factory=None), parser=FakeParser(STUB_SPEC))
    assert _records(ready.extract_articles(articles)) == from_factory
    two = Extractor(config.replace(jobs=2, cache=True, cache_dir=str(tmp_path / "cache")))
    assert _records(two.extract_articles(articles)) == from_factory
    assert two.cache.stats.parsed == 10


def test_kinds_keeps_only_those_kinds():
    text = "“We will win this race today,” she said. He called it a “sure thing”.\n"
    every = Extractor(ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False,
                                      include_other=True)).extract_text(text, article="x")
    kinds = {q.kind for q in every}
    assert len(kinds) >= 2, kinds
    keep = sorted(kinds)[0]
    some = Extractor(ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False,
                                     include_other=True, kinds={keep})).extract_text(text, article="x")
    assert some and all(q.kind == keep for q in some)
    assert [q.to_dict() for q in some] == [q.to_dict() for q in every if q.kind == keep]


def test_cli_takes_a_stub_through_its_context(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for a in make_articles(4):
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--no-cache"],
                                obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert result.exit_code == 0, result.output
    assert "using model stub-1" in result.stderr
    got = [orjson.loads(line) for line in result.stdout.splitlines()]
    articles = [Article(id=f"{a.id}.txt", text=a.text) for a in make_articles(4)]
    expected = Extractor(ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False))
    assert got == [q.to_dict() for _a, quotes in expected.extract_articles(articles) for q in quotes]
