"""No e-mail address survives normalising, whatever field of whatever crosswalk's input it was
planted in, and in whatever form: a property test over every crosswalk.

Each crosswalk has seed records (real samples of ``shared/fixtures``, read and never copied;
oai_dc also the project's own sample repository). Hypothesis plants an address, in a form
it chooses, into every string of a seed's payload (every text node and attribute of XML,
every string of JSON) and into its identifier; the record the crosswalk makes, quality
issues and FAIR reasons included, must hold none of the planted local parts. A crosswalk
without seeds fails :func:`test_every_crosswalk_has_seeds`, so a new one cannot slip by.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from harvester.core.model import Record
from harvester.core.records import RawRecord
from harvester.core.sources import load_source_file
from harvester.normalise.crosswalk import CROSSWALK_DIR
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named
from harvester.sample_provider.hostile import ADDRESS_FORMS as FORMS
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.servers import sample_repository

CONFIG = Path(__file__).resolve().parents[3] / "config" / "sources"
OWN = Path(__file__).resolve().parents[2] / "fixtures" / "platforms"

SEEDS: dict[str, tuple[str, ...]] = {
    "oai_dc": ("oai-pmh/b2find-records/seanoe-oai_dc__7d8d61e8-c2c6-5a7e-bef1-24f5a1eb23b5.xml",),
    "datacite": ("datacite/kernel-4-examples/all-fields-v4.4.xml",),
    "oai_datacite": (
        "oai-pmh/b2find-records/ivoa-oai_datacite__19cf53ec-4dc5-53d2-9da3-9b8b2ec2c1b7.xml",
    ),
    "datacite_rest": ("datacite/rest-api/dois_10.15125_bath-00114.json",),
    "zenodo_rest": ("platforms/zenodo-rest/records_7834392.json",),
    "inaturalist": ("platforms/inaturalist/v1_project_8348.json",),
    "gbif": ("platforms/gbif/dataset_limit3.json",),
    "ckan": ("dcat/ckan_full_dataset_dcat_ap.json",),
    "ppsr_core": ("ppsr-core/CSInventory_PPSR.json",),
    "dcat": ("dcat/dataset.rdf",),
    "schema_org": ("schema-org/zenodo_record_1196821.jsonld",),
    "dcat_us": ("dcat/dataset.json",),
    "eu_citizen_science": ("platforms/eu-citizen-science/api_projects_2021-04.json",),
    "zooniverse": ("platforms/zooniverse/projects_page1.json",),
    "citsci_org": ("platforms/citsci-org/project_dover-waterwatch_2026-06-30.json",),
    "jrc_citsci": ("corpus/jrc-citsci-inventory/1-projects-citsci.csv",),
    "cs_nl": ("corpus/citizen-science-nl/citizen-science-projects-nl.csv",),
    "scistarter": (str(OWN / "scistarter" / "finder_page1.json"),),
}
"""Seed samples per crosswalk, relative to ``shared/fixtures`` (or absolute: our own)."""
CSV_SOURCES = {
    "jrc_citsci": "jrc-citsci-inventory-1.yaml",
    "cs_nl": "citizen-science-nl.yaml",
}
"""The example source file whose csv options read each CSV seed."""

RECORDS_PER_SEED = 3


LOCAL = re.compile(r"zqleak\d+")


@cache
def seeds(name: str) -> tuple[RawRecord, ...]:
    """The seed records of one crosswalk (only the project's own without shared/fixtures)."""
    crosswalk = crosswalk_named(name)
    found: list[RawRecord] = _own_oai_dc() if name == "oai_dc" else []
    source_file = CSV_SOURCES.get(name)
    options = load_source_file(CONFIG / source_file).csv_options if source_file else None
    for path in map(_seed_path, SEEDS.get(name, ())):
        if path is not None:
            records = raw_records_from_file(path, crosswalk, "seed", options)
            usable = [r for r in records if isinstance(r, RawRecord) and r.payload]
            found.extend(usable[:RECORDS_PER_SEED])
    return tuple(found)


def _seed_path(relative: str) -> Path | None:
    """Where a seed is: our own fixtures, or shared/fixtures when it is beside us."""
    if Path(relative).is_absolute():
        return Path(relative)
    return None if SHARED_FIXTURES is None else SHARED_FIXTURES / relative


def _own_oai_dc() -> list[RawRecord]:
    """The sample repository's records as oai_dc XML."""
    return [
        RawRecord("seed", record.identifier, None, "oai_dc", _dc_xml(dict(record.dc)))
        for record in sample_repository().records[:RECORDS_PER_SEED]
        if not record.deleted
    ]


def _dc_xml(dc: dict[str, object]) -> str:
    root = etree.Element(
        "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc",
        nsmap={
            "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
            "dc": "http://purl.org/dc/elements/1.1/",
        },
    )
    for element, values in dc.items():
        for text, lang in values:  # type: ignore[attr-defined]
            node = etree.SubElement(root, f"{{http://purl.org/dc/elements/1.1/}}{element}")
            node.text = text
            if lang:
                node.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    return etree.tostring(root, encoding="unicode")


class Planter:
    """Plants an address into every string it is given: the forms and places (after the
    text, before it, instead of it) take turns from the drawn starting points."""

    def __init__(self, form: int, place: int) -> None:
        self.form = form
        self.place = place
        self.count = 0

    def __call__(self, text: str) -> str:
        self.count += 1
        address = FORMS[(self.form + self.count) % len(FORMS)](f"zqleak{self.count}")
        where = (self.place + self.count // len(FORMS)) % 3
        return (f"{text} {address}", f"{address} {text}", address)[where]


def planted_json(payload: str, plant: Planter) -> str:
    def walk(value: object) -> object:
        if isinstance(value, str):
            return plant(value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return json.dumps(walk(json.loads(payload)), ensure_ascii=False)


def planted_xml(payload: str, plant: Planter) -> str:
    root = etree.fromstring(payload.encode("utf-8"))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and element.text.strip():
            element.text = plant(element.text)
        for key, value in element.attrib.items():
            element.set(key, plant(value))
    return etree.tostring(root, encoding="unicode")


def planted_turtle(payload: str, plant: Planter) -> str:
    """Every literal planted; every IRI object given a query carrying an address."""
    graph = Graph().parse(data=payload, format="turtle")
    for subject, predicate, value in list(graph):
        if isinstance(value, Literal):
            changed: Node = Literal(plant(str(value)), lang=value.language)
        elif isinstance(value, URIRef):
            changed = URIRef(f"{value}?contact={quote(plant(''), safe='@')}")
        else:
            continue
        graph.remove((subject, predicate, value))
        graph.add((subject, predicate, changed))
    return graph.serialize(format="turtle")


def planted(raw: RawRecord, plant: Planter) -> RawRecord:
    payload = raw.payload or ""
    if raw.media_type == "text/turtle":
        body = planted_turtle(payload, plant)
    elif payload.lstrip()[:1] in "{[":
        body = planted_json(payload, plant)
    else:
        body = planted_xml(payload, plant)
    return replace(raw, identifier=plant(raw.identifier), payload=body)


def test_every_crosswalk_has_seeds() -> None:
    names = sorted(path.stem for path in Path(CROSSWALK_DIR).glob("*.yaml"))
    assert set(names) <= set(SEEDS), f"name seed samples for: {set(names) - set(SEEDS)}"
    if SHARED_FIXTURES is None:
        pytest.skip("shared/fixtures is absent: only oai_dc has seeds of its own")
    assert all(seeds(name) for name in names), [n for n in names if not seeds(n)]


CONTEXT = SourceContext("seed", "Seeds", "test", "oai-pmh", "https://provider.example/oai")


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, RECORDS_PER_SEED * 4),
    form=st.integers(0, len(FORMS) - 1),
    place=st.integers(0, 2),
)
def test_no_planted_address_comes_out(name: str, seed: int, form: int, place: int) -> None:
    found = seeds(name)
    if not found:
        pytest.skip("shared/fixtures is absent")
    raw = found[seed % len(found)]
    hostile = planted(raw, Planter(form, place))
    record = normalise(hostile, crosswalk_named(name), CONTEXT, "2026-01-01T00:00:00Z")
    out = record.model_dump_json()
    assert not LOCAL.search(out), LOCAL.findall(out)
    assert isinstance(Record.model_validate_json(out), Record)
