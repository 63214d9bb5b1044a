"""The pipeline over many articles: streaming, order, parallel workers and the parse cache.

Fake parsers (whitespace tokens) stand in for stanza; the tests marked ``model`` run the real
shipped model through the CLI and skip until it is installed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

import quotes
from click.testing import CliRunner

from conftest import flat_parse
from quotes.cache import CachedParser, ParseCache
from quotes.cli import cli
from quotes.extractor import Extractor, ExtractorConfig, extract_many
from quotes.pipeline import batches as _batches
from quotes.sources import Article

ROOT = Path(__file__).resolve().parent.parent


def make_articles(n: int) -> list[Article]:
    return [
        Article(id=f"a{i:03d}", text=f"“Article {i} is {'slow ' if i % 7 == 0 else ''}news today,” "
                                     f"the editor said.\nReporter {i} agreed: “It is.”\n")
        for i in range(n)
    ]


fake_parse = flat_parse  # one flat sentence per paragraph (tests/conftest.py)


class FakeParser:
    def __init__(self, spec=None, delay: float = 0.0):
        self.spec = spec or SimpleNamespace(name="fake-1", kind="fake", paths={}, resources_dir=None)
        self.delay = delay
        self.calls = 0

    def parse_many(self, texts):
        self.calls += 1
        if self.delay and any("slow" in t for t in texts):
            time.sleep(self.delay)  # this batch finishes after later ones: order must still hold
        return [fake_parse(t) for t in texts]


def slow_fake_factory(spec, device, threads):
    """Top-level (picklable) parser factory for `extract_parallel`'s spawned workers."""
    return FakeParser(spec, delay=0.3)


def _flatten(results) -> list[tuple[str, list[dict]]]:
    return [(a.id, [q.to_dict() for q in quotes]) for a, quotes in results]


# --- streaming -------------------------------------------------------------------------------


def test_batches_are_lazy():
    consumed = []

    def source():
        for i in range(10):
            consumed.append(i)
            yield i

    batches = _batches(source(), 3)
    assert next(batches) == [0, 1, 2] and consumed == [0, 1, 2]
    assert list(batches) == [[3, 4, 5], [6, 7, 8], [9]]


def test_extract_many_consumes_its_input_lazily():
    articles = make_articles(20)
    consumed: list[str] = []

    def source():
        for a in articles:
            consumed.append(a.id)
            yield a

    results = extract_many(source(), parser=FakeParser(), batch_size=4)
    first = next(results)
    assert first[0].id == "a000"
    assert len(consumed) == 4, "only the first batch is read before the first result"
    for _ in range(4):
        next(results)
    assert len(consumed) == 8
    assert len(list(results)) == 15 and len(consumed) == 20


def test_extract_many_yields_first_batches_before_a_failing_source():
    articles = make_articles(10)

    def source():
        yield from articles[:6]
        raise RuntimeError("disk gone")

    got = []
    with pytest.raises(RuntimeError, match="disk gone"):
        for article, _quotes in extract_many(source(), parser=FakeParser(), batch_size=2):
            got.append(article.id)
    assert got == [a.id for a in articles[:6]], "every complete batch was yielded before the error"


def test_extract_many_same_records_with_and_without_cache(tmp_path):
    articles = make_articles(9)
    plain = _flatten(extract_many(articles, parser=FakeParser(), batch_size=4))
    assert any(quotes for _id, quotes in plain), "the fake parses give the matcher quotes to work on"
    cold = CachedParser(FakeParser(), ParseCache(tmp_path))
    assert _flatten(extract_many(articles, parser=cold, batch_size=4)) == plain
    warm = CachedParser(FakeParser(), ParseCache(tmp_path))
    assert _flatten(extract_many(articles, parser=warm, batch_size=4)) == plain
    assert warm.parser.calls == 0 and warm.stats.hits == 9
    assert all(q["model"] == "fake-1" for _id, quotes in plain for q in quotes)


def test_parser_with_nothing_to_parse_loads_no_model(tmp_path):
    from quotes.parse import ModelSpec, Parser

    parser = Parser(ModelSpec(kind="shipped", name="absent", paths={"tokenize": tmp_path / "absent.pt"}))
    assert parser.parse_many(["", " \n\n "]) == [[], []]
    assert parser._nlp is None
    # an article with no quote mark and no cue word is only skimmed for names: no model needed
    [sentences] = parser.parse_many(["Jane Doe lives in Ohio.\n\nShe left on Monday."])
    assert [s.paragraph for s in sentences] == [0, 1] and not any(s.parsed for s in sentences)
    assert parser._nlp is None


# --- parallel workers ------------------------------------------------------------------------


