"""One extraction assembly: model → parser → parse cache → matcher, built once from a configuration.

`ExtractorConfig` is a frozen, picklable description of a run (which model, where to parse, the
cache, the matcher's options, batching, workers, the kinds of record wanted). `Extractor` builds
the assembly from it and runs it. Everything that extracts quotes uses it: ``quotes extract``,
``quotes eval --run``, `quotes.extract`, the ``--jobs`` worker processes (`quotes.pipeline`),
the Dask workers (`quotes.dask`) and ``bench/bench.py``, so a new option is added here once.

A config travels to worker processes as is; each worker builds its own `Extractor` from it (its
own parser, model and cache handle). Pure: no stdout, and no files besides the parse cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from . import pipeline
from .pipeline import batches, failure_message
from .record import Quote
from .sources import Article
from .tree import Sentence


@runtime_checkable
class ParserLike(Protocol):
    """What the extractor needs of a parser: `quotes.parse.Parser`, a `quotes.cache.CachedParser`
    around one, or a test's stub.

    ``spec.name`` names the model (it goes into every record's ``model``); ``parse_many`` parses
    each text into `Sentence` views whose offsets index that text.
    """

    spec: Any

    def parse_many(self, texts: Sequence[str]) -> list[list[Sentence]]: ...


#: ``(spec, device, threads) -> parser``: how a worker makes its parser. Must be a picklable
#: top-level callable when the config goes to other processes (``jobs > 1``, Dask).
ParserFactory = Callable[[Any, "str | None", "int | None"], ParserLike]


@dataclass(frozen=True)
class ExtractorConfig:
    """Everything that decides what an extraction produces and how it runs.

    ``model``: ``shipped``, ``official``, a model folder, None (the default: ``$QUOTES_MODEL``,
    else official when installed, else shipped), or an already resolved spec (an object with
    ``name``, e.g. `quotes.parse.ModelSpec`), which is used as is. ``device``: None (auto),
    ``cpu`` or ``cuda``. ``cache``/``cache_dir``: the parse cache (`quotes.cache`; None = the
    default folder). The matcher options are those of `quotes.match.extract_quotes`.
    ``batch_size``: articles per parse call. ``jobs``: parser processes on this machine, or
    ``"auto"`` (one per usable core once the input holds more than one batch to parse).
    ``threads``: torch threads of this process's parser (None: torch's default). ``kinds``:
    the record kinds kept (None: every kind the matcher emits). ``parser_factory``: makes the
    parser (default `quotes.parse.Parser`); a stub for tests and benchmarks.
    """

    model: Any = None
    device: str | None = None
    cache: bool = True
    cache_dir: str | None = None
    include_other: bool = False
    min_words: int = 3
    max_depth: int = 5
    continuation_paragraphs: int = 1
    batch_size: int = 16
    jobs: int | str = 1
    threads: int | None = None
    kinds: frozenset[str] | None = None
    parser_factory: ParserFactory | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kinds is not None and not isinstance(self.kinds, frozenset):
            object.__setattr__(self, "kinds", frozenset(self.kinds))

    @property
    def reported_speech(self) -> bool:
        """Whether reported speech is wanted (kind ``indirect``): only then do the sentences that
        hold a cue word but no quote mark get a parse, which costs time."""
        return self.kinds is None or "indirect" in self.kinds

    def matcher_options(self) -> dict[str, Any]:
        """The keyword arguments this config gives `quotes.match.extract_quotes`."""
        return {"include_other": self.include_other, "min_words": self.min_words,
                "max_depth": self.max_depth, "continuation_paragraphs": self.continuation_paragraphs,
                "reported_speech": self.reported_speech}

    def replace(self, **changes: Any) -> "ExtractorConfig":
        return replace(self, **changes)


def default_parser_factory(spec: Any, device: str | None, threads: int | None) -> ParserLike:
    """`quotes.parse.Parser` (looked up when called, so stanza is imported only when parsing)."""
    from . import parse

    return parse.Parser(spec, device=device, threads=threads)


def resolve_spec(model: Any) -> Any:
    """The model spec of a config's ``model``; raises `quotes.parse.ModelError`."""
    if model is not None and not isinstance(model, str) and hasattr(model, "name"):
        return model
    from . import parse

    return parse.resolve_model(model)


#: ``jobs="auto"`` reads at most this many batches ahead to decide (see `Extractor.auto_jobs`).
AUTO_LOOKAHEAD = 4


