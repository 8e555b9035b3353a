import os
from collections.abc import Iterator
from datetime import timedelta

import pytest

from harvester.core.records import RawRecord, RecordFailure
from harvester.store import FAILED, RUNNING, SUCCEEDED, Checkpoint, PageWrite, Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store(database_url, error_samples=3)
    yield opened
    opened.close()


def record(identifier: str, payload: str | None = "<dc>a</dc>", **kw: object) -> RawRecord:
    return RawRecord("src", identifier, "2024-01-01", "oai_dc", payload, **kw)  # type: ignore[arg-type]


def start(store: Store) -> int:
    return store.start_run("src", mode="full", from_date=None, pid=os.getpid(), host="here").id


def test_counts_added_updated_unchanged_deleted(store: Store) -> None:
    run = start(store)
    first = store.write_page(run, PageWrite([record("a"), record("b"), record("c")]), None)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    second = store.write_page(
        run,
        PageWrite([record("a"), record("b", "<dc>b2</dc>"), record("c", None, deleted=True)]),
        None,
    )
    assert (second.unchanged, second.updated, second.deleted, second.seen) == (1, 1, 1, 3)
    again = store.write_page(run, PageWrite([record("c", None, deleted=True)]), None)
    assert again.unchanged == 1 and again.deleted == 0
    totals = store.get_run(run)
    assert totals is not None
    assert totals.counts.as_dict() == {
        "seen": 7,
        "added": 3,
        "updated": 1,
        "unchanged": 2,
        "deleted": 1,
        "failed": 0,
    }


def test_unchanged_payload_is_not_rewritten(store: Store) -> None:
    run = start(store)
    store.write_page(run, PageWrite([record("a")]), None)
    before = store.get_record("src", "a")
    store.write_page(run, PageWrite([record("a")]), None)
    after = store.get_record("src", "a")
    assert before is not None and after is not None
    assert after.changed_at == before.changed_at
    assert after.last_seen_at >= before.last_seen_at
    assert after.first_seen_at == before.first_seen_at


def test_deleted_record_keeps_last_payload_and_can_come_back(store: Store) -> None:
    run = start(store)
    store.write_page(run, PageWrite([record("a", "<dc>v1</dc>")]), None)
    store.write_page(run, PageWrite([record("a", None, deleted=True)]), None)
    gone = store.get_record("src", "a")
    assert gone is not None and gone.record.deleted and gone.record.payload == "<dc>v1</dc>"
    back = store.write_page(run, PageWrite([record("a", "<dc>v1</dc>")]), None)
    assert back.updated == 1
    assert store.get_record("src", "a").record.deleted is False  # type: ignore[union-attr]


def test_record_in_two_sets_is_stored_once(store: Store) -> None:
    run = start(store)
    store.write_page(run, PageWrite([record("a", sets=("x",))]), None)
    counts = store.write_page(run, PageWrite([record("a", sets=("x", "y"))]), None)
    assert counts.unchanged == 1
    assert store.record_counts() == {"src": {"records": 1, "deleted": 0}}
    assert store.get_record("src", "a").record.sets == ("x", "y")  # type: ignore[union-attr]


def test_duplicate_identifier_within_one_page(store: Store) -> None:
    run = start(store)
    counts = store.write_page(run, PageWrite([record("a"), record("a", "<dc>z</dc>")]), None)
    assert (counts.added, counts.updated) == (1, 1)
    assert store.get_record("src", "a").record.payload == "<dc>z</dc>"  # type: ignore[union-attr]


def test_failures_are_counted_and_sampled_up_to_the_cap(store: Store) -> None:
    run = start(store)
    failures = [RecordFailure(f"id{i}", f"reason {i}") for i in range(5)]
    counts = store.write_page(run, PageWrite([record("a")], failures), None)
    assert counts.failed == 5 and counts.seen == 6
    samples = store.error_samples(run)
    assert [s.reason for s in samples] == ["reason 0", "reason 1", "reason 2"]


def test_checkpoint_is_written_with_the_page(store: Store) -> None:
    run = start(store)
    store.write_page(run, PageWrite([record("a")]), Checkpoint(1, "birds", "token-2"))
    saved = store.get_run(run)
    assert saved is not None
    assert saved.checkpoint == Checkpoint(1, "birds", "token-2")
    assert saved.status == RUNNING


def test_runs_lifecycle_and_queries(store: Store) -> None:
    first = start(store)
    store.finish_run(first, SUCCEEDED)
    second = start(store)
    store.finish_run(second, FAILED, "boom")
    assert [r.id for r in store.runs("src")] == [second, first]
    last_ok = store.last_successful_run("src")
    assert last_ok is not None and last_ok.id == first
    failed = store.get_run(second)
    assert failed is not None and failed.error == "boom" and failed.ended_at is not None
    assert failed.as_dict()["status"] == "failed"
    assert store.last_successes() == {"src": last_ok.ended_at}  # the failed run is later
    assert last_ok.ended_at is not None and last_ok.ended_at.tzinfo is not None


def test_resumed_run_inherits_checkpoint(store: Store) -> None:
    first = start(store)
    store.write_page(first, PageWrite([record("a")]), Checkpoint(0, None, "t1"))
    store.update_run(first, response_date="2026-01-01T00:00:00Z", from_date="2025-12-01")
    old = store.finish_run(first, FAILED, "killed")
    new = store.start_run(
        "src", mode=old.mode, from_date=old.from_date, pid=1, host="h", resumed=old
    )
    assert new.checkpoint.token == "t1"
    assert new.resumed_run_id == first
    assert new.response_date == "2026-01-01T00:00:00Z"
    assert new.from_date == "2025-12-01"


def test_iter_records_streams_in_batches(store: Store) -> None:
    run = start(store)
    store.write_page(run, PageWrite([record(f"r{i:03}") for i in range(25)]), None)
    store.write_page(run, PageWrite([record("r000", None, deleted=True)]), None)
    seen = [s.record.identifier for s in store.iter_records("src", batch=4)]
    assert seen == [f"r{i:03}" for i in range(25)]
    live = [s.record.identifier for s in store.iter_records("src", include_deleted=False, batch=4)]
    assert live == [f"r{i:03}" for i in range(1, 25)]


def test_page_larger_than_one_lookup_chunk(store: Store) -> None:
    run = start(store)
    page = [record(f"r{i:05}") for i in range(1_234)]
    assert store.write_page(run, PageWrite(page), None).added == 1_234
    assert store.write_page(run, PageWrite(page), None).unchanged == 1_234


def test_times_come_back_in_utc_whatever_the_sessions_timezone(database_url: str) -> None:
    if database_url.startswith("postgresql"):
        database_url += "?options=-ctimezone%3DEurope/Berlin"
    opened = Store(database_url)
    try:
        run = opened.start_run("src", mode="full", from_date=None, pid=1, host="here")
        stored = opened.get_run(run.id)
        assert stored is not None
        assert stored.started_at.utcoffset() == timedelta(0)
        assert stored.as_dict()["started_at"].endswith("+00:00")
    finally:
        opened.close()
