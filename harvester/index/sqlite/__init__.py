"""The embedded search backend: SQLite FTS5 for text, Roaring bitmaps for facets."""

from harvester.index.sqlite.backend import SqliteIndex

__all__ = ["SqliteIndex"]
