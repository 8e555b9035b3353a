"""Prometheus metrics read from a real store after real harvests."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from harvester.core.settings import HarvestSettings
from harvester.fetch.base import HarvestRequest
from harvester.ops.metrics import render_metrics, search_latency
from harvester.sample_provider import RunningServer
from harvester.store import FAILED, Store
from tests.support.harvesting import harvest_run, oai_source


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_count_runs_records_durations_and_leases(
    store: Store, sample_server: RunningServer, fast_settings: HarvestSettings
) -> None:
    source = oai_source("sample", sample_server.url)
    harvest_run(source, store, fast_settings, HarvestRequest(full=True))
    harvest_run(oai_source("dead", "http://127.0.0.1:9/oai"), store, fast_settings)
    store.acquire_lease("sample", "far:1:x", host="far", pid=1, ttl=600.0)
    search_latency.observe(0.02)

    body, content_type = render_metrics(store)

    assert content_type.startswith("text/plain; version=")
    found = samples(body)
    assert found[("csfinder_store_up", ())] == 1
    assert (
        found[("csfinder_harvest_runs_total", (("outcome", "succeeded"), ("source", "sample")))]
        == 1
    )
    assert found[("csfinder_harvest_runs_total", (("outcome", FAILED), ("source", "dead")))] == 1
    assert (
        found[("csfinder_harvested_records_total", (("change", "seen"), ("source", "sample")))]
        == 12
    )
    assert found[("csfinder_source_records", (("source", "sample"), ("state", "live")))] == 11
    assert found[("csfinder_source_records", (("source", "sample"), ("state", "deleted")))] == 1
    assert found[("csfinder_source_normalised_records", (("source", "sample"),))] == 11
    duration = (
        "csfinder_harvest_run_duration_seconds_count",
        (("outcome", "succeeded"), ("source", "sample")),
    )
    assert found[duration] == 1
    assert found[("csfinder_source_lease_held", (("host", "far"), ("source", "sample")))] == 1
    assert ("csfinder_source_last_success_timestamp_seconds", (("source", "sample"),)) in found
    assert found[("csfinder_search_latency_seconds_count", ())] >= 1


class CountingIndex:
    name = "fake"

    def count(self) -> int:
        return 42


class BrokenIndex:
    name = "broken"

    def count(self) -> int:
        raise ConnectionError("index down")


def test_index_size_and_an_unreachable_index_is_reported_not_raised(store: Store) -> None:
    found = samples(render_metrics(store, CountingIndex())[0])  # type: ignore[arg-type]
    assert found[("csfinder_index_documents", ())] == 42
    assert found[("csfinder_index_up", ())] == 1
    found = samples(render_metrics(store, BrokenIndex())[0])  # type: ignore[arg-type]
    assert found[("csfinder_index_up", ())] == 0
