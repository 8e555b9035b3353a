"""Elasticsearch request bodies for the one query model: pure functions, no client.

Only the parsed atoms of :mod:`harvester.index.text` reach Elasticsearch, each as a
``match`` / ``match_phrase`` / ``prefix`` / ``match_phrase_prefix`` query, so no user syntax
is ever interpreted by the engine (no ``query_string``).

Faceting is disjunctive: the text query is the ``query``; every facet filter (the year
range belongs to the ``year`` group) goes into ``post_filter``, so hits are narrowed by all
of them, while each facet's aggregation is narrowed by every filter except its own. The
bounding box is no facet and narrows everything, so it sits in the ``query``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from harvester.index.collapse import CLUSTER, VIEW, hidden_view
from harvester.index.dimensions import COUNTED_ONLY
from harvester.index.documents import IndexDocument, title_sort_key
from harvester.index.highlight import END, START
from harvester.index.query import FACETS, BoundingBox, SearchQuery
from harvester.index.text import Atom, TextQuery, words_of

Body = dict[str, Any]

FIELDS: tuple[tuple[str, float], ...] = (
    ("title", 10.0),
    ("alt_titles", 8.0),
    ("keywords", 5.0),
    ("description", 1.0),
    ("other", 1.0),
)
STEMMED_WEIGHT = 2.0  # as the embedded index weighs its stems: below the words as written
# Languages with a ``stemmed.<lang>`` field in the index template (kept equal by a test).
STEMMED_LANGUAGES: frozenset[str] = frozenset(
    {
        *("bg", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr"),
        *("hu", "it", "lt", "lv", "nl", "no", "pt", "ro", "ru", "sv"),
    }
)
FACET_SIZE = 500  # values counted per facet (countries, sources, years: all fit)
PHRASE_PREFIX_EXPANSIONS = 200
SNIPPET_CHARS = 200
SUGGEST_WORDS = 12  # completion inputs: the title from each of its first words
SUGGEST_FULL_TITLE = 1_000  # weight bonus: titles that start as typed come first
SOURCE_FIELDS = ("id", "title", "description", "summary")
INDEXED: frozenset[str] = frozenset((*FACETS, *COUNTED_ONLY))
"""The fields under ``facets`` in the index template: filters, and fields insights count."""


# -- documents -------------------------------------------------------------------------


def document_body(doc: IndexDocument) -> Body:
    """The ``_source`` indexed for a document (see the index template)."""
    body: Body = {
        "id": doc.id,
        "title": doc.title,
        "alt_titles": doc.alt_titles,
        "keywords": doc.keywords,
        "description": doc.description,
        "other": doc.other,
        "title_sort": title_sort_key(doc.title),
        "facets": {name: list(values) for name, values in doc.facets.items() if name in INDEXED},
        "year": doc.year,
        "newest": doc.newest,
        "boost": doc.boost,
        "summary": dict(doc.summary),
    }
    view = doc.facets.get(VIEW, ())
    if view:
        body["view"] = view[0]
    if doc.bbox is not None:
        body["bbox"] = envelope_shape(*doc.bbox)
    suggest = suggest_inputs(doc.title, doc.boost) if CLUSTER not in view else []
    if suggest:
        body["suggest"] = suggest
    stemmed = stemmed_text(doc)
    if stemmed:
        body["stemmed"] = stemmed
    return body


def envelope_shape(west: float, south: float, east: float, north: float) -> Body:
    """A record's envelope as GeoJSON-like shape; a point or line when it has no area."""
    if west == east and south == north:
        return {"type": "point", "coordinates": [west, south]}
    if west == east or south == north:
        return {"type": "linestring", "coordinates": [[west, south], [east, north]]}
    return {"type": "envelope", "coordinates": [[west, north], [east, south]]}


