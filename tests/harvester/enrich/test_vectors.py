"""Draining the vector backlog with the real encoder: vectors into the store and the index,
unchanged texts not encoded again but handed to the index again, gone records dropped."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from harvester.enrich.encoders import load_encoder
from harvester.enrich.vectors import VectorItem, as_matrix, drain, quantise, versions_of
from harvester.store import NormalisedRow, Store
from tests.harvester.index.corpus import corpus_records


def row(record: dict[str, Any], deleted: bool = False) -> NormalisedRow:
    document = json.dumps(record, ensure_ascii=False)
    digest = hashlib.sha256(document.encode()).hexdigest()
    key = str(record["id"]).split(":", 1)[1]
    return NormalisedRow("contract", key, record["id"], "project", document, digest, 50, deleted)


def test_draining_computes_each_language_version_once(store: Store) -> None:
    encoder = load_encoder("use")
    assert encoder is not None
    records = corpus_records()
    store.write_normalised([row(r) for r in records])
    received: list[VectorItem] = []

    def sink(items: Sequence[VectorItem]) -> None:
        received.extend(items)

    first = drain(store, encoder, sink, batch=5)
    assert (first.records, first.unchanged, first.gone) == (len(records), 0, 0)
    assert store.backlog_size() == 0
    bilingual = next(r for r in records if r["title"] == "Garden bird counts 2012-2020")
    kept = store.stored_vectors([bilingual["id"]])[bilingual["id"]]
    assert len(kept.languages) == len(versions_of(bilingual)) >= 1
    assert as_matrix(kept).shape == (len(kept.languages), encoder.dims)
    assert {item[0] for item in received} == {r["id"] for r in records}

    edited = {**records[0], "end_date": "2030-01-01"}  # the text is the same
    store.write_normalised([row(edited), row(records[1], deleted=True)])
    received.clear()
    second = drain(store, encoder, sink)
    assert (second.records, second.unchanged, second.versions) == (0, 1, 0)
    assert [item[0] for item in received] == [records[0]["id"]]  # handed to the index again
    assert store.backlog_size() == 0


def test_vectors_of_translations_lie_close_and_unrelated_texts_do_not() -> None:
    encoder = load_encoder("use")
    assert encoder is not None
    water, agua, birds = encoder.passages(["water quality", "calidad del agua", "bird counting"])
    assert float(water @ agua) > 0.8 > 0.3 > float(water @ birds)
    assert np.allclose(np.linalg.norm(quantise(np.stack([water])) / 127.0), 1.0, atol=0.02)
