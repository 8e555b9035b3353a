"""``csfinder bench clusters --pairs FILE``: precision and recall on labelled real pairs.

The real inventories in ``../shared/fixtures`` are normalised by their crosswalks into a
new temporary store, one source per key of the pairs file (``eu_citizen_science``,
``jrc_citsci``, ``jrc_ppsr``, ``cs_nl``, ``zooniverse``, ``citsci_org``), each record under the
native id the pairs name; everything is clustered from scratch; then each labelled pair is
looked up. Precision and recall are given per kind of positive (cross-platform duplicates
apart from same-platform and same-encoding ones), every wrong merge (a labelled negative in
one cluster) counting against the precision of each, and the misses and wrong merges are
listed with the evidence the scorer saw.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from harvester.core import paths
from harvester.core.model import record_id
from harvester.core.records import RawRecord
from harvester.core.source_options import CsvOptions
from harvester.core.sources import SourceConfig
from harvester.enrich.clusters.engine import common_values
from harvester.enrich.clusters.features import features_of
from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.enrich.clusters.scoring import score
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import Normaliser
from harvester.store import Store

POSITIVE_KINDS = ("cross_platform", "same_platform", "same_encoding")


@dataclass(frozen=True)
class Inventory:
    """A fixture inventory harvested as one source."""

    key: str
    crosswalk: str
    files: tuple[str, ...]
    id_column: str | None = None


INVENTORIES = (
    Inventory(
        "eu_citizen_science",
        "eu_citizen_science",
        ("platforms/eu-citizen-science/api_projects_2021-04.json",),
    ),
    Inventory(
        "jrc_citsci",
        "jrc_citsci",
        tuple(f"corpus/jrc-citsci-inventory/{n}-projects-citsci.csv" for n in (1, 2, 3)),
        id_column="UID",
    ),
    Inventory("jrc_ppsr", "ppsr_core", ("ppsr-core/CSInventory_PPSR.json",)),
    Inventory(
        "cs_nl",
        "cs_nl",
        ("corpus/citizen-science-nl/citizen-science-projects-nl.csv",),
        id_column="name",
    ),
    Inventory(
        "zooniverse",
        "zooniverse",
        (
            *(f"platforms/zooniverse/projects_page{n}.json" for n in range(1, 5)),
            "platforms/zooniverse/projects_405.json",
        ),
    ),
    Inventory(
        "citsci_org",
        "citsci_org",
        ("platforms/citsci-org/project_dover-waterwatch_2026-06-30.json",),
    ),
)


def bench_pairs(pairs_file: Path, fixtures: Path | None = None) -> dict[str, Any]:
    """Harvest the fixture inventories, cluster them and score the labelled pairs."""
    folder = fixtures or paths.SHARED_FIXTURES_DIR
    pairs = list(csv.DictReader(pairs_file.open(encoding="utf-8", newline="")))
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-pairs-") as home:
        store = Store(f"sqlite:///{home}/store.sqlite3")
        harvested = {inv.key: _harvest(store, inv, folder) for inv in INVENTORIES}
        report = rebuild_clusters(store)
        cluster_of = {m.record_id: m.cluster_id for m in store.iter_members()}
        documents = store.documents(
            record_key(p[side]) for p in pairs for side in ("left", "right")
        )
        store.close()
    outcome = _score(pairs, cluster_of, documents)
    return {
        "benchmark": "clusters-pairs",
        "pairs_file": str(pairs_file),
        "harvested": harvested,
        "clusters": report.summary(),
        **outcome,
    }


def record_key(key: str) -> str:
    """The record id of a pairs-file key (``cs_nl:name=<name>`` names a Dutch row)."""
    source, _, native = key.partition(":")
    if source == "cs_nl":
        native = native.removeprefix("name=")
    return record_id(source, native)


def _harvest(store: Store, inventory: Inventory, folder: Path) -> int:
    source = SourceConfig(
        id=inventory.key,
        name=inventory.key,
        platform=inventory.key,
        protocol="csv",  # read from files: the csv protocol's options carry the id column
        csv=CsvOptions(id_column=inventory.id_column) if inventory.id_column else None,
        url="https://fixtures.invalid/" + inventory.key,
        crosswalk=inventory.crosswalk,
    )
    normaliser = Normaliser(source)
    now = datetime.now(UTC)
    rows = [normaliser.row(raw, now) for raw in _raw(inventory, normaliser, folder)]
    store.write_normalised(rows)
    return len(rows)


def _raw(inventory: Inventory, normaliser: Normaliser, folder: Path) -> Iterator[RawRecord]:
    options = CsvOptions(id_column=inventory.id_column) if inventory.id_column else None
    for name in inventory.files:
        path = folder / name
        for found in raw_records_from_file(path, normaliser.crosswalk, inventory.key, options):
            if isinstance(found, RawRecord):
                yield found


def _score(
    pairs: list[dict[str, str]], cluster_of: dict[str, str], documents: dict[str, str]
) -> dict[str, Any]:
    found: Counter[tuple[str, bool]] = Counter()
    missing: list[str] = []
    misses: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for pair in pairs:
        left, right = record_key(pair["left"]), record_key(pair["right"])
        if left not in cluster_of or right not in cluster_of:
            missing += [
                k for k, r in ((pair["left"], left), (pair["right"], right)) if r not in cluster_of
            ]
            continue
        joined = cluster_of[left] == cluster_of[right]
        found[(pair["kind"], joined)] += 1
        if joined != (pair["label"] == "1"):
            entry: dict[str, Any] = {"left": pair["left"], "right": pair["right"]}
            entry["kind"] = pair["kind"]
            entry["evidence"] = _evidence(documents.get(left), documents.get(right))
            (wrong if joined else misses).append(entry)
    merged_negatives = sum(
        n for (kind, joined), n in found.items() if joined and kind not in POSITIVE_KINDS
    )
    result: dict[str, Any] = {}
    for kind in POSITIVE_KINDS:
        hit, miss = found[(kind, True)], found[(kind, False)]
        result[kind] = {
            "pairs": hit + miss,
            "found": hit,
            "recall": round(hit / (hit + miss), 4) if hit + miss else None,
            "precision": round(hit / (hit + merged_negatives), 4)
            if hit + merged_negatives
            else None,
        }
    negatives = sum(n for (kind, _), n in found.items() if kind not in POSITIVE_KINDS)
    result["negatives"] = {"pairs": negatives, "wrongly_merged": merged_negatives}
    result["missed"] = misses
    result["wrong_merges"] = wrong
    if missing:
        result["unresolved_keys"] = sorted(set(missing))
    return result


def _evidence(left: str | None, right: str | None) -> list[tuple[str, float]]:
    """The signals the scorer sees for a pair (common values not judged: none are)."""
    if left is None or right is None:
        return []
    a, b = features_of(orjson.loads(left)), features_of(orjson.loads(right))
    return [(s.text, s.points) for s in score(a, b, common_values(lambda _key: 0)).signals]