def suggest_inputs(title: str, boost: int) -> list[Body]:
    """Completion inputs: the whole title (ranked first), then the title from each later word.

    So typing the start of any word of a title suggests it, as the embedded backend does.
    """
    words = title.split()
    if not words_of(title):
        return []
    later = [" ".join(words[i:]) for i in range(1, min(len(words), SUGGEST_WORDS))]
    later = [text for text in dict.fromkeys(later) if words_of(text)]
    inputs: list[Body] = [{"input": [title], "weight": SUGGEST_FULL_TITLE + boost}]
    if later:
        inputs.append({"input": later, "weight": boost})
    return inputs


def stemmed_text(doc: IndexDocument) -> dict[str, str]:
    """Title and description of each language version, under its language (those the
    template has a stemming analyzer for)."""
    return {
        lang: text
        for lang, text in doc.language_texts.items()
        if lang in STEMMED_LANGUAGES and text
    }


# -- text ------------------------------------------------------------------------------


def field_query(field: str, boost: float, atom: Atom) -> Body:
    """One atom against one field: a word, a phrase, a prefix or a phrase ending in a prefix."""
    text = " ".join(atom.words)
    if atom.prefix and len(atom.words) == 1:
        return {"prefix": {field: {"value": text, "boost": boost}}}
    if atom.prefix:
        return {
            "match_phrase_prefix": {
                field: {
                    "query": text,
                    "boost": boost,
                    "max_expansions": PHRASE_PREFIX_EXPANSIONS,
                }
            }
        }
    if len(atom.words) > 1:
        return {"match_phrase": {field: {"query": text, "boost": boost}}}
    return {"match": {field: {"query": text, "operator": "and", "boost": boost}}}


