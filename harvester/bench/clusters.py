"""``csfinder bench clusters``: how well and how fast clustering finds the same project.

``--records N``: N synthetic listings with known duplicates (:mod:`~.cluster_data`) are
stored in a new temporary store; a child process clusters them from scratch (its time and
peak memory measured), then 1,000 of them change (re-titled, moved, new listings of known
projects, deletions) and another child clusters what changed. Precision and recall are
counted over pairs of listings, against the projects the generator made.

``--pairs FILE``: the labelled pairs of real records (see
:mod:`~harvester.bench.cluster_pairs`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from harvester.bench.cluster_data import Listing, listings
from harvester.bench.cluster_pairs import bench_pairs
from harvester.bench.harvest import _in_child
from harvester.core.model import record_id as make_record_id
from harvester.enrich.clusters.runs import rebuild_clusters, update_clusters
from harvester.store import NormalisedRow, Store

WRITE_BATCH = 5_000


@click.command("clusters")
@click.option("--records", "count", type=int, default=None, help="Synthetic listings to cluster.")
@click.option("--changed", default=1_000, show_default=True, help="Listings changed afterwards.")
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Labelled pairs of real records (CSV): precision and recall on them.",
)
def bench_clusters(count: int | None, changed: int, pairs_file: Path | None) -> None:
    """Clustering quality and speed: synthetic listings (--records) or labelled pairs."""
    if pairs_file is not None:
        click.echo(json.dumps(bench_pairs(pairs_file), ensure_ascii=False))
        return
    if not count or count < 2:
        raise click.UsageError("give --records N (N >= 2) or --pairs FILE")
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-clusters-") as folder:
        url = f"sqlite:///{folder}/store.sqlite3"
        truth = _populate(url, listings(count))
        full = _in_child(_full_phase, url)
        quality = _quality(url, truth)
        rng = random.Random(count)
        changes = _change(url, truth, rng, min(changed, count // 2))
        incremental = _in_child(_incremental_phase, url)
        after = _quality(url, truth)
    result: dict[str, Any] = {
        "benchmark": "clusters",
        "records": count,
        "full_seconds": full["seconds"],
        "full_cpu_seconds": full["cpu_seconds"],
        "full_peak_rss_mb": full["peak_rss_mb"],
        "full_report": full["report"],
        **{f"full_{k}": v for k, v in quality.items()},
        "changed": changes,
        "incremental_seconds": incremental["seconds"],
        "incremental_cpu_seconds": incremental["cpu_seconds"],
        "incremental_peak_rss_mb": incremental["peak_rss_mb"],
        "incremental_report": incremental["report"],
        **{f"after_{k}": v for k, v in after.items()},
    }
    click.echo(json.dumps(result))


def _full_phase(url: str) -> dict[str, Any]:
    store = Store(url)
    started = time.perf_counter()
    report = rebuild_clusters(store, lambda stage, n: print(f"{stage} {n:,}", file=sys.stderr))
    return {"seconds": round(time.perf_counter() - started, 2), "report": report.summary()}


def _incremental_phase(url: str) -> dict[str, Any]:
    store = Store(url)
    started = time.perf_counter()
    report = update_clusters(store)
    return {"seconds": round(time.perf_counter() - started, 2), "report": report.summary()}


def _row(record: dict[str, Any]) -> NormalisedRow:
    document = json.dumps(record, ensure_ascii=False)
    identifier = str(record["provenance"]["source_identifier"])
    return NormalisedRow(
        source_id=str(record["provenance"]["source_id"]),
        source_identifier=identifier,
        id=str(record["id"]),
        kind=str(record["kind"]),
        document=document,
        content_hash=hashlib.sha256(document.encode("utf-8")).hexdigest(),
        score=int(record["quality"]["score"]),
    )


def _write(store: Store, rows: Iterable[NormalisedRow]) -> None:
    """Write rows, one batch per source (as a harvest writes a page)."""
    by_source: dict[str, list[NormalisedRow]] = defaultdict(list)
    for row in rows:
        by_source[row.source_id].append(row)
    for batch in by_source.values():
        store.write_normalised(batch)


def _populate(url: str, made: Iterable[Listing]) -> dict[str, int]:
    """Store the listings; return the project of each record id."""
    store = Store(url)
    truth: dict[str, int] = {}
    batch: list[NormalisedRow] = []
    for listing in made:
        truth[str(listing.record["id"])] = listing.project
        batch.append(_row(listing.record))
        if len(batch) >= WRITE_BATCH:
            _write(store, batch)
            batch = []
    _write(store, batch)
    store.close()
    return truth


def _change(url: str, truth: dict[str, int], rng: random.Random, count: int) -> dict[str, int]:
    """Change ``count`` listings: re-case or move some, list some projects again, delete
    some; ``truth`` follows."""
    store = Store(url)
    chosen = rng.sample(sorted(truth), count)
    documents = store.documents(chosen)
    rows: list[NormalisedRow] = []
    tally = {"retitled": 0, "moved": 0, "added": 0, "deleted": 0}
    for n, record_id in enumerate(chosen):
        record = json.loads(documents[record_id])
        kind = ("retitled", "moved", "added", "deleted")[n % 4]
        tally[kind] += 1
        if kind == "retitled":
            record["title"] = str(record["title"]).swapcase()
        elif kind == "moved":
            record["url"] = str(record["url"]).replace("https://", "http://www.")
        elif kind == "added":
            record = _copy(record, f"{record_id}-again")
            truth[str(record["id"])] = truth[record_id]
        else:
            del truth[record_id]
            rows.append(dataclasses.replace(_row(record), content_hash="deleted", deleted=True))
            continue
        rows.append(_row(record))
    _write(store, rows)
    store.close()
    return tally


def _copy(record: dict[str, Any], identifier: str) -> dict[str, Any]:
    """Another listing of the same project, on a source of its own."""
    source = f"{record['provenance']['source_id']}-copy"
    provenance = {**record["provenance"], "source_id": source, "source_identifier": identifier}
    return {**record, "id": make_record_id(source, identifier), "provenance": provenance}


def _quality(url: str, truth: dict[str, int]) -> dict[str, float]:
    """Pairwise precision and recall of the stored clusters against the true projects."""
    store = Store(url)
    clusters: dict[str, list[str]] = defaultdict(list)
    for member in store.iter_members():
        clusters[member.cluster_id].append(member.record_id)
    store.close()
    projects: dict[int, list[str]] = defaultdict(list)
    for record_id, project in truth.items():
        projects[project].append(record_id)
    found, true = _pairs(clusters.values()), _pairs(projects.values())
    both = len(found & true)
    return {
        "precision": round(both / len(found), 4) if found else 1.0,
        "recall": round(both / len(true), 4) if true else 1.0,
        "pairs_found": len(found),
        "pairs_true": len(true),
    }


def _pairs(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for members in groups:
        ordered = sorted(members)
        found.update(itertools.combinations(ordered, 2))
    return found
