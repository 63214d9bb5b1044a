"""Hostile input: no article takes the run down, and the work on each one is bounded.

The corpus is generated here (nothing large is committed). What takes minutes at full size (a
200,000-word line, a 2 MB article) is tested at small size with low limits; bench/bench.py
measures the full size (``--hostile``).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from conftest import flat_parse
from quotes.parse import ParseNote, _windows, cut_paragraph


# --- bounded pieces for the tokenizer ------------------------------------------------------------


def test_a_long_paragraph_is_cut_into_pieces_at_sentence_ends_then_spaces():
    text = "Intro.\n" + " ".join(f"Word{i} said it." for i in range(200)) + "\nEnd."
    start = text.index("Word0")
    end = text.index("\nEnd")
    pieces = cut_paragraph(text, start, end, limit=100)
    assert len(pieces) > 10
    assert all(0 < b - a <= 100 for a, b in pieces)
    assert pieces[0][0] == start and pieces[-1][1] == end
    # every cut falls after a sentence end, and only spaces lie between the pieces
    assert all(text[b - 1] == "." for a, b in pieces)
    assert all(not text[b:a2].strip() for (_, b), (a2, _) in zip(pieces, pieces[1:]))


def test_a_paragraph_with_no_stop_is_cut_at_spaces_and_one_with_no_space_at_the_limit():
    text = " ".join(["word"] * 100)
    pieces = cut_paragraph(text, 0, len(text), limit=50)
    assert all(text[a:b].split() == ["word"] * len(text[a:b].split()) for a, b in pieces)
    assert "".join(text[a:b] + " " for a, b in pieces).split() == text.split()
    solid = "x" * 250
    assert cut_paragraph(solid, 0, 250, limit=100) == [(0, 100), (100, 200), (200, 250)]
    assert cut_paragraph("short one", 0, 9, limit=100) == [(0, 9)]


@given(st.text(alphabet=st.sampled_from("ab .,!?\u201c\u201d\t"), max_size=400), st.integers(5, 60))
def test_pieces_cover_every_non_space_character_once(text, limit):
    pieces = cut_paragraph(text, 0, len(text), limit=limit)
    assert all(0 < b - a <= limit for a, b in pieces)
    assert all(b <= a2 for (_, b), (a2, _) in zip(pieces, pieces[1:]))
    covered = "".join(text[a:b] for a, b in pieces)
    assert covered.replace(" ", "").replace("\t", "") == text.replace(" ", "").replace("\t", "")


# --- bounded sentences for the dependency parser -------------------------------------------------


def _sentence(texts):
    tokens = [SimpleNamespace(text=t, words=[t] * (2 if t == "don't" else 1)) for t in texts]
    return SimpleNamespace(tokens=tokens, words=[w for t in tokens for w in t.words])


def test_a_long_sentence_is_cut_into_windows_after_punctuation_and_tokens_stay_whole():
    texts = (["a"] * 7 + [","]) * 10 + ["don't"] * 5
    sent = _sentence(texts)
    windows = _windows(sent, 10)
    assert windows[0] == (0, 8) and windows[-1][1] == len(texts)
    assert all(b == a2 for (_, b), (a2, _) in zip(windows, windows[1:]))
    for lo, hi in windows:
        assert sum(len(t.words) for t in sent.tokens[lo:hi]) <= 10
    assert all(texts[hi - 1] == "," for lo, hi in windows[:-2])
    assert _windows(_sentence(["a"] * 10), 10) == [(0, 10)]


@pytest.mark.model
def test_no_sentence_longer_than_the_limit_reaches_the_parser_and_offsets_stay_exact(shipped_parser):
    from quotes.parse import Parser

    parser = Parser(shipped_parser.spec, max_sentence_words=12, max_piece_chars=120)
    line = " ".join(f"item {i} costs {i} dollars" for i in range(40))
    text = f"Prices.\n“It is a long list,” Jane Doe said of it, {line} and more\nShe said “Fine.”\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [sents] = parser.parse_many([text])
    notes = [w.message for w in caught if isinstance(w.message, ParseNote)]
    assert len(notes) == 1 and notes[0].text is text
    assert "tokenized in pieces" in str(notes[0]) and "cut into windows" in str(notes[0])
    assert all(len(s.words) <= 12 for s in sents if s.parsed)
    for s in sents:
        for w in s.words:
            assert w.text == text[w.start:w.end] or len({x.start for x in s.words if x.start == w.start}) > 1
        assert all(1 <= w.id <= len(s.words) and 0 <= w.head <= len(s.words) for w in s.words)
    assert [s.index for s in sents] == list(range(len(sents)))


# --- the hostile corpus, one CLI run ---------------------------------------------------------------

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
from click.testing import CliRunner

from quotes.cli import cli
from quotes.extractor import Extractor, ExtractorConfig
from quotes.marks import paragraph_spans

ROOT = Path(__file__).resolve().parent.parent
STUB_SPEC = SimpleNamespace(name="stub-1", kind="stub", paths={}, resources_dir=None)


stub_parse = flat_parse  # one flat sentence per paragraph (tests/conftest.py)


class StubParser:
    """Whitespace tokens, one flat sentence per paragraph (no model); an article holding
    RAISE-MEMORY or RAISE-VALUE makes the whole batch fail, one holding DIE-NOW kills the
    process (only ever run it in a worker); ``delay`` seconds per article (kill tests)."""

    def __init__(self, spec=STUB_SPEC, delay: float = 0.0):
        self.spec = spec
        self.delay = delay

    def parse_many(self, texts):
        for t in texts:
            if "RAISE-MEMORY" in t:
                raise MemoryError()
            if "RAISE-VALUE" in t:
                raise ValueError("the stub fails on this article")
            if "DIE-NOW" in t:
                os._exit(3)
        if self.delay:
            time.sleep(self.delay * len(texts))
        return [stub_parse(t) for t in texts]


def stub_factory(spec, device, threads):
    return StubParser(spec)


def slow_factory(spec, device, threads):
    return StubParser(spec, delay=0.25)


def real_low_limits_factory(spec, device, threads):
    """The shipped model with low bounds (the mechanism at small size), failing like the stub
    on RAISE-MEMORY."""
    from quotes.parse import Parser

    class Failing(Parser):
        def parse_many(self, texts):
            if any("RAISE-MEMORY" in t for t in texts):
                raise MemoryError()
            return super().parse_many(texts)

    return Failing(spec, device=device, threads=threads, max_sentence_words=40, max_piece_chars=400)


GOOD = "“We will build the new bridge this year,” Jane Doe said.\n\nShe added: “It is paid for.”\n"


def hostile_corpus(folder: Path, *, failing: tuple[str, ...] = ("RAISE-MEMORY",)) -> tuple[dict, int]:
    """Write the corpus; returns {good file name: its text} and the number of bad inputs."""
    folder.mkdir(parents=True, exist_ok=True)
    good = {
        "good.txt": GOOD,
        "crlf.txt": GOOD.replace("\n", "\r\n"),
        "bom.txt": "\ufeff" + GOOD,
        "ls.txt": "Intro line\u2028“We will win the vote next week,” Jane Doe said.\u2028Done.",
        "nel.txt": "Intro\u0085“We will win the vote next week,” Jane Doe said.\n“Sure,” he said.",
        "control.txt": "Bell\x07 and escape\x1b here.\n“We will keep the old rules for now,” Doe said.\x0b\x0c",
        "empty.txt": "",
        "blank.txt": "  \n\t\n   \n",
        "marks.txt": "“" * 5000 + " text " + "”" * 3000 + "\"" * 2000 + "\n" + GOOD,
        "long_line.txt": "“Fine,” Doe said of the table: " + " ".join(f"cell{i} row" for i in range(1500))
                         + "\n" + GOOD,
        "big.txt": "\n".join(f"“Quote number {i} is about the budget,” Jane Doe said." for i in range(300)),
        "astral.txt": "“We 🎉 won 𝔘 the 🏆 cup today,” Jane Doe said. 😀\n",
    }
    for name, text in good.items():
        (folder / name).write_bytes(text.encode("utf-8") if name != "bom.txt" else text.encode("utf-8"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    good["bom.txt"] = GOOD
    bad = 0
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "nul.txt").write_bytes(b"text with a \x00 NUL byte")
    (folder / "latin1.txt").write_bytes("«Olé», dit-il, «très bien».".encode("latin-1"))
    bad += 3
    lines = [orjson.dumps({"id": "j1", "text": GOOD}), b"{broken json", b'{"id": "j2"}', b"[1, 2]",
             orjson.dumps({"id": "j3", "text": "“A JSONL article with a quote,” Doe said."})]
    (folder / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    bad += 3
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    bad += 2
    if os.path.exists("/proc/self/mem"):  # unreadable also for root (chmod 000 is not): EIO
        (folder / "unreadable.txt").symlink_to("/proc/self/mem")
        bad += 1
    for i, word in enumerate(failing):
        (folder / f"fails{i}.txt").write_text(f"“This article makes the parser fail,” {word} said.\n")
        bad += 1
    return good, bad


def _check_run(out_path: Path, stderr: str, folder: Path, good: dict, bad: int) -> list[dict]:
    assert "Traceback" not in stderr, stderr
    errors = [ln for ln in stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == bad, "\n".join(errors)
    records = [orjson.loads(ln) for ln in out_path.read_bytes().splitlines()]
    texts = {name: text for name, text in good.items()}
    texts["feed.jsonl"] = None
    by_article: dict[str, list[dict]] = {}
    for r in records:
        by_article.setdefault(r["article"], []).append(r)
    for name, text in good.items():
        if "“" not in text:
            continue
        assert by_article.get(name), f"no records for {name}"
        spans = paragraph_spans(text)
        for r in by_article[name]:
            assert text[r["start"]:r["end"]] == r["text"]
            assert spans[r["paragraph"]][0] <= r["start"] < spans[r["paragraph"]][1] + 1
            for key in ("speaker_span", "verb", "cue"):
                if r[key] is not None:
                    assert text[r[key]["start"]:r[key]["end"]] == r[key]["text"]
    assert by_article.get("j1") and by_article.get("j3")
    assert not any(a.startswith("fails") for a in by_article)
    return records


def test_one_run_over_the_hostile_corpus_reports_each_bad_input_once_and_writes_every_good_article(tmp_path):
    good, bad = hostile_corpus(tmp_path / "in", failing=("RAISE-MEMORY", "RAISE-VALUE"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(out), "--no-cache", "--batch-size", "4"],
        obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    _check_run(out, result.stderr, tmp_path / "in", good, bad)
    assert re.search(r"error: \S*fails0.txt: ran out of memory while parsing .*rerun it alone", result.stderr)
    assert re.search(r"error: \S*fails1.txt: failed while parsing \(ValueError", result.stderr)
    assert "broken symbolic link" in result.stderr and "loops back" in result.stderr


@pytest.mark.model
def test_the_hostile_corpus_with_the_real_parser_at_low_limits(tmp_path):
    good, bad = hostile_corpus(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(out), "--no-cache"],
        obj={"parser_factory": real_low_limits_factory})
    assert result.exit_code == 1, result.stderr
    _check_run(out, result.stderr, tmp_path / "in", good, bad)
    notes = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert any("long_line.txt" in ln and "cut into windows of at most 40 words" in ln for ln in notes), notes
    assert any("tokenized in pieces" in ln for ln in notes), notes


def test_a_worker_that_dies_on_one_article_is_replaced_and_only_that_article_is_lost(tmp_path):
    good, bad = hostile_corpus(tmp_path / "in", failing=("DIE-NOW", "RAISE-VALUE"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(out), "--no-cache", "--jobs", "2", "--batch-size", "3"],
        obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    _check_run(out, result.stderr, tmp_path / "in", good, bad)
    assert re.search(r"error: \S*fails0.txt: the worker process parsing it died", result.stderr)
    # every other article's records are there: the same bytes as a run in one process without it
    (tmp_path / "in" / "fails0.txt").unlink()
    serial = tmp_path / "serial.jsonl"
    again = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(serial), "--no-cache", "--batch-size", "5"],
        obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert again.exit_code == 1 and again.stderr.count("error:") == bad - 1
    assert serial.read_bytes() == out.read_bytes()


def test_failures_inside_the_library_propagate_without_on_error():
    config = ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False)
    from quotes.sources import Article

    with pytest.raises(MemoryError):
        list(Extractor(config).extract_articles([Article("a", "RAISE-MEMORY")]))
    seen = []
    got = list(Extractor(config, on_error=lambda a, m: seen.append(a.id)).extract_articles(
        [Article("a", GOOD), Article("b", "“Boom,” RAISE-MEMORY said."), Article("c", GOOD)]))
    assert [a.id for a, _ in got] == ["a", "b", "c"] and seen == ["b"]
    assert got[0][1] and not got[1][1] and got[2][1]


# --- interrupted runs and --resume -----------------------------------------------------------------

LAUNCHER = """
import signal
import sys
# Ctrl-C as at a terminal, even when the test runs in a background job whose shell ignores SIGINT
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {tests!r})
from quotes.cli import main
from test_hostile import STUB_SPEC, slow_factory
from click.testing import CliRunner
if __name__ == "__main__":
    from quotes.cli import cli
    try:
        cli.main(args=sys.argv[1:], prog_name="quotes", obj={{"model": STUB_SPEC, "parser_factory": slow_factory}})
    except SystemExit as exc:
        sys.exit(exc.code)
