import pytest

from harvester.core.jsonld import jsonld_nodes
from harvester.normalise.readers import (
    UnreadablePayload,
    compact,
    parse_graph,
    rdf_resources,
    read_document,
)

TURTLE = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://data.example.org/ds/1> a dcat:Dataset ;
    dct:title "Stadtbäume"@de, "Urban trees"@en ;
    dcat:keyword "trees" ;
    dct:publisher [ a foaf:Organization ; foaf:name "City of Example" ] .
"""


def test_jsonld_nodes_found_in_graph_lists_and_nesting() -> None:
    document = {
        "@context": "https://schema.org/",
        "@graph": [
            {"@type": "WebPage", "mainEntity": {"@type": "schema:Dataset", "schema:name": "A"}},
            [{"@type": ["Thing", "ResearchProject"], "name": "B"}],
        ],
    }
    found = list(jsonld_nodes(document, ("Dataset", "ResearchProject")))
    assert [node["name"] for node in found] == ["A", "B"]
    assert found[0]["@type"] == "Dataset"


def test_rdf_resources_are_plain_dicts_with_compact_keys() -> None:
    [(subject, description)] = list(rdf_resources(parse_graph(TURTLE), ("dcat:Dataset",)))
    assert str(subject) == "https://data.example.org/ds/1"
    titles = sorted((t["value"], t["lang"]) for t in description["dct:title"])
    assert titles == [("Stadtbäume", "de"), ("Urban trees", "en")]
    [publisher] = description["dct:publisher"]
    assert publisher["foaf:name"] == [{"value": "City of Example", "lang": None}]


def test_read_document_says_why_it_cannot_read() -> None:
    with pytest.raises(UnreadablePayload, match="no RDF resource of type dcat:Dataset"):
        read_document("<https://x.example/a> <https://x.example/b> 'c' .", "rdf", ("dcat:Dataset",))
    with pytest.raises(UnreadablePayload, match="no JSON-LD node of type Dataset"):
        read_document('{"@type": "Person"}', "jsonld", ("Dataset",))
    with pytest.raises(UnreadablePayload, match="JSONDecodeError"):
        read_document("{broken", "json")


def test_xml_entities_are_never_expanded() -> None:
    payload = '<!DOCTYPE a [<!ENTITY x "expanded">]><a>&x;</a>'
    root = read_document(payload, "xml")
    assert "expanded" not in (root.text or "")


def test_compact_names() -> None:
    assert compact("http://purl.org/dc/terms/title") == "dct:title"
    assert compact("http://purl.org/dc/terms/#conformsTo") == "dct:conformsTo"
    assert compact("https://unknown.example/p") == "https://unknown.example/p"
