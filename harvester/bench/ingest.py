"""``csfinder bench ingest``: the whole ingest path against bare Sickle, in one run.

Serves N synthetic records from a local OAI-PMH endpoint (its own process), then, each in
a fresh child process, times bare Sickle iterating over the list and a full ingest of the
same list: harvest, normalise and index into the embedded SQLite FTS5 index, in a new
temporary ``CSFINDER_HOME``, by the code path ``csfinder harvest`` takes. Afterwards it
checks (in a process of its own, so that reading the index is not counted as the
harvest's memory) that the index holds one searchable document per live record, and prints
one JSON line: rates and their ratio, processor seconds of each side (the ingest's with its
normalising workers) and their ratio, which other work on the machine disturbs less, and
the peak memory of the harvesting process, of each of its workers, and their sum.

With ``--embed`` the ingest runs a second time, into another fresh home, with the worker
that computes multilingual vectors beside it (as ``csfinder harvest`` starts it): its rate
against the first ingest's, how many records had vectors when the harvest ended, and how
long the worker then took to finish the backlog.

The ingest phase imports the pipeline inside its function: it runs in a child process of
its own, and the Sickle phase's process must not carry csfinder's modules.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from typing import Any

import click

from harvester.bench.harvest import _in_child, _sickle_phase, bench_source, synthetic_endpoint
from harvester.bench.ingest_memory import ChildPeaks, high_water_mb


@click.command("ingest")
@click.option("--records", "count", default=100_000, show_default=True, help="Records to serve.")
@click.option("--page-size", default=100, show_default=True, help="Records per page.")
@click.option(
    "--deleted-every",
    default=97,
    show_default=True,
    help="One served record in this many is a deletion notice (0 for none).",
)
@click.option(
    "--embed", is_flag=True, help="Ingest again with the worker computing vectors beside it."
)
def bench_ingest(count: int, page_size: int, deleted_every: int, embed: bool) -> None:
    """Bare Sickle against harvest + normalise + index of the same synthetic endpoint."""
    with synthetic_endpoint(count, page_size, deleted_every) as url:
        sickle = _in_child(_sickle_phase, url)
        ingest = _ingest_and_check(url)
        embedding = _ingest_and_check(url, "embed") if embed else None
    sickle_rate = sickle["records"] / sickle["seconds"]
    ingest_rate = ingest["records"] / ingest["seconds"]
    result: dict[str, Any] = {
        "benchmark": "ingest",
        "records": count,
        "page_size": page_size,
        "sickle_records": sickle["records"],
        "sickle_seconds": round(sickle["seconds"], 3),
        "sickle_rate": round(sickle_rate, 1),
        "sickle_peak_rss_mb": sickle["peak_rss_mb"],
        "sickle_cpu_seconds": sickle["cpu_seconds"],
        "ingest_records": ingest["records"],
        "ingest_seconds": round(ingest["seconds"], 3),
        "ingest_rate": round(ingest_rate, 1),
        "ingest_cpu_seconds": ingest["cpu_seconds"],
        "ingest_harvesting_cpu_seconds": ingest["harvest_cpu_seconds"],
        "ingest_workers_cpu_seconds": ingest["workers_cpu_seconds"],
        "ingest_peak_rss_mb": ingest["harvest_peak_rss_mb"],
        "ingest_workers_peak_rss_mb": ingest["workers_peak_rss_mb"],
        "ingest_other_children_peak_rss_mb": ingest["other_children_peak_rss_mb"],
        "ingest_total_peak_rss_mb": round(
            ingest["harvest_peak_rss_mb"]
            + sum(ingest["workers_peak_rss_mb"])
            + sum(ingest["other_children_peak_rss_mb"].values()),
            1,
        ),
        "check_peak_rss_mb": ingest["check_peak_rss_mb"],
        "ingest_run_status": ingest["run_status"],
        "ratio": round(ingest_rate / sickle_rate, 3),
        # Processor time per record against Sickle's (the client side of each, the
        # provider not counted): the figure that a busy machine disturbs least.
        "cpu_ratio": round(sickle["cpu_seconds"] / max(ingest["cpu_seconds"], 0.01), 3),
        "deleted_records": ingest["deleted"],
        "normalised_records": ingest["normalised"],
        "index_documents": ingest["index_documents"],
        "search_hits": ingest["search_hits"],
    }
    problems = _problems(count, result)
    if embedding is not None:
        rate = embedding["records"] / embedding["seconds"]
        result["with_embed_worker"] = {
            "ingest_seconds": round(embedding["seconds"], 3),
            "ingest_rate": round(rate, 1),
            "rate_vs_without": round(rate / ingest_rate, 3),
            "ingest_cpu_seconds": embedding["cpu_seconds"],
            "run_status": embedding["run_status"],
            "vectors_when_harvest_ended": embedding["vectors_at_end"],
            "backlog_when_harvest_ended": embedding["backlog_at_end"],
            "finish_seconds": round(embedding["finish_seconds"], 1),
            "vectors_after_finish": embedding["vectors_after"],
        }
        if embedding["vectors_after"] != result["normalised_records"]:
            problems.append(f"{embedding['vectors_after']} records got vectors")
    result["status"] = "ok" if not problems else "; ".join(problems)
    click.echo(json.dumps(result))


def _problems(count: int, result: dict[str, Any]) -> list[str]:
    """What is wrong with an ingest: records lost, or the index out of step with the store."""
    live = result["ingest_records"] - result["deleted_records"]
    checks = [
        (result["ingest_run_status"] == "succeeded", f"run {result['ingest_run_status']}"),
        (result["sickle_records"] == count, f"sickle listed {result['sickle_records']}"),
        (result["ingest_records"] == count, f"{result['ingest_records']} records stored"),
        (result["normalised_records"] == live, f"{result['normalised_records']} normalised"),
        (result["index_documents"] == live, f"{result['index_documents']} documents indexed"),
        (result["search_hits"] == live, f"a search finds {result['search_hits']}"),
    ]
    expected = f"(expected {count} records, {live} live)"
    return [f"{problem} {expected}" for ok, problem in checks if not ok]


def _ingest_and_check(url: str, embed: str = "") -> dict[str, Any]:
    """An ingest into a fresh home, then what it left there, each in a child process."""
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-ingest-") as home:
        ingest = _in_child(_ingest_phase, url, home, embed)
        check = _in_child(_check_phase, home)
    return {**ingest, **check, "check_peak_rss_mb": check["peak_rss_mb"]} | {
        "peak_rss_mb": ingest["peak_rss_mb"],
        "cpu_seconds": ingest["cpu_seconds"],
    }


def _ingest_phase(url: str, home: str, embed: str = "") -> dict[str, Any]:
    """Harvest ``url`` as ``csfinder harvest`` does, into a fresh ``CSFINDER_HOME`` (with
    ``embed`` non-empty, the worker computing vectors beside it, then finishing the
    backlog); the peak memory of this process and of each of its children."""
    from harvester.core.settings import ENV_HOME, load_settings
    from harvester.index.service import open_index
    from harvester.pipeline.embedding import EmbedWorker
    from harvester.pipeline.harvest import harvest_source
    from harvester.store import Store

    before = resource.getrusage(resource.RUSAGE_SELF)
    settings = load_settings({**os.environ, ENV_HOME: home})
    store = Store(settings.database_url, error_samples=settings.harvest.error_samples)
    index = open_index(settings, with_encoder=False)
    worker = EmbedWorker(settings) if embed else None
    with ChildPeaks() as children:
        if worker is not None:
            worker.start()
        started = time.perf_counter()
        run = harvest_source(bench_source(url), store, settings.harvest, index=index)
        seconds = time.perf_counter() - started
        own = resource.getrusage(resource.RUSAGE_SELF)
        embedded: dict[str, Any] = {}
        if worker is not None:
            live = [row.id for row in store.iter_normalised()]
            embedded["vectors_at_end"] = len(store.stored_vectors(live))
            embedded["backlog_at_end"] = store.backlog_size()
            finishing = time.perf_counter()
            worker.finish()
            embedded["finish_seconds"] = time.perf_counter() - finishing
            embedded["vectors_after"] = len(store.stored_vectors(live))
    roles = children.by_role()
    workers = roles.pop("worker", [])
    return {
        "seconds": seconds,
        "run_status": run.status,
        "harvest_peak_rss_mb": round(high_water_mb(), 1),
        "harvest_cpu_seconds": round(
            own.ru_utime + own.ru_stime - before.ru_utime - before.ru_stime, 2
        ),
        "workers_peak_rss_mb": [w.peak_mb for w in workers],
        "workers_cpu_seconds": [w.cpu_seconds for w in workers],
        "other_children_peak_rss_mb": {
            role: sum(c.peak_mb for c in found) for role, found in roles.items()
        },
        **embedded,
    }


def _check_phase(home: str) -> dict[str, Any]:
    """What the ingest into ``home`` left: records stored and deleted, normalised records,
    index documents, and how many a search finds."""
    from harvester.core.settings import ENV_HOME, load_settings
    from harvester.index.query import build_query
    from harvester.index.service import open_index
    from harvester.store import Store

    settings = load_settings({**os.environ, ENV_HOME: home})
    store = Store(settings.database_url, error_samples=settings.harvest.error_samples)
    index = open_index(settings, with_encoder=False)
    stored = store.record_counts("bench").get("bench", {})
    # Every synthetic record names the same publisher: a phrase search finds them all.
    hits = index.search(build_query('"synthetic data portal"', [("source", "bench")])).total
    return {
        "records": stored.get("records", 0),
        "deleted": stored.get("deleted", 0),
        "normalised": store.normalised_counts().get("bench", 0),
        "index_documents": index.count(),
        "search_hits": hits,
    }
