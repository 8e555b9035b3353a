"""A bounded, versioned cache of engine results (match sets, BM25 orders) per process.

Like Lucene's filter cache, it keeps what the engine computed for one term or expression,
never whole answers. Every entry belongs to one *version* of the index (the live
generation and its change sequence): when a search sees a newer version, the entries of
the old one are dropped, so a harvest writing from another process is never hidden.
Memory is bounded by entries and by (estimated) bytes, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

DEFAULT_BYTES = 64 << 20
DEFAULT_ENTRIES = 4_096

Version = tuple[str, int]  # the live generation's file and its change sequence


@dataclass(frozen=True)
class CacheStats:
    """Lookups answered from the cache (hits) or computed (misses), and what it holds."""

    hits: int
    misses: int
    entries: int
    bytes: int

    def header(self, prefix: str = "") -> str:
        """The stats as (part of) a one-line HTTP header value, names after ``prefix``."""
        counters = {"hits": self.hits, "misses": self.misses, "entries": self.entries}
        counters["bytes"] = self.bytes
        return "; ".join(f"{prefix}{name}={value}" for name, value in counters.items())


class VersionedCache:
    """Least-recently-used entries of one index version; thread-safe."""

    def __init__(self, max_bytes: int = DEFAULT_BYTES, max_entries: int = DEFAULT_ENTRIES) -> None:
        """Hold at most ``max_bytes`` (estimated) in at most ``max_entries`` entries."""
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._version: Hashable = None
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False when sized to hold nothing (every lookup then computes afresh)."""
        return self.max_bytes > 0 and self.max_entries > 0

    def get(self, version: Hashable, key: Hashable) -> Any:
        """The value kept for ``key`` in ``version``, or None (a miss)."""
        with self._lock:
            found = self._entries.get(key) if version == self._version else None
            if found is None:
                self._misses += 1
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return found[0]

    def put(self, version: Hashable, key: Hashable, value: Any, size: int) -> None:
        """Keep ``value`` (about ``size`` bytes); a new version first drops every entry."""
        if not self.enabled or size > self.max_bytes:
            return
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def stats(self) -> CacheStats:
        """Counters since the process started."""
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._entries), self._bytes)
