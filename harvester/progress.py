"""The live progress line: on a terminal only, at most a few times a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from harvester.runs import Progress


class ProgressLine:
    """Rewrites one line of a terminal with a run's counts, rate and current set."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.interval = interval
        self._last = 0.0
        self._width = 0

    def __call__(self, progress: Progress) -> None:
        """Show a run's snapshot (skipped when the last one is too recent)."""
        where = f" · set {progress.set_spec}" if progress.set_spec else ""
        self.show(
            f"{progress.source_id} run {progress.run_id}{where} · "
            f"{progress.counts.seen:,} records · {progress.rate:,.0f}/s"
        )

    def show(self, text: str) -> None:
        """Show one line of text (skipped when the last one is too recent)."""
        now = time.monotonic()
        if not self.enabled or now - self._last < self.interval:
            return
        self._last = now
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        """End the line so that what follows starts on a fresh one."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
