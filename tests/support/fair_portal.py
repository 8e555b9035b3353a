"""A portal for the FAIR tests: the demo's harvested records plus real records whose sources
state their files (a Zenodo REST record, a GBIF dataset with a Darwin Core Archive
endpoint), mapped by their crosswalks as ``csfinder map`` does, served over HTTP on
loopback by the real portal app."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harvester.core.settings import Settings, load_settings
from harvester.sample_provider import RunningServer
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from tests.support.golden import map_sample
from tests.support.platforms import OWN, shared
from tests.support.servers import start

FILE_SAMPLES = (
    ("zenodo_rest", ("platforms", "zenodo-rest", "records_7834392.json"), "https://zenodo.org/api"),
    ("gbif", ("platforms", "gbif", "dataset_limit3.json"), "https://api.gbif.org/v1/dataset"),
)
"""Real records whose sources name their data files or endpoints."""

COMPLETE_SAMPLE = OWN / "fair_dataset.jsonld"
"""The project's own (invented) schema.org dataset that states everything a source can:
files with URLs, types and sizes, an SPDX-listed licence, open access, creators with an
ORCID, publisher, dates, measured variables and a related resource."""


@dataclass(frozen=True)
class FairPortal:
    """The portal's settings, its HTTP server and the ids of the records added."""

    settings: Settings
    server: RunningServer
    with_files: tuple[str, ...]
    complete: str

    def page(self, record_id: str) -> str:
        """The absolute URL of a record page."""
        return f"{self.server.url}/records/{record_id}"


def add_file_records(settings: Settings) -> list[str]:
    """Map :data:`FILE_SAMPLES`, then :data:`COMPLETE_SAMPLE`, and store them; return their
    record ids (the complete sample's last)."""
    store = Store(settings.database_url)
    rows = []
    samples = [(crosswalk, shared(*parts), endpoint) for crosswalk, parts, endpoint in FILE_SAMPLES]
    samples.append(("schema_org", COMPLETE_SAMPLE, "https://data.example.org/"))
    for crosswalk, path, endpoint in samples:
        for document in map_sample(crosswalk, path, endpoint):
            assert "failed" not in document, document
            rows.append(
                NormalisedRow(
                    source_id=document["provenance"]["source_id"],
                    source_identifier=document["provenance"]["source_identifier"],
                    id=document["id"],
                    kind=document["kind"],
                    document=json.dumps(document, ensure_ascii=False),
                    content_hash=document["id"],
                    score=document["quality"]["score"],
                )
            )
    store.write_normalised(rows)
    return [row.id for row in rows]


def copy_home(demo_home: Path, target: Path) -> Settings:
    """A copy of the demo's data folder, and settings pointing at it."""
    shutil.copytree(demo_home, target)
    return load_settings({"CSFINDER_HOME": str(target), "CSFINDER_CONFIG": str(target / "config")})


@contextmanager
def fair_portal(demo_home: Path, target: Path) -> Iterator[FairPortal]:
    """The demo's records and :data:`FILE_SAMPLES`, served by the portal over HTTP."""
    settings = copy_home(demo_home, target)
    added = add_file_records(settings)
    server = start(create_app(settings, TESTING=True), path="")
    try:
        yield FairPortal(settings, server, tuple(added[:-1]), added[-1])
    finally:
        server.stop()
