"""Finding article texts on disk and writing a review site: the one-call entry point.

    >>> from quotes.review import render_site
    >>> site = render_site(records, "samples", "review")   # records: Quote objects or dicts
    >>> site.problems, site.missing

Texts are read exactly as `quotes extract` reads them (`quotes.sources.decode`), so the offsets
of the records match.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from ..sources import decode, relative_to_cwd
from .records import as_record
from .render import Site, build_site


def article_path(article: str, articles_dir: str | os.PathLike | None) -> Path:
    """Where the text of ``article`` should be: ``articles_dir/article``, or ``article`` itself
    (relative to the current directory) when no folder is given or the id is absolute."""
    path = Path(article)
    if articles_dir is None or path.is_absolute():
        return path
    return Path(articles_dir) / path


def load_texts(
    articles: Iterable[str],
    articles_dir: str | os.PathLike | None = None,
    *,
    encoding: str = "utf-8",
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The text of each article id (None when it cannot be read) and the path tried for each
    (relative to the current directory when it can be).

    Articles that came from JSONL input have ids that are not paths: they are simply None.
    """
    texts: dict[str, str | None] = {}
    paths: dict[str, str] = {}
    for article in articles:
        if article in texts:
            continue
        path = article_path(article, articles_dir)
        candidates = [path]
        if articles_dir is not None and not Path(article).is_absolute():
            candidates.append(Path(article))  # an id that is already a path (a file named to `extract`)
        texts[article] = None
        paths[article] = relative_to_cwd(str(path))
        for candidate in candidates:
            try:
                data = candidate.read_bytes()
            except (OSError, ValueError):  # missing, a folder, unreadable, not a path at all
                continue
            try:
                texts[article] = decode(data, encoding=encoding)
            except ValueError:
                pass
            paths[article] = relative_to_cwd(str(candidate))
            break
    return texts, paths


def write_site(site: Site, out_dir: str | os.PathLike) -> list[Path]:
    """Write every file of ``site`` under ``out_dir`` (created); returns the paths written."""
    root = Path(out_dir)
    written = []
    for rel, html in site.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    return written


def render_site(
    records: Iterable[Any],
    articles_dir: str | os.PathLike | None,
    out_dir: str | os.PathLike,
    *,
    encoding: str = "utf-8",
) -> Site:
    """Read the articles of ``records``, render the review and write it to ``out_dir``.

    ``records`` are `quotes.Quote` objects or JSONL dicts. Returns the `Site` (its ``problems``
    are the records not drawn; ``missing`` the articles with no text).
    """
    recs = [as_record(r) for r in records]
    texts, paths = load_texts((r["article"] for r in recs), articles_dir, encoding=encoding)
    site = build_site(recs, texts, sources=paths)
    write_site(site, out_dir)
    return site
