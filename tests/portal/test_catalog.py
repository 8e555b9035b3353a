"""``/catalog``: the aggregate as DCAT-AP 3.0.1, validated with pyshacl against the official
shapes in ``shared/fixtures/schemas/dcat-ap-3.0.1``, paged with Hydra, negotiated, and
selectable by ``from``/``until``.

Shapes checked: the mandatory and optional ones (``html_shacl_shapes.ttl``), the combined
release file (``shacl_dcat-ap-SHACL.ttl``: every class and property, ranges as classes) and
the class ranges (``html_shacl_range.ttl``). Not checked, and why: the controlled-vocabulary
shapes (``html_shacl_mdr-vocabularies.shape.ttl``) want every publisher to be an EU
corporate body and every term described with the EU authority tables, which are not bundled;
``shacl_ranges.ttl`` is not a stand-alone shapes graph (pyshacl rejects its property
shapes); the recommended shapes only warn.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
import requests
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from harvester.core.settings import Settings
from harvester.store import Store
from portal.dcat import HYDRA
from tests.support.fair_portal import FairPortal
from tests.support.fixture_provider import SHARED_FIXTURES

SHAPES = ("html_shacl_shapes.ttl", "shacl_dcat-ap-SHACL.ttl", "html_shacl_range.ttl")


@cache
def shapes(name: str) -> Graph:
    if SHARED_FIXTURES is None:
        pytest.skip("shared/fixtures is absent")
    return Graph().parse(SHARED_FIXTURES / "schemas" / "dcat-ap-3.0.1" / name, format="turtle")


def catalog(client: FlaskClient, query: str = "", accept: str = "text/turtle") -> Graph:
    answer = client.get(f"/catalog{query}", headers={"Accept": accept})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    formats = {
        "text/turtle": "turtle",
        "application/rdf+xml": "xml",
        "application/ld+json": "json-ld",
    }
    assert answer.mimetype == accept
    return Graph().parse(data=answer.get_data(as_text=True), format=formats[accept])


def over_http(fair: FairPortal) -> Graph:
    """The whole catalogue of the FAIR portal, fetched over HTTP as Turtle."""
    answer = requests.get(f"{fair.server.url}/catalog?limit=500", timeout=30)
    assert answer.headers["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=answer.text, format="turtle")


def live_ids(settings: Settings) -> dict[str, str]:
    store = Store(settings.database_url)
    return {
        row.id: row.kind
        for source in ("demo-eu-cs-datasets", "demo-eu-cs-projects", "golden")
        for row in store.iter_normalised(source)
        if not row.deleted
    }


@pytest.mark.parametrize("name", SHAPES)
def test_the_catalogue_conforms_to_the_dcat_ap_shapes(fair: FairPortal, name: str) -> None:
    data = over_http(fair)
    assert len(list(data.subjects(RDF.type, DCAT.Dataset))) >= 10
    conforms, _report, text = validate(data, shacl_graph=shapes(name), inference="none")
    assert conforms, text[:4000]


def test_datasets_projects_and_catalogue_records(fair: FairPortal) -> None:
    data = over_http(fair)
    home = URIRef(f"{fair.server.url}/catalog")
    ids = live_ids(fair.settings)
    datasets = {str(s) for s in data.objects(home, DCAT.dataset)}
    resources = {str(s) for s in data.objects(home, URIRef(f"{DCAT}resource"))}
    page = f"{fair.server.url}/records/"
    assert datasets == {page + i for i, kind in ids.items() if kind == "dataset"}
    assert resources == {page + i for i, kind in ids.items() if kind != "dataset"}
    for dataset in datasets:
        record = URIRef(dataset + "#record")
        assert (record, FOAF.primaryTopic, URIRef(dataset)) in data
        assert (home, DCAT.record, record) in data
    with_files = URIRef(page + fair.complete)
    downloads = {
        str(d)
        for dist in data.objects(with_files, DCAT.distribution)
        for d in data.objects(dist, DCAT.downloadURL)
    }
    assert any(url.endswith("counts.csv") for url in downloads)
    sizes = [
        int(str(s))
        for dist in data.objects(with_files, DCAT.distribution)
        for s in data.objects(dist, DCAT.byteSize)
    ]
    assert sorted(sizes) == [812345]  # '2.5 MB' is no count of bytes: no dcat:byteSize
    licences = set(data.objects(with_files, DCTERMS.license)) | {
        lic
        for dist in data.objects(with_files, DCAT.distribution)
        for lic in data.objects(dist, DCTERMS.license)
    }
    assert URIRef("http://spdx.org/licenses/CC-BY-4.0") in licences
    assert URIRef("http://purl.org/coar/access_right/c_abf2") in set(
        data.objects(with_files, DCTERMS.rights)
    )


@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "application/ld+json"])
def test_the_catalogue_negotiates_its_serialisation(client: FlaskClient, accept: str) -> None:
    graph = catalog(client, "?limit=5", accept)
    assert (URIRef("http://localhost/catalog"), RDF.type, DCAT.Catalog) in graph


def test_hydra_pages_cover_the_catalogue_once(
    client: FlaskClient, portal_settings: Settings
) -> None:
    seen: list[str] = []
    query = "?limit=7"
    pages = 0
    while True:
        graph = catalog(client, query)
        pages += 1
        this = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert graph.value(this, HYDRA.itemsPerPage) == Literal(7, datatype=XSD.integer)
        home = URIRef("http://localhost/catalog")
        seen += [
            str(s)
            for p in (DCAT.dataset, URIRef(f"{DCAT}resource"))
            for s in graph.objects(home, p)
        ]
        following = graph.value(this, HYDRA.nextPage)
        if following is None:
            break
        query = str(following).removeprefix("http://localhost/catalog")
        assert "limit=7" in query
    assert pages >= 3
    assert len(seen) == len(set(seen))
    store = Store(portal_settings.database_url)
    live = {
        row.id
        for source in ("demo-eu-cs-datasets", "demo-eu-cs-projects")
        for row in store.iter_normalised(source)
        if not row.deleted
    }
    assert {s.removeprefix("http://localhost/records/") for s in seen} == live


def test_from_and_until_select_what_changed(client: FlaskClient) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    later = catalog(client, f"?from={tomorrow}")
    assert not list(later.subjects(RDF.type, DCAT.Dataset))
    everything = catalog(client, f"?until={tomorrow}&limit=500")
    assert list(everything.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=yesterday", "Invalid from datestamp"),
        ("?limit=0", "limit must be a whole number"),
        ("?limit=501", "limit must be a whole number"),
        ("?cursor=%%%", "cursor is not one this catalogue gave"),
        ("?format=pdf", "format must be one of ttl, rdf, jsonld"),
    ],
)
def test_bad_arguments_are_a_clear_400(client: FlaskClient, query: str, message: str) -> None:
    answer = client.get(f"/catalog{query}")
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
