"""The parse cache: hits and misses, keys, corrupt entries, unusable folders, `quotes cache`.

A fake parser (whitespace tokens, one sentence per paragraph) stands in for stanza and counts
its calls, so none of this needs the model.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from click.testing import CliRunner

from quotes import cache as cache_mod
from quotes.cache import (
    FORMAT, CachedParser, CacheUnavailable, ParseCache, decode_entry, encode_entry, model_identity,
    text_digest,
)
from quotes.cli import cli
from quotes.tree import Sentence, Word

ARTICLES = [
    "“We will not back down,” the mayor said on Monday.\nShe left the hall.\n",
    "Nothing quoted here.\n\nA second paragraph, don't you think?",
    "“Prices rise,” he said. “They always do.”",
]


def fake_spec(name: str = "fake-1") -> SimpleNamespace:
    return SimpleNamespace(name=name, kind="fake", paths={}, resources_dir=None)


class FakeParser:
    """Looks like `quotes.parse.Parser`: ``spec`` and ``parse_many``; counts what it parses."""

    TOKEN = re.compile(r"\w+|[^\w\s]")

    def __init__(self, spec=None):
        self.spec = spec or fake_spec()
        self.calls = 0
        self.texts: list[str] = []

    def parse_many(self, texts):
        self.calls += 1
        self.texts.extend(texts)
        return [fake_parse(t) for t in texts]


def fake_parse(text: str) -> list[Sentence]:
    from quotes.marks import paragraph_spans

    out = []
    for pi, (start, end) in enumerate(paragraph_spans(text)):
        words = []
        for i, m in enumerate(FakeParser.TOKEN.finditer(text, start, end)):
            form = m.group()
            words.append(Word(
                id=i + 1,
                text="not" if form == "t" else form,  # like a multi-word token: text != span
                lemma=form.lower(), upos="PUNCT" if not form.isalnum() else "NOUN",
                head=0 if i == 0 else 1, deprel="root" if i == 0 else "dep",
                start=m.start(), end=m.end(), xpos=None if i % 2 else "NN",
                feats="Number=Sing" if form.isalpha() else None,
            ))
        out.append(Sentence(words=tuple(words), index=len(out), paragraph=pi))
    return out


def entry_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "parses").rglob("*.qp") if not p.name.startswith("."))


def record_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "records").rglob("*.qr") if not p.name.startswith("."))


@pytest.fixture
def cache_root(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def package_loaded_now(monkeypatch):
    """As if this process had just imported the package: an edit to its files during the test
    session (someone at work on the rules) must not turn the record cache off under these tests."""
    import quotes

    monkeypatch.setattr(quotes, "_IMPORTED_NS", __import__("time").time_ns())
    cache_mod._package_scan.cache_clear()
    yield
    cache_mod._package_scan.cache_clear()


# --- hits and misses -------------------------------------------------------------------------


def test_round_trip_is_exact():
    for text in ARTICLES:
        sentences = fake_parse(text)
        data = encode_entry(text, "m", sentences)
        assert decode_entry(data, text, "m") == sentences
        assert data.startswith(b"QPARSE %d " % FORMAT)


def test_the_cache_stores_every_field_of_the_views():
    assert cache_mod.layout_problem() is None, cache_mod.layout_problem()


def test_unknown_view_fields_turn_the_cache_off_rather_than_drop_them(monkeypatch, cache_root):
    monkeypatch.setattr(cache_mod, "SENTENCE_FIELDS", ("words", "index", "paragraph"))
    cache_mod.layout_problem.cache_clear()
    try:
        with pytest.raises(CacheUnavailable, match="update quotes/cache.py"):
            ParseCache(cache_root).check()
        warnings: list[str] = []
        cached = CachedParser(FakeParser(), ParseCache(cache_root, on_warning=warnings.append))
        assert cached.parse_many(ARTICLES) == [fake_parse(t) for t in ARTICLES]
        assert cached.parse_many(ARTICLES) == [fake_parse(t) for t in ARTICLES]
        assert len(warnings) == 1 and "quotes.tree" in warnings[0]
        assert entry_files(cache_root) == [] and cached.parser.calls == 2
    finally:
        monkeypatch.undo()
        cache_mod.layout_problem.cache_clear()
    assert cache_mod.layout_problem() is None


def test_round_trip_keeps_unparsed_sentences_and_empty_ones():
    text = "Tagged only here.\nNext."
    sentences = [Sentence(words=fake_parse(text)[0].words, index=0, paragraph=0, parsed=False),
                 Sentence(words=(), index=1, paragraph=1)]
    back = decode_entry(encode_entry(text, "m", sentences), text, "m")
    assert back == sentences and back[0].parsed is False and back[1].parsed is True


def test_parser_code_is_part_of_the_key():
    spec = fake_spec()
    in_parse_py = type("P", (FakeParser,), {"__module__": "quotes.parse"})
    assert cache_mod.parser_identity(FakeParser(spec)) == cache_mod.parser_identity(FakeParser(spec))
    assert cache_mod.parser_identity(in_parse_py(spec)) != cache_mod.parser_identity(FakeParser(spec))
    assert cache_mod.code_digest(in_parse_py(spec)) == hashlib.sha256(
        Path(cache_mod.__file__).with_name("parse.py").read_bytes()).hexdigest()


def test_second_run_parses_nothing(cache_root):
    first = CachedParser(FakeParser(), ParseCache(cache_root).check())
    cold = first.parse_many(ARTICLES)
    assert first.parser.calls == 1 and first.stats.parsed == 3 and first.stats.written == 3
    assert len(entry_files(cache_root)) == 3

    second = CachedParser(FakeParser(), ParseCache(cache_root).check())
    warm = second.parse_many(ARTICLES)
    assert second.parser.calls == 0, "every article was cached: the parser must not be called"
    assert second.stats.hits == 3 and second.stats.parsed == 0
    assert warm == cold


def test_only_misses_go_to_the_parser_in_one_call(cache_root):
    CachedParser(FakeParser(), ParseCache(cache_root)).parse_many(ARTICLES[:1])
    cached = CachedParser(FakeParser(), ParseCache(cache_root))
    out = cached.parse_many(ARTICLES + [ARTICLES[1]])  # a repeated text is parsed once
    assert cached.parser.calls == 1
    assert cached.parser.texts == ARTICLES[1:]
    assert out == [fake_parse(t) for t in ARTICLES + [ARTICLES[1]]]


def test_changed_text_misses(cache_root):
    CachedParser(FakeParser(), ParseCache(cache_root)).parse_many(ARTICLES)
    again = CachedParser(FakeParser(), ParseCache(cache_root))
    changed = ARTICLES[0].replace("Monday", "Tuesday")
    assert again.parse_many([changed]) == [fake_parse(changed)]
    assert again.parser.texts == [changed]


def test_different_model_misses(cache_root):
    CachedParser(FakeParser(fake_spec("fake-1")), ParseCache(cache_root)).parse_many(ARTICLES)
    other = CachedParser(FakeParser(fake_spec("fake-2")), ParseCache(cache_root))
    other.parse_many(ARTICLES)
    assert other.parser.calls == 1 and other.stats.hits == 0
    assert len(entry_files(cache_root)) == 6


def _shipped_like(folder: Path, sha: str) -> SimpleNamespace:
    folder.mkdir(exist_ok=True)
    files = {}
    for proc in ("tokenize", "depparse"):
        (folder / f"{proc}.pt").write_bytes(b"weights")
        files[proc] = {"file": f"{proc}.pt", "bytes": 7, "sha256": sha}
    (folder / "manifest.json").write_text(orjson.dumps({"name": "m", "version": "1", "files": files}).decode())
    return SimpleNamespace(name="m-1", kind="shipped", paths={p: folder / f"{p}.pt" for p in files},
                           resources_dir=None)


def test_model_identity_follows_the_manifest_sha256s(tmp_path):
    a = model_identity(_shipped_like(tmp_path / "a", "0" * 64))
    b = model_identity(_shipped_like(tmp_path / "b", "0" * 64))
    c = model_identity(_shipped_like(tmp_path / "c", "1" * 64))
    assert a == b, "same name and file hashes: same model, wherever it is installed"
    assert a != c
    assert model_identity(fake_spec("x")) != model_identity(fake_spec("y"))


def test_model_identity_of_official_models_follows_their_files(tmp_path):
    res = tmp_path / "stanza_resources"
    (res / "en" / "depparse").mkdir(parents=True)
    (res / "resources.json").write_text("{}")
    model = res / "en" / "depparse" / "combined.pt"
    model.write_bytes(b"v1")
    spec = SimpleNamespace(name="stanza-en-official-1.15.0", kind="official", paths={}, resources_dir=res)
    before = model_identity(spec)
    assert model_identity(spec) == before
    model.write_bytes(b"v2 bigger")
    assert model_identity(spec) != before


# --- corrupt entries -------------------------------------------------------------------------


def _populate(cache_root: Path) -> Path:
    CachedParser(FakeParser(), ParseCache(cache_root)).parse_many(ARTICLES[:1])
    (entry,) = entry_files(cache_root)
    return entry


def _reparsed(cache_root: Path) -> CachedParser:
    again = CachedParser(FakeParser(), ParseCache(cache_root))
    assert again.parse_many(ARTICLES[:1]) == [fake_parse(ARTICLES[0])]
    return again


def _rewrite_payload(entry: Path, payload: bytes, *, fmt: int = FORMAT, checksum: str | None = None) -> None:
    checksum = checksum or hashlib.sha256(payload).hexdigest()
    entry.write_bytes(b"QPARSE %d %s\n" % (fmt, checksum.encode()) + payload)


def _payload(entry: Path) -> list:
    return orjson.loads(entry.read_bytes().split(b"\n", 1)[1])


def _truncate(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _empty(entry: Path) -> None:
    entry.write_bytes(b"")


def _flip(at: float):
    def corrupt(entry: Path) -> None:
        data = bytearray(entry.read_bytes())
        i = min(len(data) - 1, int(len(data) * at))
        data[i] ^= 0x5A
        entry.write_bytes(bytes(data))
    return corrupt


def _wrong_checksum(entry: Path) -> None:
    _rewrite_payload(entry, entry.read_bytes().split(b"\n", 1)[1], checksum="ab" * 32)


def _valid_checksum_bad_json(entry: Path) -> None:
    _rewrite_payload(entry, b'[1, "half a payload"')


def _wrong_version(entry: Path) -> None:
    payload = _payload(entry)
    _rewrite_payload(entry, orjson.dumps([FORMAT + 1, *payload[1:]]), fmt=FORMAT + 1)


def _wrong_version_in_payload(entry: Path) -> None:
    payload = _payload(entry)
    _rewrite_payload(entry, orjson.dumps([FORMAT + 1, *payload[1:]]))


def _offsets_out_of_range(entry: Path) -> None:
    payload = _payload(entry)
    word = payload[5][0][3][-1]
    word[7] = payload[3] + 5  # end past the end of the text
    _rewrite_payload(entry, orjson.dumps(payload))


def _head_out_of_range(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][3][1][4] = 999
    _rewrite_payload(entry, orjson.dumps(payload))


def _wrong_field_type(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][3][0][3] = "NOUN"  # upos must be a reference into the string table
    _rewrite_payload(entry, orjson.dumps(payload))


def _bad_string_reference(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][3][0][5] = len(payload[4]) + 3
    _rewrite_payload(entry, orjson.dumps(payload))


def _start_after_end(entry: Path) -> None:
    payload = _payload(entry)
    word = payload[5][0][3][0]
    word[6], word[7] = word[7] + 1, word[7]
    _rewrite_payload(entry, orjson.dumps(payload))


def _parsed_not_bool(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][2] = 1
    _rewrite_payload(entry, orjson.dumps(payload))


def _bool_for_int(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][3][0][4] = False
    _rewrite_payload(entry, orjson.dumps(payload))


def _missing_field(entry: Path) -> None:
    payload = _payload(entry)
    payload[5][0][3][0] = payload[5][0][3][0][:-1]
    _rewrite_payload(entry, orjson.dumps(payload))


def _another_texts_entry(entry: Path) -> None:
    other = ARTICLES[1]
    entry.write_bytes(encode_entry(other, _payload(entry)[1], fake_parse(other)))


@pytest.mark.parametrize("corrupt", [
    _truncate, _empty, _flip(0.02), _flip(0.5), _flip(0.999), _wrong_checksum, _valid_checksum_bad_json,
    _wrong_version, _wrong_version_in_payload, _offsets_out_of_range, _head_out_of_range,
    _wrong_field_type, _bad_string_reference, _start_after_end, _bool_for_int, _parsed_not_bool, _missing_field,
    _another_texts_entry,
], ids=lambda f: getattr(f, "__name__", "flip"))
def test_corrupt_entry_is_deleted_and_reparsed(cache_root, corrupt):
    entry = _populate(cache_root)
    corrupt(entry)
    again = _reparsed(cache_root)
    assert again.parser.calls == 1, "a corrupt entry must never be trusted"
    assert again.stats.corrupt == 1 and again.stats.written == 1
    third = _reparsed(cache_root)  # the entry was replaced by a good one
    assert third.parser.calls == 0 and third.stats.hits == 1


def test_leftover_temp_file_is_ignored(cache_root):
    entry = _populate(cache_root)
    (entry.parent / ".tmp-deadbeef.qp").write_bytes(b"half")
    assert _reparsed(cache_root).parser.calls == 0
    assert ParseCache(cache_root).usage().entries == 1


# --- unusable cache folders ------------------------------------------------------------------


def test_cache_folder_that_is_a_file_is_unavailable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(CacheUnavailable, match="--no-cache"):
        ParseCache(blocker / "cache").check()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_cache_folder_is_unavailable(tmp_path):
    root = tmp_path / "ro"
    (root / "parses").mkdir(parents=True)
    root.chmod(0o500)
    (root / "parses").chmod(0o500)
    try:
        with pytest.raises(CacheUnavailable):
            ParseCache(root).check()
    finally:
        (root / "parses").chmod(0o700)
        root.chmod(0o700)


def test_write_error_mid_run_turns_the_cache_off_with_one_warning(cache_root, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(cache_mod.os, "replace", refuse)
    warnings: list[str] = []
    cached = CachedParser(FakeParser(), ParseCache(cache_root, on_warning=warnings.append).check())
    assert cached.parse_many(ARTICLES) == [fake_parse(t) for t in ARTICLES]
    assert cached.parse_many(ARTICLES) == [fake_parse(t) for t in ARTICLES]
    assert len(warnings) == 1 and "Permission denied" in warnings[0]
    assert cached.cache.disabled and cached.parser.calls == 2
    assert not list((cache_root / "parses").rglob(".tmp-*")), "temporary files are cleaned up"


# --- the CLI: extract with the cache, and `quotes cache` -------------------------------------


@pytest.fixture
def fake_model(monkeypatch):
    """`quotes extract` with the fake parser in place of stanza; yields the list of parsers made."""
    import quotes.parse

    made: list[FakeParser] = []

    def make(spec, device=None, **_kw):
        parser = FakeParser(spec)
        made.append(parser)
        return parser

    monkeypatch.setattr(quotes.parse, "resolve_model", lambda choice=None: fake_spec())
    monkeypatch.setattr(quotes.parse, "Parser", make)
    return made


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    return folder


def _extract(corpus: Path, *args: str):
    # one process: the fake model is patched into this one (--jobs auto would spawn workers)
    return CliRunner().invoke(cli, ["extract", str(corpus), "--batch-size", "2", "--jobs", "1", *args])


def test_cli_second_run_parses_nothing(corpus, cache_root, fake_model):
    cold = _extract(corpus, "--cache-dir", str(cache_root))
    assert cold.exit_code == 0, cold.output
    assert sum(p.calls for p in fake_model) == 2
    warm = _extract(corpus, "--cache-dir", str(cache_root))
    assert warm.exit_code == 0, warm.output
    assert sum(p.calls for p in fake_model) == 2, "warm run must not parse"
    assert warm.stdout == cold.stdout
    assert "3 article(s) from the parse cache, 0 parsed" in warm.stderr


def test_cli_cache_dir_from_environment(corpus, cache_root, fake_model, monkeypatch):
    monkeypatch.setenv("QUOTES_CACHE_DIR", str(cache_root))
    assert _extract(corpus).exit_code == 0
    assert len(entry_files(cache_root)) == 3


def test_cli_no_cache_parses_every_time(corpus, cache_root, fake_model):
    for _ in range(2):
        result = _extract(corpus, "--cache-dir", str(cache_root), "--no-cache")
        assert result.exit_code == 0, result.output
    assert sum(p.calls for p in fake_model) == 4
    assert not (cache_root / "parses").exists()


def test_cli_unusable_cache_dir_warns_once_and_goes_on(corpus, tmp_path, fake_model):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    plain = _extract(corpus, "--no-cache")
    result = _extract(corpus, "--cache-dir", str(blocker / "cache"))
    assert result.exit_code == 0, result.output
    assert result.stdout == plain.stdout
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and "cache" in warnings[0] and "--no-cache" in warnings[0]


def test_cli_write_errors_mid_run_warn_once(corpus, cache_root, fake_model, monkeypatch):
    def refuse(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(cache_mod.os, "replace", refuse)
    result = _extract(corpus, "--cache-dir", str(cache_root))
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and "No space left" in warnings[0]
    assert result.stdout == _extract(corpus, "--no-cache").stdout


def test_cache_info_and_clear(corpus, cache_root, fake_model):
    runner = CliRunner()
    empty = runner.invoke(cli, ["cache", "--cache-dir", str(cache_root), "info", "--json"])
    assert empty.exit_code == 0 and orjson.loads(empty.stdout)["entries"] == 0
    assert _extract(corpus, "--cache-dir", str(cache_root)).exit_code == 0

    info = runner.invoke(cli, ["cache", "--cache-dir", str(cache_root), "info"])
    assert info.exit_code == 0
    assert "entries: 3" in info.stdout and str(cache_root) in info.stdout
    as_json = orjson.loads(runner.invoke(cli, ["cache", "--cache-dir", str(cache_root), "info", "--json"]).stdout)
    assert as_json["entries"] == 3 and as_json["bytes"] == sum(p.stat().st_size for p in entry_files(cache_root))

    assert "records: 3 article(s)" in info.stdout  # the matcher's output is kept beside the parses
    assert as_json["record_entries"] == 3 and as_json["record_bytes"] > 0

    cleared = runner.invoke(cli, ["cache", "clear"], env={"QUOTES_CACHE_DIR": str(cache_root)})
    assert cleared.exit_code == 0 and "removed 3" in cleared.stderr
    assert "the records of 3 article(s)" in cleared.stderr
    assert entry_files(cache_root) == [] and record_files(cache_root) == []
    after = runner.invoke(cli, ["cache", "--cache-dir", str(cache_root), "info"])
    assert "entries: 0" in after.stdout
    assert runner.invoke(cli, ["cache", "--cache-dir", str(cache_root), "clear"]).exit_code == 0


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("QUOTES_CACHE_DIR", str(tmp_path / "x"))
    assert cache_mod.default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("QUOTES_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_mod.default_cache_dir() == tmp_path / "xdg" / "quotes"
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert cache_mod.default_cache_dir() == Path.home() / ".cache" / "quotes"


# --- a fully cached run never loads stanza ---------------------------------------------------


def test_fully_cached_run_does_not_import_stanza_or_torch(tmp_path):
    """A real `Parser` (on a model that does not even exist) behind a warm cache is never used."""
    root = tmp_path / "cache"
    spec_line = ("ModelSpec(kind='shipped', name='absent-1', "
                 f"paths={{'tokenize': Path({str(tmp_path / 'absent.pt')!r})}})")
    # fill the cache in this process, under the parser identity the child will compute
    from quotes.parse import ModelSpec, Parser

    spec = ModelSpec(kind="shipped", name="absent-1", paths={"tokenize": tmp_path / "absent.pt"})
    cache = ParseCache(root)
    for text in ARTICLES:
        cache.put(text, cache_mod.parser_identity(Parser(spec)), fake_parse(text), text_sha=text_digest(text))
    code = f"""
