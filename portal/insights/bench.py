"""``csfinder bench insights``: how long the whole insights answer takes over N records.

Builds the embedded index of N synthetic records (:mod:`harvester.bench.synthetic`, which
carry every dimension insights count: countries, fields, SDGs, statuses, participation,
policy, funders, dates, FAIR indicators; one record in :data:`PAIRED` and the next are one
project listed on two platforms, indexed as the index writes clusters: both listings and the
cluster's own document, :mod:`harvester.index.collapse`) in a temporary data folder, then
times a fixed set of selections, each ``--repeat`` times, with the index's cache turned off
(``CSFINDER_SEARCH_CACHE_MB=0``): the full index, filters alone, a selective query, policy
filters, every listing (``collapse=false``: clusters counted the slower way, in the cluster
space), a rare word and a common one. Three layers are timed for each: the engine's
answer (``SearchIndex.insights``), the JSON API's (``/api/v1/insights``: labels, FAIR
names, sources, serialised) and the page's (``/insights``: every figure drawn, the map
included), the last two through the app in this process. Prints one JSON line with the
machine's load, as the figures depend on it.

Registered under the ``csfinder.bench`` entry point, so the harvester never imports the
portal.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import click

from harvester.bench.search import mix_entries, percentiles
from harvester.bench.synthetic import synthetic_records
from harvester.core.settings import ENV_CONFIG, ENV_HOME, ENV_SEARCH_CACHE_MB, load_settings
from harvester.index.collapse import cluster_document, listing_document, with_cluster
from harvester.index.documents import IndexDocument, document_from_record
from harvester.index.query import SearchQuery, build_query
from harvester.index.sqlite import SqliteIndex
from portal.app import create_app
from portal.bench import HOME_VERSION

Selection = tuple[str, tuple[tuple[str, str], ...]]
FIXED: tuple[Selection, ...] = (
    ("full index", ()),
    ("one filter", (("country", "DE"),)),
    ("selective", (("country", "ES"), ("topic", "1.5"), ("kind", "project"))),
    ("policy filters", (("policy_aims", "true"), ("sdg", "13"), ("for_schools", "true"))),
    ("every listing", (("collapse", "false"),)),
)
"""Selections by filters: a label and the search parameters."""
BUDGET_MS = 300.0
PAIRED = 10
"""Every PAIRED-th record and the next one share a cluster (a fifth of the records)."""
VERSION = f"{HOME_VERSION}d"  # the kept index's: clusters' documents since "2d"


@click.command("insights")
@click.option("--records", "count", default=100_000, show_default=True, help="Records indexed.")
@click.option("--repeat", default=20, show_default=True, help="Timed answers per selection.")
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the index in this folder and reuse it next time (built once per N).",
)
def bench_insights(count: int, repeat: int, keep: Path | None) -> None:
    """Index N synthetic records, then time the insights answer of several selections."""
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-insights-") as folder:
        home = keep / f"insights-{count}-v{VERSION}" if keep else Path(folder)
        built, build_seconds = _build(home, count)
        results = _time_selections(home, repeat)
    load = os.getloadavg()
    output: dict[str, Any] = {
        "benchmark": "insights",
        "backend": "sqlite",
        "records": count,
        "documents": built,
        "build_seconds": round(build_seconds, 1) if build_seconds is not None else "reused",
        "repeat": repeat,
        "cache": "off",
        "budget_ms": BUDGET_MS,
        "selections": results,
        "within_budget": all(
            r["page_ms"]["p95"] <= BUDGET_MS and r["api_ms"]["p95"] <= BUDGET_MS
            for r in results
            if r["label"] != "common word"
        ),
        "machine": {"cpus": os.cpu_count(), "load_1_5_15": [round(x, 2) for x in load]},
    }
    click.echo(json.dumps(output))


def _build(home: Path, count: int) -> tuple[int, float | None]:
    """The index of ``count`` synthetic records in ``home``: built, or reused when a
    complete one is there (its seconds are then None); its documents (listings and the
    clusters' own)."""
    done = home / "BUILT"
    if done.exists():
        return int(done.read_text(encoding="utf-8")), None
    started = time.perf_counter()
    index = SqliteIndex(home / "index")
    built = index.rebuild(clustered(synthetic_records(count)))
    index.close()
    done.write_text(f"{built}\n", encoding="utf-8")
    return built, time.perf_counter() - started


def clustered(records: Iterable[dict[str, Any]]) -> Iterator[IndexDocument]:
    """The records' documents, every :data:`PAIRED`-th one and the next in a cluster of two
    (their listings' documents and the cluster's)."""
    first: dict[str, Any] | None = None
    for n, record in enumerate(records):
        cluster_id = f"cl-bench-{n - n % PAIRED}"
        if n % PAIRED == 0:
            first = record
        elif n % PAIRED == 1 and first is not None:
            yield listing_document(first, cluster_id, [record])
            yield listing_document(record, cluster_id, [first])
            yield cluster_document(cluster_id, first, [record])
            first = None
        else:
            yield with_cluster(document_from_record(record), f"cl-bench-{n}")
    if first is not None:  # a last record without its pair
        yield with_cluster(document_from_record(first), f"cl-bench-{n}")


def selection_query(pairs: tuple[tuple[str, str], ...]) -> SearchQuery:
    """The query of a selection's parameters (text, filters, ``collapse``)."""
    named = dict(pairs)
    filters = [(k, v) for k, v in pairs if k not in ("q", "collapse")]
    return build_query(named.get("q", ""), filters, collapse=named.get("collapse") != "false")


def _time_selections(home: Path, repeat: int) -> list[dict[str, Any]]:
    """Each selection's totals and latencies (engine, API, page), the cache off."""
    settings = load_settings(
        {ENV_HOME: str(home), ENV_CONFIG: str(home / "config"), ENV_SEARCH_CACHE_MB: "0"}
    )
    app = create_app(settings, TESTING=True)
    client = app.test_client()
    index = app.extensions["csfinder"].index
    results = []
    for label, pairs in selections():
        query = selection_query(pairs)
        answer = index.insights(query)  # warms the facet state (loaded once per process)
        encoded = urlencode(pairs)
        api = f"/api/v1/insights?{encoded}"
        page = f"/insights?{encoded}"
        for path in (api, page):
            status = client.get(path).status_code
            if status != 200:
                raise click.ClickException(f"{path} answered {status}")
        results.append(
            {
                "label": label,
                "parameters": encoded,
                "total": answer.total,
                "records": answer.records,
                "engine_ms": _timed(partial(index.insights, query), repeat),
                "api_ms": _timed(partial(client.get, api), repeat),
                "page_ms": _timed(partial(client.get, page), repeat),
            }
        )
    return results


def selections() -> list[Selection]:
    """The fixed selections, then a rare and a common word of the search benchmark's mix
    (drawn from the same corpus as the records' text)."""
    words = {entry.label.split("/")[0]: entry.text for entry in mix_entries(8)}
    return [
        *FIXED,
        ("rare word", (("q", words["rare"]),)),
        ("common word", (("q", words["common"]),)),
    ]


def _timed(work: Callable[[], object], repeat: int) -> dict[str, float]:
    """Percentiles of ``repeat`` runs of ``work``, in milliseconds."""
    latencies = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        latencies.append((time.perf_counter() - started) * 1000)
    return percentiles(latencies)
