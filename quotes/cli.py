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
#: Interrupted by Ctrl-C (SIGINT) or SIGTERM: the shell's 128 + signal number.
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt (and, like it, never caught as
    an article's failure)."""


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


def _parse_jobs(ctx, param, value) -> int | str:
    if str(value).strip().lower() == "auto":
        return "auto"
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise click.BadParameter(f"{value!r}: pass a number of processes (1 or more) or auto")
    return jobs


def _parse_kinds(ctx, param, value: str) -> frozenset[str]:
    from .record import KINDS

    kinds = frozenset(k.strip() for k in value.split(",") if k.strip())
    unknown = sorted(kinds - set(KINDS))
    if unknown or not kinds:
        raise click.BadParameter(f"unknown kind {', '.join(unknown) or '(none)'}; choose from {', '.join(KINDS)}")
    return kinds


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE|-",
              help="Where to write the JSONL (written atomically); - for stdout.")
@_model_option
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of .txt articles.")
@click.option("--text-field", default="text", show_default=True, help="JSONL input: field with the article text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL input: field with the article id.")
@click.option("--include-other", is_flag=True, help="Also emit titles, nicknames and scare quotes (kind 'other').")
@click.option("--kinds", "kinds", default="direct,partial,indirect", show_default=True, callback=_parse_kinds,
              metavar="K,K...", help="Record kinds to write: direct, partial, indirect (reported speech), "
                                     "other (with --include-other).")
@click.option("--min-words", type=click.IntRange(1), default=3, show_default=True,
              help="An unattributed quote shorter than this is kind 'other'.")
@click.option("--batch-size", type=click.IntRange(1), default=16, show_default=True,
              help="Articles parsed per stanza call.")
@click.option("-j", "--jobs", default="auto", show_default=True, callback=_parse_jobs, metavar="N|auto",
              help="Parallel parser processes (output keeps input order); auto: one per usable core once "
                   "more than one batch of articles needs a parse, else 1.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run of the same command (same -o FILE, inputs and options): "
                   "the articles it finished are kept and skipped, the rest appended.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
@click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
              help="Reuse parses (and records) of unchanged articles from the parse cache (and add new ones).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="QUOTES_CACHE_DIR", show_envvar=True,
              help="Cache folder. Default: the user cache folder (~/.cache/quotes on Linux).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster (pip install 'quotes[dask]'): a scheduler (tcp://host:8786), or "
                   "local / local:N (N worker processes here). Needs -o OUTDIR, a folder that gets one "
                   "part-NNNNN.jsonl shard per run of inputs and manifest.json; inputs and OUTDIR must be "
                   "on a file system every worker reads. A rerun skips complete shards.")
@click.option("--shard-size", type=click.IntRange(1), default=None, metavar="N",
              help="With --dask: input files per shard (default: at least 16, at most 10,000 shards).")
