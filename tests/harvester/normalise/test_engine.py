"""The engine: one failing field never drops the record; provenance always filled."""

from pathlib import Path
from typing import Any

import pytest

from harvester.core.model import UNTITLED
from harvester.core.records import RawRecord
from harvester.normalise.crosswalk import Crosswalk, load_crosswalk
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.service import crosswalk_named
from harvester.normalise.transforms import REGISTRY, Transform

CONTEXT = SourceContext("demo", "Demo source", "Demo", "oai-pmh", "https://repo.example.org/oai")
DC = 'xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"'


def raw(body: str, identifier: str = "oai:repo.example.org:1") -> RawRecord:
    payload = f"<oai_dc:dc {DC}>{body}</oai_dc:dc>"
    return RawRecord("demo", identifier, "2024-05-01T10:00:00Z", "oai_dc", payload)


def test_oai_dc_record_maps_every_field() -> None:
    record = normalise(
        raw(
            "<dc:title xml:lang='de'>Vogelzählung im Garten</dc:title>"
            "<dc:title xml:lang='en'>Garden bird count</dc:title>"
            "<dc:description>&lt;p&gt;Birds are counted. Contact: jo.doe@example.org&lt;/p&gt;"
            "</dc:description>"
            "<dc:subject>birds; biodiversity</dc:subject>"
            "<dc:date>2021-04-01</dc:date>"
            "<dc:type>Dataset</dc:type>"
            "<dc:language>deu</dc:language>"
            "<dc:coverage>Bavaria, Germany</dc:coverage>"
            "<dc:publisher>Naturschutzbund Beispielland</dc:publisher>"
            "<dc:identifier>https://doi.org/10.82345/DEMO.0001</dc:identifier>"
            "<dc:rights>https://creativecommons.org/licenses/by/4.0/</dc:rights>"
            "<dc:rights>info:eu-repo/semantics/openAccess</dc:rights>"
        ),
        crosswalk_named("oai_dc"),
        CONTEXT,
        "2024-05-02T00:00:00Z",
    )
    assert record.title == "Vogelzählung im Garten"
    assert [(t.value, t.lang) for t in record.alternate_titles] == [("Garden bird count", "en")]
    assert record.description is not None
    assert "Birds are counted." in record.description
    assert "@" not in record.description
    assert "<p>" not in record.description
    assert record.keywords == ["birds", "biodiversity"]
    assert record.kind == "dataset"
    assert record.languages == ["de"]
    assert record.countries == ["DE"]
    assert record.date_modified == "2021-04-01"
    assert record.identifiers[0].scheme == "doi"
    assert record.identifiers[0].value == "10.82345/demo.0001"
    assert record.url == "https://doi.org/10.82345/DEMO.0001"
    assert record.license is not None
    assert record.license.spdx == "CC-BY-4.0"
    assert record.access_rights == "open"
    assert record.organisations[0].name == "Naturschutzbund Beispielland"
    provenance = record.provenance
    assert provenance.source_id == "demo"
    assert provenance.source_identifier == "oai:repo.example.org:1"
    assert provenance.datestamp == "2024-05-01T10:00:00Z"
    assert provenance.original_url == (
        "https://repo.example.org/oai?verb=GetRecord&metadataPrefix=oai_dc"
        "&identifier=oai%3Arepo.example.org%3A1"
    )
    assert record.quality.score > 0


def test_ids_are_stable_and_differ_between_sources() -> None:
    crosswalk = crosswalk_named("oai_dc")
    first = normalise(raw("<dc:title>A</dc:title>"), crosswalk, CONTEXT, "2024-01-01T00:00:00Z")
    again = normalise(raw("<dc:title>B</dc:title>"), crosswalk, CONTEXT, "2025-01-01T00:00:00Z")
    other = SourceContext("other", "Other", "Other", "oai-pmh", "https://other.example.org/oai")
    elsewhere = normalise(raw("<dc:title>A</dc:title>"), crosswalk, other, "2024-01-01T00:00:00Z")
    assert first.id == again.id
    assert first.id != elsewhere.id


