"""Resumable output for ``quotes extract -o FILE``: a partial file plus a journal beside it.

Records go to ``.FILE.part`` (next to FILE), article by article, in input order. After each
article a line is appended to the journal ``.FILE.journal``: the article's id, whether it
failed (and the error line it got), and the byte range and CRC-32 of its records in the part
file. Both are flushed per article (a killed process loses nothing the OS has) and fsynced at
most once a second (a machine crash loses at most that much). Only a finished run moves the part
file over FILE (atomically, with `os.replace`) and deletes the journal, so FILE is never half
written.

``--resume`` reads the journal of an interrupted run, keeps the longest prefix of articles whose
records are in the part file intact (checked against their CRCs), cuts off anything after it,
and tells the caller which articles to skip; the rest is appended. Records depend only on their
own article, so the finished file is byte-identical to an uninterrupted run's, also when the
rerun uses other ``--jobs`` or ``--batch-size``. The journal's first line holds what decides the
output (inputs, model, options): a resume with other settings is refused, not mixed in.
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

JOURNAL_FORMAT = 1


class ResumeError(Exception):
    """An interrupted run that cannot be continued; the message says what to do."""


@dataclass
class Done:
    """One finished article of an interrupted run, as its journal line says."""

    id: str
    start: int
    end: int
    crc: int
    error: str | None = None


@dataclass
class Resumed:
    """What ``--resume`` found: the finished articles kept (in order) and their failures."""

    done: list[Done] = field(default_factory=list)
    dropped: int = 0  # journal entries past the intact prefix (their articles are done again)

    @property
    def errors(self) -> list[str]:
        return [d.error for d in self.done if d.error is not None]


def paths_for(output: str | os.PathLike) -> tuple[Path, Path, Path]:
    """``(FILE, part file, journal)``."""
    out = Path(output)
    return out, out.with_name(f".{out.name}.part"), out.with_name(f".{out.name}.journal")


class ResumableOutput:
    """``with ResumableOutput(path, fingerprint, resume=...) as out:`` then ``out.write(article_id,
    data, error=None)`` per article; ``out.commit()`` when the run is complete.

    Leaving the block without `commit` (an interruption, an error) keeps the part file and the
    journal for ``--resume``; ``discard()`` instead removes them and leaves FILE as it was.
    ``fingerprint``: a JSON-able description of what decides the output; ``resume``: continue
    the interrupted run of the same fingerprint (a fresh start when there is none).
    """

    def __init__(self, path: str | os.PathLike, fingerprint: dict, *, resume: bool = False,
                 sync_every: float = 1.0):
        self.path, self.part, self.journal = paths_for(path)
        self.fingerprint = fingerprint
        self.resume = resume
        self.sync_every = sync_every
        self.resumed = Resumed()
        self.articles = 0  # articles finished in this file, the resumed ones included
        self.replaced = False  # a fresh start over an interrupted run's partial output
        self._data: IO[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._synced = 0.0
        self._offset = 0
        self.committed = False

    # --- opening -------------------------------------------------------------------------------

    def __enter__(self) -> "ResumableOutput":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # the journal is opened (and locked) before anything is changed, and never replaced
        self._log = open(self.journal, "a+b")
        self._lock()
        self._log.seek(0)
        lines = self._log.read().split(b"\n")
        try:
            if self.resume and lines[0]:
                self._reopen(lines)
            else:
                self.replaced = bool(lines[0]) and self.part.exists()
                self._fresh()
        except BaseException:
            self._close()
            raise
        return self

    def _fresh(self) -> None:
        self._log.truncate(0)
        header = {"quotes_journal": JOURNAL_FORMAT, "output": self.path.name, "fingerprint": self.fingerprint}
        self._log.write(orjson.dumps(header) + b"\n")
        self._log.flush()
        self._data = open(self.part, "wb")

    def _reopen(self, lines: list[bytes]) -> None:
        try:
            header = orjson.loads(lines[0])
        except orjson.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("quotes_journal") != JOURNAL_FORMAT:
            raise ResumeError(f"{self.journal}: not a journal this version of quotes wrote; rerun without "
                              "--resume to start over")
        if header.get("fingerprint") != self.fingerprint:
            theirs = header.get("fingerprint") or {}
            differ = sorted(k for k in set(theirs) | set(self.fingerprint) if theirs.get(k) != self.fingerprint.get(k))
            raise ResumeError(f"{self.path}: the interrupted run had other settings ({', '.join(differ)}); "
                              "resume with the same inputs and options, or rerun without --resume to start over")
        if not self.part.exists():
            raise ResumeError(f"{self.part}: the partial output of the interrupted run is gone; rerun without "
                              "--resume to start over")
        entries = []
        # the last line may be cut short by the interruption: every complete line ends in \n
        for raw in lines[1:-1]:
            try:
                e = orjson.loads(raw)
                entries.append(Done(str(e["id"]), int(e["start"]), int(e["end"]), int(e["crc"]), e.get("error")))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                break
        data = open(self.part, "r+b")
        kept, offset = [], 0
        for e in entries:
            if e.start != offset or e.end < e.start:
                break
            data.seek(e.start)
            chunk = data.read(e.end - e.start)
            if len(chunk) != e.end - e.start or zlib.crc32(chunk) != e.crc:
                break
            kept.append(e)
            offset = e.end
        data.truncate(offset)
        data.seek(offset)
        self._data, self._offset = data, offset
        self.resumed = Resumed(done=kept, dropped=len(entries) - len(kept))
        self.articles = len(kept)
        # the journal keeps only the lines of what was kept (they are its first lines)
        self._log.truncate(sum(len(line) + 1 for line in lines[:1 + len(kept)]))
        self._log.flush()

    def _lock(self) -> None:
        """Refuse a second run writing the same FILE at the same time."""
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock
            return
        try:
            fcntl.flock(self._log.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._log.close()
            raise ResumeError(f"{self.path}: another quotes run is writing it now; wait for it or pick "
                              "another -o") from None

    # --- writing -------------------------------------------------------------------------------

    @staticmethod
    def _line(e: Done) -> bytes:
        entry = {"id": e.id, "start": e.start, "end": e.end, "crc": e.crc}
        if e.error is not None:
            entry["error"] = e.error
        return orjson.dumps(entry) + b"\n"

    def write(self, article_id: str, data: bytes, *, error: str | None = None) -> None:
        """The records of one finished article (``error``: the line it got, when it failed)."""
        assert self._data is not None and self._log is not None
        self._data.write(data)
        self._data.flush()
        start, self._offset = self._offset, self._offset + len(data)
        self._log.write(self._line(Done(article_id, start, self._offset, zlib.crc32(data), error)))
        self._log.flush()
        self.articles += 1
        now = time.monotonic()
        if now - self._synced >= self.sync_every:
            self._sync()
            self._synced = now

    def _sync(self) -> None:
        os.fsync(self._data.fileno())  # the records before the journal line that vouches for them
        os.fsync(self._log.fileno())

    # --- ending --------------------------------------------------------------------------------

    def commit(self) -> None:
        """The run is complete: FILE gets the records, the journal goes."""
        assert self._data is not None
        self._data.flush()
        os.fsync(self._data.fileno())
        self._close()
        os.replace(self.part, self.path)
        self.journal.unlink(missing_ok=True)
        self.committed = True

    def discard(self) -> None:
        """Nothing worth keeping (no input could be read): FILE stays as it was."""
        self._close()
        self.part.unlink(missing_ok=True)
        self.journal.unlink(missing_ok=True)
        self.committed = True

    def _close(self) -> None:
        for handle in (self._data, self._log):
            if handle is not None and not handle.closed:
                handle.close()

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.committed:
            try:
                if self._data is not None and not self._data.closed:
                    self._sync()
            except OSError:
                pass
            self._close()
