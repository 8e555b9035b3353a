"""Turning on SQLite's write-ahead log, which may have to wait for other connections.

``PRAGMA journal_mode=WAL`` on a database another connection is creating can fail at once
with "database is locked": SQLite does not call the busy handler for it. Processes and
threads opening a new database together (a harvest and the portal, the first start of
several workers) would fail at random, so the pragma is tried again for a while.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Protocol

WAIT_SECONDS = 30.0
"""How long to keep trying before the error is raised."""
PAUSE_SECONDS = 0.01


class Executes(Protocol):
    """A DB-API connection or cursor."""

    def execute(self, sql: str, /) -> object:
        """Run one statement."""


def enable_wal(target: Executes, wait: float = WAIT_SECONDS) -> None:
    """Put the database in WAL mode, retrying while another connection holds it locked.

    Raises:
        sqlite3.OperationalError: still locked after ``wait`` seconds, or another failure.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            target.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(PAUSE_SECONDS)
