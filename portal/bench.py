"""``csfinder bench portal``: requests per second and latency of ``/api/v1/search`` under
the production server.

A data folder with N synthetic records, stored and indexed as harvests and ``csfinder
reindex`` leave them, is built once and kept (``--cache-dir``, by default
``$TMPDIR/csfinder-bench``; ``--fresh`` rebuilds it). ``csfinder serve`` then runs on a
loopback port in its own process (gunicorn and its workers), and this process drives
``/api/v1/search`` with the search benchmark's fixed query mix (common and rare words,
phrases, prefixes, exclusions and OR, with 0 to 3 filters; relevance or newest first;
pages 1 to 3; every answer carries all facet counts) from ``--concurrency`` threads, each
holding one keep-alive connection (``http.client``) and sending its next request as soon
as the previous answer is read (a closed loop). Prints one JSON line; answers other than
200 are counted, and the command fails when more than 1% of them are.

Registered under the ``csfinder.bench`` entry point, so the harvester never imports the
portal.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import click
import psutil

from harvester.bench.search import MixEntry, mix_entries, percentiles, synthetic_home
from harvester.core.settings import ENV_API_LIMIT, ENV_CONFIG, ENV_HOME, ENV_SECRET_KEY
from portal.api import CACHE_HEADER
from portal.cli import DEFAULT_THREADS, DEFAULT_WORKERS

HOME_VERSION = "2"  # bump when the synthetic records or the index layout change
READY = "READY"
LISTENING = re.compile(r"csfinder portal: (http://\S+)")
PAGES = (1, 1, 1, 2, 1, 3)  # most searches read the first page; some page on
MAX_ERROR_SHARE = 0.01
SERVER_START_SECONDS = 120.0
BENCH_API_LIMIT = "100000000 per minute"
REQUEST_TIMEOUT = 30.0


@click.command("portal")
@click.option("--records", "count", default=100_000, show_default=True, help="Records served.")
@click.option("--seconds", default=20.0, show_default=True, help="Measured duration.")
@click.option("--warmup", default=3.0, show_default=True, help="Unmeasured seconds first.")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, help="gunicorn workers.")
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, help="Threads per worker.")
@click.option("--concurrency", default=8, show_default=True, help="Connections driving load.")
@click.option("--queries", default=2_000, show_default=True, help="Distinct queries in the mix.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where built data folders are kept  [default: $TMPDIR/csfinder-bench].",
)
@click.option("--fresh", is_flag=True, help="Rebuild the data folder even when one is kept.")
def bench_portal(
    count: int,
    seconds: float,
    warmup: float,
    workers: int,
    threads: int,
    concurrency: int,
    queries: int,
    cache_dir: Path | None,
    fresh: bool,
) -> None:
    """Serve N synthetic records with ``csfinder serve`` and measure ``/api/v1/search``."""
    folder = cache_dir or Path(tempfile.gettempdir()) / "csfinder-bench"
    home, built_seconds = bench_home(folder, count, fresh=fresh)
    paths = search_paths(mix_entries(queries))
    load_before = os.getloadavg()[0]
    with PortalProcess(home, workers, threads) as server:
        served = server.total_records()
        warmed = drive(server.address, paths, concurrency, warmup)
        cpu_before = server.cpu_seconds()
        result = drive(server.address, paths, concurrency, seconds)
        server_cpu = server.cpu_seconds() - cpu_before
    output: dict[str, Any] = {
        "benchmark": "portal",
        "records": served,
        "workers": workers,
        "threads": threads,
        "concurrency": concurrency,
        "duration_s": round(result.seconds, 2),
        "requests": result.requests,
        "requests_per_s": round(result.requests / result.seconds, 1),
        "latency_ms": percentiles(result.latencies),
        "errors": result.errors,
        "error_statuses": dict(sorted(result.statuses.items())),
        "distinct_queries": len(set(paths)),
        "response_cache": "none",
        "engine_cache": engine_cache(warmed.cache, result.cache),
        "mean_response_kb": round(result.body_bytes / max(result.requests, 1) / 1024, 1),
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_s": round(result.client_cpu, 2),
        "loadavg_1m_before": round(load_before, 2),
        "home_built_s": built_seconds,
    }
    click.echo(json.dumps(output))
    if served != count:
        raise click.ClickException(f"the portal serves {served} records, not {count}")
    if not result.requests or result.errors > MAX_ERROR_SHARE * result.requests:
        raise click.ClickException(
            f"{result.errors} of {result.requests} requests failed: {result.samples[:3]}"
        )


# -- the data folder -----------------------------------------------------------------------


def bench_home(folder: Path, count: int, *, fresh: bool = False) -> tuple[Path, float | None]:
    """A data folder with ``count`` synthetic records stored and indexed, and the seconds
    building it took (None when a kept one was reused)."""
    home = folder / f"portal-{count}-v{HOME_VERSION}"
    if (home / READY).exists() and not fresh:
        return home, None
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    building = folder / f"{home.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    synthetic_home(count, building)
    (building / "config" / "sources").mkdir(parents=True, exist_ok=True)
    (building / READY).write_text(f"{count}\n", encoding="utf-8")
    building.rename(home)
    return home, round(time.perf_counter() - started, 1)


# -- the server ----------------------------------------------------------------------------


class PortalProcess:
    """``csfinder serve`` on a free loopback port, in its own process group."""

    def __init__(self, home: Path, workers: int, threads: int) -> None:
        self.home = home
        self.workers = workers
        self.threads = threads
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in __exit__)
            prefix="csfinder-bench-portal-", suffix=".log"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.address = ""

    def __enter__(self) -> PortalProcess:
        env = {
            **os.environ,
            ENV_HOME: str(self.home),
            ENV_CONFIG: str(self.home / "config"),
            ENV_SECRET_KEY: os.environ.get(ENV_SECRET_KEY) or os.urandom(16).hex(),
            ENV_API_LIMIT: BENCH_API_LIMIT,  # the benchmark is one client: measure, not limit
        }
        command = [sys.executable, "-m", "harvester", "serve", "--host", "127.0.0.1"]
        command += ["--port", "0", "--workers", str(self.workers), "--threads", str(self.threads)]
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            found = LISTENING.search(self._log_text())
            if found:
                self.address = found.group(1)
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        said = self._log_text()[-2000:]
        self.__exit__(None, None, None)
        raise click.ClickException(f"csfinder serve did not start:\n{said}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn stops its workers gracefully
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def _log_text(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its workers."""
        assert self.process is not None
        try:
            parent = psutil.Process(self.process.pid)
            processes = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def total_records(self) -> int:
        """The records the portal searches (a search without words or filters)."""
        status, body = _get(self.address, "/api/v1/search?per_page=1")
        if status != 200:
            raise click.ClickException(f"/api/v1/search answered {status}: {body[:500]!r}")
        return int(json.loads(body)["total"])


