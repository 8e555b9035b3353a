"""Raw records from JSON files: API pages, single JSON:API documents, error documents, and
PPSR Core's ``Project`` list."""

import json
from pathlib import Path
from typing import Any

from harvester.core.records import RawRecord, RecordFailure
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named


def records(tmp_path: Path, document: Any, crosswalk: str = "datacite_rest") -> list[Any]:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return list(raw_records_from_file(path, crosswalk_named(crosswalk)))


def resource(doi: str) -> dict[str, Any]:
    return {"id": doi, "type": "dois", "attributes": {"doi": doi, "titles": [{"title": doi}]}}


def test_a_single_jsonapi_document_gives_its_resource(tmp_path: Path) -> None:
    [raw] = records(tmp_path, {"data": resource("10.1234/a"), "included": [{"id": "x"}]})
    assert isinstance(raw, RawRecord)
    assert raw.identifier == "10.1234/a"
    assert json.loads(raw.payload or "") == resource("10.1234/a")


def test_a_jsonapi_page_gives_every_resource(tmp_path: Path) -> None:
    page = {"data": [resource("10.1234/a"), resource("10.1234/b")], "meta": {"total": 2}}
    found = records(tmp_path, page)
    assert [r.identifier for r in found] == ["10.1234/a", "10.1234/b"]


def test_a_jsonapi_error_document_is_a_failure(tmp_path: Path) -> None:
    body = {
        "errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]
    }
    [failure] = records(tmp_path, body)
    assert isinstance(failure, RecordFailure)
    assert failure.identifier == "sample.json"
    assert failure.reason == "error document: 404 The resource you are looking for doesn't exist."
    [vague] = records(tmp_path, {"errors": ["?"]})
    assert isinstance(vague, RecordFailure)
    assert vague.reason == "error document: no detail"


def test_errors_beside_data_or_a_plain_data_object_are_left_alone(tmp_path: Path) -> None:
    [with_data] = records(tmp_path, {"data": [resource("10.1234/a")], "errors": [{"title": "x"}]})
    assert with_data.identifier == "10.1234/a"
    [plain] = records(tmp_path, {"data": {"value": 1}})
    assert isinstance(plain, RawRecord)
    assert json.loads(plain.payload or "") == {"data": {"value": 1}}


def test_ppsr_core_project_list(tmp_path: Path) -> None:
    projects = {"Project": [{"projectId": "1", "projectName": "A"}, {"projectId": "4"}]}
    found = records(tmp_path, projects, "ppsr_core")
    assert [r.identifier for r in found] == ["1", "4"]
