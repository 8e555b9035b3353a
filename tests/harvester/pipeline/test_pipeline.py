"""The overlapped harvest: prefetching pages, normalising in a worker process, indexing in
a thread, and the store still consistent page by page."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from harvester.core.settings import HarvestSettings
from harvester.fetch.prefetch import prefetched
from harvester.index.sqlite.backend import SqliteIndex
from harvester.pipeline.harvest import HarvestRequest, harvest_source, page_ingest, protocol_adapter
from harvester.pipeline.renormalise import normalise_source
from harvester.pipeline.run import HarvestRun, Progress
from harvester.sample_provider import OAIProvider, RunningServer, SyntheticRepository
from harvester.store import FAILED, SUCCEEDED, Store
from tests.support.harvesting import harvest_run, oai_source
from tests.support.misbehaving import Misbehaving
from tests.support.servers import server_factory

__all__ = ["server_factory"]

RECORDS = 240
PAGE = 20


def test_prefetched_keeps_order_then_raises_the_readers_error() -> None:
    def items() -> Iterator[int]:
        yield from range(5)
        raise ValueError("page 6 is broken")

    seen: list[int] = []

    def read_all() -> None:
        seen.extend(prefetched(items(), depth=2))

    with pytest.raises(ValueError, match="page 6 is broken"):
        read_all()
    assert seen == [0, 1, 2, 3, 4]


def test_closing_prefetched_stops_its_thread() -> None:
    produced: list[int] = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            produced.append(number)
            yield number
            number += 1

    before = threading.active_count()
    reader = prefetched(endless(), depth=2)
    assert next(reader) == 0
    reader.close()
    assert threading.active_count() == before
    assert len(produced) <= 5, "read ahead at most depth pages"


@pytest.fixture
def parallel(fast_settings: HarvestSettings) -> HarvestSettings:
    """Settings that start the normalising worker at once."""
    return replace(fast_settings, normalise_workers=1, parallel_after=0)


def test_parallel_harvest_stores_normalises_and_indexes_every_record(
    server_factory: Callable[..., RunningServer],
    store: Store,
    parallel: HarvestSettings,
    tmp_path: Path,
) -> None:
    repository = SyntheticRepository(RECORDS, sets=2)
    server = server_factory(OAIProvider(repository, page_size=PAGE))
    source = oai_source("synthetic", server.url)
    index = SqliteIndex(tmp_path / "index")
    deleted = sum(1 for r in repository.slice(None, None, None, 0, RECORDS) if r.deleted)

    run = harvest_source(source, store, parallel, index=index)

    assert run.status == SUCCEEDED
    assert run.counts.added == RECORDS - deleted and run.counts.deleted == deleted
    assert store.record_counts("synthetic")["synthetic"] == {"records": RECORDS, "deleted": deleted}
    assert store.normalised_counts() == {"synthetic": RECORDS - deleted}
    assert index.count() == RECORDS - deleted
    # What the worker stored is what normalising the stored raw records gives now.
    again = normalise_source(store, source)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == RECORDS

    # Listed again, nothing changed: nothing is normalised or indexed again.
    rerun = harvest_source(source, store, parallel, HarvestRequest(full=True), index=index)
    assert rerun.counts.unchanged == RECORDS and rerun.counts.added == 0
    assert index.count() == RECORDS - deleted


def test_parallel_harvest_that_fails_keeps_the_pages_listed_before(
    server_factory: Callable[..., RunningServer],
    store: Store,
    parallel: HarvestSettings,
    tmp_path: Path,
) -> None:
    repository = SyntheticRepository(RECORDS, sets=1, deleted_every=0)
    broken = Misbehaving(
        OAIProvider(repository, page_size=PAGE), "truncated_xml", start=4, times=None
    )
    source = oai_source("synthetic", server_factory(broken).url)
    index = SqliteIndex(tmp_path / "index")

    run = harvest_run(source, store, replace(parallel, max_retries=0))

    assert run.status == FAILED
    assert run.counts.seen == 3 * PAGE, "pages 1-3 stored, in order, before the failure"
    assert run.checkpoint.token is not None
    assert store.normalised_counts() == {"synthetic": 3 * PAGE}
    fixed = oai_source("synthetic", server_factory(OAIProvider(repository, page_size=PAGE)).url)
    resumed = harvest_source(fixed, store, parallel, index=index)
    assert resumed.status == SUCCEEDED and resumed.resumed_run_id == run.id
    assert resumed.counts.added == RECORDS - 3 * PAGE
    assert store.normalised_counts() == {"synthetic": RECORDS}


def test_worker_index_documents_equal_those_made_from_the_stored_json() -> None:
    from datetime import UTC, datetime

    from harvester.bench.harvest import datacite_examples, synthetic_oai_dc
    from harvester.index.documents import document_from_json, document_from_record
    from harvester.normalise.service import Normaliser

    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    examples = datacite_examples(40)
    inputs = [("oai_dc", synthetic_oai_dc(60))]
    if not isinstance(examples, str):
        inputs.append(("datacite", examples))
    for crosswalk, raws in inputs:
        source = oai_source("bench", "http://127.0.0.1/oai")
        normaliser = Normaliser(source.model_copy(update={"crosswalk": crosswalk}))
        for raw in raws:
            row, record = normaliser.row_and_record(raw, at)
            assert record is not None
            assert row == normaliser.row(raw, at)
            made = document_from_record(record.model_dump(mode="json"))
            assert made == document_from_json(row.document)


def test_after_a_run_that_died_the_next_run_sends_the_index_what_it_missed(
    server_factory: Callable[..., RunningServer],
    store: Store,
    fast_settings: HarvestSettings,
    tmp_path: Path,
) -> None:
    repository = SyntheticRepository(RECORDS, sets=1)
    source = oai_source("synthetic", server_factory(OAIProvider(repository, page_size=PAGE)).url)
    # A run stores every page but its index never gets them (as when the process is
    # killed with pages still queued for the index thread), and it ends failed.
    died = harvest_source(source, store, fast_settings, index=None)
    store.finish_run(died.id, FAILED, "killed")
    index = SqliteIndex(tmp_path / "index")
    live = store.normalised_counts()["synthetic"]

    # Listed again, every record is unchanged in the store, yet the index gets them all.
    run = harvest_source(source, store, fast_settings, HarvestRequest(full=True), index=index)

    assert run.status == SUCCEEDED and run.counts.unchanged == RECORDS
    assert index.count() == live


@pytest.mark.parametrize(
    ("parallel_after", "from_first_page"), [(RECORDS - 1, True), (RECORDS, False)]
)
def test_a_list_announced_larger_than_parallel_after_goes_to_the_worker_from_its_first_page(
    server_factory: Callable[..., RunningServer],
    store: Store,
    fast_settings: HarvestSettings,
    tmp_path: Path,
    parallel_after: int,
    from_first_page: bool,
) -> None:
    # The provider announces RECORDS in its resumption tokens (completeListSize).
    repository = SyntheticRepository(RECORDS, sets=1, deleted_every=0)
    source = oai_source("synthetic", server_factory(OAIProvider(repository, page_size=PAGE)).url)
    settings = replace(fast_settings, normalise_workers=1, parallel_after=parallel_after)
    ingest, _notice = page_ingest(source, store, settings, SqliteIndex(tmp_path / "index"))
    assert ingest is not None
    parallel_when_stored: list[bool] = []

    def stored(_progress: Progress) -> None:
        parallel_when_stored.append(ingest.parallel)

    run = HarvestRun(protocol_adapter(source, store, settings), stored, ingest).run()

    assert run.status == SUCCEEDED
    assert parallel_when_stored == [from_first_page] * (RECORDS // PAGE)
    assert store.normalised_counts() == {"synthetic": RECORDS}
