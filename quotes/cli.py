"""The `quotes` command line: a thin layer over the library.

It finds and decodes files (``sources``), calls the library, writes JSON Lines, reports bad
inputs on stderr (one line each, naming the file and what to do) and maps outcomes to exit codes:
0 all good, 1 some inputs failed (the others are still written), 2 usage error.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

import click

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    click.echo(message, err=True)


class AtomicOutput:
    """Write to a temporary file beside ``path`` and move it into place only on success.

    An interrupted run never leaves a half-written file where the output should be.
    """

    def __init__(self, path: str):
        self.path = Path(path)
        self.handle: IO[bytes] | None = None
        self.tmp: str | None = None
        self.discard = False  # set when the run produced nothing worth replacing the file with

    def __enter__(self) -> IO[bytes]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
        self.handle = os.fdopen(fd, "wb")
        return self.handle

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.handle is not None and self.tmp is not None
        self.handle.close()
        if exc_type is None and not self.discard:
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="quotes")
def cli() -> None:
    """Find every quotation in news articles, who said it and the reporting verb.

    Output is JSON Lines with exact character offsets: `quotes extract samples/ | jq .speaker`.
    """


def _model_option(f):
    f = click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
                     show_default=True, help="Where to parse: a GPU is used automatically when torch sees one.")(f)
    return click.option(
        "--model", "model", default=None, envvar="QUOTES_MODEL", metavar="shipped|official|PATH",
        help="Parser model: the shipped compact model, stanza's official models (`quotes download`), "
             "or a model folder. Default: official when installed, else shipped. Env: QUOTES_MODEL.",
    )(f)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE|-",
              help="Where to write the JSONL (written atomically); - for stdout.")
@_model_option
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of .txt articles.")
@click.option("--text-field", default="text", show_default=True, help="JSONL input: field with the article text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL input: field with the article id.")
@click.option("--include-other", is_flag=True, help="Also emit titles, nicknames and scare quotes (kind 'other').")
@click.option("--min-words", type=click.IntRange(1), default=3, show_default=True,
              help="An unattributed quote shorter than this is kind 'other'.")
@click.option("--batch-size", type=click.IntRange(1), default=16, show_default=True,
              help="Articles parsed per stanza call.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Parallel parser processes (output keeps input order).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
def extract(paths, output, model, device, encoding, text_field, id_field, include_other,
            min_words, batch_size, jobs, progress) -> None:
    """Extract quotes from PATHS (files, folders, glob patterns, or - for stdin).

    Folders are searched recursively for .txt and .jsonl files, in sorted order. A file that
    cannot be read is reported on stderr and skipped; the run goes on and exits with status 1.
    """
    import orjson

    from .parse import ModelError, Parser, resolve_model
    from .pipeline import Options, extract_many
    from .sources import Article, SourceError, iter_articles

    try:
        spec = resolve_model(model)
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    _err(f"quotes: using model {spec.name} ({spec.kind})")
    parser = Parser(spec, device=None if device == "auto" else device)
    failed = read = 0

    def good_articles() -> Iterator[Article]:
        nonlocal failed, read
        for item in iter_articles(paths, encoding=encoding, text_field=text_field, id_field=id_field):
            if isinstance(item, SourceError):
                failed += 1
                _err(f"error: {item}")
                continue
            read += 1
            yield item

    options = Options(include_other=include_other, min_words=min_words)
    show = progress if progress is not None else sys.stderr.isatty()

    def run(out: IO[bytes]) -> int:
        if jobs > 1:
            from .pipeline import extract_parallel

            results = extract_parallel(good_articles(), spec=spec, jobs=jobs, options=options,
                                       batch_size=batch_size, device=parser.device)
        else:
            results = extract_many(good_articles(), parser=parser, options=options, batch_size=batch_size)
        if show:
            with click.progressbar(results, label="articles", file=sys.stderr) as bar:
                count = _write(bar, out)
        else:
            count = _write(results, out)
        return count

    try:
        if output == "-":
            count = run(sys.stdout.buffer)
        else:
            atomic = AtomicOutput(output)
            with atomic as handle:
                count = run(handle)
                atomic.discard = read == 0 and failed > 0
            if atomic.discard:
                _err(f"quotes: no input could be read; {output} was left as it was")
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    except BrokenPipeError:
        # the reader (head, jq -c | head) went away: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK if not failed else EXIT_FAILED)
    _err(f"quotes: {count} quotes" + (f", {failed} input(s) failed" if failed else ""))
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _write(results, out: IO[bytes]) -> int:
    import orjson

    count = 0
    for _article, quotes in results:
        out.write(b"".join(orjson.dumps(q.to_dict()) + b"\n" for q in quotes))
        count += len(quotes)
        out.flush()
    return count


@cli.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="stanza resources folder (default: $STANZA_RESOURCES_DIR or ~/stanza_resources).")
def download(directory: Path | None) -> None:
    """Download stanza's official English models (needs network)."""
    from .parse import ModelError, download_official

    try:
        where = download_official(directory)
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    _err(f"quotes: stanza English models installed in {where}; use them with --model official "
         f"(the default when installed)" + (f" or --model {where}" if directory else ""))


# --- further commands register below (eval, review, speakers) ----------------------------------


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="quotes", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK
