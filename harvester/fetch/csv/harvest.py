"""One ``csv`` harvest run: a spreadsheet published as CSV (over HTTP, or a file on this
machine for sources from config files), every row a record, stored page by page through the
run's page sink exactly as the other protocols store theirs.

- The file is streamed to a temporary file (HTTP through the shared client: timeouts,
  retries, size cap), then read row by row: memory stays flat however long the file.
- Unchanged files are skipped: the next run asks with the ETag and Last-Modified of the last
  successful run (``If-None-Match``, ``If-Modified-Since``); a 304, or a body with the same
  SHA-256 as the last one read, ends the run at once with a note and nothing changed. A
  full run (``--full``) reads the file whatever it is.
- Where the validators live: the run's checkpoint token holds them (JSON: ETag,
  Last-Modified, SHA-256, size, rows read), with the rows stored so far. A run that dies is
  resumed by the next one, which skips the rows already stored when the file it gets has the
  same SHA-256, and starts again from the top otherwise (re-reading a row doubles nothing).
  The checkpoint of a successful run is never resumed from, so it is where the next run
  finds the validators; no column of the store was added for them.
- A row that cannot be read becomes a failed record with its line and reason; the other
  rows go on. When every row was read, a record the file no longer holds is marked deleted;
  when a row failed, nothing is (the failed row's record might be among the vanished).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import BinaryIO

from harvester.core.errors import FetchError, HarvestError
from harvester.core.records import RawRecord, RecordFailure
from harvester.core.sources import file_path
from harvester.fetch.base import Harvester, HarvestRequest, PageSink
from harvester.fetch.csv.reader import CsvFileError, RowReader
from harvester.fetch.http import http_client_for
from harvester.store import Checkpoint, PageWrite, Run

PAGE_ROWS = 500
"""Rows stored together, with one checkpoint."""
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileVersion:
    """What tells one version of the file from another, and how far a run read it."""

    sha256: str
    size: int
    etag: str | None = None
    last_modified: str | None = None
    rows: int = 0

    def token(self, rows: int) -> str:
        """The checkpoint token: this version, ``rows`` rows stored."""
        return json.dumps({"csv": {**asdict(self), "rows": rows}}, sort_keys=True)

    @classmethod
    def from_token(cls, token: str | None) -> FileVersion | None:
        """The version a checkpoint token holds (None for another protocol's token)."""
        try:
            data = json.loads(token or "")["csv"]
            return cls(
                sha256=str(data["sha256"]),
                size=int(data["size"]),
                etag=data.get("etag"),
                last_modified=data.get("last_modified"),
                rows=int(data.get("rows", 0)),
            )
        except (ValueError, KeyError, TypeError):
            return None


class NotModified(Exception):
    """The server answered 304: the file is as the last run read it."""


class CsvHarvest(Harvester):
    """Harvests one csv source into the store."""

    def harvest(
        self, run: Run, resumed: Run | None, request: HarvestRequest, sink: PageSink
    ) -> None:
        """Fetch the file (unless unchanged), store its rows, mark what vanished."""
        self.sink = sink
        if request.from_date:
            self.store.add_run_error(
                run.id, "a CSV file lists no changes by date: reading the whole file"
            )
        last = self.store.last_successful_run(self.source.id)
        previous = None if last is None else FileVersion.from_token(last.checkpoint.token)
        ask_if_changed = previous if (resumed is None and not request.full) else None
        with tempfile.TemporaryFile(prefix="csfinder-csv-") as body:
            try:
                version = self._fetch(run, body, ask_if_changed)
            except NotModified:
                assert previous is not None
                self._unchanged(run, previous, f"not modified (HTTP 304) since run {_id(last)}")
                return
            if ask_if_changed is not None and version.sha256 == ask_if_changed.sha256:
                self._unchanged(run, previous or version, f"same content as run {_id(last)}")
                return
            started = FileVersion.from_token(run.checkpoint.token) if resumed else None
            skip = started.rows if started and started.sha256 == version.sha256 else 0
            if started is not None and not skip:
                self.store.add_run_error(
                    run.id, "the file changed since the interrupted run: reading it again"
                )
            failed, rows = self._read(body, version, skip)
        if failed:
            self.store.add_run_error(
                run.id, f"{failed} row(s) could not be read: no record marked deleted"
            )
        else:
            self._delete_vanished(self._chain_start(run))
        self.store.update_run(run.id, checkpoint_set_index=1, checkpoint_token=version.token(rows))

    def _unchanged(self, run: Run, version: FileVersion, why: str) -> None:
        self.store.add_run_error(run.id, f"file unchanged, nothing read: {why}")
        self.store.update_run(
            run.id, checkpoint_set_index=1, checkpoint_token=version.token(version.rows)
        )

    def _fetch(self, run: Run, body: BinaryIO, previous: FileVersion | None) -> FileVersion:
        """Copy the file into ``body``; its version.

        Raises:
            NotModified: the server said 304.
            HarvestError: the file cannot be had.
        """
        if self.source.is_file:
            path = file_path(self.source.url)
            try:
                with path.open("rb") as source:
                    shutil.copyfileobj(source, body, _CHUNK)
            except OSError as exc:
                raise HarvestError(f"cannot read {path}: {exc.strerror or exc}") from None
            return _version(body)
        headers = {}
        if previous is not None and previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous is not None and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        http = http_client_for(self.source, self.settings, self.sink.heartbeat)
        try:
            fetched = http.get(self.source.url, headers=headers, into=body)
        except FetchError as exc:
            raise HarvestError(str(exc)) from None
        finally:
            http.close()
        if fetched.status == 304 and previous is not None:
            raise NotModified
        if fetched.status != 200:
            raise HarvestError(f"HTTP {fetched.status} from {self.source.url}")
        if fetched.headers.get("date"):
            self.store.update_run(run.id, response_date=fetched.headers["date"][:40])
        return _version(body, fetched.headers.get("etag"), fetched.headers.get("last-modified"))

    def _read(self, body: BinaryIO, version: FileVersion, skip: int) -> tuple[int, int]:
        """Store the rows after the first ``skip``; return (failed rows, rows read)."""
        body.seek(0)
        try:
            reader = RowReader(body, self.source.csv_options, self.source.id, self.source.crosswalk)
            failed = 0
            for page, rows in _pages(reader, skip):
                failed += len(page.failures)
                self.sink.write(page, Checkpoint(0, None, version.token(rows)))
        except CsvFileError as exc:
            raise HarvestError(f"{self.source.url}: {exc}") from None
        self.sink.flush()
        return failed, reader.rows_read

    def _chain_start(self, run: Run) -> datetime:
        """When the first run of a chain of resumed runs started."""
        start, current = run.started_at, run
        while current.resumed_run_id is not None:
            previous = self.store.get_run(current.resumed_run_id)
            if previous is None:
                break
            start, current = previous.started_at, previous
        return start

    def _delete_vanished(self, listed_since: datetime) -> None:
        """Mark deleted every record the file no longer holds."""
        while True:
            self.sink.flush()
            gone: list[RawRecord] = self.store.unseen_since(self.source.id, listed_since)
            if not gone:
                return
            self.sink.write(PageWrite(gone, listed=False), None)


def _pages(reader: RowReader, skip: int) -> Iterator[tuple[PageWrite, int]]:
    """Pages of :data:`PAGE_ROWS` rows after the first ``skip``, each with the number of
    rows read once it is stored."""
    records: list[RawRecord] = []
    failures: list[RecordFailure] = []
    for _line, item in reader:
        if reader.rows_read <= skip:
            continue
        if isinstance(item, RawRecord):
            records.append(item)
        else:
            failures.append(item)
        if len(records) + len(failures) >= PAGE_ROWS:
            yield PageWrite(records, failures), reader.rows_read
            records, failures = [], []
    if records or failures:
        yield PageWrite(records, failures), reader.rows_read


def _version(body: BinaryIO, etag: str | None = None, modified: str | None = None) -> FileVersion:
    digest = hashlib.sha256()
    body.seek(0)
    size = 0
    while chunk := body.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    body.seek(0)
    return FileVersion(digest.hexdigest(), size, etag, modified)


def _id(run: Run | None) -> str:
    return str(run.id) if run is not None else "?"
