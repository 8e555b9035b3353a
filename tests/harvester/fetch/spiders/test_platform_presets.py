"""The shipped presets of the citizen-science platforms, used as an operator would (a source
file with only ``name``, ``preset`` and ``url``), harvested from loopback servers that page
the way each platform does, serving its real recorded projects: EU-Citizen.Science's bare
list (2021) and its Django REST framework envelope, Zooniverse's Panoptes pages. One page
fails once, one record is broken; every record ends normalised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harvester.core.sources import SourceConfig, load_source_file
from harvester.store import SUCCEEDED, Store
from tests.support.harvesting import harvest_run
from tests.support.platforms import (
    Fault,
    ListAPI,
    eu_citizen_science_projects,
    zooniverse_projects,
)

PRESETS = Path(__file__).resolve().parents[4] / "config" / "presets"

pytestmark = pytest.mark.usefixtures("recorded")


def preset_source(tmp_path: Path, preset: str, url: str) -> SourceConfig:
    """A source file naming only a name, a preset and a URL, loaded as the CLI loads it."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    path = folder / f"{preset.replace('_', '-')}.yaml"
    path.write_text(f"name: {preset} test\npreset: {preset}\nurl: {url}\n", encoding="utf-8")
    return load_source_file(path, PRESETS)


def normalised(store: Store, source_id: str) -> dict[str, dict[str, Any]]:
    return {r.source_identifier: json.loads(r.document) for r in store.iter_normalised(source_id)}


def test_eu_citizen_science_as_a_bare_list(serve, store, fast_settings, tmp_path):
    projects = eu_citizen_science_projects()
    server = serve(ListAPI(projects, "list"))
    source = preset_source(tmp_path, "eu_citizen_science", server.url)
    assert source.crosswalk == "eu_citizen_science" and source.protocol == "json-api"
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED and run.counts.added == 68 and run.counts.failed == 0
    records = normalised(store, source.id)
    assert len(records) == 68
    assert records["2"]["title"] == "The Ladybird Experiment"
    assert records["2"]["countries"] == ["SE"]


def test_eu_citizen_science_in_pages_with_a_failure_and_a_broken_record(
    serve, store, fast_settings, tmp_path
):
    projects = eu_citizen_science_projects()
    broken = {key: value for key, value in projects[10].items() if key != "id"}
    api = ListAPI(
        [*projects[:10], broken, *projects[11:]],
        "drf",
        page_size=20,
        faults=[Fault("status", pages=[2], status=503, retry_after="0", times=1)],
    )
    source = preset_source(tmp_path, "eu_citizen_science", serve(api).url)
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED
    assert run.counts.added == 67 and run.counts.failed == 1
    assert api.statuses.count(503) == 1 and api.statuses.count(200) == 4
    assert any("no identifier" in f.reason for f in store.error_samples(run.id))
    assert len(normalised(store, source.id)) == 67


def test_zooniverse_pages_one_to_four(serve, store, fast_settings, tmp_path):
    projects = zooniverse_projects()
    broken = {**projects[45], "id": None}
    api = ListAPI(
        [*projects[:45], broken, *projects[46:]],
        "panoptes",
        page_size=20,
        faults=[Fault("status", pages=[3], status=500, times=1)],
    )
    source = preset_source(tmp_path, "zooniverse", serve(api).url)
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED
    assert run.counts.added == 79 and run.counts.failed == 1
    asked = [query for query, status, _ in api.log if status == 200]
    assert [q.get("page") for q in asked] == [None, "2", "3", "4"]
    assert all(q["page_size"] == "100" for q in asked)  # the preset's page size
    records = normalised(store, source.id)
    assert len(records) == 79
    assert records["519"]["url"] == "http://seafloorexplorer.org"
    assert records["516"]["status"] == "Completed"
