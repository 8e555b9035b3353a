"""What every command shares: settings, sources, store and index opened once, a one-line
failure with its exit status, and plain-text tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

import click

from harvester.core.errors import EXIT_CONFLICT, CsfinderError
from harvester.core.settings import Settings
from harvester.core.sources import LoadedSources, SourceConfig
from harvester.index.base import SearchIndex
from harvester.index.service import open_index
from harvester.store import Run, Store
from harvester.store.registrations import load_all_sources


class Failure(click.ClickException):
    """A one-line reason and a non-zero exit status."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        """Print ``csfinder: error: <reason>`` on standard error."""
        click.echo(f"csfinder: error: {self.format_message()}", err=True)


class Busy(Failure):
    """The source is being harvested by another process (exit status 75, EX_TEMPFAIL, so
    that the scheduler tells a skipped run from a failed one)."""

    exit_code = EXIT_CONFLICT


@dataclass
class App:
    """What every command needs: settings, sources and (lazily) the store."""

    settings: Settings
    _store: Store | None = None
    _sources: LoadedSources | None = None
    _index: SearchIndex | None = None
    _search_index: SearchIndex | None = None

    @property
    def store(self) -> Store:
        """The store, opened on first use (its folder created if needed); a database at
        another schema revision stops the command with what to run."""
        if self._store is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            try:
                self._store = Store(
                    self.settings.database_url, error_samples=self.settings.harvest.error_samples
                )
            except CsfinderError as exc:  # unreachable, or a schema to upgrade: one line
                fail(str(exc))
        return self._store

    @property
    def index(self) -> SearchIndex:
        """The search index the settings choose, opened on first use, for writing (without
        the query encoder)."""
        if self._index is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._index = open_index(self.settings, with_encoder=False)
        return self._index

    @property
    def search_index(self) -> SearchIndex:
        """The search index with the query encoder, to search by meaning too."""
        if self._search_index is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._search_index = open_index(self.settings)
        return self._search_index

    @property
    def sources(self) -> LoadedSources:
        """The configured sources (files and approved registrations), loaded once."""
        if self._sources is None:
            self._sources = load_all_sources(self.settings.sources_dir, self.store)
        return self._sources

    def source(self, source_id: str) -> SourceConfig:
        """One source by id, or a clean failure."""
        try:
            return self.sources.get(source_id)
        except CsfinderError as exc:
            fail(str(exc))


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line reason."""
    raise Failure(message)


pass_app = click.make_pass_decorator(App)


def echo_table(headers: list[str], rows: Iterable[list[str]]) -> None:
    """Print rows as aligned columns under a header."""
    rows = list(rows)
    if not rows:
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    for row in [headers, *rows]:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def duration(start: datetime, end: datetime | None) -> str:
    if end is None:
        return "-"
    seconds = (end - start).total_seconds()
    if seconds < 10:
        return f"{seconds:.2f}s"
    return f"{seconds:.1f}s" if seconds < 120 else f"{seconds / 60:.1f}min"


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def describe_run(run: Run) -> str:
    """One line saying what a run did."""
    counts = ", ".join(f"{value} {name}" for name, value in run.counts.as_dict().items())
    took = duration(run.started_at, run.ended_at)
    text = f"{run.source_id}: run {run.id} {run.status} in {took}: {counts}"
    if run.resumed_run_id:
        text += f" (resumed run {run.resumed_run_id})"
    if run.error:
        text += f"; error: {run.error}"
    return text
