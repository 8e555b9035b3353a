"""Facet filters and counts from compressed bitmaps held in memory.

Counting facets with SQL ``GROUP BY`` over a large match set costs tens of milliseconds per
facet; here each facet value is a Roaring bitmap of the rows carrying it, so a count is
one intersection cardinality (microseconds) and a filter one union. Sort keys and boxes
are NumPy columns indexed by row id. The state is loaded once and then patched with the
rows changed since (tracked by the index's change sequence).
"""

from __future__ import annotations

import json
import math
import os
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from harvester.index.base import FacetCount
from harvester.index.query import FACETS, BoundingBox, SearchQuery

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RowFacts:
    """What the facet state needs of one row of the index."""

    rowid: int
    deleted: bool
    facets: Mapping[str, Iterable[str]]
    year: int | None
    newest: int
    boost: int
    title_key: int
    title_words: int
    bbox: tuple[float, float, float, float] | None


class FacetState:
    """Bitmaps per facet value and sort columns for every live row."""

    def __init__(self) -> None:
        self.live = BitMap()
        self.values: dict[str, dict[str, BitMap]] = {name: {} for name in FACETS}
        self.year = np.zeros(0, dtype=np.int32)
        self.newest = np.zeros(0, dtype=np.int64)
        self.boost = np.zeros(0, dtype=np.int32)
        self.title_key = np.zeros(0, dtype=np.uint64)
        self.title_words = np.zeros(0, dtype=np.int16)
        self.box = np.full((0, 4), np.nan)
        self.seq = 0

    # -- loading -------------------------------------------------------------------------

    def copy(self) -> FacetState:
        """An independent copy: patching it leaves this state, which searches in other
        threads may be reading, exactly as it was."""
        twin = FacetState()
        twin.live = BitMap(self.live)
        twin.values = {
            facet: {value: BitMap(bitmap) for value, bitmap in by_value.items()}
            for facet, by_value in self.values.items()
        }
        twin.year, twin.newest = self.year.copy(), self.newest.copy()
        twin.boost, twin.title_key = self.boost.copy(), self.title_key.copy()
        twin.title_words, twin.box = self.title_words.copy(), self.box.copy()
        twin.seq = self.seq
        return twin

    def apply(self, rows: Iterable[RowFacts], seq: int, *, fresh: bool = False) -> None:
        """Patch the state with changed rows (new, updated or deleted); ``fresh`` says the
        rows were never seen before (a bulk load), which skips removing old values."""
        batch = list(rows)
        if not batch:
            self.seq = seq
            return
        changed = BitMap(r.rowid for r in batch)
        self._grow(max(changed) + 1)
        if not fresh:
            self.live -= changed
            for by_value in self.values.values():
                for bitmap in by_value.values():
                    bitmap -= changed
        additions: dict[tuple[str, str], list[int]] = {}
        for row in batch:
            if row.deleted:
                continue
            self._set_columns(row)
            for facet, values in row.facets.items():
                for value in values:
                    additions.setdefault((facet, value), []).append(row.rowid)
        self.live |= BitMap(r.rowid for r in batch if not r.deleted)
        for (facet, value), rowids in additions.items():
            by_value = self.values.setdefault(facet, {})
            by_value.setdefault(value, BitMap()).update(rowids)
        for by_value in self.values.values():
            for value in [v for v, bitmap in by_value.items() if not bitmap]:
                del by_value[value]
        self.seq = seq

    def _grow(self, size: int) -> None:
        if size <= len(self.year):
            return
        capacity = max(size, 2 * len(self.year), 1024)
        extra = capacity - len(self.year)
        self.year = np.concatenate([self.year, np.zeros(extra, dtype=np.int32)])
        self.newest = np.concatenate([self.newest, np.zeros(extra, dtype=np.int64)])
        self.boost = np.concatenate([self.boost, np.zeros(extra, dtype=np.int32)])
        self.title_key = np.concatenate([self.title_key, np.zeros(extra, dtype=np.uint64)])
        self.title_words = np.concatenate([self.title_words, np.zeros(extra, dtype=np.int16)])
        self.box = np.concatenate([self.box, np.full((extra, 4), np.nan)])

    def _set_columns(self, row: RowFacts) -> None:
        i = row.rowid
        self.year[i] = row.year or 0
        self.newest[i] = row.newest
        self.boost[i] = row.boost
        self.title_key[i] = row.title_key
        self.title_words[i] = min(row.title_words, 255)
        self.box[i] = row.bbox if row.bbox is not None else (math.nan,) * 4

    # -- snapshots -----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the state to ``path`` (atomically), so the next process loads it at once."""
        header: list[list[Any]] = [["", "", len(blob := self.live.serialize())]]
        blobs = [blob]
        for facet, by_value in self.values.items():
            for value, bitmap in by_value.items():
                blobs.append(bitmap.serialize())
                header.append([facet, value, len(blobs[-1])])
        size = len(self.live) and int(max(self.live)) + 1
        temporary = path.with_name(path.name + ".tmp.npz")
        np.savez(
            temporary,
            header=np.frombuffer(
                json.dumps({"seq": self.seq, "bitmaps": header}).encode(), np.uint8
            ),
            blob=np.frombuffer(b"".join(blobs), np.uint8),
            year=self.year[:size],
            newest=self.newest[:size],
            boost=self.boost[:size],
            title_key=self.title_key[:size],
            title_words=self.title_words[:size],
            box=self.box[:size],
        )
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> FacetState | None:
        """The state saved at ``path``, or None when there is none or it is unreadable."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                header = json.loads(saved["header"].tobytes())
                blob = saved["blob"].tobytes()
                state = cls()
                state.year, state.newest = saved["year"], saved["newest"]
                state.boost, state.title_key = saved["boost"], saved["title_key"]
                state.title_words = saved["title_words"]
                state.box = saved["box"]
        except (OSError, ValueError, KeyError):
            return None
        offset = 0
        for facet, value, length in header["bitmaps"]:
            bitmap = BitMap.deserialize(blob[offset : offset + length])
            offset += length
            if facet:
                state.values.setdefault(facet, {})[value] = bitmap
            else:
                state.live = bitmap
        state.seq = int(header["seq"])
        return state

    # -- filtering -----------------------------------------------------------------------

    def filters(self, query: SearchQuery) -> dict[str, BitMap]:
        """One bitmap per constrained facet (the year facet also holds the year range)."""
        found: dict[str, BitMap] = {}
        for facet in FACETS:
            chosen = query.selected(facet)
            if chosen:
                by_value = self.values.get(facet, {})
                found[facet] = BitMap.union(BitMap(), *(by_value.get(v, BitMap()) for v in chosen))
        if query.year_from is not None or query.year_to is not None:
            ranged = self._year_range(query.year_from, query.year_to)
            found["year"] = found["year"] & ranged if "year" in found else ranged
        if query.bbox is not None:
            found["bbox"] = self._in_box(query.bbox)
        return found

    def _year_range(self, start: int | None, end: int | None) -> BitMap:
        low, high = start if start is not None else -1, end if end is not None else 10_000
        years = self.values.get("year", {})
        matching = [bitmap for value, bitmap in years.items() if low <= int(value) <= high]
        return BitMap.union(BitMap(), *matching)

    def _in_box(self, box: BoundingBox) -> BitMap:
        west, south, east, north = (self.box[:, k] for k in range(4))
        with np.errstate(invalid="ignore"):
            lat = (south <= box.north) & (north >= box.south)
            if box.west <= box.east:
                lon = (west <= box.east) & (east >= box.west)
            else:  # the box crosses the antimeridian
                lon = (west <= box.east) | (east >= box.west)
        return bitmap_of(np.flatnonzero(lat & lon)) & self.live

    # -- counting ------------------------------------------------------------------------

    def counts(
        self, matched: BitMap, filters: Mapping[str, BitMap], query: SearchQuery
    ) -> dict[str, list[FacetCount]]:
        """Every facet's counts; a facet's own selection does not narrow its own counts."""
        everything = _intersect(matched, filters.values())
        result: dict[str, list[FacetCount]] = {}
        for facet in FACETS:
            base = everything
            if facet in filters:
                base = _intersect(matched, (f for name, f in filters.items() if name != facet))
            chosen = query.selected(facet)
            by_value = self.values.get(facet, {})
            sizes = _cardinalities(by_value.values(), base)
            shown = [
                FacetCount(value, size, value in chosen)
                for value, size in zip(by_value, sizes, strict=True)
                if size or value in chosen
            ]
            shown += [FacetCount(v, 0, True) for v in chosen if v not in by_value]
            result[facet] = sorted(shown, key=_facet_order(facet))
        return result


def bitmap_of(rowids: npt.NDArray[Any]) -> BitMap:
    """A bitmap of row ids; built from an ``array`` (pyroaring copies its buffer at once),
    several times faster than from a NumPy array, which it reads item by item."""
    return BitMap(array("I", rowids.astype(np.uint32).tobytes()))


def _cardinalities(bitmaps: Iterable[BitMap], base: BitMap) -> list[int]:
    """How many rows of ``base`` each bitmap holds (none at all when ``base`` is empty)."""
    if not base:
        return [0 for _ in bitmaps]
    return [bitmap.intersection_cardinality(base) for bitmap in bitmaps]


def _intersect(first: BitMap, others: Iterable[BitMap]) -> BitMap:
    rest = list(others)
    return BitMap.intersection(first, *rest) if rest else first


def _facet_order(facet: str) -> Callable[[FacetCount], tuple[int, str]]:
    if facet == "year":  # newest year first, as a timeline reads
        return lambda c: (-int(c.value), "")
    return lambda c: (-c.count, c.value)