def extract(paths, output, model, device, encoding, text_field, id_field, include_other, kinds,
            min_words, batch_size, jobs, progress, resume, use_cache, cache_dir, dask_address, shard_size) -> None:
    """Extract quotes from PATHS (files, folders, glob patterns, or - for stdin).

    Folders are searched recursively for .txt and .jsonl files, in sorted order. A file that
    cannot be read is reported on stderr and skipped; the run goes on and exits with status 1.
    Parses are cached per article text and model, so a rerun over unchanged articles parses
    nothing (--no-cache to turn that off; `quotes cache info|clear`). An article that cannot be
    parsed or matched gets one error line and the run goes on. With -o FILE, a run interrupted
    (Ctrl-C, SIGTERM, a crash) continues with the same command plus --resume.
    """
    import signal

    from .extractor import Extractor, ExtractorConfig, resolve_spec
    from .journal import ResumableOutput, ResumeError
    from .parse import ModelError
    from .sources import Article, SourceError, iter_articles

    config = ExtractorConfig(
        model=model, device=None if device == "auto" else device, cache=use_cache,
        cache_dir=None if cache_dir is None else str(cache_dir), include_other=include_other,
        min_words=min_words, batch_size=batch_size, jobs=jobs,
        kinds=kinds | ({"other"} if include_other else set()),
    ).replace(**_config_overrides())
    if resume and output == "-":
        raise click.UsageError("--resume continues an interrupted run that wrote -o FILE: pass the same -o FILE")
    try:
        spec = resolve_spec(config.model)
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    if dask_address is not None:
        if resume:
            raise click.UsageError("--resume is for -o FILE runs; a --dask rerun skips the complete shards by itself")
        _extract_dask(paths, output, config, spec, dask_address, shard_size=shard_size, progress=progress,
                      read=(encoding, text_field, id_field))
    elif shard_size is not None:
        raise click.UsageError("--shard-size goes with --dask")
    _err(f"quotes: using model {spec.name} ({spec.kind})")
    warned: list[str] = []

    def warn_once(message: str) -> None:
        if not warned:
            warned.append(message)
            _err(message)

    failed = read = 0
    article_errors: dict[int, str] = {}  # id(article) -> its error line, until it is written

    def on_error(article: Article, message: str) -> None:  # one article could not be extracted
        nonlocal failed
        failed += 1
        article_errors[id(article)] = line = f"error: {_where(article)}: {message}"
        _err(line)

    def on_note(article: Article, message: str) -> None:  # the parser bounded its work on it
        _err(f"warning: {_where(article)}: {message}")

    extractor = Extractor(config, spec=spec, on_warning=warn_once, on_error=on_error, on_note=on_note)
    cache = extractor.cache
    skip: list = []  # with --resume: the articles the interrupted run finished, in order

    def good_articles() -> Iterator[Article]:
        nonlocal failed, read
        for item in iter_articles(paths, encoding=encoding, text_field=text_field, id_field=id_field):
            if isinstance(item, SourceError):
                failed += 1
                _err(f"error: {item}")
                continue
            read += 1
            if read <= len(skip):
                if item.id != skip[read - 1].id:
                    raise ResumeError(f"{output}: the inputs changed since the interrupted run (article "
                                      f"{read} is {item.id!r}, it had {skip[read - 1].id!r}); rerun without "
                                      "--resume to start over")
                continue  # finished by the interrupted run: its records are in the file already
            yield item

    show = progress if progress is not None else sys.stderr.isatty()
    fingerprint = {"quotes": __version__, "cwd": os.getcwd(), "paths": list(paths), "model": spec.name,
                   "encoding": encoding, "text_field": text_field, "id_field": id_field,
                   "kinds": sorted(config.kinds) if config.kinds is not None else None,
                   "options": config.matcher_options()}
    results = None
    journal: ResumableOutput | None = None
    count = 0

    def run(write) -> None:
        nonlocal results, count
        results = extractor.extract_articles(good_articles())
        if show:
            with click.progressbar(results, label="articles", file=sys.stderr) as bar:
                count = _write(bar, write, article_errors)
        else:
            count = _write(results, write, article_errors)

    def to_stdout(article_id: str, data: bytes, error: str | None = None) -> None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): its signals are its own
        previous = None
    try:
        if output == "-":
            run(to_stdout)
        else:
            with ResumableOutput(output, fingerprint, resume=resume) as journal:
                skip = journal.resumed.done
                if resume:
                    _say_resumed(journal, output)
                    failed += len(journal.resumed.errors)
                elif journal.replaced:
                    _err(f"quotes: starting over; the partial output of an interrupted run of {output} is "
                         "replaced (--resume would have continued it)")
                run(journal.write)
                if read == 0 and failed > 0:
                    journal.discard()
                    _err(f"quotes: no input could be read; {output} was left as it was")
                else:
                    journal.commit()
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    except ResumeError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    except BrokenPipeError:
        # the reader (head, jq -c | head) went away: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK if not failed else EXIT_FAILED)
    except (KeyboardInterrupt, _Terminated) as exc:
        if results is not None:
            results.close()  # stops the --jobs workers now
        code = EXIT_TERMINATED if isinstance(exc, _Terminated) else EXIT_INTERRUPTED
        what = "terminated (SIGTERM)" if code == EXIT_TERMINATED else "interrupted"
        if journal is not None:
            _err(f"quotes: {what} after {journal.articles} article(s); run the same command with --resume to "
                 f"continue (partial output in {journal.part})")
        else:
            _err(f"quotes: {what}; the records written are whole articles (write with -o FILE to be able "
                 "to --resume)")
        sys.exit(code)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    cached = ""
    if cache is not None and not cache.disabled and cache.warning is None:
        st = cache.stats
        cached = f" ({st.hits} article(s) from the parse cache, {st.parsed} parsed" + (
            f", {st.corrupt} corrupt cache entries replaced)" if st.corrupt else ")")
    _err(f"quotes: {count} records" + cached + (f", {failed} input(s) failed" if failed else ""))
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _extract_dask(paths, output, config, spec, address, *, shard_size, progress, read) -> None:
    """``quotes extract --dask``: shards into the folder ``output`` (see quotes/dask.py); exits."""
    if output == "-":
        raise click.UsageError("--dask writes a folder of shards: pass -o OUTDIR")
    if "-" in paths:
        raise click.UsageError("--dask reads the inputs on the workers: pass files or folders, not -")
    if config.jobs != "auto" and config.jobs > 1:
        raise click.UsageError("--jobs does not go with --dask: the cluster's workers run in parallel")
    if Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"-o {output}: with --dask the output is a folder, and this is a file")
    try:
        from . import dask as qdask
    except ImportError as exc:
        _err(f"error: --dask needs Dask ({exc.name or exc} is not installed); pip install 'quotes[dask]'")
        sys.exit(EXIT_FAILED)
    import time

    from .parse import ModelError

    try:
        address = qdask.parse_address(address)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    _err(f"quotes: using model {spec.name} ({spec.kind})")
    show = progress is not False
    last = [0.0]

    def on_progress(done: int, total: int, articles: int, records: int) -> None:
        now = time.monotonic()
        if show and (done == total or now - last[0] >= 5):
            last[0] = now
            _err(f"quotes: {done}/{total} shards, {articles} articles, {records} records")

    def on_shard(shard) -> None:  # as each shard is done: its warnings and errors, as on one machine
        if not shard.skipped:
            for message in shard.warnings:
                _err(f"warning: {message}")
            for message in shard.errors:
                _err(f"error: {message}")

    try:
        with qdask.Cluster(address) as cluster:
            where = f"LocalCluster of {cluster.workers} worker processes" if address.startswith("local") \
                else f"{address}, {cluster.workers} workers"
            _err(f"quotes: Dask {where}" + (f"; dashboard {cluster.dashboard}" if cluster.dashboard else ""))
            result = qdask.extract_to_dir(
                cluster.client, paths, output, config,
                read=qdask.ReadOptions(*read), shard_size=shard_size, command=["quotes", *sys.argv[1:]],
                on_progress=on_progress, on_shard=on_shard)
    except (OSError, TimeoutError) as exc:
        _err(f"error: --dask {address}: no Dask scheduler could be reached ({exc.__class__.__name__}: "
             f"{str(exc)[:200]}); start one with `dask scheduler` and workers with `dask worker ADDRESS`")
        sys.exit(EXIT_FAILED)
    except ModelError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    for shard in result.shards:
        if shard.skipped:
            for message in shard.errors:
                _err(f"error: {message} (from the earlier run)")
    for name, why in result.failed.items():
        if name not in result.unfinished:
            _err(f"error: {Path(output) / name}: its task failed ({why}); rerun the same command to compute "
                 "the missing shards")
    reused = sum(s.skipped for s in result.shards)
    m = result.manifest
    if result.lost:  # one line for every shard the lost scheduler left undone
        _err(f"error: --dask {address}: lost the Dask scheduler after {len(result.shards)} of {m['shards']} "
             f"shards ({result.lost}); the shards written are kept in {output}: rerun the same command to "
             f"compute the {len(result.unfinished)} missing")
    _err(f"quotes: {m['records']} records from {m['articles']} articles in {len(result.shards)} of {m['shards']} "
         f"shards in {output}" + (f" ({reused} complete from an earlier run)" if reused else "")
         + (f", {len(m['errors'])} input(s) failed" if m["errors"] else "")
         + (f", {len(result.failed)} shard(s) missing" if result.failed else ""))
    sys.exit(EXIT_FAILED if m["errors"] or result.failed else EXIT_OK)