def test_parallel_keeps_input_order_uses_the_cache_and_bounds_reading(tmp_path):
    articles = make_articles(24)  # a000, a007, a014, a021 are slow: their batches finish last
    expected = _flatten(extract_many(articles, parser=FakeParser(), batch_size=3))
    consumed: list[str] = []
    lead: list[int] = []

    def source():
        for a in articles:
            consumed.append(a.id)
            yield a

    config = ExtractorConfig(model=FakeParser().spec, jobs=2, batch_size=3, cache_dir=str(tmp_path / "cache"),
                             parser_factory=slow_fake_factory)
    parallel = Extractor(config)
    cache = parallel.cache
    got = []
    for article, quotes in parallel.extract_articles(source()):
        got.append((article.id, [q.to_dict() for q in quotes]))
        lead.append(len(consumed) - len(got))
    assert got == expected, "--jobs 2 writes the same records in the same order as --jobs 1"
    assert max(lead) <= (2 * 2 + 1) * 3, "at most 2 * jobs batches in flight, plus the one being read"
    assert cache.stats.parsed == 24 and cache.stats.hits == 0

    rerun = Extractor(config)
    warm = rerun.cache
    again = _flatten(rerun.extract_articles(articles))
    assert again == expected
    assert warm.stats.hits == 24 and warm.stats.parsed == 0


def test_jobs_auto_uses_every_core_only_when_more_than_a_batch_needs_a_parse(tmp_path, monkeypatch):
    import quotes.pipeline as pipeline

    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    articles = make_articles(10)
    config = ExtractorConfig(model=FakeParser().spec, jobs="auto", batch_size=3, cache_dir=str(tmp_path / "cache"),
                             parser_factory=slow_fake_factory)
    cold = Extractor(config)
    head, jobs = cold.auto_jobs(iter(articles))
    assert jobs == 2 and len(head) == 4, "more than one batch to parse: one worker per core"
    expected = _flatten(extract_many(articles, parser=FakeParser(), batch_size=3))
    assert _flatten(cold.extract_articles(articles)) == expected, "same records, same order"
    assert cold.cache.stats.parsed == 10

    warm = Extractor(config)
    rest = iter(articles)
    head, jobs = warm.auto_jobs(rest)
    assert jobs == 1, "a rerun over cached articles stays in this process"
    assert [a.id for a in head] + [a.id for a in rest] == [a.id for a in articles], "nothing read is lost"
    assert _flatten(warm.extract_articles(articles)) == expected and warm.cache.stats.hits == 10

    small = Extractor(config.replace(cache=False))
    assert small.auto_jobs(iter(articles[:3]))[1] == 1, "one batch: no workers"
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 1)
    assert Extractor(config.replace(cache=False)).auto_jobs(iter(articles))[1] == 1, "one core: no workers"