import sys
from pathlib import Path
from quotes.cache import CachedParser, ParseCache
from quotes.parse import ModelSpec, Parser
from quotes.extractor import extract_many
from quotes.sources import Article
texts = {ARTICLES!r}
parser = CachedParser(Parser({spec_line}), ParseCache({str(root)!r}))
out = list(extract_many([Article(str(i), t) for i, t in enumerate(texts)], parser=parser))
assert len(out) == 3 and parser.stats.hits == 3, parser.stats
print('stanza' in sys.modules, 'torch' in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# --- the record cache: a rerun skips the matcher too -------------------------------------------


def _articles():
    from quotes.sources import Article

    return [Article(f"{i}.txt", text) for i, text in enumerate(ARTICLES)]


@pytest.fixture
def matcher_calls(monkeypatch) -> list[str]:
    """The articles the matcher ran on (`Extractor.match` looks `extract_quotes` up on each call)."""
    import quotes.match

    calls: list[str] = []
    real = quotes.match.extract_quotes

    def counting(text, sentences, **kwargs):
        calls.append(kwargs.get("article"))
        return real(text, sentences, **kwargs)

    monkeypatch.setattr(quotes.match, "extract_quotes", counting)
    return calls


def _run(root: Path, *, cache: bool = True, **options):
    """``([(article, [record dict, ...]), ...], extractor, fake parser)`` of one run over ARTICLES."""
    from quotes.extractor import Extractor, ExtractorConfig

    parser = FakeParser()
    extractor = Extractor(ExtractorConfig(cache=cache, cache_dir=str(root), jobs=1, batch_size=2, **options),
                          parser=parser)
    out = [(a.id, [q.to_dict() for q in quotes]) for a, quotes in extractor.extract_articles(_articles())]
    return out, extractor, parser


def test_rerun_takes_the_records_from_the_cache_without_parsing_or_matching(cache_root, matcher_calls):
    cold, _, parser = _run(cache_root)
    assert sum(len(records) for _, records in cold) >= 3  # the articles have quotes to keep
    assert len(matcher_calls) == 3 and parser.calls == 2 and len(record_files(cache_root)) == 3
    warm, extractor, parser = _run(cache_root)
    assert warm == cold
    assert len(matcher_calls) == 3 and parser.calls == 0, "a warm rerun neither parses nor matches"
    assert extractor.cache.stats.records == 3 and extractor.cache.stats.hits == 3
    assert warm == _run(cache_root, cache=False)[0]


def test_records_come_back_as_the_same_quotes(cache_root):
    from quotes.extractor import Extractor, ExtractorConfig
    from quotes.record import Quote

    config = ExtractorConfig(cache_dir=str(cache_root), jobs=1, include_other=True)
    cold = list(Extractor(config, parser=FakeParser()).extract_articles(_articles()))
    warm = list(Extractor(config, parser=FakeParser()).extract_articles(_articles()))
    assert [q for _, quotes in warm for q in quotes] == [q for _, quotes in cold for q in quotes]
    for _, quotes in cold:
        for q in quotes:
            assert Quote.from_dict(q.to_dict()) == q


@pytest.mark.parametrize("options", [
    {"min_words": 1}, {"include_other": True}, {"kinds": {"direct"}}, {"kinds": {"direct", "partial"}},
    {"continuation_paragraphs": 0}, {"max_depth": 2},
], ids=str)
def test_another_option_or_kind_is_another_record_entry(cache_root, matcher_calls, options):
    _run(cache_root)
    before = len(matcher_calls)
    got, _, parser = _run(cache_root, **options)
    assert len(matcher_calls) == before + 3, "records made with other options must not be served"
    assert parser.calls == 0  # the parses are still the cached ones
    assert got == _run(cache_root, cache=False, **options)[0]
    assert _run(cache_root, **options)[0] == got and len(matcher_calls) == before + 6  # (+3: the uncached run)


def test_an_edit_to_the_package_code_is_another_record_entry(cache_root, matcher_calls, monkeypatch):
    cold = _run(cache_root)[0]
    monkeypatch.setattr(cache_mod, "package_digest", lambda root=None: "the code after an edit")
    got, _, parser = _run(cache_root)
    assert got == cold and len(matcher_calls) == 6 and parser.calls == 0


def test_no_records_are_kept_or_served_when_the_package_changed_after_it_was_loaded(
        cache_root, matcher_calls, monkeypatch):
    import quotes

    cold = _run(cache_root)[0]
    assert len(record_files(cache_root)) == 3
    monkeypatch.setattr(quotes, "_IMPORTED_NS", 0)  # every file is newer than this process's code
    assert cache_mod.package_changed_since_import()
    for _ in range(2):
        got, extractor, parser = _run(cache_root / "other")
        assert got == cold and extractor.record_context is None
    assert len(matcher_calls) == 9 and not (cache_root / "other" / "records").exists()
    again, extractor, parser = _run(cache_root)  # the parses are still served
    assert again == cold and parser.calls == 0 and extractor.cache.stats.records == 0


def test_another_article_id_for_the_same_text_is_matched_again(cache_root, matcher_calls):
    from quotes.extractor import Extractor, ExtractorConfig
    from quotes.sources import Article

    config = ExtractorConfig(cache_dir=str(cache_root), jobs=1)
    [(_, first)] = Extractor(config, parser=FakeParser()).extract_articles([Article("a.txt", ARTICLES[0])])
    [(_, second)] = Extractor(config, parser=FakeParser()).extract_articles([Article("b.txt", ARTICLES[0])])
    assert first and [q.article for q in first] == ["a.txt"] * len(first)
    assert [q.article for q in second] == ["b.txt"] * len(first)
    assert len(matcher_calls) == 2


def test_package_digest_follows_every_file_of_the_package_but_not_bytecode(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "quotes"
    shutil.copytree(Path(cache_mod.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pt", ".*"))
    def digest(root: str) -> str:
        return cache_mod._package_scan.__wrapped__(root)[0]

    base = digest(str(copy))
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "match.cpython-311.pyc").write_bytes(b"bytecode")
    (copy / "rules" / ".reported.py.swp").write_bytes(b"an editor's scratch file")
    assert digest(str(copy)) == base
    (copy / "models" / "weights.tsv").write_text("cue\t0.5\n")  # data the matcher may read
    (copy / "models" / "en").mkdir(parents=True, exist_ok=True)
    (copy / "models" / "en" / "depparse.pt").write_bytes(b"x" * 64)  # over the limit: named by size and mtime
    monkeypatch.setattr(cache_mod, "DIGEST_READ_LIMIT", 32)
    base = digest(str(copy))
    for name in ("match.py", "speakers.py", "record.py", "rules/reported.py", "lexicon/reporting_verbs.txt",
                 "models/weights.tsv", "models/en/depparse.pt"):
        path = copy / name
        original, stat = path.read_bytes(), path.stat()
        path.write_bytes(original + b"\n")
        assert digest(str(copy)) != base, name
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert digest(str(copy)) == base, name
    (copy / "rules" / "new_rule.py").write_text("X = 1\n")
    assert digest(str(copy)) != base


def _rewrite_records(path: Path, change) -> bool:
    """Apply ``change`` to each record of the entry at ``path``, re-signed so only the record
    checks can catch it; whether the entry held any record."""
    payload = path.read_bytes().split(b"\n", 1)[1]
    obj = orjson.loads(payload)
    for record in obj[5]:
        change(record)
    payload = orjson.dumps(obj)
    path.write_bytes(b"QRECS %d %s\n" % (cache_mod.RECORD_FORMAT, hashlib.sha256(payload).hexdigest().encode())
                     + payload)
    return bool(obj[5])


@pytest.mark.parametrize("corrupt", ["truncated", "garbage", "offsets", "text", "missing key", "kind"])
def test_corrupt_record_entry_is_ignored_and_rebuilt(cache_root, matcher_calls, corrupt):
    cold = _run(cache_root)[0]
    bad = 0
    for path in record_files(cache_root):
        data = path.read_bytes()
        if corrupt == "truncated":
            path.write_bytes(data[: len(data) // 2])
            bad += 1
        elif corrupt == "garbage":
            path.write_bytes(b"QRECS 1 0000\nnot JSON")
            bad += 1
        else:
            change = {"offsets": lambda r: r.update(start=r["start"] + 1),
                      "text": lambda r: r.update(text=r["text"] + "!"),
                      "missing key": lambda r: r.pop("cue"),
                      "kind": lambda r: r.update(kind="paraphrase")}[corrupt]
            bad += _rewrite_records(path, change)
    assert bad >= 2
    got, extractor, parser = _run(cache_root)
    assert got == cold, "a corrupt entry is never served"
    assert extractor.cache.stats.corrupt == bad and len(matcher_calls) == 3 + bad and parser.calls == 0
    again, extractor, _ = _run(cache_root)
    assert again == cold and extractor.cache.stats.records == 3 and len(matcher_calls) == 3 + bad


def test_record_cache_is_off_with_the_cache(cache_root, matcher_calls):
    for _ in range(2):
        _run(cache_root, cache=False)
    assert len(matcher_calls) == 6 and not (cache_root / "records").exists()


def test_warm_rerun_imports_neither_stanza_nor_the_matcher_and_spawns_no_worker(tmp_path):
    """Two runs in fresh processes, the real `Parser` (on a model that does not even exist)
    behind a parse cache filled here: the first matches, the second is served its records."""
    root = tmp_path / "cache"
    from quotes.parse import ModelSpec, Parser

    spec = ModelSpec(kind="shipped", name="absent-1", paths={"tokenize": tmp_path / "absent.pt"})
    cache = ParseCache(root)
    for text in ARTICLES:
        cache.put(text, cache_mod.parser_identity(Parser(spec)), fake_parse(text), text_sha=text_digest(text))
    code = f"""
import sys
from pathlib import Path
import orjson
from quotes.extractor import Extractor, ExtractorConfig
from quotes.parse import ModelSpec
from quotes.sources import Article
spec = ModelSpec(kind="shipped", name="absent-1", paths={{"tokenize": Path({str(tmp_path / 'absent.pt')!r})}})
extractor = Extractor(ExtractorConfig(cache_dir={str(root)!r}, jobs="auto", batch_size=1), spec=spec)
texts = {ARTICLES!r}
lines = [orjson.dumps(q.to_dict()).decode() for _, quotes in
         extractor.extract_articles([Article(str(i), t) for i, t in enumerate(texts)]) for q in quotes]
loaded = [m for m in ("stanza", "torch", "quotes.match", "concurrent.futures.process") if m in sys.modules]
print(orjson.dumps([lines, extractor.cache.stats.to_dict(), loaded]).decode())
"""
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        runs.append(orjson.loads(done.stdout))
    (cold, cold_stats, cold_loaded), (warm, warm_stats, warm_loaded) = runs
    assert cold and warm == cold
    assert cold_stats["parsed"] == 0 and cold_stats["records"] == 0 and "quotes.match" in cold_loaded
    assert warm_stats["records"] == 3 and warm_stats["parsed"] == 0
    assert warm_loaded == [], "a warm rerun loads neither stanza nor torch nor the matcher, and starts no worker"