class Extractor:
    """The assembly built from an `ExtractorConfig`: resolves the model (at construction, so a
    missing model is reported before any input is read), makes the parser, puts the parse cache
    in front of it, and runs the matcher on each parsed article.

    ``spec``: the resolved model (skips resolution; worker processes get the parent's). ``parser``:
    a ready parser (e.g. a test stub), used instead of making one; the cache still wraps it.
    ``on_warning``: gets the one message the cache reports when it has to turn itself off.
    Raises `quotes.parse.ModelError` when the model cannot be found.

    ``on_error(article, message)``: when given, an article whose parse or match fails (any
    exception, a `MemoryError`; with ``jobs > 1`` also a worker process that dies) is reported
    there and yielded with no quotes, and the run goes on: a failing batch is retried one article
    at a time, so only the culprit is lost. Without it the exception propagates. A `ModelError`
    (no model to load) always propagates: it is no article's fault. ``on_note(article,
    message)``: what the parser did to bound its work on an article (`quotes.parse.ParseNote`).
    """

    def __init__(self, config: ExtractorConfig = ExtractorConfig(), *, spec: Any = None,
                 parser: ParserLike | None = None, on_warning: Callable[[str], None] | None = None,
                 on_error: Callable[[Article, str], None] | None = None,
                 on_note: Callable[[Article, str], None] | None = None):
        self.config = config
        self.on_error = on_error
        self.on_note = on_note
        self._notes: dict[int, str] = {}  # id(text) -> the parser's note on it, until its article is yielded
        self.spec = spec if spec is not None else (parser.spec if parser is not None else resolve_spec(config.model))
        if parser is None:
            parser = (config.parser_factory or default_parser_factory)(self.spec, config.device, config.threads)
            if hasattr(parser, "cues"):
                parser.cues = config.reported_speech  # quotes only: parse only around quote marks
        self.base_parser = parser
        if hasattr(parser, "on_note"):
            parser.on_note = lambda text, message: self._notes.__setitem__(id(text), message)
        self.cache = None  # the quotes.cache.ParseCache in use, or None
        if config.cache:
            from .cache import CacheUnavailable, ParseCache

            try:
                self.cache = ParseCache(config.cache_dir, on_warning=on_warning).check()
            except CacheUnavailable as exc:
                if on_warning is not None:
                    on_warning(f"warning: {exc}; this run goes on without the cache")
        if self.cache is not None:
            from .cache import CachedParser

            self.parser: ParserLike = CachedParser(parser, self.cache)
        else:
            self.parser = parser
        self._options = config.matcher_options()
        self._record_context: str | None = None

    @property
    def model_name(self) -> str:
        """What every record carries in ``model``."""
        return self.parser.spec.name

    def match(self, article: Article, sentences: list[Sentence]) -> list[Quote]:
        """The quotes of one parsed article, of the kinds the config keeps."""
        from . import match  # imported when first needed: a rerun served by the record cache never is

        kinds = self.config.kinds
        return match.extract_quotes(article.text, sentences, article=article.id, model=self.model_name,
                                    kinds=tuple(sorted(kinds)) if kinds is not None else None, **self._options)

    @property
    def record_context(self) -> str | None:
        """The record cache's context for this run (`quotes.cache.record_context`: parser identity,
        code, options, kinds, model name), or None when the cache is off, the parser has no
        identity to key records on, or the package's files changed since this process loaded it
        (`quotes.cache.package_changed_since_import`)."""
        if self.cache is None or self.cache.disabled or not hasattr(self.parser, "model_id"):
            return None
        if self._record_context is None:
            from .cache import package_changed_since_import, record_context

            self._record_context = "" if package_changed_since_import() else record_context(
                self.parser.model_id, self.model_name, self._options, self.config.kinds)
        return self._record_context or None

    def extract_text(self, text: str, *, article: str = "-") -> list[Quote]:
        """The quotes of one article given as text (its records carry ``article``)."""
        item = Article(id=article, text=text)
        return self.match(item, self.parser.parse_many([text])[0])

    def extract_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Quote]]]:
        """Each article with its quotes, in input order, read lazily (memory: a few batches).

        ``jobs > 1`` parses in that many worker processes (`quotes.pipeline.extract_parallel`),
        each building its own `Extractor` from this config; ``jobs="auto"``: see `auto_jobs`.
        """
        if self.config.jobs == "auto":
            return self._extract_auto(articles)
        if self.config.jobs > 1:
            return pipeline.extract_parallel(articles, self)
        return self.extract_serial(articles)

    def _extract_auto(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Quote]]]:
        import itertools

        rest = iter(articles)
        head, jobs = self.auto_jobs(rest)
        articles = itertools.chain(head, rest)
        if jobs > 1:
            yield from pipeline.extract_parallel(articles, self, jobs=jobs)
        else:
            yield from self.extract_serial(articles)

    def auto_jobs(self, articles: Iterator[Article]) -> tuple[list[Article], int]:
        """How many processes ``jobs="auto"`` uses: one per usable core once more than one batch
        of articles needs a parse (worker processes each load the model, which only pays when
        there is more than one batch to share out), else one. Reads ahead (returned, to be
        extracted first) until it has seen more than ``batch_size`` articles the parse cache
        does not hold, or ``AUTO_LOOKAHEAD`` batches: a rerun over cached articles stays in
        this process."""
        cores = pipeline.usable_cores()
        head: list[Article] = []
        if cores < 2:
            return head, 1
        size = self.config.batch_size
        need = 0
        for article in articles:
            head.append(article)
            need += not self._cached(article)
            if need > size or len(head) >= AUTO_LOOKAHEAD * size:
                break
        return head, cores if need > size else 1

    def _cached(self, article: Article) -> bool:
        """Whether the cache holds ``article``'s parse or its records (no read, no stanza)."""
        if self.cache is None or self.cache.disabled or not hasattr(self.parser, "model_id"):
            return False
        from .cache import text_digest

        sha = text_digest(article.text)
        if self.cache.path_for(self.cache.key(self.parser.model_id, sha)).is_file():
            return True
        context = self.record_context
        return context is not None and self.cache.record_path(self.cache.record_key(context, article.id, sha)).is_file()

    def extract_serial(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Quote]]]:
        """`extract_articles` in this process: ``batch_size`` articles per parse call."""
        for batch in batches(articles, self.config.batch_size):
            yield from self._extract_batch(batch)

    def _extract_batch(self, batch: list[Article]) -> Iterator[tuple[Article, list[Quote]]]:
        """``batch``'s articles with their quotes, in order: those the record cache holds from it,
        the others parsed (one call) and matched by `_parse_and_match`, their records then kept."""
        context = self.record_context
        if context is None:
            yield from self._parse_and_match(batch)
            return
        from .cache import text_digest

        shas = [text_digest(a.text) for a in batch]
        known = [self.cache.get_records(a.text, a.id, context, text_sha=sha) for a, sha in zip(batch, shas)]
        todo = [(a, sha) for a, sha, quotes in zip(batch, shas, known) if quotes is None]
        fresh = self._parse_and_match([a for a, _ in todo], keep={id(a): sha for a, sha in todo})
        for article, quotes in zip(batch, known):
            yield (article, quotes) if quotes is not None else next(fresh)

    def _parse_and_match(self, batch: list[Article], keep: dict[int, str] | None = None
                         ) -> Iterator[tuple[Article, list[Quote]]]:
        """One parse call for ``batch``, then the matcher on each article; with ``on_error``, a
        failing batch is retried one article at a time and a failing article yields no quotes.
        ``keep``: ``id(article) -> text sha`` of the articles whose records go to the record cache
        once matched (not those that failed)."""
        from .parse import ModelError

        if not batch:
            return
        try:
            parsed = self.parser.parse_many([a.text for a in batch])
        except Exception as exc:  # noqa: BLE001 - isolated per article below, or re-raised
            if self.on_error is None or isinstance(exc, ModelError):
                raise
            if len(batch) > 1:
                for article in batch:
                    yield from self._parse_and_match([article], keep)
                return
            self._notes.pop(id(batch[0].text), None)
            self.on_error(batch[0], failure_message(exc, "parsing"))
            yield batch[0], []
            return
        for article, sentences in zip(batch, parsed):
            note = self._notes.pop(id(article.text), None)
            if note is not None and self.on_note is not None:
                self.on_note(article, note)
            try:
                quotes = self.match(article, sentences)
            except Exception as exc:  # noqa: BLE001 - one article's failure, reported
                if self.on_error is None:
                    raise
                self.on_error(article, failure_message(exc, "matching"))
                quotes = []
            else:
                if keep is not None and id(article) in keep and self.record_context is not None:
                    self.cache.put_records(article.text, article.id, self.record_context, quotes,
                                           text_sha=keep[id(article)])
            yield article, quotes

    def worker_config(self, *, threads: int | None, cache_dir: str | None = None) -> ExtractorConfig:
        """The config a worker process builds its own extractor from: one process (``jobs`` 1),
        ``threads`` torch threads, and the cache this extractor uses (off if it could not be used
        here), in ``cache_dir`` when given."""
        root = cache_dir if cache_dir is not None else (str(self.cache.root) if self.cache is not None else None)
        return replace(self.config, jobs=1, threads=threads, cache=self.cache is not None, cache_dir=root)


@dataclass(frozen=True)
class Options:
    """Matcher options (see `quotes.match.extract_quotes`)."""

    include_other: bool = False
    min_words: int = 3
    max_depth: int = 5
    continuation_paragraphs: int = 1


def extract_many(
    articles: Iterable[Article],
    *,
    parser,
    options: Options = Options(),
    batch_size: int = 16,
) -> Iterator[tuple[Article, list[Quote]]]:
    """Parse ``batch_size`` articles per parse call and yield each with its quotes, in order.

    Memory is bounded by one batch, whatever the number of articles: ``articles`` is read lazily,
    one batch ahead of the output. ``parser`` is anything with ``parse_many(texts)`` and
    ``spec.name`` (`quotes.extractor.ParserLike`), used as is (no cache is added).
    """
    config = ExtractorConfig(cache=False, batch_size=batch_size, include_other=options.include_other,
                             min_words=options.min_words, max_depth=options.max_depth,
                             continuation_paragraphs=options.continuation_paragraphs)
    return Extractor(config, parser=parser).extract_serial(articles)
