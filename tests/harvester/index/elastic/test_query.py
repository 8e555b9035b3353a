"""Elasticsearch request bodies, checked without a cluster."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harvester.index.dimensions import COUNTED_ONLY
from harvester.index.elastic.backend import load_template
from harvester.index.elastic.query import (
    FIELDS,
    INDEXED,
    STEMMED_LANGUAGES,
    bbox_filter,
    document_body,
    envelope_shape,
    search_body,
    suggest_body,
    suggest_inputs,
    text_query,
)
from harvester.index.highlight import END, START
from harvester.index.query import FACETS, BoundingBox, SearchQuery, build_query
from harvester.index.text import parse_text
from tests.harvester.index.corpus import corpus, doc

HOSTILE = [
    '"',
    '"""',
    "-",
    "OR",
    "OR OR water OR",
    "*",
    "AND OR NOT ( ) : * \\ / ~ ^ [ ] { }",
    "'; DROP TABLE docs; --",
    "title:water AND boost:100^9",
    "water~2 [a TO z] /re.*gex/",
    '-""',
    "\x00\x02\x03",
    "a" * 5000,
]


def body(text: str = "", *pairs: tuple[str, str], **options: Any) -> dict[str, Any]:
    return search_body(build_query(text, pairs, **options))


def walk(node: Any) -> list[tuple[str, Any]]:
    """Every (key, value) pair anywhere in a JSON-like tree."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((key, value))
            found += walk(value)
    elif isinstance(node, list):
        for item in node:
            found += walk(item)
    return found


def queries_of(kind: str, tree: Any) -> list[Any]:
    return [value for key, value in walk(tree) if key == kind]


def fields_in(kind: str, tree: Any) -> set[str]:
    return {field for spec in queries_of(kind, tree) for field in spec}


# -- text --------------------------------------------------------------------------------


def test_an_empty_text_matches_everything_newest_first() -> None:
    sent = body()
    assert sent["query"]["bool"]["must"] == [{"match_all": {}}]
    assert sent["sort"] == [{"newest": "desc"}, {"boost": "desc"}, {"id": "asc"}]
    assert "highlight" not in sent and "post_filter" not in sent


def test_plain_words_must_all_match_in_any_weighted_field() -> None:
    query = text_query(parse_text("Garden birds"))
    must = query["bool"]["must"]
    assert len(must) == 2
    first = must[0]["bool"]
    assert first["minimum_should_match"] == 1
    assert first["should"] == [
        {"match": {field: {"query": "garden", "operator": "and", "boost": weight}}}
        for field, weight in FIELDS
    ]
    assert dict(FIELDS) == {
        "title": 10.0,
        "alt_titles": 8.0,
        "keywords": 5.0,
        "description": 1.0,
        "other": 1.0,
    }


def test_words_are_folded_before_they_are_sent() -> None:
    query = text_query(parse_text("Évora STRAßE"))
    sent = {spec["title"]["query"] for spec in queries_of("match", query) if "title" in spec}
    assert sent == {"evora", "strasse"}


def test_a_phrase_is_a_match_phrase_in_each_field() -> None:
    query = text_query(parse_text('"Water Quality"'))
    phrases = queries_of("match_phrase", query)
    assert {next(iter(p)) for p in phrases} == {f for f, _ in FIELDS}
    assert all(next(iter(p.values()))["query"] == "water quality" for p in phrases)
    assert not queries_of("match", query)


def test_a_prefix_is_a_prefix_query_and_a_phrase_prefix_a_match_phrase_prefix() -> None:
    word = text_query(parse_text("hedge*"))
    assert queries_of("prefix", word)[0] == {"title": {"value": "hedge", "boost": 10.0}}
    phrase = text_query(parse_text("meet-het-wa*"))  # one token, three words
    spec = queries_of("match_phrase_prefix", phrase)[0]["title"]
    assert spec["query"] == "meet het wa"
    one_letter = text_query(parse_text("h*"))  # too short to be a prefix: a word
    assert not queries_of("prefix", one_letter)


def test_exclusions_are_must_not_and_alone_leave_everything_else() -> None:
    query = text_query(parse_text("birds -volunteers"))
    assert len(query["bool"]["must"]) == 1
    excluded = query["bool"]["must_not"]
    assert len(excluded) == 1
    assert fields_in("match", excluded) == {f for f, _ in FIELDS}
    only = text_query(parse_text("-water"))
    assert "must" not in only["bool"] and len(only["bool"]["must_not"]) == 1


def test_or_joins_atoms_into_one_clause() -> None:
    query = text_query(parse_text("hedgehogs OR plankton garden"))
    must = query["bool"]["must"]
    assert len(must) == 2
    either = must[0]["bool"]
    assert either["minimum_should_match"] == 1 and len(either["should"]) == 2


@pytest.mark.parametrize("text", HOSTILE)
def test_user_syntax_never_reaches_the_engine(text: str) -> None:
    sent = body(text)
    encoded = json.dumps(sent)
    assert "query_string" not in encoded and "simple_query_string" not in encoded
    assert not queries_of("regexp", sent) and not queries_of("wildcard", sent)
    assert not queries_of("fuzzy", sent)
    for value in [v for k, v in walk(sent) if k in ("query", "value") and isinstance(v, str)]:
        assert all(c.isalnum() or c == " " for c in value), value


def test_single_words_also_match_the_stemmed_text_of_the_querys_languages() -> None:
    query = build_query('citizens "noise" light* -air', lang="de")
    sent = text_query(query.parsed)
    assert fields_in("match", sent) == {name for name, _ in FIELDS} | {"stemmed.de"}
    assert not any(f.startswith("stemmed.") for f in fields_in("match_phrase", sent))
    guessed = text_query(build_query("Vögel zählen", ui_lang="fr").parsed)
    assert {"stemmed.de", "stemmed.fr"} <= fields_in("match", guessed)
    assert "stemmed.en" not in fields_in("match", guessed)
    assert "sv" in STEMMED_LANGUAGES
    plain = text_query(query.parsed, stemming=False)
    assert not any(f.startswith("stemmed.") for f in fields_in("match", plain))


# -- filters and facets ------------------------------------------------------------------


def test_values_of_a_facet_are_or_and_facets_are_and_in_the_post_filter() -> None:
    sent = body("", ("country", "NL"), ("country", "GB"), ("kind", "dataset"))
    assert sent["post_filter"] == {
        "bool": {
            "filter": [
                {"terms": {"facets.kind": ["dataset"]}},
                {"terms": {"facets.country": ["GB", "NL"]}},
            ]
        }
    }
    # facets never narrow the query itself (only the view does: see test_collapse)
    assert sent["query"]["bool"]["must"] == [{"match_all": {}}]
    assert sent["query"]["bool"]["must_not"] == [{"term": {"view": "listing"}}]


@pytest.mark.parametrize(
    ("facet", "value", "sent"),
    [
        ("kind", "Dataset", "dataset"),
        ("country", "de", "DE"),
        ("language", "EL", "el"),
        ("topic", "1.3", "1.3"),
        ("sdg", "06", "6"),
        ("status", "paused", "paused"),
        ("license", "CC-BY-4.0", "CC-BY-4.0"),
        ("access", "Open", "open"),
        ("platform", "zooniverse", "zooniverse"),
        ("source", "second", "second"),
        ("has_pid", "TRUE", "true"),
        ("year", "2016", "2016"),
    ],
)
def test_each_facet_filters_on_its_keyword_field(facet: str, value: str, sent: str) -> None:
    assert body("", (facet, value))["post_filter"] == {"terms": {f"facets.{facet}": [sent]}}


def test_a_facets_own_filter_is_left_out_of_its_counts() -> None:
    sent = body("", ("country", "DE"), ("language", "de"))
    aggs = sent["aggs"]
    assert set(aggs) == set(FACETS)
    by_country = {"terms": {"facets.country": ["DE"]}}
    by_language = {"terms": {"facets.language": ["de"]}}
    assert aggs["country"]["filter"] == by_language
    assert aggs["language"]["filter"] == by_country
    assert aggs["kind"]["filter"] == {"bool": {"filter": [by_country, by_language]}}
    assert sent["post_filter"] == {"bool": {"filter": [by_country, by_language]}}
    terms = aggs["country"]["aggs"]["values"]["terms"]
    assert terms["field"] == "facets.country" and terms["size"] >= 250


def test_without_filters_every_count_covers_the_whole_match() -> None:
    aggs = body("water")["aggs"]
    assert all(agg["filter"] == {"match_all": {}} for agg in aggs.values())


def test_the_year_range_belongs_to_the_year_group() -> None:
    sent = body("", ("year_from", "2018"), ("year_to", "2020"), ("country", "DE"))
    ranged = {"range": {"year": {"gte": 2018, "lte": 2020}}}
    assert ranged in sent["post_filter"]["bool"]["filter"]
    assert sent["aggs"]["year"]["filter"] == {"terms": {"facets.country": ["DE"]}}
    assert ranged == sent["aggs"]["country"]["filter"]
    open_ended = body("", ("year_from", "2018"))["post_filter"]
    assert open_ended == {"range": {"year": {"gte": 2018}}}
    both = body("", ("year", "2016"), ("year_to", "2020"))["post_filter"]
    assert both == {
        "bool": {
            "filter": [{"terms": {"facets.year": ["2016"]}}, {"range": {"year": {"lte": 2020}}}]
        }
    }


def test_a_bounding_box_narrows_the_query_and_so_every_count() -> None:
    sent = body("water", ("bbox", "3,50,7,54"))
    assert sent["query"]["bool"]["filter"] == [
        {
            "geo_shape": {
                "bbox": {
                    "shape": {"type": "envelope", "coordinates": [[3.0, 54.0], [7.0, 50.0]]},
                    "relation": "intersects",
                }
            }
        }
    ]
    assert "post_filter" not in sent


def test_a_box_across_the_antimeridian_is_two_boxes() -> None:
    sent = bbox_filter(BoundingBox(170, -10, -170, 10))
    shapes = [q["geo_shape"]["bbox"]["shape"]["coordinates"] for q in sent["bool"]["should"]]
    assert shapes == [[[170, 10], [180.0, -10]], [[-180.0, 10], [-170, -10]]]
    assert sent["bool"]["minimum_should_match"] == 1


# -- sort, paging, highlight ---------------------------------------------------------------


def test_sorts_give_a_total_order() -> None:
    assert body("water")["sort"] == [
        {"_score": "desc"},
        {"boost": "desc"},
        {"newest": "desc"},
        {"id": "asc"},
    ]
    assert body("water", sort="newest")["sort"][0] == {"newest": "desc"}
    assert body("", sort="title")["sort"] == [{"title_sort": "asc"}, {"id": "asc"}]
    assert body("", sort="relevance")["sort"][0] == {"newest": "desc"}  # no words to rank by
    assert body("-water", sort="relevance")["sort"][0] == {"newest": "desc"}


def test_paging_and_totals() -> None:
    sent = body("water", page=3, per_page=25)
    assert (sent["from"], sent["size"], sent["track_total_hits"]) == (50, 25, True)
    last = search_body(SearchQuery(page=100, per_page=100))
    assert last["from"] + last["size"] == 10_000


def test_highlights_use_the_control_marks() -> None:
    highlight = body("plankton")["highlight"]
    assert highlight["pre_tags"] == [START] and highlight["post_tags"] == [END]
    assert highlight["fields"]["title"] == {"number_of_fragments": 0}
    assert highlight["fields"]["description"]["number_of_fragments"] == 1
    assert "encoder" not in highlight  # escaping happens afterwards, in marked_html


# -- documents, template, suggestions ------------------------------------------------------


def test_a_document_body_fills_every_mapped_field() -> None:
    water = next(d for d in corpus() if d.title == "Müll im Fluss")
    sent = document_body(water)
    assert sent["facets"]["country"] == ["DE", "AT"]
    assert sent["bbox"] == {"type": "envelope", "coordinates": [[9.0, 55.0], [17.0, 47.0]]}
    assert sent["title_sort"] == "mull im fluss"
    assert sent["stemmed"] == {"de": f"{water.title}\n{water.description}"}
    both = "Wir zählen Vögel.\n\nWe count birds."
    bilingual = doc("x", "Vogelzählung", languages=["de", "en"], description=both)
    assert document_body(bilingual)["stemmed"] == {
        "de": "Vogelzählung\nWir zählen Vögel.",
        "en": "We count birds.",
    }
    assert sent["suggest"][0] == {"input": ["Müll im Fluss"], "weight": 1000 + water.boost}
    assert sent["suggest"][1]["input"] == ["im Fluss", "Fluss"]
    mapped = set(load_template()["template"]["mappings"]["properties"])
    assert set(sent) <= mapped
    json.dumps(sent)  # JSON-ready


def test_points_and_lines_are_indexed_as_such() -> None:
    assert envelope_shape(5, 52, 5, 52) == {"type": "point", "coordinates": [5, 52]}
    assert envelope_shape(5, 50, 5, 52)["type"] == "linestring"
    two_languages = doc("x", "Counting", languages=["de", "en"], description="d")
    assert "bbox" not in document_body(two_languages)


def test_the_template_has_the_agreed_fields() -> None:
    template = load_template()["template"]
    props = template["mappings"]["properties"]
    assert props["summary"] == {"type": "object", "enabled": False}
    assert props["bbox"]["type"] == "geo_shape"
    assert props["suggest"]["type"] == "completion"
    assert props["year"]["type"] == "integer" and props["newest"]["type"] == "long"
    assert set(props["facets"]["properties"]) == set(FACETS) | set(COUNTED_ONLY) == INDEXED
    assert all(v["type"] == "keyword" for v in props["facets"]["properties"].values())
    assert all(props[f]["analyzer"] == "csf_text" for f, _ in FIELDS)
    assert set(props["stemmed"]["properties"]) == STEMMED_LANGUAGES
    text = template["settings"]["analysis"]["analyzer"]["csf_text"]
    assert text["filter"] == ["csf_lowercase", "asciifolding"]  # folded, never stemmed


def test_suggestions_ask_the_completion_field() -> None:
    sent = suggest_body("Meet het W", 5)
    assert sent is not None
    completion = sent["suggest"]["titles"]
    assert completion["prefix"] == "meet het w"
    assert completion["completion"]["field"] == "suggest"
    assert completion["completion"]["skip_duplicates"] is True
    assert suggest_body('"*', 5) is None and suggest_body("", 5) is None
    assert suggest_body("x", 0) is None
    assert suggest_inputs("!!!", 0) == []
