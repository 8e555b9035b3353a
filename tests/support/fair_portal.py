"""A portal for the FAIR tests: the demo's harvested records plus real records whose sources
state their files (Zenodo REST records, GBIF datasets with a Darwin Core Archive endpoint,
schema.org and DCAT datasets with distributions, DataCite records with formats and sizes, a
CKAN package with its resources), mapped by their crosswalks as ``csfinder map`` does,
served over HTTP on loopback by the real portal app.

Run it to assess the pages from the command line (see the README, "FAIR assessment of the
sample pages")::

    python -m tests.support.fair_portal --assess          # every page's score, then exit
    python -m tests.support.fair_portal                   # serve; print the pages' URLs
    csfinder bench fair http://127.0.0.1:PORT/records/ID  # one page, metric by metric
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harvester.bench.fair.evidence import gather
from harvester.bench.fair.metrics import assess, percentage
from harvester.core.settings import Settings, load_settings
from harvester.sample_provider import RunningServer, serve
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from tests.support.demo import demo_data
from tests.support.golden import map_sample
from tests.support.platforms import OWN, shared
from tests.support.servers import start

FILE_SAMPLES = (
    ("zenodo_rest", ("platforms", "zenodo-rest", "records_7834392.json"), "https://zenodo.org/api"),
    ("zenodo_rest", ("platforms", "zenodo-rest", "records_3871094.json"), "https://zenodo.org/api"),
    ("gbif", ("platforms", "gbif", "dataset_limit3.json"), "https://api.gbif.org/v1/dataset"),
    ("schema_org", ("schema-org", "pangaea_836178.jsonld"), "https://doi.pangaea.de/"),
    ("schema_org", ("schema-org", "zenodo_record_1196821.jsonld"), "https://zenodo.org/"),
    ("dcat", ("dcat", "dataset_gov_de.rdf"), "https://www.opendata-hro.de/"),
    ("ckan", ("dcat", "ckan_full_dataset_dcat_ap.json"), "https://ckan.example.org/api/3"),
    (
        "datacite_rest",
        ("datacite", "rest-api", "dois_10.15125_bath-00114.json"),
        "https://api.datacite.org/dois",
    ),
    (
        "oai_datacite",
        ("oai-pmh", "b2find-records", "pangaea__7c0209b8-6189-5bda-89eb-7d5231d6e72d.xml"),
        "https://b2find.eudat.eu/oai",
    ),
)
"""Real records whose sources name their data files or endpoints, or describe them."""

COMPLETE_SAMPLE = OWN / "fair_dataset.jsonld"
"""The project's own (invented) schema.org dataset that states everything a source can:
files with URLs, types and sizes, an SPDX-listed licence, open access, creators with an
ORCID, publisher, dates, measured variables and a related resource."""

SOURCES = ("demo-eu-cs-datasets", "demo-eu-cs-projects", "golden")
"""The sources of the records served: the demo's two, and the samples added here."""


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

    def documents(self) -> list[dict[str, object]]:
        """Every record served, in the common model."""
        store = Store(self.settings.database_url)
        return [
            json.loads(row.document)
            for source in SOURCES
            for row in store.iter_normalised(source)
            if not row.deleted
        ]


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
def fair_portal(demo_home: Path, target: Path, port: int = 0) -> Iterator[FairPortal]:
    """The demo's records and :data:`FILE_SAMPLES`, served by the portal over HTTP (on a
    free port of 127.0.0.1 unless ``port`` is given)."""
    settings = copy_home(demo_home, target)
    added = add_file_records(settings)
    app = create_app(settings, TESTING=True)
    server = serve(app, host="127.0.0.1", port=port, path="") if port else start(app, path="")
    try:
        yield FairPortal(settings, server, tuple(added[:-1]), added[-1])
    finally:
        server.stop()


def _assess(fair: FairPortal) -> None:
    """Print one line a page: the assessor's score and points (as ``csfinder bench fair``
    scores it), the kind, the page and its title."""
    for document in fair.documents():
        url = fair.page(str(document["id"]))
        results = assess(gather(url))
        earned = sum(r.earned for r in results)
        points = sum(r.points for r in results)
        title = str(document["title"])[:60]
        print(
            f"{percentage(results):>3}% {earned:>4g}/{points:<2} {document['kind']:<11} "
            f"{url}  {title}"
        )


def main(argv: list[str] | None = None) -> int:
    """Serve the FAIR test portal, or assess every page of it and exit."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.fair_portal")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    parser.add_argument("--assess", action="store_true", help="assess every page, then exit")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="csfinder-fair-") as folder:
        demo_home = demo_data(Path(folder) / "demo")
        with fair_portal(demo_home, Path(folder) / "home", options.port) as fair:
            if options.assess:
                _assess(fair)
                return 0
            for document in fair.documents():
                print(f"{document['kind']:<11} {fair.page(str(document['id']))}")
            print(f"serving {fair.server.url} (Ctrl-C stops)", file=sys.stderr)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