def _config_overrides() -> dict:
    """`ExtractorConfig` fields passed as the root context's ``obj`` (a dict), else none: how a
    program embedding the CLI, or a test, gives it a parser stub without patching modules, e.g.
    ``CliRunner().invoke(cli, args, obj={"model": spec, "parser_factory": stub})``."""
    obj = click.get_current_context().find_root().obj
    return dict(obj) if isinstance(obj, dict) else {}


def _write(results, write, errors: dict[int, str]) -> int:
    """Write each article's records with ``write(article_id, data, error=...)``; the count."""
    import orjson

    count = 0
    for article, quotes in results:
        write(article.id, b"".join(orjson.dumps(q.to_dict()) + b"\n" for q in quotes),
              error=errors.pop(id(article), None))
        count += len(quotes)
    return count


def _where(article) -> str:
    """How an error line names an article: its file, and its id when that is not the file."""
    if article.path and article.path != "-" and article.path.endswith(article.id):
        return article.path
    if article.path and article.path != article.id:
        return f"{article.path} (article {article.id})"
    return article.id


def _on_sigterm(signum, frame) -> None:
    raise _Terminated()


def _say_resumed(journal, output: str) -> None:
    done = journal.resumed
    if not done.done and not done.dropped:
        _err(f"quotes: nothing to resume for {output}; starting from the first article")
        return
    _err(f"quotes: resuming {output}: {len(done.done)} article(s) done by the interrupted run are kept"
         + (f" ({done.dropped} cut off, done again)" if done.dropped else ""))
    for line in done.errors:
        _err(f"{line} (in the interrupted run)")


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


