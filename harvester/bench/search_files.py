"""The synthetic records and vectors ``csfinder bench search`` builds its index from, kept
in files while it builds: generated once (untimed), then read back one at a time, so the
build holds a batch rather than every record (about 1.5 GB of JSON at a million) and
every vector in memory, as ``csfinder reindex`` reading the store would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from harvester.bench.synthetic_vectors import record_vectors
from harvester.enrich.encoders import Encoder
from harvester.index.base import VectorItem

VECTOR_CHUNK = 20_000  # records whose vectors are computed and written at once


class BenchFiles:
    """The records (one stored JSON document a line) and their vectors (signed bytes, with
    a line of id, languages and shape each) in ``folder``."""

    def __init__(self, folder: Path) -> None:
        """Keep the files in ``folder`` (which must exist)."""
        self.records = folder / "records.jsonl"
        self.vector_data = folder / "vectors.bin"
        self.vector_keys = folder / "vectors.jsonl"

    def write_records(self, records: Iterable[dict[str, Any]]) -> int:
        """Write the records as stored JSON; returns how many."""
        written = 0
        with self.records.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record))
                out.write("\n")
                written += 1
        return written

    def stored(self) -> Iterator[str]:
        """Each record's stored JSON, in the order written."""
        with self.records.open(encoding="utf-8") as lines:
            for line in lines:
                yield line.rstrip("\n")

    def write_vectors(self, encoder: Encoder) -> int:
        """Compute every record's vectors (chunk by chunk) and write them; returns how
        many records got vectors."""
        written = 0
        texts = self.stored()
        with self.vector_data.open("wb") as data, self.vector_keys.open("w") as keys:
            while chunk := [json.loads(text) for text in islice(texts, VECTOR_CHUNK)]:
                for record_id, languages, matrix in record_vectors(chunk, encoder):
                    keys.write(json.dumps([record_id, list(languages), *matrix.shape]) + "\n")
                    data.write(matrix.tobytes())
                    written += 1
        return written

    def vectors(self) -> Iterator[VectorItem]:
        """The vectors written, as the index takes them (none when none were written)."""
        if not self.vector_keys.exists():
            return
        with self.vector_data.open("rb") as data, self.vector_keys.open() as keys:
            for line in keys:
                record_id, languages, rows, dims = json.loads(line)
                matrix = np.frombuffer(data.read(rows * dims), dtype=np.int8)
                yield str(record_id), tuple(languages), matrix.reshape(rows, dims)
