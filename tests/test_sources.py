"""Reading inputs: files, folders, globs, stdin, JSONL; bad files are reported, not fatal."""

from __future__ import annotations

import io

from quotes.sources import Article, SourceError, decode, iter_articles


def _read(paths, **kw):
    return list(iter_articles([str(p) for p in paths], **kw))


def test_folder_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    (tmp_path / "notes.md").write_text("skipped", encoding="utf-8")
    out = _read([tmp_path])
    assert [a.id for a in out] == ["a.txt", "b.txt", "sub/a.txt"]


def test_bom_is_not_part_of_the_text():
    assert decode("\ufeff“Hi,” she said.".encode("utf-8")) == "“Hi,” she said."


def test_other_encoding(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("«Olé», dit-il.".encode("latin-1"))
    [bad] = _read([p])
    assert isinstance(bad, SourceError) and "--encoding" in bad.message
    [good] = _read([p], encoding="latin-1")
    assert isinstance(good, Article) and good.text == "«Olé», dit-il."


def test_binary_and_missing_files_are_errors_that_say_what_to_do(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    out = _read([p, tmp_path / "nope.txt"])
    assert all(isinstance(e, SourceError) for e in out)
    assert "binary" in out[0].message
    assert "no such file" in out[1].message


def test_glob_pattern(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    out = _read([tmp_path / "x*.txt"])
    assert [a.text for a in out] == ["x1.txt", "x2.txt"]


def test_jsonl_articles_with_named_fields(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"doc": "n1", "body": "one"}\n\nnot json\n{"doc": "n2"}\n', encoding="utf-8")
    out = _read([p], text_field="body", id_field="doc")
    assert isinstance(out[0], Article) and (out[0].id, out[0].text) == ("n1", "one")
    assert isinstance(out[1], SourceError) and out[1].path.endswith(":3")
    assert isinstance(out[2], SourceError) and "--text-field" in out[2].message


def test_stdin_text_and_jsonl():
    [a] = list(iter_articles(["-"], stdin=io.BytesIO("“Yes,” he said.".encode())))
    assert (a.id, a.text) == ("-", "“Yes,” he said.")
    out = list(iter_articles(["-"], stdin=io.BytesIO(b'{"id": "k", "text": "t"}\n')))
    assert out[0].id == "k"


def test_crlf_text_is_kept_as_read(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"One.\r\n\r\nTwo.")
    [a] = _read([p])
    assert a.text == "One.\r\n\r\nTwo."


def test_jsonl_is_read_lazily_line_by_line(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text("".join(f'{{"id": "a{i}", "text": "t{i}"}}\n' for i in range(1000)), encoding="utf-8")
    it = iter_articles([str(p)])
    first = next(it)
    assert first.id == "a0"  # nothing forces the rest of the file to be read or decoded
    assert sum(1 for _ in it) == 999


def test_stdin_jsonl_after_blank_lines():
    out = list(iter_articles(["-"], stdin=io.BytesIO(b'\n\n{"id": "k", "text": "t"}\n{"id": "m", "text": "u"}\n')))
    assert [a.id for a in out] == ["k", "m"]
