"""The CLI through click's runner: files, folders, globs, stdin, bad files, exit codes."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.record import RECORD_KEYS

ARTICLE = "“We will not back down,” the mayor said on Monday.\nShe left.\n"


def _records(output: str) -> list[dict]:
    return [orjson.loads(line) for line in output.splitlines() if line.strip()]


def test_help_is_instant_and_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output and "download" in result.output


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "quotes" in result.output


def test_usage_error_exits_2():
    result = CliRunner().invoke(cli, ["extract"])
    assert result.exit_code == 2


def test_help_does_not_import_stanza():
    import subprocess
    import sys

    code = "import sys; from quotes.cli import cli; cli.main(['--help'], standalone_mode=False); print('stanza' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_bad_model_path_is_one_clear_line(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--model", str(tmp_path / "nomodel")])
    assert result.exit_code == 1
    assert "not a model folder" in result.output and "--model" in result.output


@pytest.mark.model
def test_folder_glob_and_file_give_records_with_every_key(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(tmp_path), "--model", "shipped"])
    assert result.exit_code == 0, result.output
    recs = _records(result.stdout)
    assert [r["article"] for r in recs] == ["a.txt", "sub/b.txt"]
    for r in recs:
        assert tuple(r) == RECORD_KEYS
        assert r["text"] == "We will not back down,"
        assert ARTICLE[r["start"]:r["end"]] == r["text"]
        assert r["verb"]["lemma"] == "say"
    result = runner.invoke(cli, ["extract", str(tmp_path / "*.txt"), "--model", "shipped"])
    assert [r["article"] for r in _records(result.stdout)] == [str(tmp_path / "a.txt")]


@pytest.mark.model
def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "out" / "q.jsonl"
    result = CliRunner().invoke(cli, ["extract", "-", "-o", str(out), "--model", "shipped"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    [rec] = _records(out.read_text(encoding="utf-8"))
    assert rec["article"] == "-" and rec["kind"] == "direct"
    assert not list(out.parent.glob("*.part"))


@pytest.mark.model
def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    (tmp_path / "latin.txt").write_bytes("\"Olé,\" he said.".encode("latin-1"))
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--model", "shipped"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any("bad.txt" in e and "binary" in e for e in errors)
    assert any("latin.txt" in e and "--encoding" in e for e in errors)
    assert [r["article"] for r in _records(result.stdout)] == ["good.txt"]


@pytest.mark.model
def test_failed_run_keeps_the_previous_output(tmp_path):
    out = tmp_path / "q.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "missing.txt"), "-o", str(out), "--model", "shipped"])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr
    # no input could be read: the previous output is left as it was
    assert out.read_text(encoding="utf-8") == "previous\n"
