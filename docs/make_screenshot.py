#!/usr/bin/env python3
"""Regenerate docs/review.png: the review of the real extraction of samples/, mid-session.

    quotes extract samples/ -o output/quotes.jsonl
    quotes review output/quotes.jsonl --articles samples -o output/review
    python docs/make_screenshot.py output/review          # needs chromium, chromedriver, selenium

Opens the first article in headless Chromium, gives a few verdicts with the keyboard (as a
reviewer would: j, 1, j, 2, ...), leaves a record selected and saves the screenshot. The
verdicts live in a throwaway browser profile.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="the folder quotes review wrote")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "review.png")
    ap.add_argument("--size", default="1400,1100", help="window width,height (default 1400,1100)")
    ap.add_argument("--keys", default="j1j1j1j2j", help="keys pressed on the page before the shot")
    args = ap.parse_args(argv)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains

    page = sorted((args.site / "articles").glob("001-*.html"))[0]
    profile = Path(tempfile.mkdtemp(prefix="quotes-shot-"))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--window-size={args.size}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        drv.get(page.resolve().as_uri())
        for key in args.keys:
            ActionChains(drv).send_keys(key).perform()
        drv.execute_script("window.scrollTo(0, 0);")
        drv.save_screenshot(str(args.output))
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
