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


# --- odd entries inside a folder: each gets its one error, the good files are still read ---------


def _unreadable_file(folder):
    """A .txt file that cannot be read, also by root (chmod 000 does not stop root): a link to
    /proc/self/mem, whose first page is not mapped, so reading it fails with EIO."""
    import os

    p = folder / "unreadable.txt"
    if os.geteuid() != 0:
        p.write_text("secret", encoding="utf-8")
        p.chmod(0)
        return p
    if not os.path.exists("/proc/self/mem"):
        return None
    p.symlink_to("/proc/self/mem")
    return p


def test_dangling_link_loop_fifo_and_unreadable_file_in_a_folder_each_get_one_error(tmp_path):
    import os

    (tmp_path / "good.txt").write_text("“Fine,” she said.", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder loop is not followed
    (tmp_path / "folder.txt").mkdir()  # a folder with an article's name is searched, not read
    (tmp_path / "folder.txt" / "inner.txt").write_text("inner", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    unreadable = _unreadable_file(tmp_path)
    out = _read([tmp_path])
    good = [a.id for a in out if isinstance(a, Article)]
    bad = {e.path.rsplit("/", 1)[-1]: e.message for e in out if isinstance(e, SourceError)}
    assert good == ["folder.txt/inner.txt", "good.txt"]
    assert "broken symbolic link" in bad.pop("dangling.txt")
    assert "loops" in bad.pop("loop.txt")
    assert "FIFO" in bad.pop("pipe.txt")
    if unreadable is not None:
        assert "cannot be read" in bad.pop("unreadable.txt")
    assert not bad


def test_dangling_link_named_directly_says_it_is_broken(tmp_path):
    (tmp_path / "d.txt").symlink_to(tmp_path / "gone.txt")
    [err] = _read([tmp_path / "d.txt"])
    assert isinstance(err, SourceError) and "broken symbolic link" in err.message