"""


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"“Article {i} has a quote of some length,” Jane Doe said.\n"
                                              f"“And a second one here,” she said.\n")
    (folder / "a005.txt").write_bytes(b"\x00binary")  # a bad input inside the run


def _launch(tmp_path: Path, *args: str) -> subprocess.Popen:
    script = tmp_path / "launch.py"
    script.write_text(LAUNCHER.format(tests=str(ROOT / "tests")))
    return subprocess.Popen([sys.executable, str(script), *args], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _journal_lines(out: Path) -> int:
    journal = out.with_name(f".{out.name}.journal")
    try:
        return journal.read_bytes().count(b"\n")
    except OSError:
        return 0


@pytest.mark.parametrize("jobs,sig", [("1", signal.SIGTERM), ("2", signal.SIGTERM), ("2", signal.SIGINT)])
def test_a_killed_run_resumed_equals_an_uninterrupted_one_byte_for_byte(tmp_path, jobs, sig):
    _corpus(tmp_path / "in", 40)
    common = ["extract", "in", "--no-cache", "--jobs", jobs, "--batch-size", "3"]
    whole = _launch(tmp_path, *common, "-o", "whole.jsonl")
    _, err = whole.communicate(timeout=120)
    assert whole.returncode == 1 and err.count("error:") == 1, err

    out = tmp_path / "part.jsonl"
    run = _launch(tmp_path, *common, "-o", str(out))
    deadline = time.monotonic() + 60
    # signal once a few articles are journaled, far from the end (40 articles at 0.25 s each)
    while _journal_lines(out) < 4 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.02)
    assert run.poll() is None, "the run ended before it could be signalled"
    run.send_signal(sig)
    _, err = run.communicate(timeout=60)
    assert run.returncode == (143 if sig == signal.SIGTERM else 130), err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert "--resume" in last and ("terminated" in last or "interrupted" in last), err
    assert not out.exists()  # -o stays atomic: nothing half-written where the output goes
    done = _journal_lines(out) - 1
    assert 0 < done < 39

    again = _launch(tmp_path, *common, "-o", str(out), "--resume")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 1, err  # the bad input still counts
    assert "Traceback" not in err and "resuming" in err
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    assert not out.with_name(f".{out.name}.journal").exists() and not out.with_name(f".{out.name}.part").exists()


def test_resume_refuses_other_options_and_a_damaged_part_is_cut_back(tmp_path):
    from quotes.journal import ResumableOutput, ResumeError, paths_for

    out = tmp_path / "o.jsonl"
    with ResumableOutput(out, {"a": 1}) as w:
        w.write("x", b"1\n")
        w.write("y", b"22\n")
        w.write("z", b"333\n")
    _, part, journal = paths_for(out)
    with pytest.raises(ResumeError, match="other settings"):
        with ResumableOutput(out, {"a": 2}, resume=True):
            pass
    data = part.read_bytes()
    part.write_bytes(data[:3] + b"X" + data[4:])  # damage article y's records
    with ResumableOutput(out, {"a": 1}, resume=True) as w:
        assert [d.id for d in w.resumed.done] == ["x"] and w.resumed.dropped == 2
        w.write("y", b"22\n")
        w.write("z", b"333\n")
        w.commit()
    assert out.read_bytes() == b"1\n22\n333\n" and not journal.exists() and not part.exists()


def test_resume_without_an_interrupted_run_starts_from_the_first_article(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"), "--no-cache", "--resume"],
        obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert result.exit_code == 0, result.stderr
    assert "nothing to resume" in result.stderr and (tmp_path / "o.jsonl").read_bytes()
    usage = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), "--resume"],
                                               obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert usage.exit_code == 2 and "-o FILE" in usage.stderr


# --- no text crashes extraction ----------------------------------------------------------------------

HOSTILE_CHARS = st.sampled_from(list("ab A.,;:!?-—'\"“”‘’«»„\n\r\t\u2028\u2029\u0085\x00\x07\ufeff😀 ") + ["said", "Doe"])


@settings(max_examples=300, deadline=None)
@given(st.lists(HOSTILE_CHARS, max_size=80).map("".join))
def test_no_text_crashes_extraction_and_offsets_hold(text):
    extractor = Extractor(ExtractorConfig(model=STUB_SPEC, parser_factory=stub_factory, cache=False))
    for q in extractor.extract_text(text):
        d = q.to_dict()
        assert text[d["start"]:d["end"]] == d["text"]


@pytest.mark.model
@settings(max_examples=15, deadline=None)
@given(st.lists(HOSTILE_CHARS, max_size=60).map("".join))
def test_no_text_crashes_the_real_parser(shipped_parser, text):
    from quotes.parse import Parser

    parser = Parser(shipped_parser.spec, max_sentence_words=8, max_piece_chars=30)
    extractor = Extractor(ExtractorConfig(model=shipped_parser.spec, cache=False), parser=parser)
    for q in extractor.extract_text(text):
        d = q.to_dict()
        assert text[d["start"]:d["end"]] == d["text"]


def test_a_plain_rerun_over_an_interrupted_one_says_it_starts_over(tmp_path):
    from quotes.journal import ResumableOutput

    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "o.jsonl"
    with ResumableOutput(out, {"x": 1}) as w:  # an interrupted run: never committed
        w.write("a.txt", b"{}\n")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), "-o", str(out), "--no-cache"],
                                obj={"model": STUB_SPEC, "parser_factory": stub_factory})
    assert result.exit_code == 0 and "starting over" in result.stderr
    assert out.read_bytes() and b"{}" not in out.read_bytes()


def test_a_long_article_gets_a_batch_of_its_own():
    from quotes.extractor import batches
    from quotes.sources import Article

    sizes = [10, 10, 2_000, 10, 600, 600, 10]
    got = [[a.id for a in b] for b in batches([Article(str(i), "x" * n) for i, n in enumerate(sizes)], 16,
                                              max_chars=1_000)]
    assert got == [["0", "1"], ["2"], ["3", "4"], ["5", "6"]]
