"""Progress bars for long work (harvest, normalise, reindex), drawn with rich on a terminal
only: when standard error is not a terminal (a pipe, a log file, the scheduler's child)
nothing at all is written. Redrawn at most a few times a second; gone when closed."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from harvester.pipeline.run import Progress as RunProgress


class ProgressBar:
    """One progress bar: a count towards a total when the total is known, else a spinner
    with the count and rate."""

    def __init__(
        self,
        description: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        unit: str = "records",
        interval: float = 0.2,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.interval = interval
        self.unit = unit
        self.completed = 0
        self._started = time.monotonic()
        self._last = 0.0
        self._progress: Progress | None = None
        self._task = TaskID(0)
        if self.enabled:
            columns = [
                SpinnerColumn(),
                TextColumn("{task.description}"),
                *([BarColumn(), MofNCompleteColumn()] if total else []),
                TextColumn("{task.fields[count]}"),
                TimeElapsedColumn(),
            ]
            self._progress = Progress(
                *columns,
                console=Console(file=self.stream),
                auto_refresh=False,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(description, total=total, count="")

    def update(self, completed: int, description: str | None = None) -> None:
        """Move the bar to ``completed`` (redrawn when the last redraw is old enough)."""
        self.completed = completed
        if self._progress is None:
            return
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        elapsed = now - self._started
        rate = completed / elapsed if elapsed > 0 else 0.0
        count = f"{completed:,} {self.unit} · {rate:,.0f}/s"
        self._progress.update(self._task, completed=completed, description=description, count=count)
        self._progress.refresh()

    def close(self) -> None:
        """Remove the bar so that what follows starts on a clean line."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()


class ProgressLine:
    """The progress listener of a harvest: records seen, rate and current set."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.bar = ProgressBar("harvesting", stream=stream, interval=interval)

    @property
    def enabled(self) -> bool:
        """Whether anything is drawn (standard error is a terminal)."""
        return self.bar.enabled

    def __call__(self, progress: RunProgress) -> None:
        """Show a run's snapshot."""
        where = f" · set {progress.set_spec}" if progress.set_spec else ""
        self.bar.update(progress.counts.seen, f"{progress.source_id} run {progress.run_id}{where}")

    def close(self) -> None:
        """Remove the bar."""
        self.bar.close()