def atom_query(atom: Atom, languages: Sequence[str] = ()) -> Body:
    """An atom in any searchable field; scores add up over the fields (as BM25 in FTS5).
    A single unquoted word also matches the stemmed text of records in ``languages``."""
    should = [field_query(field, boost, atom) for field, boost in FIELDS]
    if not atom.prefix and not atom.quoted and len(atom.words) == 1:
        should += [
            field_query(f"stemmed.{lang}", STEMMED_WEIGHT, atom)
            for lang in languages
            if lang in STEMMED_LANGUAGES
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def clause_query(atoms: Sequence[Atom], languages: Sequence[str] = ()) -> Body:
    """Any of the atoms (``a OR b``)."""
    if len(atoms) == 1:
        return atom_query(atoms[0], languages)
    return {
        "bool": {
            "should": [atom_query(a, languages) for a in atoms],
            "minimum_should_match": 1,
        }
    }


def text_query(text: TextQuery, *, stemming: bool = True) -> Body:
    """All clauses, none of the excluded atoms; everything when the text is empty.

    With ``stemming`` a single word also matches its stem in the query's languages
    (``text.languages``), in the text of records in those languages (``stemmed.<lang>``),
    as the embedded index stems them.
    """
    if text.empty:
        return {"match_all": {}}
    query: Body = {}
    languages = text.languages if stemming else ()
    if text.clauses:
        query["must"] = [clause_query(c, languages) for c in text.clauses]
    if text.excluded:
        query["must_not"] = [atom_query(a) for a in text.excluded]
    return {"bool": query}


# -- filters ---------------------------------------------------------------------------


def bbox_filter(box: BoundingBox) -> Body:
    """Records whose envelope meets the box; a box across the antimeridian is split in two."""
    if box.west <= box.east:
        return _envelope_query(box.west, box.south, box.east, box.north)
    return {
        "bool": {
            "should": [
                _envelope_query(box.west, box.south, 180.0, box.north),
                _envelope_query(-180.0, box.south, box.east, box.north),
            ],
            "minimum_should_match": 1,
        }
    }


def _envelope_query(west: float, south: float, east: float, north: float) -> Body:
    shape = {"type": "envelope", "coordinates": [[west, north], [east, south]]}
    return {"geo_shape": {"bbox": {"shape": shape, "relation": "intersects"}}}


def view_filter(collapse: bool) -> Body:
    """The documents the view leaves out (see :mod:`harvester.index.collapse`)."""
    return {"term": {"view": hidden_view(collapse)}}


def facet_filters(query: SearchQuery) -> dict[str, Body]:
    """One filter per constrained facet group: OR inside, the year range with ``year``."""
    found: dict[str, Body] = {}
    for facet in FACETS:
        chosen = query.selected(facet)
        if chosen:
            found[facet] = {"terms": {f"facets.{facet}": sorted(chosen)}}
    if query.year_from is not None or query.year_to is not None:
        bounds = {"gte": query.year_from, "lte": query.year_to}
        ranged = {"range": {"year": {k: v for k, v in bounds.items() if v is not None}}}
        found["year"] = {"bool": {"filter": [found["year"], ranged]}} if "year" in found else ranged
    return found


def combined(filters: Sequence[Body]) -> Body:
    """All of the filters (everything when there are none)."""
    if not filters:
        return {"match_all": {}}
    if len(filters) == 1:
        return filters[0]
    return {"bool": {"filter": list(filters)}}


def facet_aggregations(filters: Mapping[str, Body]) -> Body:
    """Every facet's counts, each narrowed by all filters but its own."""
    aggs: Body = {}
    for facet in FACETS:
        others = [body for name, body in filters.items() if name != facet]
        aggs[facet] = {
            "filter": combined(others),
            "aggs": {
                "values": {
                    "terms": {
                        "field": f"facets.{facet}",
                        "size": FACET_SIZE,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
            },
        }
    return aggs


# -- sort, highlight, the whole request ------------------------------------------------


def effective_sort(query: SearchQuery) -> str:
    """The sort applied: relevance needs words to rank by, otherwise newest."""
    sort = query.effective_sort
    return "newest" if sort == "relevance" and not query.parsed.clauses else sort


def sort_clause(sort: str) -> list[Body]:
    """A total order: ties go to the richer record, then the id (stable paging)."""
    last: list[Body] = [{"boost": "desc"}, {"newest": "desc"}, {"id": "asc"}]
    if sort == "relevance":
        return [{"_score": "desc"}, *last]
    if sort == "title":
        return [{"title_sort": "asc"}, {"id": "asc"}]
    return [{"newest": "desc"}, {"boost": "desc"}, {"id": "asc"}]


def highlight_clause() -> Body:
    """The whole title and one description fragment, marked with the control characters."""
    return {
        "pre_tags": [START],
        "post_tags": [END],
        "type": "unified",
        "fields": {
            "title": {"number_of_fragments": 0},
            "description": {
                "fragment_size": SNIPPET_CHARS,
                "number_of_fragments": 1,
                "no_match_size": SNIPPET_CHARS,
            },
        },
    }


def main_query(query: SearchQuery, *, stemming: bool = True) -> Body:
    """What selects before the facet filters: the text and the bounding box, in the view
    the query asks for (collapsed or not)."""
    main: Body = {"bool": {"must": [text_query(query.parsed, stemming=stemming)]}}
    if query.bbox is not None:
        main["bool"]["filter"] = [bbox_filter(query.bbox)]
    main["bool"]["must_not"] = [view_filter(query.collapse)]
    return main


def search_body(query: SearchQuery, *, stemming: bool = True) -> Body:
    """The one request that answers a query: a page of hits, the total, all facet counts."""
    parsed = query.parsed
    main = main_query(query, stemming=stemming)
    filters = facet_filters(query)
    body: Body = {
        "query": main,
        "aggs": facet_aggregations(filters),
        "sort": sort_clause(effective_sort(query)),
        "from": query.offset,
        "size": query.per_page,
        "track_total_hits": True,
        "_source": list(SOURCE_FIELDS),
    }
    if filters:
        body["post_filter"] = combined(list(filters.values()))
    if parsed.clauses:
        body["highlight"] = highlight_clause()
    return body


def suggest_body(prefix: str, limit: int) -> Body | None:
    """A completion request for what has been typed; ``None`` when nothing can match."""
    words = words_of(prefix)
    if not words or limit < 1:
        return None
    return {
        "_source": ["id", "title"],
        "suggest": {
            "titles": {
                "prefix": " ".join(words),
                "completion": {"field": "suggest", "size": limit * 3, "skip_duplicates": True},
            }
        },
    }
