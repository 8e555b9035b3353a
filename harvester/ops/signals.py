"""Signals of long-running commands: SIGTERM and SIGINT ask to stop, SIGHUP to reload.

The handlers only set flags; the command's main loop reads them (nothing runs inside a
signal handler, so no lock can be taken twice).
"""

from __future__ import annotations

import signal
import time
from types import FrameType


class Signals:
    """Flags set by SIGTERM/SIGINT (``stop``) and SIGHUP (``reload``)."""

    def __init__(self) -> None:
        self.stop = False
        self.reload = False
        self.received: list[str] = []

    def install(self) -> Signals:
        """Install the handlers (main thread only); return self."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, self._reload)
        return self

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stop = True
        self.received.append(signal.Signals(signum).name)

    def _reload(self, signum: int, _frame: FrameType | None) -> None:
        self.reload = True
        self.received.append(signal.Signals(signum).name)

    def take_reload(self) -> bool:
        """Whether a reload was asked for since the last call."""
        asked, self.reload = self.reload, False
        return asked

    def sleep(self, seconds: float, step: float = 0.1) -> None:
        """Sleep up to ``seconds``, waking early when asked to stop or reload."""
        deadline = time.monotonic() + seconds
        while not (self.stop or self.reload):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(step, left))