def _get(address: str, path: str) -> tuple[int, bytes]:
    parts = urlsplit(address)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# -- the load ------------------------------------------------------------------------------


def search_paths(entries: list[MixEntry]) -> list[str]:
    """``/api/v1/search`` URLs of the mix, pages varied."""
    paths = []
    for number, entry in enumerate(entries):
        params = [("q", entry.text)] if entry.text else []
        params += list(entry.filters)
        if entry.sort:
            params.append(("sort", entry.sort))
        page = PAGES[number % len(PAGES)]
        if page > 1:
            params.append(("page", str(page)))
        paths.append("/api/v1/search?" + urlencode(params))
    return paths


@dataclass
class LoadResult:
    """What the client threads measured."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    body_bytes: int = 0
    client_cpu: float = 0.0
    cache: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        """Requests answered (or failed) in the measured time."""
        return len(self.latencies) + self.errors


def drive(address: str, paths: list[str], concurrency: int, seconds: float) -> LoadResult:
    """Closed-loop load for ``seconds``: each thread sends its next request once the last
    answer is read; thread k starts at its own place in the mix."""
    result = LoadResult()
    lock = threading.Lock()
    parts = urlsplit(address)
    stop_at = time.perf_counter() + seconds

    def client(number: int) -> None:
        latencies: list[float] = []
        position = number * len(paths) // max(concurrency, 1)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=REQUEST_TIMEOUT)
        failures: list[tuple[str, str]] = []
        cache: dict[str, Counter[str]] = {}
        size = 0
        while (started := time.perf_counter()) < stop_at:
            path = paths[position % len(paths)]
            position += 1
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(("error", f"{path}: {type(exc).__name__}: {exc}"))
                conn.close()
                continue
            if response.status != 200:
                failures.append((str(response.status), f"{path}: {body[:200]!r}"))
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            size += len(body)
            _note_cache(cache, response.getheader(CACHE_HEADER))
        conn.close()
        with lock:
            result.latencies += latencies
            result.body_bytes += size
            result.errors += len(failures)
            result.statuses.update(status for status, _ in failures)
            result.samples += [sample for _, sample in failures]
            for worker, counters in cache.items():
                _keep_highest(result.cache, worker, counters)

    cpu = time.process_time()
    began = time.perf_counter()
    workers = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    result.seconds = time.perf_counter() - began
    result.client_cpu = time.process_time() - cpu
    return result


def _note_cache(seen: dict[str, Counter[str]], header: str | None) -> None:
    """Keep the counters of an ``X-Search-Cache`` header (``worker=TOKEN; hits=N; ...``)."""
    if header is None:
        return
    fields = dict(part.strip().partition("=")[::2] for part in header.split(";"))
    worker = fields.pop("worker", "")
    _keep_highest(seen, worker, Counter({k: int(v) for k, v in fields.items() if v.isdigit()}))


def _keep_highest(seen: dict[str, Counter[str]], worker: str, counters: Counter[str]) -> None:
    """The highest of each counter a worker reported (answers arrive out of order)."""
    kept = seen.setdefault(worker, Counter())
    for name, value in counters.items():
        kept[name] = max(kept[name], value)


def engine_cache(before: dict[str, Counter[str]], after: dict[str, Counter[str]]) -> dict[str, Any]:
    """The search engine's cache lookups during the measured run, over every worker."""

    def rate(prefix: str) -> tuple[int, int, float | None]:
        def delta(name: str) -> int:
            return sum(
                after[w][prefix + name] - before.get(w, Counter())[prefix + name] for w in after
            )

        hits, misses = delta("hits"), delta("misses")
        return hits, misses, round(hits / (hits + misses), 3) if hits + misses else None

    hits, misses, hit_rate = rate("")
    row_hits, row_misses, row_hit_rate = rate("row_")
    return {
        "scope": "per worker: match sets of words, phrases and prefixes; BM25 orders; "
        "orders of all rows by date, title length, richness; browse facet counts",
        "hits": hits,
        "misses": misses,
        "hit_rate": hit_rate,
        "row_cache": {"hits": row_hits, "misses": row_misses, "hit_rate": row_hit_rate},
        "entries": sum(c["entries"] for c in after.values()),
        "bytes": sum(c["bytes"] for c in after.values()),
        "note": "the query mix draws from a small vocabulary (40 common and 200 rare words, "
        "60 phrases), so real traffic would hit less often",
    }
