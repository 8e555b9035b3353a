"""IRIs the record metadata is published with, and typed links that cannot be broken by
what a source harvested."""

from __future__ import annotations

from requests.utils import parse_header_links

from portal.jsonld import related_iri, related_properties
from portal.signposting import TypedLink, link_header
from portal.vocabularies import eu_country, eu_language, safe_iri


def test_eu_authority_iris_from_model_codes() -> None:
    base = "http://publications.europa.eu/resource/authority/"
    assert eu_country("DE") == base + "country/DEU"
    assert eu_language("nl") == base + "language/NLD"
    assert eu_language("zz") is None


def test_unsafe_iris_are_refused() -> None:
    assert safe_iri("https://example.org/a b") is None
    assert safe_iri("https://example.org/a>b") is None
    assert safe_iri('https://example.org/"x"') is None
    assert safe_iri("ftp://example.org/x") is None
    assert safe_iri("https://example.org/x?y=1#z") == "https://example.org/x?y=1#z"


def test_related_resources_become_iris_by_scheme() -> None:
    assert (
        related_iri({"identifier": "10.5281/zenodo.1", "scheme": "doi"})
        == "https://doi.org/10.5281/zenodo.1"
    )
    assert related_iri({"identifier": "10.5281/zenodo.1"}) == "https://doi.org/10.5281/zenodo.1"
    assert (
        related_iri({"identifier": "11304/abc", "scheme": "handle"})
        == "https://hdl.handle.net/11304/abc"
    )
    assert related_iri({"identifier": "a thesis in a library", "scheme": "other"}) is None
    assert related_iri({"identifier": "https://x.org/<script>"}) is None
    found = related_properties(
        [
            {"relation": "IsPartOf", "identifier": "https://x.org/series"},
            {"relation": "IsDocumentedBy", "identifier": "https://x.org/methods"},
        ]
    )
    assert found == {
        "isPartOf": [{"@id": "https://x.org/series"}],
        "dct:relation": [{"@id": "https://x.org/series"}, {"@id": "https://x.org/methods"}],
    }


def test_link_headers_escape_what_would_split_them() -> None:
    header = link_header(
        [
            TypedLink('https://x.org/a>,<https://evil.example/>; rel="item"', "item", "text/csv"),
            TypedLink("https://x.org/b", "cite-as"),
        ]
    )
    links = parse_header_links(header)
    assert [link["rel"] for link in links] == ["item", "cite-as"]
    assert "evil.example" in links[0]["url"] and ">" not in links[0]["url"]
    assert links[0]["type"] == "text/csv"
