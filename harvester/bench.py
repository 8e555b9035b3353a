"""``csfinder bench``: measured figures, never timed tests.

``csfinder bench harvest --records N`` serves N synthetic records from a local OAI-PMH
endpoint (its own process), then, each in a fresh child process, times bare Sickle
iterating over the list and a full csfinder harvest into a new store, and prints one
JSON line with both rates, their ratio and each phase's peak memory.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import click

from harvester.settings import HarvestSettings


@click.group()
def bench() -> None:
    """Benchmarks that print JSON figures."""


@bench.command("harvest")
@click.option("--records", "count", default=100_000, show_default=True, help="Records to serve.")
@click.option("--page-size", default=100, show_default=True, help="Records per OAI page.")
def bench_harvest(count: int, page_size: int) -> None:
    """Bare Sickle against a full csfinder harvest of the same synthetic endpoint."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harvester.sample_provider",
            "--synthetic",
            str(count),
            "--port",
            "0",
            "--page-size",
            str(page_size),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http"):
            raise click.ClickException(f"the synthetic provider did not start (said {url!r})")
        sickle = _in_child(_sickle_phase, url)
        with tempfile.TemporaryDirectory(prefix="csfinder-bench-") as folder:
            ours = _in_child(_csfinder_phase, url, folder)
    finally:
        server.terminate()
        server.wait(timeout=10)
    result = {
        "benchmark": "harvest",
        "records": count,
        "page_size": page_size,
        "sickle_records": sickle["records"],
        "sickle_seconds": round(sickle["seconds"], 3),
        "sickle_rate": round(sickle["records"] / sickle["seconds"], 1),
        "sickle_peak_rss_mb": sickle["peak_rss_mb"],
        "csfinder_records": ours["records"],
        "csfinder_seconds": round(ours["seconds"], 3),
        "csfinder_rate": round(ours["records"] / ours["seconds"], 1),
        "csfinder_peak_rss_mb": ours["peak_rss_mb"],
        "csfinder_run_status": ours["status"],
    }
    result["ratio"] = round(result["csfinder_rate"] / result["sickle_rate"], 3)
    click.echo(json.dumps(result))


def _in_child(phase: Callable[..., dict[str, Any]], *args: str) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue: Queue[dict[str, Any]] = context.Queue()
    process = context.Process(target=_run_phase, args=(queue, phase, *args))
    process.start()
    result = queue.get()
    process.join()
    if "error" in result:
        raise click.ClickException(f"{phase.__name__}: {result['error']}")
    return result


def _run_phase(
    queue: Queue[dict[str, Any]], phase: Callable[..., dict[str, Any]], *args: str
) -> None:
    try:
        result = phase(*args)
    except Exception as exc:  # reported to the parent, which fails cleanly
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    queue.put(result)


def _sickle_phase(url: str) -> dict[str, Any]:
    from sickle import Sickle

    started = time.perf_counter()
    records = sum(1 for _ in Sickle(url, timeout=60).ListRecords(metadataPrefix="oai_dc"))
    return {"records": records, "seconds": time.perf_counter() - started}


def _csfinder_phase(url: str, folder: str) -> dict[str, Any]:
    from harvester.harvest import harvest_source
    from harvester.settings import default_database_url
    from harvester.sources import SourceConfig
    from harvester.store import Store

    store = Store(default_database_url(Path(folder)))
    source = SourceConfig(
        id="bench",
        name="Synthetic benchmark provider",
        platform="bench",
        protocol="oai-pmh",
        url=url,
        metadata_prefix="oai_dc",
        crosswalk="oai_dc",
    )
    started = time.perf_counter()
    run = harvest_source(source, store, HarvestSettings())
    seconds = time.perf_counter() - started
    stored = store.record_counts("bench").get("bench", {}).get("records", 0)
    return {"records": stored, "seconds": seconds, "status": run.status}
