"""Prometheus metrics.

Everything about harvesting is read from the store when ``/metrics`` is scraped (a custom
collector), so any number of portal processes report the same, right numbers, whichever
process harvested. Only search latency is measured where it happens: the portal observes
:data:`search_latency` around each search, and :func:`render_metrics` adds it to the page
(across processes when ``PROMETHEUS_MULTIPROC_DIR`` is set, prometheus_client's
multi-process mode for gunicorn and the like).

Mount it in Flask as::

    body, content_type = render_metrics(store, index)
    return Response(body, content_type=content_type)
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from harvester.store import RUN_COUNTS, SUCCEEDED, Store

if TYPE_CHECKING:
    from harvester.index.base import SearchIndex

log = logging.getLogger(__name__)

PROCESS_REGISTRY = CollectorRegistry()
"""Metrics measured in this process (search latency)."""

search_latency = Histogram(
    "csfinder_search_latency_seconds",
    "Time to answer one search, from query to result.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=PROCESS_REGISTRY,
)
"""Observe it around every search: ``with search_latency.time(): index.search(query)``."""

DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0)


class StoreCollector(Collector):
    """Harvesting, record and index figures, read from the store and index at scrape time."""

    def __init__(self, store: Store, index: SearchIndex | None = None) -> None:
        self.store = store
        self.index = index

    def collect(self) -> Iterable[Metric]:
        """Yield every metric; a store or index that cannot answer reports ``up 0``."""
        up = GaugeMetricFamily("csfinder_store_up", "1 when the store answered the scrape.")
        try:
            metrics = list(self._store_metrics())
        except Exception:  # any database failure: reported, never a failed scrape
            log.exception("metrics: the store did not answer")
            metrics = []
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
        yield up
        yield from metrics
        if self.index is not None:
            yield from self._index_metrics(self.index)

    def _store_metrics(self) -> Iterator[Metric]:
        totals = self.store.run_totals()
        runs = CounterMetricFamily(
            "csfinder_harvest_runs",
            "Harvest runs by source and outcome (running, succeeded, failed, stalled).",
            labels=["source", "outcome"],
        )
        records = CounterMetricFamily(
            "csfinder_harvested_records",
            "Records harvested, by source and what they did to the store "
            "(seen, added, updated, unchanged, deleted, failed).",
            labels=["source", "change"],
        )
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for row in totals:
            runs.add_metric([row["source_id"], row["status"]], row["runs"])
            for name in RUN_COUNTS:
                summed[(row["source_id"], name)] += int(row[name] or 0)
        for (source, name), value in sorted(summed.items()):
            records.add_metric([source, name], value)
        yield runs
        yield records
        yield _durations(self.store.run_durations())
        yield from self._source_metrics()

    def _source_metrics(self) -> Iterator[Metric]:
        stored = GaugeMetricFamily(
            "csfinder_source_records",
            "Raw records stored per source, live or deleted at the source.",
            labels=["source", "state"],
        )
        for source, counts in sorted(self.store.record_counts().items()):
            stored.add_metric([source, "live"], counts["records"] - counts["deleted"])
            stored.add_metric([source, "deleted"], counts["deleted"])
        yield stored
        normalised = GaugeMetricFamily(
            "csfinder_source_normalised_records",
            "Live records in the common model per source.",
            labels=["source"],
        )
        for source, count in sorted(self.store.normalised_counts().items()):
            normalised.add_metric([source], count)
        yield normalised
        last = GaugeMetricFamily(
            "csfinder_source_last_run_timestamp_seconds",
            "When the newest run of each source started, labelled with its outcome.",
            labels=["source", "outcome"],
        )
        success = GaugeMetricFamily(
            "csfinder_source_last_success_timestamp_seconds",
            "When the newest successful run of each source ended.",
            labels=["source"],
        )
        for source, run in sorted(self.store.latest_runs().items()):
            last.add_metric([source, run.status], run.started_at.timestamp())
            good = run if run.status == SUCCEEDED else self.store.last_successful_run(source)
            if good is not None and good.ended_at is not None:
                success.add_metric([source], good.ended_at.timestamp())
        yield last
        yield success
        leases = GaugeMetricFamily(
            "csfinder_source_lease_held",
            "1 for each source whose harvest lease is held, by the host holding it.",
            labels=["source", "host"],
        )
        for lease in self.store.leases():
            leases.add_metric([lease.source_id, lease.host], 1)
        yield leases

    @staticmethod
    def _index_metrics(index: SearchIndex) -> Iterator[Metric]:
        up = GaugeMetricFamily("csfinder_index_up", "1 when the search index answered.")
        size = GaugeMetricFamily("csfinder_index_documents", "Documents in the search index.")
        try:
            size.add_metric([], index.count())
        except Exception:  # any backend's failure: reported, never a failed scrape
            log.exception("metrics: the search index did not answer")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield size


def _durations(rows: Sequence[tuple[str, str, float]]) -> Metric:
    family = HistogramMetricFamily(
        "csfinder_harvest_run_duration_seconds",
        "How long finished harvest runs took, by source and outcome.",
        labels=["source", "outcome"],
    )
    grouped: dict[tuple[str, str], list[float]] = defaultdict(list)
    for source, status, seconds in rows:
        grouped[(source, status)].append(max(seconds, 0.0))
    for (source, status), values in sorted(grouped.items()):
        buckets = [
            (_bound(bound), float(sum(1 for v in values if v <= bound)))
            for bound in DURATION_BUCKETS
        ]
        buckets.append(("+Inf", float(len(values))))
        family.add_metric([source, status], buckets, sum(values))
    return family


def _bound(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{value:.1f}"


class _ProcessMetrics(Collector):
    def collect(self) -> Iterable[Metric]:
        return PROCESS_REGISTRY.collect()


def render_metrics(store: Store, index: SearchIndex | None = None) -> tuple[bytes, str]:
    """The Prometheus text exposition of every metric: (body, content type)."""
    registry = CollectorRegistry()
    registry.register(StoreCollector(store, index))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessMetrics())
    return generate_latest(registry), CONTENT_TYPE_LATEST
