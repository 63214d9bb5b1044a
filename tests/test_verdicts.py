"""Scoring with a reviewer's verdicts (`quotes.verdicts`, `quotes verdicts`), on a hand-written
verdict file (``fixtures/verdicts/verdicts.jsonl``) for hand-written records (``quotes.jsonl``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quotes.verdicts import format_verdict_report, parse_verdicts, score_verdicts

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).parent / "fixtures" / "verdicts"


def records() -> list[dict]:
    return [json.loads(line) for line in (HERE / "quotes.jsonl").read_text(encoding="utf-8").splitlines()]


def verdicts():
    found, errors = parse_verdicts((HERE / "verdicts.jsonl").read_bytes(), "verdicts.jsonl")
    assert errors == []
    return found


def test_precision_overall_and_by_kind_rule_and_cue_family() -> None:
    report = score_verdicts(verdicts(), records())
    # 6 judged records (the missed one is not judged): right 2 (a.txt direct, b.txt unattributed)
    assert report.overall.judged == 6 and report.overall.counts["right"] == 2
    assert report.overall.precision == 2 / 6
    assert report.overall.attribution_precision == 5 / 6  # one "not an attribution"
    kind = report.by["kind"]
    assert {k: (t.judged, t.counts["right"]) for k, t in kind.items()} == {
        "direct": (4, 2), "indirect": (1, 0), "partial": (1, 0)}
    rule = report.by["rule"]
    assert {k: (t.judged, t.counts["right"]) for k, t in rule.items()} == {
        "speech-verb": (2, 1), "reported": (1, 0), "according-to": (1, 0), "unattributed": (1, 1)}
    family = report.by["cue_family"]
    assert {k: (t.judged, t.counts["right"]) for k, t in family.items()} == {
        "speech": (3, 1), "according-to": (1, 0), "-": (1, 1)}
    # the verdict on a record that is not in the records file is counted by kind, and listed
    assert [(v.article, v.start) for v in report.unmatched] == [("b.txt", 50)]
    assert [(v.article, v.start, v.end, v.text) for v in report.missed] == [("a.txt", 100, 120, "floods were likely")]
    [(fixed, rec)] = report.corrections
    assert fixed.corrected_speaker["text"] == "Ann Lee" and rec["speaker"] == "Jane Roe"


def test_the_report_lists_groups_corrections_and_missed_attributions() -> None:
    text = format_verdict_report(score_verdicts(verdicts(), records()))
    lines = text.splitlines()
    assert lines[0] == "verdicts on 6 records in 2 article(s); 1 missed attribution(s); 5 records given"
    table = {line.split("  ")[0].strip(): line.split() for line in lines[3:] if line and not line.startswith(" ")}
    assert table["all"][1:5] == ["6", "2", "0.333", "0.833"]
    assert table["kind direct"][2:5] == ["4", "2", "0.500"]
    assert table["cue family according-to"][3:5] == ["1", "0"]
    assert "  a.txt:40-59  ours: Jane Roe  reviewer: Ann Lee  note: the council's claim" in lines
    assert "missed attributions (1):" in lines and "  a.txt:100-120  “floods were likely”" in lines


def test_without_records_only_kinds_are_told_apart() -> None:
    report = score_verdicts(verdicts())
    assert report.by["rule"] == {} and report.by["cue_family"] == {} and report.unmatched == []
    assert report.by["kind"]["direct"].judged == 4


def test_bad_lines_are_reported_and_a_later_line_replaces_an_earlier_one() -> None:
    good = {"article": "a.txt", "start": 1, "end": 14, "kind": "direct", "verdict": "right"}
    data = "\n".join([json.dumps(good), "{oops", json.dumps(dict(good, verdict="great")),
                      json.dumps(dict(good, kind=None)), json.dumps(dict(good, verdict="wrong-span"))]).encode()
    found, errors = parse_verdicts(data, "v.jsonl")
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4"]
    assert "verdict 'great'" in errors[1]
    assert [v.verdict for v in found] == ["wrong-span"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "quotes", *args], cwd=ROOT, env=env, capture_output=True, timeout=120)


def test_cli_verdicts(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    done = run_cli("verdicts", str(HERE / "verdicts.jsonl"), str(HERE / "quotes.jsonl"), "--json", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("verdicts on 6 records in 2 article(s)")
    assert "1 verdict(s) judge records that are not in" in done.stderr.decode()
    data = json.loads(out.read_text())
    assert data["overall"]["judged"] == 6 and data["by"]["rule"]["reported"]["wrong-speaker"] == 1
    assert data["missed"][0]["text"] == "floods were likely"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": "a.txt"}\n', encoding="utf-8")
    done = run_cli("verdicts", str(bad))
    assert done.returncode == 1 and f"error: {bad}:1:" in done.stderr.decode()
    done = run_cli("verdicts", str(tmp_path / "nope.jsonl"))
    assert done.returncode == 1 and "cannot be read" in done.stderr.decode()
