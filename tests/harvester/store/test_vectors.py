"""The vector backlog and the stored vectors, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from harvester.store import NormalisedRow, Store
from harvester.store.vectors import StoredVectors


def row(key: str, text: str = "Water", deleted: bool = False) -> NormalisedRow:
    document = json.dumps({"id": f"s:{key}", "title": text})
    return NormalisedRow("s", key, f"s:{key}", "project", document, f"hash-{text}", 50, deleted)


def vectors(record_id: str, languages: tuple[str, ...] = ("en", "")) -> StoredVectors:
    data = bytes(range(len(languages) * 4))
    return StoredVectors(record_id, "use", "th", languages, 4, data)


def test_written_records_wait_for_vectors_until_they_are_saved(store: Store) -> None:
    store.write_normalised([row("a"), row("b")])
    queued = store.vector_backlog(10)
    assert [(q.record_id, json.loads(q.document or "{}")["title"]) for q in queued] == [
        ("s:a", "Water"),
        ("s:b", "Water"),
    ]
    store.save_vectors([vectors("s:a")], queued[:1])
    assert [q.record_id for q in store.vector_backlog(10)] == ["s:b"]
    kept = store.stored_vectors(["s:a", "s:b"])
    assert set(kept) == {"s:a"}
    assert kept["s:a"].languages == ("en", "") and kept["s:a"].data == bytes(range(8))
    assert [v.record_id for v in store.iter_vectors("use")] == ["s:a"]
    assert list(store.iter_vectors("e5")) == []


def test_a_record_changed_while_its_vectors_were_computed_stays_queued(store: Store) -> None:
    store.write_normalised([row("a")])
    taken = store.vector_backlog(10)
    store.write_normalised([row("a", "Water quality")])  # queued again, later
    store.save_vectors([vectors("s:a")], taken)
    assert [q.record_id for q in store.vector_backlog(10)] == ["s:a"]
    assert store.backlog_size() == 1


def test_unchanged_records_are_not_queued_and_deleted_ones_leave_the_queue(store: Store) -> None:
    store.write_normalised([row("a"), row("b")])
    store.save_vectors([], store.vector_backlog(10))
    store.write_normalised([row("a")])  # unchanged
    assert store.backlog_size() == 0
    store.write_normalised([row("b", "Water quality")])
    store.write_normalised([row("b", "Water quality", deleted=True)])
    assert store.backlog_size() == 0


def test_every_live_record_can_be_queued_again(store: Store) -> None:
    store.write_normalised([row("a"), row("b"), row("c")])
    store.write_normalised([row("c", deleted=True)])
    store.save_vectors([], store.vector_backlog(10))
    assert store.queue_all_vectors() == 2
    assert {q.record_id for q in store.vector_backlog(10)} == {"s:a", "s:b"}


def test_vectors_of_a_record_are_replaced(store: Store) -> None:
    store.write_normalised([row("a")])
    store.save_vectors([vectors("s:a", ("de",))], [])
    store.save_vectors([vectors("s:a", ("en", "fr", ""))], [])
    assert store.stored_vectors(["s:a"])["s:a"].languages == ("en", "fr", "")