@cli.group("cache")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="QUOTES_CACHE_DIR", show_envvar=True,
              help="Cache folder. Default: the user cache folder (~/.cache/quotes on Linux).")
@click.pass_context
def cache_group(ctx: click.Context, cache_dir: Path | None) -> None:
    """The parse cache: parsed articles kept per text and model, so reruns skip parsing.

    It lives in $QUOTES_CACHE_DIR, else the user cache folder (~/.cache/quotes on Linux,
    ~/Library/Caches/quotes on macOS, %LOCALAPPDATA%\\quotes\\Cache on Windows).
    """
    from .cache import ParseCache

    ctx.obj = ParseCache(cache_dir)


@cache_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print {path, entries, bytes} as JSON.")
@click.pass_obj
def cache_info(cache, as_json: bool) -> None:
    """Where the parse cache is, how many articles it holds and its size on disk (and the same
    for the records kept beside it)."""
    from .cache import format_size

    usage = cache.usage()
    records = cache.record_usage()
    if as_json:
        import orjson

        click.echo(orjson.dumps({"path": str(cache.folder), "entries": usage.entries, "bytes": usage.bytes,
                                 "record_entries": records.entries, "record_bytes": records.bytes}).decode())
        return
    click.echo(f"path:    {cache.folder}")
    click.echo(f"entries: {usage.entries}")
    click.echo(f"size:    {format_size(usage.bytes)} ({usage.bytes} bytes)")
    click.echo(f"records: {records.entries} article(s), {format_size(records.bytes)} (the matcher's output, "
               "reused while code and options are unchanged)")


@cache_group.command("clear")
@click.pass_obj
def cache_clear(cache) -> None:
    """Delete every cached parse and record (the next run parses everything again)."""
    from .cache import format_size

    try:
        records = cache.record_usage()
        removed = cache.clear()
    except OSError as exc:
        _err(f"error: {exc.filename or cache.folder}: cannot be deleted ({exc.strerror or exc}); check the "
             "folder's permissions")
        sys.exit(EXIT_FAILED)
    _err(f"quotes: removed {removed.entries} cached parse(s), {format_size(removed.bytes)}, from {cache.folder}"
         + (f", and the records of {records.entries} article(s)" if records.entries else ""))


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--predictions", metavar="QUOTES.jsonl|-", default=None,
              help="Our JSONL records to score (article ids matched to gold by file stem).")
@click.option("--run", "run_extract", is_flag=True, help="Extract from the gold texts here instead.")
@_model_option
@click.option("--json", "json_out", metavar="FILE|-", default=None, help="Write all figures as JSON.")
@click.option("--errors", "errors_out", metavar="FILE|-", default=None,
              help="Write misses and false alarms, grouped by construction, with context.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N gold articles.")
