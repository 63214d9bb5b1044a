"""`quotes eval` (`quotes.evaluate`): gold quote units from brat, the matching and every figure.

The fixtures in tests/fixtures/brat are hand-written articles (our own sentences) with
hand-made predictions; the expected figures below are counted by hand:

* 12 gold units: alpha 3 (annotator a1f0, not b2c3), beta 5 (two from one multi-paragraph
  quotation; the scare quote "flood tax" is in no Content), gamma 4 (a nested quote, a
  discontinuous Content, an Attribution-no-source).
* 11 predicted units (direct/partial); one "other" record sits on a gold unit, one "other"
  record breaks the offset rule, one record names an article not in the gold.
* at 30 %: 10 matched (the multi-paragraph second paragraph is missed, "and we will win." is
  only kind other); at 80 %: 9 (the partial prediction "a fantasy" covers 9 of 23 characters).
* speaker right on 7 of the 10, verb right on 9.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.evaluate import (
    CONSTRUCTIONS, GoldArticle, article_key, error_report, format_table, gold_units, load_gold,
    load_predictions, match_units, parse_ann, score,
)

FIXTURES = Path(__file__).parent / "fixtures" / "brat"
PREDICTIONS = FIXTURES / "predictions.jsonl"
POLNEAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"


@pytest.fixture(scope="module")
def gold() -> dict[str, GoldArticle]:
    return load_gold(FIXTURES)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    recs, problems = load_predictions(PREDICTIONS.read_bytes().splitlines())
    assert problems == []
    return recs


@pytest.fixture(scope="module")
def report(gold, records):
    return score(gold, records)


def unit_texts(article: GoldArticle) -> list[str]:
    return [article.text[u.start:u.end] for u in gold_units(article)]


# --- gold -------------------------------------------------------------------------------------


def test_fixture_offsets_are_code_points_of_the_text(gold) -> None:
    for path in (FIXTURES / "attributions").glob("*.ann"):
        text = (FIXTURES / "text" / (path.stem.rsplit("_", 1)[0] + ".txt")).read_text(encoding="utf-8")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _tid, label_spans, surface = line.split("\t")
            frags = [tuple(map(int, f.split())) for f in label_spans.split(" ", 1)[1].split(";")]
            assert " ".join(text[a:b] for a, b in frags).startswith(surface)


def test_load_gold_ids_are_text_file_names_in_sorted_order(gold) -> None:
    assert list(gold) == ["alpha.txt", "beta.txt", "gamma.txt"]
    assert gold["beta.txt"].text.startswith("“The river rose")


def test_annotator_choice_is_the_smallest_id(gold) -> None:
    alpha = gold["alpha.txt"]
    assert alpha.annotators == ("a1f0", "b2c3")
    assert alpha.annotator == "a1f0"
    assert alpha.ann_path.endswith("alpha_a1f0.ann")
    assert len(alpha.attributions) == 3  # b2c3 annotated only one
    assert [u.source_text for u in gold_units(alpha)][0] == "Mayor Lena Ortiz"  # b2c3 says "The mayor"


def test_limit_keeps_the_first_articles() -> None:
    assert list(load_gold(FIXTURES, limit=2)) == ["alpha.txt", "beta.txt"]


def test_missing_folders_raise_gold_error(tmp_path) -> None:
    from quotes.evaluate import GoldError

    with pytest.raises(GoldError, match="attributions"):
        (tmp_path / "text").mkdir()
        load_gold(tmp_path)


def test_parse_ann_reads_repeated_roles_fragments_and_skips_notes() -> None:
    ann = (
        "T1\tSource 0 2\tWe\n"
        "T2\tCue 3 7\tsaid\n"
        "T3\tContent 8 12;14 20\tabcd efghij\n"
        "T4\tContent 30 40\tsurface that runs\n"
        "over a line break\n"
        "T5\tAttribution 3 7\tsaid\n"
        "E1\tAttribution:T5 Source:T1 Cue:T2 Content:T3 Content2:T4 \n"
        "#1\tAnnotatorNotes T1\ta note\n"
        "E2\tAttribution-no-source:T5 Cue:T2 Content:T99\n"
    )
    first, second = parse_ann(ann)
    assert (first.id, first.label) == ("E1", "Attribution")
    assert first.content == ((8, 12), (14, 20), (30, 40))
    assert first.cue == ((3, 7),) and first.source == ((0, 2),)
    assert (second.label, second.content, second.source) == ("Attribution-no-source", (), ())


def test_gold_units_are_quotes_inside_a_content(gold) -> None:
    assert unit_texts(gold["alpha.txt"]) == [
        "We will fix the bridge by spring,", "The money is already there.", "a fantasy with a budget"]
    # the scare quote "flood tax" lies in no Content: not a unit
    assert unit_texts(gold["beta.txt"]) == [
        "The river rose faster than any of us expected,",
        "We moved the families out before midnight.",
        "Nobody was hurt, and that is what matters.",
        "The worst is over,",
        "should stop tonight.",
    ]
    # a discontinuous Content gives a unit for each fragment's quote
    assert unit_texts(gold["gamma.txt"]) == [
        "tired of waiting", "We are ready,", "and we will win.", "stay indoors until noon."]


def test_multi_paragraph_quote_gives_one_unit_per_paragraph(gold) -> None:
    units = gold_units(gold["beta.txt"])
    mp = [u for u in units if "multi-paragraph" in u.constructions]
    assert len(mp) == 2
    assert mp[0].utterance == mp[1].utterance and mp[0].paragraph + 1 == mp[1].paragraph
    assert all(u.attribution == "E2" and u.source_text == "Tom Baird" for u in mp)
    assert all("continuation" in u.constructions for u in mp)  # the source is in an earlier paragraph


def test_nested_quote_takes_the_smallest_content(gold) -> None:
    nested = gold_units(gold["gamma.txt"])[0]
    assert (nested.source_text, nested.cue_text, nested.attribution) == ("the council", "knew", "E2")


def test_constructions(gold) -> None:
    got = {
        gold[u.article].text[u.start:u.end]: u.constructions
        for a in gold.values() for u in gold_units(a)
    }
    assert got["The money is already there."] == ("colon", "pronoun")
    assert got["a fantasy with a budget"] == ("partial",)
    assert got["The worst is over,"] == ("according-to",)
    assert got["should stop tonight."] == ("partial",)
    assert got["stay indoors until noon."] == ("partial",)  # no source: not pronoun/continuation
    assert got["We will fix the bridge by spring,"] == ()  # after a full stop: set off
    assert got["and we will win."] == ()  # after a comma: set off


# --- scoring ----------------------------------------------------------------------------------


def test_detection_at_30_and_80_percent(report) -> None:
    assert (report.articles, report.gold_units, report.predictions) == (3, 12, 11)
    d30, d80 = report.detection[0.3], report.detection[0.8]
    assert (d30.tp, d30.predicted, d30.gold) == (10, 11, 12)
    assert d30.precision == pytest.approx(10 / 11)
    assert d30.recall == pytest.approx(10 / 12)
    assert d30.f1 == pytest.approx(2 * 10 / (11 + 12))
    assert (d80.tp, d80.precision, d80.recall) == (9, pytest.approx(9 / 11), pytest.approx(9 / 12))
    assert d80.f1 == pytest.approx(2 * 9 / (11 + 12))


def test_speaker_verb_and_end_to_end(report) -> None:
    assert (report.matched, report.speaker_correct, report.verb_correct) == (10, 7, 9)
    assert report.speaker_accuracy == pytest.approx(0.7)
    assert report.verb_accuracy == pytest.approx(0.9)
    e2e = report.end_to_end
    assert (e2e.tp, e2e.predicted, e2e.gold) == (7, 11, 12)
    assert e2e.precision == pytest.approx(7 / 11) and e2e.recall == pytest.approx(7 / 12)
    assert report.no_source_units == 1


def test_figures_by_construction(report) -> None:
    c = report.constructions
    assert list(c) == list(CONSTRUCTIONS)
    assert (c["continuation"].gold, c["continuation"].recall, c["continuation"].speaker_accuracy) == (2, 0.5, 1.0)
    assert (c["multi-paragraph"].gold, c["multi-paragraph"].matched) == (2, 1)
    assert (c["colon"].gold, c["colon"].recall, c["colon"].speaker_accuracy) == (1, 1.0, 0.0)
    assert (c["according-to"].gold, c["according-to"].speaker_accuracy) == (1, 1.0)
    assert (c["pronoun"].gold, c["pronoun"].speaker_correct) == (1, 0)
    assert (c["partial"].gold, c["partial"].recall, c["partial"].speaker_accuracy) == (4, 1.0, 0.5)
    assert c["partial"].false_alarms == 1  # "so-called “flood tax”"


def test_offset_rule_counter_and_foreign_articles(report) -> None:
    assert report.offset_errors == 1
    assert report.inner_offset_errors == 0
    assert report.records == 13 and report.records_elsewhere == 1


def test_article_ids_match_by_file_stem() -> None:
    assert article_key("alpha.txt") == article_key("alpha") == article_key("dev/text/alpha.txt") == "alpha"
    assert article_key("C:\\corpus\\alpha.txt") == "alpha"


def test_matching_is_one_to_one_and_greedy_by_overlap(gold) -> None:
    units = gold_units(gold["alpha.txt"])[:1]  # 33 characters
    u = units[0]
    wide = {"start": u.start - 5, "end": u.end}  # covers all of it
    half = {"start": u.start, "end": u.start + 17}  # covers 17/33
    assert match_units(units, [half, wide], 0.3) == {0: 1}
    assert match_units(units, [half], 0.3) == {0: 0}
    assert match_units(units, [half], 0.8) == {}


def test_quote_objects_score_like_dicts(gold, records) -> None:
    from quotes.record import Quote, Span

    r = next(x for x in records if x["text"] == "The worst is over,")
    q = Quote(article="beta.txt", index=0, kind="direct", text=r["text"], start=r["start"], end=r["end"],
              paragraph=3, speaker_span=Span(**r["speaker_span"]))
    rep = score({"beta.txt": gold["beta.txt"]}, [q])
    assert (rep.detection[0.3].tp, rep.speaker_correct, rep.verb_correct) == (1, 1, 0)


def test_no_predictions_scores_zero(gold) -> None:
    rep = score(gold, [])
    assert rep.detection[0.3].recall == 0.0 and rep.detection[0.3].precision == 0.0
    assert all(o.reasons == ["no prediction"] for o in rep.outcomes)


def test_error_report_groups_misses_by_construction(report) -> None:
    text = error_report(report)
    sections = text.split("=== ")[1:]
    assert [s.split(":", 1)[0] for s in sections] == [*CONSTRUCTIONS, "plain"]
    cont = sections[0]
    assert "MISS  beta.txt" in cont and "no prediction" in cont and "⟦Nobody was hurt" in cont
    assert "speaker wrong (ours none vs gold 'She')" in sections[2]
    partial = sections[5]
    assert "speaker wrong (ours 'Ms. Reyes' vs gold 'the council'); verb wrong (ours 'said' vs gold 'knew')" in partial
    assert "FALSE beta.txt" in partial and "not attributed in gold" in partial
    assert "no prediction (ours: kind 'other')" in sections[6]
    assert "\n" not in report.outcomes[0].context


def test_table_and_json_carry_the_figures(report) -> None:
    table = format_table(report)
    assert "detection ≥30%" in table and "0.909" in table and "offset-rule violations" in table
    data = report.to_dict()
    orjson.dumps(data)  # serializable
    assert data["detection"]["overlap80"]["tp"] == 9
    assert data["end_to_end"]["tp"] == 7 and data["offset_errors"] == 1


# --- CLI --------------------------------------------------------------------------------------


def test_cli_eval_with_predictions(tmp_path) -> None:
    out, errs = tmp_path / "eval.json", tmp_path / "errors.txt"
    result = CliRunner().invoke(cli, ["eval", str(FIXTURES), "--predictions", str(PREDICTIONS),
                                      "--json", str(out), "--errors", str(errs)])
    assert result.exit_code == 0, result.output
    assert "detection ≥30%" in result.output and "end-to-end" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["detection"]["overlap30"]["tp"] == 10 and data["gold_units"] == 12
    assert "=== continuation" in errs.read_text(encoding="utf-8")


def test_cli_eval_limit_and_stdout_outputs() -> None:
    result = CliRunner().invoke(cli, ["eval", str(FIXTURES), "--predictions", str(PREDICTIONS),
                                      "--limit", "1", "--errors", "-"])
    assert result.exit_code == 0, result.output
    assert "articles 1   gold quote units 3" in result.output and "=== plain" in result.output


def test_cli_eval_needs_exactly_one_source() -> None:
    assert CliRunner().invoke(cli, ["eval", str(FIXTURES)]).exit_code == 2
    both = CliRunner().invoke(cli, ["eval", str(FIXTURES), "--run", "--predictions", str(PREDICTIONS)])
    assert both.exit_code == 2


def test_cli_eval_reports_bad_lines_and_exits_1(tmp_path) -> None:
    bad = tmp_path / "p.jsonl"
    bad.write_bytes(PREDICTIONS.read_bytes() + b"{not json\n")
    result = CliRunner().invoke(cli, ["eval", str(FIXTURES), "--predictions", str(bad)])
    assert result.exit_code == 1
    assert "line 15: not valid JSON" in result.output and "detection" in result.output


# --- PolNeAR (shared data) --------------------------------------------------------------------


@pytest.mark.shared
def test_polnear_dev_gold_loads() -> None:
    dev = POLNEAR / "dev"
    if not (dev / "text").is_dir() or not (dev / "attributions").is_dir():
        pytest.skip("../shared/data/polnear/dev is not here")
    gold = load_gold(dev)
    assert len(gold) > 50
    units = [u for a in gold.values() for u in gold_units(a)]
    assert len(units) > 500
    for u in units[:200]:
        assert 0 <= u.start < u.end <= len(gold[u.article].text)
    rep = score(gold, [])
    assert rep.gold_units == len(units) and rep.detection[0.3].tp == 0
