"""A fact-checker's session on a generated review, in headless Chromium driven by selenium.

The review is written by `quotes review` from hand-made records of two invented articles (one
with reported speech and cue families, and an emoji before the quotes, so that offsets in code
points and in the browser's UTF-16 differ). The test gives verdicts with the keyboard and the
mouse, picks a corrected speaker by double-clicking a word, marks a missed attribution by
selecting its words, undoes, filters, reloads the page and finds everything kept, exports the
verdicts with the button and checks the downloaded file, then scores it with `quotes verdicts`.
Skips when chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser


def _find(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name) or (name if Path(name).is_file() else None)
        if path and os.access(path, os.X_OK):
            return path
    return None


CHROMIUM = _find(os.environ.get("QUOTES_CHROMIUM") or "chromium", "/usr/bin/chromium", "chromium-browser")
DRIVER = _find(os.environ.get("QUOTES_CHROMEDRIVER") or "chromedriver", "/usr/bin/chromedriver")

TEXT_A = ("🙂 Harbor news\n"
          "Mayor Jane Roe said the port would reopen in May. “We are ready to open,” Roe told reporters.\n"
          "The council “backed the plan” on Monday, according to Tom Park. Ann Lee said floods were likely.\n")
TEXT_B = "“Rain is coming to the coast,” Tom Park said.\n"


def _record(article: str, text: str, piece: str, index: int, kind: str, speaker: str | None, *,
            mention: str | None = None, verb: str | None = None, rule: str = "speech-verb",
            confidence: float = 0.9, family: str | None = "speech", utterance: int = 0,
            after: str | None = None) -> dict:
    start = text.index(piece)
    end = start + len(piece)
    out = {"schema_version": 1, "article": article, "index": index, "kind": kind, "text": piece,
           "start": start, "end": end, "paragraph": text.count("\n", 0, start), "sentence": None,
           "speaker": speaker, "speaker_span": None, "verb": None, "cue": None, "cue_family": family,
           "utterance": utterance, "rule": rule, "confidence": confidence, "model": "hand-made"}
    # mention and verb: the first in the quote's paragraph (or after ``after``)
    near = text.index(after) if after else max(0, text.rfind("\n", 0, start) + 1)
    if mention:
        s = text.index(mention, near)
        out["speaker_span"] = {"text": mention, "start": s, "end": s + len(mention)}
    if verb:
        s = text.index(verb, near)
        out["verb"] = {"text": verb, "lemma": verb, "start": s, "end": s + len(verb)}
    return out


def _records() -> list[dict]:
    return [
        _record("a.txt", TEXT_A, "the port would reopen in May", 0, "indirect", "Jane Roe", mention="Mayor Jane Roe",
                verb="said", rule="reported", confidence=0.7, utterance=0),
        _record("a.txt", TEXT_A, "We are ready to open,", 1, "direct", "Jane Roe", mention="Roe", verb="told", after="” Roe",
                utterance=1),
        _record("a.txt", TEXT_A, "backed the plan", 2, "partial", "Tom Park", mention="Tom Park", verb="according",
                rule="according-to", confidence=0.8, family="according-to", utterance=2),
        _record("b.txt", TEXT_B, "Rain is coming to the coast,", 0, "direct", "Tom Park", mention="Tom Park",
                verb="said"),
    ]


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "quotes", *args], cwd=ROOT, env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("verdicts")
    arts = tmp / "arts"
    arts.mkdir()
    (arts / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (arts / "b.txt").write_text(TEXT_B, encoding="utf-8")
    quotes = tmp / "quotes.jsonl"
    quotes.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records()), encoding="utf-8")
    done = _cli("review", str(quotes), "--articles", str(arts), "-o", str(tmp / "site"))
    assert done.returncode == 0, done.stderr.decode()
    return {"tmp": tmp, "quotes": quotes, "out": tmp / "site"}


@pytest.fixture(scope="module")
def driver(site):
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("headless chromium or chromedriver not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    downloads = site["tmp"] / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={site['tmp'] / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    drv = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        drv.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    except Exception:  # older drivers: the prefs above do it
        pass
    drv.downloads = downloads
    yield drv
    drv.quit()


def _keys(drv, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(drv).send_keys(key).perform()


def _rows(drv) -> list[dict]:
    return drv.execute_script("""
        return Array.prototype.map.call(document.querySelectorAll('tr.record'), function (r) {
          return {index: r.getAttribute('data-record'), kind: r.getAttribute('data-kind'), hidden: r.hidden,
                  current: r.classList.contains('current'),
                  verdict: r.querySelector('.verdict-label').textContent};
        });""")


def _select_text(drv, text: str, piece: str) -> None:
    """Select ``piece`` of the article text in the page (as a mouse drag would)."""
    start = len(text[:text.index(piece)].encode("utf-16-le")) // 2  # the DOM counts UTF-16 units
    end = start + len(piece.encode("utf-16-le")) // 2
    drv.execute_script("""
        var root = document.getElementById('text'), start = arguments[0], end = arguments[1];
        var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), pos = 0, node, range = document.createRange();
        while ((node = walker.nextNode())) {
          var n = node.data.length;
          if (pos <= start && start <= pos + n) { range.setStart(node, start - pos); }
          if (pos <= end && end <= pos + n) { range.setEnd(node, end - pos); break; }
          pos += n;
        }
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);""", start, end)


def _export(drv) -> list[dict]:
    """Click the export button and read the downloaded file; check it equals the page's hook."""
    for old in drv.downloads.glob("*"):
        old.unlink()
    drv.find_element("id", "export").click()
    deadline = time.monotonic() + 20
    files: list[Path] = []
    while time.monotonic() < deadline:
        files = [p for p in drv.downloads.glob("verdicts-*.jsonl")]
        if files and not list(drv.downloads.glob("*.crdownload")):
            break
        time.sleep(0.2)
    assert files, "the export button downloaded nothing"
    data = files[0].read_text(encoding="utf-8")
    assert data == drv.execute_script("return window.quotesReview.exportText();")
    return [json.loads(line) for line in data.splitlines()]