def test_parallel_cache_errors_warn_once(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    warnings: list[str] = []
    config = ExtractorConfig(model=FakeParser().spec, jobs=2, batch_size=2, cache_dir=str(blocker / "cache"),
                             parser_factory=slow_fake_factory)
    articles = make_articles(12)
    got = _flatten(Extractor(config, on_warning=warnings.append).extract_articles(articles))
    assert got == _flatten(extract_many(articles, parser=FakeParser(), batch_size=2))
    assert len(warnings) == 1 and "cache" in warnings[0]


# --- the benchmark script runs (figures are not checked: it is not a timed test) -------------


def test_bench_help():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--memory" in done.stdout and "--json" in done.stdout and "--limit" in done.stdout


def test_bench_dry_run_smoke(tmp_path):
    """The harness end to end on a tiny corpus with its built-in fake parser (no model)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for a in make_articles(6):
        (corpus / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), str(corpus), "--dry-run", "--jobs", "1",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    report = orjson.loads(out.read_bytes())
    runs = {r["label"]: r for r in report["runs"]}
    assert runs["cold"]["articles"] == 6 and runs["warm"]["cache"]["hits"] == 6
    assert runs["warm"]["cache"]["parsed"] == 0
    assert "articles/s" in done.stdout


# --- with the shipped model (skip until quotes/models/en is installed) ---------------------


def _write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    texts = sorted((ROOT / "samples").glob("*.txt"))
    for i in range(n):
        src = texts[i % len(texts)].read_text(encoding="utf-8")
        (folder / f"{i:03d}.txt").write_text(src if i < len(texts) else f"Copy {i}.\n{src}", encoding="utf-8")
    return folder


@pytest.mark.model
def test_cli_jobs_2_output_equals_jobs_1(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", 6)
    runner = CliRunner()
    one = runner.invoke(cli, ["extract", str(corpus), "--model", "shipped", "--jobs", "1", "--batch-size", "2",
                              "--cache-dir", str(tmp_path / "c1")])
    assert one.exit_code == 0, one.output
    two = runner.invoke(cli, ["extract", str(corpus), "--model", "shipped", "--jobs", "2", "--batch-size", "2",
                              "--cache-dir", str(tmp_path / "c2")])
    assert two.exit_code == 0, two.output
    assert two.stdout == one.stdout
    assert [orjson.loads(ln)["article"] for ln in one.stdout.splitlines()] == sorted(
        orjson.loads(ln)["article"] for ln in one.stdout.splitlines())


@pytest.mark.model
def test_cli_warm_rerun_with_the_model_parses_nothing(tmp_path):
    corpus = _write_corpus(tmp_path / "corpus", 3)
    args = ["extract", str(corpus), "--model", "shipped", "--cache-dir", str(tmp_path / "cache")]
    cold = CliRunner().invoke(cli, args)
    assert cold.exit_code == 0, cold.output
    code = ("import sys; from quotes.cli import main; rc = main(sys.argv[1:]); "
            "print('stanza' in sys.modules, file=sys.stderr); sys.exit(rc)")
    warm = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == cold.stdout
    assert "3 article(s) from the parse cache, 0 parsed" in warm.stderr
    assert warm.stderr.strip().splitlines()[-1] == "False", "a warm run must not import stanza"


@pytest.mark.model
def test_only_paragraphs_near_quotes_go_through_stanza(shipped_parser):
    """Paragraphs far from every quote are skimmed for names, not tagged or parsed; an article
    with no quote at all never reaches the model."""
    paragraphs = [
        "Senator Jane Doe of Ohio arrived in the capital on Monday.",
        "The committee met for three hours.",
        "Officials reviewed the budget.",
        "“We have the votes,” Doe said.",
        "The vote is on Tuesday.",
    ]
    text = "\n\n".join(paragraphs)
    [sentences] = shipped_parser.parse_many([text])
    by_paragraph: dict[int, list] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    assert sorted(by_paragraph) == [0, 1, 2, 3, 4]
    # paragraph 0 is skimmed: no tagger ran there (only PROPN/X/PUNCT), yet the full name is found
    skimmed = [w for s in by_paragraph[0] for w in s.words]
    assert {w.upos for w in skimmed} <= {"PROPN", "X", "PUNCT"} and not any(s.parsed for s in by_paragraph[0])
    # the quote's paragraph is parsed; its neighbours are tagged by stanza
    assert all(s.parsed for s in by_paragraph[3])
    assert any(w.upos == "VERB" for s in by_paragraph[2] for w in s.words)
    [record] = quotes.extract_parsed(text, sentences)
    assert record.speaker == "Jane Doe" and record.speaker_span.text == "Doe"
    for s in sentences:
        for w in s.words:
            assert text[w.start:w.end] == w.text or w.text in ("n't", "'s")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_are_forked_after_one_import_of_torch_unless_threads_run():
    """A single-threaded process (the CLI) forks its parser workers once it has imported torch
    and stanza, so they do not import them again; a process with another thread running spawns
    them (forking it is not safe)."""
    code = (
        "import sys, threading, time\n"
        "from quotes.pipeline import worker_context\n"
        "print(worker_context().get_start_method(), 'torch' in sys.modules, 'stanza' in sys.modules)\n"
        "t = threading.Thread(target=time.sleep, args=(2,)); t.start()\n"
        "print(worker_context().get_start_method())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["fork", "True", "True", "spawn"]


def test_parse_profile_summary_sorts_samples_into_buckets(tmp_path):
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "<module> (x.py:1);Parser.parse_many (parse.py:9);Tagger.forward (model.py:3) 7\n"
        "<module> (x.py:1);Parser.parse_many (parse.py:9);_find_and_load (<frozen>:1) 2\n"
        "<module> (x.py:1);Parser.parse_many (parse.py:9);Dataset.__init__ (data.py:5) 1\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "parse_profile.py"), "--summary", str(raw)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["70.0%", "7", "network:", "tagger"]
    assert lines[1].split() == ["20.0%", "2", "imports"]
    assert lines[2].split() == ["10.0%", "1", "python", "around", "the", "networks"]
    assert lines[-1] == "10 samples"


@pytest.mark.model
def test_network_sizes_builds_a_smaller_model_that_parses(tmp_path):
    # the bench's random-weight probe: a tagger and parser of the asked sizes, loadable as a
    # model folder (manifest checked), that parse a sentence (the trees are junk, the speed is not)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import network_sizes
    finally:
        sys.path.pop(0)
    import torch
    from quotes.parse import Parser, resolve_model

    network_sizes.build(tmp_path, "50/50/50/25/1")
    pos = torch.load(tmp_path / "pos.pt", map_location="cpu", weights_only=False)
    assert pos["config"]["hidden_dim"] == 50 and pos["config"]["num_layers"] == 1
    shipped = torch.load(network_sizes.SHIPPED / "pos.pt", map_location="cpu", weights_only=False)
    assert sum(v.numel() for v in pos["model"].values()) < sum(v.numel() for v in shipped["model"].values())
    [sentences] = Parser(resolve_model(str(tmp_path)), depparse="all").parse_many(["The mayor said the bridge would reopen."])
    assert [w.text for s in sentences for w in s.words][:3] == ["The", "mayor", "said"]
