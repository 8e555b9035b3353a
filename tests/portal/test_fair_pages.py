"""Record pages as machines read them: FAIR Signposting (``Link`` headers, the linkset),
content negotiation for DCAT-AP (Turtle, RDF/XML) and DataCite XML, the schema.org JSON-LD
built from what the sources state, and the FAIR panel naming the metrics checked."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF
from requests import get
from requests.utils import parse_header_links

from harvester.core.model import contains_email
from harvester.store import Store
from tests.support.fair_portal import FairPortal
from tests.support.oai_schemas import datacite_kernel4

DESCRIBED_BY = {
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
}


def _links(response_headers: Any) -> list[dict[str, str]]:
    header = response_headers.get("Link")
    assert header, "no Link header"
    return parse_header_links(header)


def _first(client: FlaskClient, kind: str) -> dict[str, Any]:
    found = client.get(f"/api/v1/search?kind={kind}&per_page=1").get_json()
    record_id = found["hits"][0]["id"]
    record: dict[str, Any] = client.get(f"/api/v1/records/{record_id}").get_json()
    return record


@pytest.mark.parametrize("kind", ["dataset", "project"])
def test_record_pages_carry_level_one_signposting(client: FlaskClient, kind: str) -> None:
    record = _first(client, kind)
    response = client.get(f"/records/{record['id']}")
    links = _links(response.headers)
    rels = [link["rel"] for link in links]
    assert rels.count("cite-as") == 1 and rels.count("linkset") == 1
    described = {link["type"]: link["url"] for link in links if link["rel"] == "describedby"}
    assert set(described) == {*DESCRIBED_BY, "application/vnd.datacite.datacite+xml"}
    types = {link["url"] for link in links if link["rel"] == "type"}
    schema_type = (
        "https://schema.org/Dataset" if kind == "dataset" else "https://schema.org/ResearchProject"
    )
    assert types == {schema_type, "https://schema.org/AboutPage"}
    cite_as = next(link["url"] for link in links if link["rel"] == "cite-as")
    dois = [i["value"] for i in record["identifiers"] if i["scheme"] == "doi"]
    assert cite_as == (
        f"https://doi.org/{dois[0]}" if dois else f"http://localhost/records/{record['id']}"
    )
    licence = [link["url"] for link in links if link["rel"] == "license"]
    if record.get("license") and record["license"].get("spdx"):
        assert licence == [f"http://spdx.org/licenses/{record['license']['spdx']}"]
    for media_type, url in described.items():
        answer = client.get(url.removeprefix("http://localhost"))
        assert answer.status_code == 200 and answer.mimetype == media_type
        assert _links(answer.headers)[0]["rel"] == "describes"


def test_the_linkset_lists_the_same_links_and_their_reverse(client: FlaskClient) -> None:
    record = _first(client, "dataset")
    page = client.get(f"/records/{record['id']}")
    header_links = [link for link in _links(page.headers) if link["rel"] != "linkset"]
    linkset_url = next(link["url"] for link in _links(page.headers) if link["rel"] == "linkset")
    answer = client.get(linkset_url.removeprefix("http://localhost"))
    assert answer.mimetype == "application/linkset+json"
    contexts = answer.get_json()["linkset"]
    anchor = contexts[0]
    assert anchor["anchor"] == f"http://localhost/records/{record['id']}"
    listed = [
        (rel, target["href"])
        for rel, targets in anchor.items()
        if rel != "anchor"
        for target in targets
    ]
    assert sorted(listed) == sorted((link["rel"], link["url"]) for link in header_links)
    reverse = {c["anchor"]: c for c in contexts[1:]}
    for link in header_links:
        if link["rel"] == "describedby":
            assert reverse[link["url"]]["describes"] == [{"href": anchor["anchor"]}]


@pytest.mark.parametrize("media_type", list(DESCRIBED_BY))
def test_records_negotiate_rdf(client: FlaskClient, media_type: str) -> None:
    record = _first(client, "dataset")
    answer = client.get(f"/records/{record['id']}", headers={"Accept": media_type})
    assert answer.status_code == 200 and answer.mimetype == media_type
    assert "Accept" in answer.headers["Vary"] and answer.headers["Link"]
    graph = Graph().parse(data=answer.get_data(as_text=True), format=DESCRIBED_BY[media_type])
    subject = URIRef(f"http://localhost/records/{record['id']}")
    if media_type == "application/ld+json":
        assert (subject, RDF.type, URIRef("https://schema.org/Dataset")) in graph
    else:
        assert (subject, RDF.type, DCAT.Dataset) in graph
        assert (subject, DCTERMS.title, None) in graph
    assert (subject, PROV.wasDerivedFrom, None) in graph or (
        subject,
        URIRef("https://schema.org/isBasedOn"),
        None,
    ) in graph


@pytest.mark.parametrize("kind", ["dataset", "project"])
def test_datacite_xml_by_negotiation_is_valid_kernel_4(client: FlaskClient, kind: str) -> None:
    schema = datacite_kernel4()
    if schema is None:
        pytest.skip("shared/fixtures/schemas is absent")
    record = _first(client, kind)
    answer = client.get(
        f"/records/{record['id']}", headers={"Accept": "application/vnd.datacite.datacite+xml"}
    )
    assert answer.mimetype == "application/vnd.datacite.datacite+xml"
    root = etree.fromstring(answer.get_data(), etree.XMLParser(resolve_entities=False))
    schema.assertValid(root)
    ns = {"d": "http://datacite.org/schema/kernel-4"}
    names = root.xpath("d:creators/d:creator/d:creatorName/text()", namespaces=ns)
    assert names == [c["name"] for c in record["creators"]]
    assert (
        root.xpath("string(d:publicationYear)", namespaces=ns) == str(record["date_published"])[:4]
    )


def test_records_with_files_give_data_downloads_and_datacite_formats(fair: FairPortal) -> None:
    schema = datacite_kernel4()
    assert schema is not None
    store = Store(fair.settings.database_url)
    for record_id in (*fair.with_files, fair.complete):
        row = store.get_normalised(record_id)
        assert row is not None
        record = json.loads(row.document)
        client_page = fair.page(record_id)
        embedded = re.search(
            r'<script type="application/ld\+json">(.*?)</script>',
            get(client_page, timeout=10).text,
            re.S,
        )
        assert embedded
        data = json.loads(embedded.group(1))
        urls = [d.get("contentUrl") for d in data["distribution"]]
        assert urls == [d["download_url"] or d["access_url"] for d in record["distributions"]]
        datacite = get(
            client_page, headers={"Accept": "application/vnd.datacite.datacite+xml"}, timeout=10
        )
        root = etree.fromstring(datacite.content, etree.XMLParser(resolve_entities=False))
        schema.assertValid(root)


def test_the_embedded_json_ld_states_what_the_source_did(client: FlaskClient) -> None:
    record = _first(client, "dataset")
    page = client.get(f"/records/{record['id']}").get_data(as_text=True)
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded
    data = json.loads(embedded.group(1))
    assert [c["name"] for c in data["creator"]] == [c["name"] for c in record["creators"]]
    assert data["publisher"]["name"] == record["publisher"]["name"]
    assert data["datePublished"] == record["date_published"]
    assert data["prov:wasGeneratedBy"]["@type"] == "prov:Activity"
    assert data["prov:wasGeneratedBy"]["prov:endedAtTime"] == record["provenance"]["harvested_at"]
    assert not contains_email(json.dumps(data))


def test_the_fair_panel_names_the_metrics_and_marks_what_does_not_apply(
    client: FlaskClient,
) -> None:
    record = _first(client, "project")
    page = client.get(f"/records/{record['id']}").get_data(as_text=True)
    assert "FAIRsFAIR data object assessment metrics" in page
    assert page.count('<th scope="row">FsF-') == 16
    assert page.count('class="na"') == 4  # the data metrics on a project
    assert re.search(r"<td>\d / \d</td>", page)


def test_half_points_are_shown_as_halves(fair: FairPortal) -> None:
    halves = [
        d
        for d in fair.documents()
        if any(i["earned"] == 0.5 for i in d["quality"]["indicators"])  # type: ignore[index]
    ]
    assert halves  # F-UJI's half points: metadata found, or data described but not linked
    page = get(fair.page(str(halves[0]["id"])), timeout=10).text
    assert re.search(r"<td>0\.5 / [12]</td>", page)
    assert "<td>0.0 /" not in page and "<td>1.0 /" not in page


def test_unknown_metadata_formats_and_records_are_not_found(client: FlaskClient) -> None:
    record = _first(client, "dataset")
    assert client.get(f"/records/{record['id']}/metadata/pdf").status_code == 404
    assert client.get("/records/demo-x:0000000000000000/metadata/ttl").status_code == 404
    assert client.get("/records/demo-x:0000000000000000/linkset").status_code == 404


def test_oai_datacite_carries_formats_sizes_and_coar_rights(fair: FairPortal) -> None:
    schema = datacite_kernel4()
    assert schema is not None
    host = fair.server.url.split("//", 1)[1].split(":")[0]
    answer = get(
        f"{fair.server.url}/oai",
        params={
            "verb": "GetRecord",
            "metadataPrefix": "oai_datacite",
            "identifier": f"oai:{host}:{fair.complete}",
        },
        timeout=10,
    )
    root = etree.fromstring(answer.content, etree.XMLParser(resolve_entities=False))
    ns = {"d": "http://datacite.org/schema/kernel-4"}
    resource = root.find(".//d:resource", ns)
    assert resource is not None
    schema.assertValid(resource)
    assert resource.xpath("d:sizes/d:size/text()", namespaces=ns) == [
        "2.5 MB",  # as the source rounded it: no false count of bytes
        "812345 bytes",
    ]
    assert resource.xpath("d:formats/d:format/text()", namespaces=ns) == [
        "text/csv",
        "application/zip",
    ]
    rights = resource.xpath("d:rightsList/d:rights/@rightsURI", namespaces=ns)
    assert "http://purl.org/coar/access_right/c_abf2" in rights
    creators = resource.xpath("d:creators/d:creator", namespaces=ns)
    orcid = creators[0].find("d:nameIdentifier", ns)
    assert orcid is not None and orcid.get("nameIdentifierScheme") == "ORCID"
    assert creators[0].find("d:creatorName", ns).get("nameType") == "Personal"


def test_the_page_shows_people_the_creators_publisher_and_files(fair: FairPortal) -> None:
    page = get(fair.page(fair.complete), timeout=10).text
    for label in ("Creators", "Publisher", "Published", "Variables measured", "Data"):
        assert f"<dt>{label}</dt>" in page
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in page
    assert re.search(
        r'<a href="https://data\.example\.org/[^"]+/counts\.csv"[^>]*type="text/csv">', page
    )
    assert " · 2.5 MB</li>" in page and "812,345 bytes" in page
