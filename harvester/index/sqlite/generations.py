"""The folder of the embedded index: its generations and each thread's connection.

Layout in ``CSFINDER_HOME/index/``: one SQLite file per generation, a ``CURRENT`` file
naming the live one, and beside each generation the snapshot of its facet state. Harvests
write into the live generation (WAL: searches keep answering meanwhile); a rebuild writes
a new generation and swaps ``CURRENT`` at once, so searching never stops.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from harvester.index.sqlite.schema import create_tables, open_database

CURRENT = "CURRENT"

SqlFunction = Callable[[int], bool]  # a one-argument SQL function the reader's queries call


class Generations:
    """The generation files in one folder and the ``CURRENT`` pointer to the live one."""

    def __init__(self, folder: Path, functions: Mapping[str, SqlFunction] | None = None) -> None:
        """Open (or create, with an empty live generation) the index in ``folder``;
        ``functions`` are registered on every thread's connection to the live generation."""
        self.folder = folder
        self._functions = dict(functions or {})
        self._local = threading.local()
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (folder / CURRENT).exists():
            self.publish(self.create(with_triggers=True))

    def current(self) -> str:
        """The file name of the live generation."""
        return (self.folder / CURRENT).read_text(encoding="utf-8").strip()

    def create(self, *, with_triggers: bool) -> str:
        """Create a new, empty generation (not yet live) and return its file name."""
        name = f"index-{uuid.uuid4().hex[:12]}.sqlite3"
        create_tables(self.folder / name, with_triggers=with_triggers)
        return name

    def open(self, name: str) -> sqlite3.Connection:
        """A new connection to the generation ``name`` (the caller closes it)."""
        return open_database(self.folder / name)

    def publish(self, name: str) -> None:
        """Make the generation ``name`` live, in one atomic rename."""
        pointer = self.folder / f"{CURRENT}.{uuid.uuid4().hex[:8]}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, self.folder / CURRENT)

    def snapshot(self, name: str) -> Path:
        """Where the facet state of the generation ``name`` is saved."""
        return self.folder / f"{name}.facets.npz"

    def forget_old(self, keep: set[str]) -> None:
        """Remove generations older than the previous one (readers may still hold that)."""
        for path in self.folder.glob("index-*.sqlite3*"):
            base = path.name.split(".sqlite3")[0] + ".sqlite3"
            if base not in keep:
                path.unlink(missing_ok=True)

    def conn(self, current: str | None = None) -> sqlite3.Connection:
        """This thread's connection to the live generation (reopened after a swap)."""
        current = current or self.current()
        held: tuple[str, sqlite3.Connection] | None = getattr(self._local, "conn", None)
        if held is not None and held[0] == current:
            return held[1]
        if held is not None:
            held[1].close()
        conn = open_database(self.folder / current)
        for name, function in self._functions.items():
            conn.create_function(name, 1, function)
        self._local.conn = (current, conn)
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            held[1].close()
            self._local.conn = None
