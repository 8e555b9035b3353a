"""How the embedded index names a document's vectors: an ANN key is the document's row id
shifted left by :data:`KEY_BITS`, plus the number of its language version."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

KEY_BITS = 4  # an ANN key is the row id shifted left, plus the version's number
MAX_VERSIONS = 1 << KEY_BITS  # language versions of one document kept (the first 16)

Quantised = npt.NDArray[np.int8]
Keys = npt.NDArray[np.uint64]


def keys_of(rowid: int, count: int) -> Keys:
    """The ANN keys of a document's ``count`` versions."""
    return (np.uint64(rowid) << np.uint64(KEY_BITS)) + np.arange(count, dtype=np.uint64)


def rows_of(keys: Keys) -> npt.NDArray[np.int64]:
    """The row ids of ANN keys."""
    return (np.asarray(keys, dtype=np.uint64) >> np.uint64(KEY_BITS)).astype(np.int64)