def eval_command(gold_dir, predictions, run_extract, model, device, json_out, errors_out, limit) -> None:
    """Score records against brat attribution gold in GOLD_DIR (text/ + attributions/, as PolNeAR).

    Prints two tables. Quote units: detection P/R/F1 at 30% and 80% overlap, speaker and verb
    accuracy, end-to-end F1 and figures by construction (quotes/evaluate.py). All attributions,
    quoted, mixed and reported: detection at 30/50/80%, source and cue accuracy, end-to-end, by
    form, cue family and rule (quotes/evaluate_attributions.py). Exit 1 if some records were bad.
    """
    import orjson

    from .evaluate import GoldError, error_report, format_table, load_gold, load_predictions, score

    if (predictions is None) == (not run_extract):
        raise click.UsageError("pass exactly one of --predictions FILE and --run")
    try:
        gold = load_gold(gold_dir, limit=limit)
    except GoldError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_FAILED)
    problems: list[str] = []
    if predictions is not None:
        try:
            data = sys.stdin.buffer.read() if predictions == "-" else Path(predictions).read_bytes()
        except OSError as exc:
            _err(f"error: {predictions}: cannot be read ({exc.strerror}); check the path")
            sys.exit(EXIT_FAILED)
        records, problems = load_predictions(data.splitlines())
        for problem in problems:
            _err(f"error: {predictions}: {problem}; the line is skipped")
    else:
        from .evaluate import run_extraction
        from .parse import ModelError

        try:
            records = list(run_extraction(gold, model=model, device=None if device == "auto" else device))
        except ModelError as exc:
            _err(f"error: {exc}")
            sys.exit(EXIT_FAILED)
    from .evaluate_attributions import attribution_errors, format_attribution_table, score_attributions

    report = score(gold, records)
    every = score_attributions(gold, records)
    click.echo(format_table(report))
    click.echo(format_attribution_table(every))
    outputs = [(json_out, lambda: orjson.dumps({**report.to_dict(), "attributions": every.to_dict()},
                                               option=orjson.OPT_INDENT_2) + b"\n"),
               (errors_out, lambda: (error_report(report) + "\n# All attributions\n\n"
                                     + attribution_errors(every)).encode("utf-8"))]
    for target, render in outputs:
        if target == "-":
            click.echo(render().decode("utf-8"), nl=False)
        elif target:
            with AtomicOutput(target) as handle:
                handle.write(render())
    sys.exit(EXIT_FAILED if problems else EXIT_OK)


def _read_quote_files(paths) -> tuple[list[dict], int]:
    """Records from `quotes extract` JSONL files (- for stdin); bad lines reported, counted."""
    from .review import parse_records

    records: list[dict] = []
    bad = 0
    for raw in paths:
        if raw == "-":
            data, name = sys.stdin.buffer.read(), "-"
        else:
            name = raw
            try:
                data = Path(raw).read_bytes()
            except OSError as exc:
                _err(f"error: {raw}: cannot be read ({exc.strerror or exc.__class__.__name__}); check the path")
                bad += 1
                continue
        got, errors = parse_records(data, name)
        for message in errors:
            _err(f"error: {message}")
        bad += len(errors)
        records.extend(got)
    return records, bad