def test_bad_values_become_issues_and_the_record_is_kept() -> None:
    record = normalise(
        raw(
            "<dc:title>Kept</dc:title><dc:language>Klingon-ish</dc:language><dc:date>yesterday</dc:date>"
        ),
        crosswalk_named("oai_dc"),
        CONTEXT,
        "2024-01-01T00:00:00Z",
    )
    assert record.title == "Kept"
    problems = {(i.field, i.problem) for i in record.quality.issues}
    assert ("languages", "invalid") in problems
    assert ("date_modified", "invalid") in problems


def test_missing_title_and_unreadable_payload() -> None:
    crosswalk = crosswalk_named("oai_dc")
    untitled = normalise(
        raw("<dc:subject>x</dc:subject>"), crosswalk, CONTEXT, "2024-01-01T00:00:00Z"
    )
    assert untitled.title == UNTITLED
    broken = RawRecord("demo", "oai:x:2", None, "oai_dc", "<oai_dc:dc><unclosed>")
    record = normalise(broken, crosswalk, CONTEXT, "2024-01-01T00:00:00Z")
    assert record.title == UNTITLED
    assert any("payload unreadable" in i.detail for i in record.quality.issues)


def _json_crosswalk(folder: Path, keywords_transform: str) -> Crosswalk:
    """A JSON crosswalk whose keywords go through ``keywords_transform``."""
    path = folder / "testing.yaml"
    path.write_text(
        "name: testing\nformat: json\nfields:\n"
        "  title:\n    paths: [title]\n    transforms: [trim, first]\n"
        f"  keywords:\n    paths: [tags]\n    transforms: [{keywords_transform}]\n"
        "  languages:\n    paths: [lang]\n    transforms: [language]\n"
        "  countries:\n    paths: [country]\n    transforms: [country]\n",
        encoding="utf-8",
    )
    return load_crosswalk(path)


def test_failing_transform_is_a_quality_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(values: list[Any], _arg: Any, _issues: Any) -> list[Any]:
        raise RuntimeError("cannot cope")

    monkeypatch.setitem(REGISTRY, "explode", Transform("explode", explode))
    crosswalk = _json_crosswalk(tmp_path, "explode")
    item = RawRecord("demo", "1", None, "json", '{"title": " T ", "tags": ["a"], "lang": "fr"}')
    record = normalise(item, crosswalk, CONTEXT, "2024-01-01T00:00:00Z")
    assert record.title == "T"
    assert record.languages == ["fr"]
    assert record.keywords == []
    [issue] = [i for i in record.quality.issues if i.field == "keywords"]
    assert issue.problem == "transform-failed"
    assert issue.detail == "RuntimeError: cannot cope"


def test_rejections_of_a_failing_rule_are_dropped_and_others_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reject_then_explode(values: list[Any], _arg: Any, issues: Any) -> list[Any]:
        issues.reject("thing", "odd")
        raise RuntimeError("cannot cope")

    monkeypatch.setitem(REGISTRY, "reject-then-explode", Transform("x", reject_then_explode))
    crosswalk = _json_crosswalk(tmp_path, "reject-then-explode")
    item = RawRecord(
        "demo", "1", None, "json", '{"title": "T", "tags": ["a"], "lang": "xx", "country": "DE"}'
    )
    record = normalise(item, crosswalk, CONTEXT, "2024-01-01T00:00:00Z")
    crosswalk_issues = [
        (i.field, i.problem, i.detail) for i in record.quality.issues if i.problem != "missing"
    ]
    assert crosswalk_issues == [
        ("keywords", "transform-failed", "RuntimeError: cannot cope"),
        ("languages", "invalid", "language: 'xx' not recognised"),
    ]
    assert record.countries == ["DE"]
