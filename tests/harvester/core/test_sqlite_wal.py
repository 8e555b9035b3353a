"""Turning on the write-ahead log while another connection holds the new database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from harvester.core.sqlite_wal import enable_wal


def locked_database(path: Path) -> sqlite3.Connection:
    """A connection holding the exclusive lock on a new database, as its creator does."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE made (x)")
    return holder


def test_wal_waits_for_the_connection_creating_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    holder = locked_database(path)
    opener = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opener.execute("PRAGMA journal_mode=WAL")  # what SQLite does without waiting

    releaser = threading.Timer(0.2, lambda: holder.execute("COMMIT"))
    releaser.start()
    enable_wal(opener, wait=30)
    releaser.join()
    assert opener.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert opener.execute("SELECT name FROM sqlite_master").fetchall() == [("made",)]


def test_wal_gives_up_after_the_wait_with_the_database_error(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    holder = locked_database(path)
    opener = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        enable_wal(opener, wait=0.1)
    holder.execute("ROLLBACK")
    assert opener.execute("PRAGMA journal_mode").fetchone() == ("delete",)
