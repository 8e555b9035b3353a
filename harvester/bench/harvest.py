"""``csfinder bench``: measured figures, never timed tests.

``csfinder bench harvest --records N`` serves N synthetic records from a local OAI-PMH
endpoint (its own process), then, each in a fresh child process, times bare Sickle
iterating over the list, a csfinder harvest into a new store (``csfinder_*``: the harvest
seam, raw records and runs), and the same harvest normalising each page as it goes
(``with_normalising_*``), and prints one JSON line with the rates, ratios to Sickle and
each phase's peak memory.

Each phase runs in a fresh child process and imports what it measures inside its function,
so that the bare-Sickle phase loads none of csfinder's pipeline and its memory is Sickle's.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import click

from harvester.bench.ingest_memory import high_water_mb
from harvester.core import paths
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig


@click.command("harvest")
@click.option("--records", "count", default=100_000, show_default=True, help="Records to serve.")
@click.option("--page-size", default=100, show_default=True, help="Records per page.")
@click.option(
    "--protocol",
    type=click.Choice(["oai-pmh", "json-api", "sitemap-jsonld", "csv"]),
    default="oai-pmh",
    show_default=True,
    help="Which harvesting path to measure.",
)
def bench_harvest(count: int, page_size: int, protocol: str) -> None:
    """Bare Sickle against a full csfinder harvest of the same synthetic endpoint; or a
    Scrapy crawl (json-api, sitemap-jsonld) of a synthetic loopback API or site; or a CSV
    file of N rows (csv: then a second run, skipped by the file's ETag)."""
    if protocol != "oai-pmh":
        click.echo(json.dumps(_bench_crawl(protocol, count, page_size)))
        return
    with synthetic_endpoint(count, page_size) as url:
        sickle = _in_child(_sickle_phase, url)
        with tempfile.TemporaryDirectory(prefix="csfinder-bench-") as folder:
            ours = _in_child(_csfinder_phase, url, folder, "raw")
        with tempfile.TemporaryDirectory(prefix="csfinder-bench-") as folder:
            full = _in_child(_csfinder_phase, url, folder, "normalised")
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
        "with_normalising_rate": round(full["records"] / full["seconds"], 1),
        "with_normalising_peak_rss_mb": full["peak_rss_mb"],
        "with_normalising_run_status": full["status"],
    }
    result["ratio"] = round(result["csfinder_rate"] / result["sickle_rate"], 3)
    result["with_normalising_ratio"] = round(
        result["with_normalising_rate"] / result["sickle_rate"], 3
    )
    click.echo(json.dumps(result))


@contextmanager
def synthetic_endpoint(count: int, page_size: int, deleted_every: int = 97) -> Iterator[str]:
    """Serve ``count`` synthetic records from a local OAI-PMH endpoint in its own process
    (one in ``deleted_every`` a deletion notice, 0 for none); yield its URL."""
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
            "--deleted-every",
            str(deleted_every),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http"):
            raise click.ClickException(f"the synthetic provider did not start (said {url!r})")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_source(url: str) -> SourceConfig:
    """The source harvesting the synthetic endpoint at ``url`` (oai_dc)."""
    return SourceConfig(
        id="bench",
        name="Synthetic benchmark provider",
        platform="bench",
        protocol="oai-pmh",
        url=url,
        metadata_prefix="oai_dc",
        crosswalk="oai_dc",
    )


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
    before = _cpu_seconds()
    try:
        result = phase(*args)
    except Exception as exc:  # reported to the parent, which fails cleanly
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["peak_rss_mb"] = round(high_water_mb(), 1)
    result["cpu_seconds"] = round(_cpu_seconds() - before, 2)
    queue.put(result)


