"""Fact-checking review: a static HTML site showing each article with its quotes marked.

Pure functions take records (`quotes.Quote` objects or JSONL dicts) and article texts and return
strings; only `render_site`/`load_texts`/`write_site` touch files.

- `parse_records(data, name)`: records from JSONL bytes, plus one message per bad line.
- `build_site(records, texts)`: every page as ``{relative path: html}`` (`Site`).
- `render_article(article, text, records)`: one page, and the records whose offsets do not fit.
- `render_marked(text, marks)` / `tokens(text, marks)`: well-nested marked text.
- `speaker_summary(records)` / `format_speaker_table(rows)`: who is quoted and reported how often,
  one row per person (`group_speakers` groups the variants of a name).
- `review_id(records)` / `record_identity(record)`: the ids verdicts are kept and exported under
  (`quotes.verdicts` scores exported verdicts).
- `render_site(records, articles_dir, out_dir)`: read the articles, render, write. One call.
"""

from __future__ import annotations

from .markup import Mark, Token, plain_text, tokens
from .records import UNATTRIBUTED, Problem, as_record, check_records, group_by_article, offset_problem, parse_records
from .render import (VERDICTS, ArticleSummary, Site, build_site, marked_tokens, page_name, record_identity, render_article,
                     render_index, render_marked, review_id)
from .site import article_path, load_texts, render_site, write_site
from .speakers import (COUNTED_KINDS, format_speaker_table, group_speakers, name_parts, speaker_summary,
                       written_in_running_text)

__all__ = [
    "Mark", "Token", "tokens", "plain_text",
    "UNATTRIBUTED", "Problem", "as_record", "check_records", "group_by_article", "offset_problem",
    "parse_records",
    "VERDICTS", "ArticleSummary", "Site", "build_site", "marked_tokens", "page_name", "record_identity",
    "render_article", "render_index", "render_marked", "review_id",
    "article_path", "load_texts", "render_site", "write_site",
    "COUNTED_KINDS", "format_speaker_table", "group_speakers", "name_parts", "speaker_summary",
    "written_in_running_text",
]