def test_a_review_session_with_keyboard_and_mouse_is_kept_and_exported(site, driver) -> None:
    drv = driver
    page_a = (site["out"] / "articles" / "001-a.txt.html").resolve().as_uri()
    drv.get(page_a)
    review = drv.find_element("tag name", "body").get_attribute("data-review")
    assert len(review) == 16
    # the keys are on the page
    keys = drv.find_element("id", "keys").text
    for needle in ("j", "k", "1 right", "2 wrong speaker", "3 wrong verb or cue", "4 wrong span",
                   "5 not an attribution", "undo"):
        assert needle in keys
    # reported speech and cue families have their own style
    marks = {m.get_attribute("data-kind"): m for m in drv.find_elements("css selector", "#text mark.m-quote.first")}
    assert "k-indirect" in marks["indirect"].get_attribute("class")
    assert "cf-according-to" in marks["partial"].get_attribute("class")
    assert marks["indirect"].value_of_css_property("background-color") != marks["direct"].value_of_css_property(
        "background-color")

    # keyboard: j -> record 0 (indirect), 1 = right; j -> record 1, 2 = wrong speaker
    _keys(drv, "j", "1", "j", "2")
    rows = _rows(drv)
    assert [r["verdict"] for r in rows] == ["right", "wrong speaker", ""]
    assert rows[1]["current"]
    # k goes back; 5 then u undoes it (record 0 is right again); 4 then ctrl-z likewise
    _keys(drv, "k", "5")
    assert _rows(drv)[0]["verdict"] == "not an attribution"
    _keys(drv, "u")
    assert _rows(drv)[0]["verdict"] == "right"
    from selenium.webdriver.common.keys import Keys

    _keys(drv, "4")
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(drv).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    assert _rows(drv)[0]["verdict"] == "right"

    # mouse: the row's button 5 on record 2 (the partial quote) ...
    drv.find_element("css selector", 'tr[data-record="2"] .vbtn[data-verdict="not-attribution"]').click()
    assert _rows(drv)[2]["verdict"] == "not an attribution" and _rows(drv)[2]["current"]
    # ... then record 1: wrong speaker picked by double-clicking the mention "Roe" and pressing s
    speaker = drv.find_element("css selector", "#text span.m-speaker[data-quotes='q1']")
    ActionChains(drv).double_click(speaker).perform()
    assert _rows(drv)[1]["current"]
    assert drv.execute_script("return window.getSelection().toString();").strip() == "Roe"
    _keys(drv, "s")
    assert _rows(drv)[1]["verdict"] == "wrong speaker"
    assert drv.find_element("id", "corrected").text.startswith("Roe (")
    # a note, typed after n; Esc leaves the field and keeps it
    _keys(drv, "n", "told the press, not reporters", Keys.ESCAPE)
    # a missed attribution: select its words and press m
    _select_text(drv, TEXT_A, "floods were likely")
    _keys(drv, "m")
    assert "floods were likely" in drv.find_element("id", "missed-list").text
    assert drv.find_element("id", "progress").text == "3 of 3 judged"

    # filters: kind partial shows one row; j walks the visible rows only
    from selenium.webdriver.support.ui import Select

    Select(drv.find_element("id", "f-kind")).select_by_value("partial")
    assert [r["index"] for r in _rows(drv) if not r["hidden"]] == ["2"]
    Select(drv.find_element("id", "f-kind")).select_by_value("")
    search = drv.find_element("id", "f-search")
    search.send_keys("ready to")
    assert [r["index"] for r in _rows(drv) if not r["hidden"]] == ["1"]
    search.clear()
    search.send_keys(Keys.ESCAPE)
    drv.find_element("id", "f-confidence").send_keys(Keys.BACKSPACE, "0.75")
    assert [r["index"] for r in _rows(drv) if not r["hidden"]] == ["1", "2"]

    # reload: everything is kept
    drv.refresh()
    assert [r["verdict"] for r in _rows(drv)] == ["right", "wrong speaker", "not an attribution"]
    assert "floods were likely" in drv.find_element("id", "missed-list").text

    # the other article's page, one verdict by the panel's button, then export from the index
    drv.get((site["out"] / "articles" / "002-b.txt.html").resolve().as_uri())
    _keys(drv, "j", "3")
    assert _rows(drv)[0]["verdict"] == "wrong verb or cue"
    drv.find_element("css selector", '.vchoice[data-verdict="wrong-span"]').click()
    assert _rows(drv)[0]["verdict"] == "wrong span"
    drv.get((site["out"] / "index.html").resolve().as_uri())
    judged = {td.get_attribute("data-article"): td.text for td in drv.find_elements("css selector", "td.judged")}
    assert judged == {"a.txt": "3", "b.txt": "1"}
    lines = _export(drv)

    roe = TEXT_A.index("Roe told")
    cp = lambda s: len(s)  # Python offsets are code points, as the records'
    assert lines == [
        {"review": review, "article": "a.txt", "start": cp(TEXT_A[:TEXT_A.index("the port")]),
         "end": TEXT_A.index("the port") + len("the port would reopen in May"), "kind": "indirect", "index": 0,
         "text": "the port would reopen in May", "verdict": "right", "corrected_speaker": None, "note": None},
        {"review": review, "article": "a.txt", "start": TEXT_A.index("We are"),
         "end": TEXT_A.index("We are") + len("We are ready to open,"), "kind": "direct", "index": 1,
         "text": "We are ready to open,", "verdict": "wrong-speaker",
         "corrected_speaker": {"text": "Roe", "start": roe, "end": roe + 3}, "note": "told the press, not reporters"},
        {"review": review, "article": "a.txt", "start": TEXT_A.index("backed"),
         "end": TEXT_A.index("backed") + len("backed the plan"), "kind": "partial", "index": 2,
         "text": "backed the plan", "verdict": "not-attribution", "corrected_speaker": None, "note": None},
        {"review": review, "article": "a.txt", "start": TEXT_A.index("floods"),
         "end": TEXT_A.index("floods") + len("floods were likely"), "kind": None, "index": None,
         "text": "floods were likely", "verdict": "missed", "corrected_speaker": None, "note": None},
        {"review": review, "article": "b.txt", "start": 1, "end": 29, "kind": "direct", "index": 0,
         "text": "Rain is coming to the coast,", "verdict": "wrong-span", "corrected_speaker": None, "note": None},
    ]
    assert TEXT_A[roe:roe + 3] == "Roe"

    # and the export scores with `quotes verdicts`
    exported = site["tmp"] / "verdicts.jsonl"
    exported.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    done = _cli("verdicts", str(exported), str(site["quotes"]))
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert out.startswith("verdicts on 4 records in 2 article(s); 1 missed attribution(s); 4 records given")
    assert "rule reported" in out and "cue family according-to" in out


def test_verdicts_are_kept_per_review(site, driver, tmp_path) -> None:
    """Another review (other records) does not see this one's verdicts."""
    records = _records()[:2]
    quotes = tmp_path / "other.jsonl"
    quotes.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    done = _cli("review", str(quotes), "--articles", str(site["tmp"] / "arts"), "-o", str(tmp_path / "site"))
    assert done.returncode == 0
    driver.get((tmp_path / "site" / "articles" / "001-a.txt.html").resolve().as_uri())
    assert [r["verdict"] for r in _rows(driver)] == ["", ""]
    assert driver.execute_script("return window.quotesReview.exportText();") == ""