def _cpu_seconds() -> float:
    """Processor time of this process and of its children that have ended (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _sickle_phase(url: str) -> dict[str, Any]:
    from sickle import Sickle

    started = time.perf_counter()
    records = sum(1 for _ in Sickle(url, timeout=60).ListRecords(metadataPrefix="oai_dc"))
    return {"records": records, "seconds": time.perf_counter() - started}


def _csfinder_phase(url: str, folder: str, mode: str) -> dict[str, Any]:
    from harvester.core.settings import default_database_url
    from harvester.pipeline.harvest import harvest_source
    from harvester.store import Store

    store = Store(default_database_url(Path(folder)))
    source = bench_source(url)
    started = time.perf_counter()
    run = harvest_source(source, store, HarvestSettings(), normalise=mode == "normalised")
    seconds = time.perf_counter() - started
    stored = store.record_counts("bench").get("bench", {}).get("records", 0)
    return {"records": stored, "seconds": seconds, "status": run.status}


def _bench_crawl(protocol: str, count: int, page_size: int) -> dict[str, Any]:
    """Harvest a synthetic API or site served on loopback (raw, then normalising)."""
    from harvester.sample_provider import serve
    from harvester.sample_provider.web import SyntheticCsv, SyntheticJsonApi, SyntheticSite

    if protocol == "json-api":
        app: Any = SyntheticJsonApi(count, page_size)
        path = "/v1/dataset"
    elif protocol == "csv":
        app, path = SyntheticCsv(count), "/inventory.csv"
    else:
        app, path = SyntheticSite(count), "/sitemap.xml"
    result: dict[str, Any] = {"benchmark": "harvest", "protocol": protocol, "records": count}
    with serve(app, host="127.0.0.1", port=0, path=path) as server:
        for mode in ("raw", "normalised"):
            with tempfile.TemporaryDirectory(prefix="csfinder-bench-") as folder:
                phase = _in_child(_crawl_phase, server.url, folder, mode, protocol, str(page_size))
            prefix = "csfinder" if mode == "raw" else "with_normalising"
            result[f"{prefix}_records"] = phase["records"]
            result[f"{prefix}_seconds"] = round(phase["seconds"], 3)
            result[f"{prefix}_rate"] = round(phase["records"] / phase["seconds"], 1)
            result[f"{prefix}_peak_rss_mb"] = phase["peak_rss_mb"]
            result[f"{prefix}_run_status"] = phase["status"]
            if "again_seconds" in phase:
                result[f"{prefix}_unchanged_rerun_seconds"] = round(phase["again_seconds"], 3)
    return result


def _crawl_phase(url: str, folder: str, mode: str, protocol: str, page_size: str) -> dict[str, Any]:
    from harvester.core.settings import default_database_url
    from harvester.pipeline.harvest import harvest_source
    from harvester.store import Store

    store = Store(default_database_url(Path(folder)))
    values: dict[str, Any] = {
        "id": "bench",
        "name": "Synthetic benchmark source",
        "platform": "bench",
        "protocol": protocol,
        "url": url,
        "crosswalk": "gbif" if protocol == "json-api" else "schema_org",
    }
    if protocol == "csv":
        values.update(crosswalk="jrc_citsci", csv={"id_column": "UID"})
    if protocol == "json-api":
        values["json_api"] = {
            "records_path": "results",
            "id_path": "key",
            "datestamp_path": "modified",
            "pagination": {"type": "offset", "limit": int(page_size), "end_path": "endOfRecords"},
        }
    source = SourceConfig.model_validate(values)
    started = time.perf_counter()
    run = harvest_source(source, store, HarvestSettings(), normalise=mode == "normalised")
    seconds = time.perf_counter() - started
    stored = store.record_counts("bench").get("bench", {}).get("records", 0)
    result = {"records": stored, "seconds": seconds, "status": run.status}
    if protocol == "csv":  # the file unchanged: the second run is skipped by its ETag
        started = time.perf_counter()
        harvest_source(source, store, HarvestSettings(), normalise=mode == "normalised")
        result["again_seconds"] = time.perf_counter() - started
    return result


@click.command("normalise")
@click.option(
    "--records", "count", default=20_000, show_default=True, help="Records per crosswalk."
)
def bench_normalise(count: int) -> None:
    """Records per second of each crosswalk on one core: oai_dc with synthetic records,
    datacite with the DataCite kernel-4 examples of ../shared/fixtures repeated (the
    vocabulary tables, built once per process, are built before timing). ``rate`` is by
    the clock, ``cpu_rate`` by this process's processor time (steadier on a shared
    machine)."""
    from harvester.normalise import vocab
    from harvester.normalise.engine import SourceContext, normalise
    from harvester.normalise.service import crosswalk_named

    # Built once per process at first use (about half a second, pycountry's catalogues;
    # as long again for the country boundaries' index, built by the first record with a
    # place and left out of load_tables to spare workers whose records have none its
    # memory): built before timing, so that the rate is what each record costs.
    vocab.load_tables()
    vocab.countries_at(0.0, 0.0)
    context = SourceContext("bench", "Synthetic", "bench", "oai-pmh", "http://127.0.0.1/oai")
    results: dict[str, dict[str, float]] = {}
    skipped: dict[str, str] = {}
    inputs: list[tuple[str, list[Any]]] = [("oai_dc", synthetic_oai_dc(count))]
    datacite = datacite_examples(count)
    if isinstance(datacite, str):
        skipped["datacite"] = datacite
    else:
        inputs.append(("datacite", datacite))
    for name, records in inputs:
        crosswalk = crosswalk_named(name)
        started, cpu_started = time.perf_counter(), time.process_time()
        scores = sum(
            normalise(raw, crosswalk, context, "2026-01-01T00:00:00Z").quality.score
            for raw in records
        )
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        results[name] = {
            "records": len(records),
            "seconds": round(seconds, 3),
            "rate": round(len(records) / seconds, 1),
            "cpu_seconds": round(cpu_seconds, 3),
            "cpu_rate": round(len(records) / cpu_seconds, 1),
            "mean_score": round(scores / len(records), 1),
        }
    output: dict[str, Any] = {"benchmark": "normalise", "crosswalks": results}
    if skipped:
        output["skipped"] = skipped
    click.echo(json.dumps(output))


def synthetic_oai_dc(count: int) -> list[Any]:
    """Raw oai_dc records rendered by the sample provider from synthetic records."""
    from harvester.fetch.oai.client import OAI_NS
    from harvester.fetch.oai.records import read_page
    from harvester.fetch.oai.xml import parse_xml
    from harvester.sample_provider import OAIProvider, SyntheticRepository

    provider = OAIProvider(SyntheticRepository(count, deleted_every=0), page_size=count)
    body = provider.render({"verb": ["ListRecords"], "metadataPrefix": ["oai_dc"]}, "http://x/oai")
    items = list(parse_xml(body).root.iter("{" + OAI_NS + "}record"))
    records, _ = read_page(items, "bench", "oai_dc")
    return records


KERNEL_4_EXAMPLES = paths.SHARED_FIXTURES_DIR / "datacite" / "kernel-4-examples"


def datacite_examples(count: int, folder: Path = KERNEL_4_EXAMPLES) -> list[Any] | str:
    """``count`` raw datacite records: the DataCite kernel-4 examples, repeated in turn;
    a note saying why when the examples are not there."""
    from harvester.core.records import RawRecord
    from harvester.normalise.files import raw_records_from_file
    from harvester.normalise.service import crosswalk_named

    crosswalk = crosswalk_named("datacite")
    examples = [
        item
        for path in sorted(folder.glob("*.xml"))
        for item in raw_records_from_file(path, crosswalk, "bench")
        if isinstance(item, RawRecord)
    ]
    if not examples:
        return f"no DataCite kernel-4 examples in {folder}"
    return [examples[number % len(examples)] for number in range(count)]