@cli.command("review")
@click.argument("quote_files", nargs=-1, required=True, metavar="QUOTES.jsonl...")
@click.option("--articles", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder the articles were extracted from (the one given to `quotes extract`). "
                   "Default: article ids are paths relative to the current directory.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("review"), show_default=True, help="Folder to write the site to.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of .txt articles.")
def review_command(quote_files, articles, out_dir, encoding) -> None:
    """Write a static HTML review of QUOTES.jsonl: each article with its records, speakers and verbs marked.

    Open OUTPUT/index.html in a browser (no server needed). Give each record a verdict (keys 1-5,
    j/k to move, u to undo; the keys are on the page), mark missed attributions, export the
    verdicts as JSONL and score them with `quotes verdicts`. Records whose offsets do not match
    their article are listed on the page and on stderr, and not drawn (exit status 1).
    """
    from .review import render_site

    records, bad = _read_quote_files(quote_files)
    try:
        site = render_site(records, articles, out_dir, encoding=encoding)
    except OSError as exc:
        _err(f"error: {out_dir}: cannot write the review ({exc.strerror or exc}); check the folder")
        sys.exit(EXIT_FAILED)
    for problem in site.problems:
        _err(f"error: {problem}")
    if site.missing:
        _err(f"quotes: {len(site.missing)} article(s) without text, e.g. {site.missing[0]!r}; their pages "
             f"list the records only (pass --articles with the folder given to `quotes extract`)")
    _err(f"quotes: review of {len(site.articles)} article(s), {len(records)} records: {out_dir / 'index.html'}"
         + (f", {len(site.problems)} record(s) not drawn" if site.problems else ""))
    sys.exit(EXIT_FAILED if bad or site.problems else EXIT_OK)


@cli.command("speakers")
@click.argument("quote_files", nargs=-1, required=True, metavar="QUOTES.jsonl...")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="A table, or JSON Lines ({speaker, variants, quotes, direct, partial, indirect, "
                   "articles}; speaker null for unattributed).")
@click.option("--articles", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder the articles were extracted from: a surname alone then joins the one person "
                   "its article's text names in full.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of .txt articles.")
def speakers_command(quote_files, fmt, articles, encoding) -> None:
    """Who is quoted how often, and in how many articles: one row per person.

    quotes = direct + partial quotes; claims = reported speech (kind indirect). The variants of
    one person's name ("Donald J. Trump", "Mr. Trump") are one row; different first names and
    Jr./Sr. stay apart. Sorted by quotes and claims, then name; "(unattributed)" groups the rest.
    """
    import orjson

    from .review import format_speaker_table, load_texts, speaker_summary

    records, bad = _read_quote_files(quote_files)
    texts = load_texts((r["article"] for r in records), articles, encoding=encoding)[0] if articles else None
    rows = speaker_summary(records, texts=texts)
    try:
        if fmt == "jsonl":
            sys.stdout.buffer.write(b"".join(orjson.dumps(row) + b"\n" for row in rows))
        else:
            sys.stdout.write(format_speaker_table(rows))
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_FAILED if bad else EXIT_OK)


@cli.command("verdicts")
@click.argument("verdict_file", metavar="VERDICTS.jsonl")
@click.argument("quote_files", nargs=-1, metavar="[QUOTES.jsonl...]")
@click.option("--json", "json_out", metavar="FILE|-", default=None, help="Write all figures as JSON.")
def verdicts_command(verdict_file, quote_files, json_out) -> None:
    """Score the tool with a reviewer's verdicts exported from `quotes review`.

    Reads VERDICTS.jsonl (the review's "export verdicts" file; - for stdin) and the records it
    judged (QUOTES.jsonl, the file given to `quotes review`), and prints precision overall and by
    kind, rule and cue family, the corrected speakers and the missed attributions. Without
    QUOTES.jsonl only kinds are told apart. Exit 1 if some lines were bad.
    """
    import orjson

    from .verdicts import format_verdict_report, parse_verdicts, score_verdicts

    try:
        data = sys.stdin.buffer.read() if verdict_file == "-" else Path(verdict_file).read_bytes()
    except OSError as exc:
        _err(f"error: {verdict_file}: cannot be read ({exc.strerror or exc.__class__.__name__}); check the path")
        sys.exit(EXIT_FAILED)
    verdicts, errors = parse_verdicts(data, verdict_file)
    for message in errors:
        _err(f"error: {message}")
    records, bad = _read_quote_files(quote_files) if quote_files else ([], 0)
    report = score_verdicts(verdicts, records)
    if report.unmatched:
        _err(f"quotes: {len(report.unmatched)} verdict(s) judge records that are not in {', '.join(quote_files)}; "
             f"they are counted by kind only (pass the records file that was reviewed)")
    click.echo(format_verdict_report(report), nl=False)
    if json_out == "-":
        click.echo(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode())
    elif json_out:
        with AtomicOutput(json_out) as handle:
            handle.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    sys.exit(EXIT_FAILED if errors or bad else EXIT_OK)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="quotes", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    return EXIT_OK
