"""Property tests: no payload, however broken, makes the normaliser raise; every result is a
valid record with a title and its provenance."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.core.model import Record
from harvester.core.records import RawRecord
from harvester.normalise.crosswalk import load_crosswalks
from harvester.normalise.engine import SourceContext, normalise

CONTEXT = SourceContext("fuzz", "Fuzz", "fuzz", "json-api", "https://api.example.org/")
JSON_CROSSWALKS = sorted(
    (name, crosswalk) for name, crosswalk in load_crosswalks().items() if crosswalk.format == "json"
)
OAI_DC = load_crosswalks()["oai_dc"]

# Keys the JSON crosswalks read, so that generated documents reach their paths and
# transforms (and not only their first lookups), beside arbitrary keys.
KEYS = st.one_of(
    st.sampled_from(
        [
            "attributes",
            "metadata",
            "title",
            "titles",
            "description",
            "descriptions",
            "doi",
            "key",
            "slug",
            "url",
            "links",
            "self_html",
            "latitude",
            "longitude",
            "location",
            "lat",
            "lon",
            "geoLocations",
            "geoLocationPoint",
            "pointLatitude",
            "geographicCoverages",
            "boundingBox",
            "minLatitude",
            "maxLatitude",
            "minLongitude",
            "maxLongitude",
            "temporalCoverages",
            "start",
            "end",
            "rightsList",
            "rightsUri",
            "rights",
            "license",
            "id",
            "extras",
            "value",
            "spatial",
            "tags",
            "name",
            "type",
            "coordinates",
            "projectName",
            "projectStartDate",
            "projectLastUpdatedDate",
            "projectGeographicLocation",
            "projectPinLatitude",
            "scientificProcessInvolved",
            "hasTag",
            "difficultyLevel",
            "contactPoint",
            "contactDetails",
            "relatedIdentifiers",
            "relatedIdentifier",
            "relationType",
            "related_identifiers",
            "identifier",
            "relation",
            "contacts",
            "organization",
            "publisher",
            "fundingReferences",
            "funderName",
            "language",
        ]
    ),
    st.text(max_size=8),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2011-12-31T23:59:59+00:00",
            "Unknown",
            "47.4,-120.5",
            "91,200",
            '{"type": "Point", "coordinates": [1, 2]}',
            "https://example.org/x",
            "info:eu-repo/semantics/openAccess",
            "10.1234/abc",
            "someone@example.org",
            "<p>x &amp;lt;b&amp;gt;</p>",
            "Participate from home",
            "Easy",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=6)
    ),
    max_leaves=30,
)


def assert_valid(record: Record) -> None:
    again = Record.model_validate(record.model_dump())
    assert again == record
    assert record.title.strip()
    assert record.provenance.source_id == "fuzz"


@settings(max_examples=150, deadline=None)
@given(document=JSON, as_text=st.booleans(), text=st.text(max_size=40))
def test_any_json_maps_with_every_json_crosswalk(document: Any, as_text: bool, text: str) -> None:
    payload = text if as_text else json.dumps(document, ensure_ascii=False)
    raw = RawRecord("fuzz", "fuzz:1", None, "json", payload, media_type="application/json")
    for _name, crosswalk in JSON_CROSSWALKS:
        assert_valid(normalise(raw, crosswalk, CONTEXT, "2026-01-01T00:00:00Z"))


DC = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">{}</oai_dc:dc>'
)
DC_ELEMENTS = st.sampled_from(
    ["title", "description", "date", "type", "language", "coverage", "identifier", "rights"]
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(),
    fields=st.lists(st.tuples(DC_ELEMENTS, st.text(max_size=40)), max_size=6),
    wrapped=st.booleans(),
)
def test_any_text_maps_as_oai_dc(text: str, fields: list[tuple[str, str]], wrapped: bool) -> None:
    body = "".join(f"<dc:{name}>{value}</dc:{name}>" for name, value in fields)
    payload = DC.format(body + text) if wrapped else text
    raw = RawRecord("fuzz", "oai:fuzz:1", None, "oai_dc", payload)
    assert_valid(normalise(raw, OAI_DC, CONTEXT, "2026-01-01T00:00:00Z"))
