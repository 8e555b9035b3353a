"""Vectors for synthetic records, as the encoder would give them, without encoding a
million texts: each distinct title and sentence of the corpus the records are drawn from
(:func:`harvester.bench.synthetic.corpus_texts`) is encoded once by the real encoder, and a
record's vector is the normalised sum of its title's and its sentences' vectors. Records
then lie where texts about their subjects lie, so an ANN index over them is searched as
it would be over real ones, and the benchmark's queries (encoded at search time) find
neighbours that share their words' meaning.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from harvester.bench.synthetic import SENTENCE, corpus_texts
from harvester.enrich.encoders import Encoder, Matrix
from harvester.enrich.vectors import Quantised, quantise

ENCODE_BATCH = 256


class TextVectors:
    """The encoder's vector of each title and sentence of the synthetic corpus."""

    def __init__(self, encoder: Encoder, folder: Path | None = None) -> None:
        """Read the vectors of the corpus' distinct titles and sentences (about 1,200
        texts) from ``folder`` (default: the temporary folder's ``csfinder-bench``) where
        an earlier run kept them; otherwise each is encoded when first needed."""
        self.encoder = encoder
        titles, sentences = corpus_texts()
        self.texts = list(dict.fromkeys([*titles, *sentences]))
        key = "\x00".join([encoder.name, *self.texts]).encode()
        base = folder or Path(tempfile.gettempdir()) / "csfinder-bench"
        self.kept = base / f"texts-{hashlib.sha256(key).hexdigest()[:16]}.npy"
        self.known: dict[str, Matrix] = {}
        try:
            matrix = np.load(self.kept)
            self.known = {text: matrix[n] for n, text in enumerate(self.texts)}
        except (OSError, ValueError, IndexError):
            pass

    def prepare(self, texts: set[str]) -> None:
        """Encode the texts not known yet, in batches; once every corpus text is known,
        keep them all for the next run."""
        missing = [text for text in texts if text not in self.known]
        for start in range(0, len(missing), ENCODE_BATCH):
            chunk = missing[start : start + ENCODE_BATCH]
            self.known.update(zip(chunk, self.encoder.passages(chunk), strict=True))
        if missing and all(text in self.known for text in self.texts):
            self.kept.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.kept.with_suffix(f".{os.getpid()}.npy")
            np.save(temporary, np.stack([self.known[text] for text in self.texts]))
            os.replace(temporary, self.kept)

    def of(self, text: str) -> Matrix:
        """The vector of a title or sentence (encoded now if the corpus lacks it)."""
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = self.encoder.passages([text])[0]
        return found

    def record(self, record: Mapping[str, Any]) -> Quantised:
        """One vector (one version) of a synthetic record, as signed bytes."""
        parts = [self.of(text) for text in texts_of(record)]
        total = np.sum(parts, axis=0)
        unit = total / (np.linalg.norm(total) or 1.0)
        return quantise(unit[None, :].astype(np.float32))


@cache
def _titles() -> frozenset[str]:
    return frozenset(corpus_texts()[0])


def texts_of(record: Mapping[str, Any]) -> list[str]:
    """The corpus title and sentences a synthetic record was made of."""
    title = str(record.get("title") or "")
    base = title.rsplit(" ", 1)[0]  # the generator may add a word to the corpus title
    found = [title if title in _titles() or base not in _titles() else base]
    return found + [s for s in SENTENCE.split(str(record.get("description") or "")) if s]


def record_vectors(
    records: Sequence[Mapping[str, Any]], encoder: Encoder
) -> Iterator[tuple[str, tuple[str, ...], Quantised]]:
    """(record id, languages, vectors) of each synthetic record, as the index takes them."""
    vectors = TextVectors(encoder)
    if len(vectors.known) < len(vectors.texts):
        needed = {text for record in records for text in texts_of(record)}
        vectors.prepare(needed if len(records) < len(vectors.texts) else set(vectors.texts))
    for record in records:
        languages = tuple(record.get("languages") or ())[:1] or ("",)
        yield str(record["id"]), languages, vectors.record(record)
