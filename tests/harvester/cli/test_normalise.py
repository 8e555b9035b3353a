"""``csfinder map``, ``normalise`` and ``quality``, and normalising while harvesting."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harvester.cli.main import main
from harvester.sample_provider import RunningServer
from harvester.store import Store
from tests.conftest import CliEnv
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.servers import sample_repository


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def open_store(env: CliEnv) -> Store:
    return Store(f"sqlite:///{(env.home / 'csfinder.sqlite3').resolve()}")


def test_harvest_normalises_as_it_goes(cli_env: CliEnv, sample_server: RunningServer) -> None:
    cli_env.add_source("sample", sample_server.url)
    assert run("harvest", "sample").exit_code == 0
    store = open_store(cli_env)
    rows = list(store.iter_normalised("sample"))
    live = [r for r in sample_repository().records if not r.deleted]
    assert len(rows) == len(live)
    titles = {json.loads(row.document)["title"] for row in rows}
    assert {r.dc["title"][0][0] for r in live} == titles
    samples = json.loads(run("runs", "sample", "--json").stdout)[0]["error_samples"]
    assert samples == []


def test_normalise_twice_changes_nothing_the_second_time(
    cli_env: CliEnv, sample_server: RunningServer
) -> None:
    cli_env.add_source("sample", sample_server.url)
    run("harvest", "sample")
    live = sum(1 for r in sample_repository().records if not r.deleted)
    first = run("normalise", "sample")
    assert first.exit_code == 0
    second = run("normalise", "sample")
    assert second.stdout.strip() == (f"sample: 0 added, 0 updated, {live + 1} unchanged, 0 deleted")


def test_quality_summary(cli_env: CliEnv, sample_server: RunningServer) -> None:
    cli_env.add_source("sample", sample_server.url)
    run("harvest", "sample")
    report = json.loads(run("quality", "sample", "--json").stdout)
    assert report["records"] == sum(1 for r in sample_repository().records if not r.deleted)
    ids = {indicator["id"] for indicator in report["indicators"]}
    assert "FsF-F1-02D" in ids
    assert all(0.0 <= i["passing"] <= 1.0 for i in report["indicators"])
    table = run("quality", "sample").stdout
    assert "mean FAIR score" in table


def test_harvest_keeps_raw_records_when_the_crosswalk_is_missing(
    cli_env: CliEnv, sample_server: RunningServer
) -> None:
    cli_env.add_source("sample", sample_server.url, crosswalk="no_such_format")
    assert run("harvest", "sample").exit_code == 0
    store = open_store(cli_env)
    assert store.record_counts()["sample"]["records"] == len(sample_repository().records)
    assert list(store.iter_normalised("sample")) == []
    [sample] = json.loads(run("runs", "sample", "--json").stdout)[0]["error_samples"]
    assert "records stored raw, not normalised: no crosswalk 'no_such_format'" in sample["reason"]


def test_map_a_file_of_our_own(tmp_path: Path) -> None:
    path = tmp_path / "record.xml"
    path.write_text(
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Mückenatlas</dc:title>'
        "<dc:language>German</dc:language></oai_dc:dc>",
        encoding="utf-8",
    )
    result = run("map", "oai_dc", str(path), "--json")
    [record] = json.loads(result.stdout)
    assert record["title"] == "Mückenatlas"
    assert record["languages"] == ["de"]
    human = run("map", "oai_dc", str(path)).stdout
    assert "FAIR score" in human
    assert "issue: description missing" in human


def test_map_unknown_crosswalk(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<x/>", encoding="utf-8")
    result = run("map", "klingon", str(path))
    assert result.exit_code == 1
    assert "no crosswalk 'klingon'" in result.stderr


@pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is not available")
def test_map_a_zenodo_oai_dc_response() -> None:
    assert SHARED_FIXTURES is not None
    path = SHARED_FIXTURES / "oai-pmh" / "zenodo-2026-08" / "GetRecord_oai_dc.xml"
    [record] = json.loads(run("map", "oai_dc", str(path), "--json").stdout)
    assert record["provenance"]["source_identifier"] == "oai:zenodo.org:10357859"
    assert record["title"] == "Research Data Management Organiser (RDMO)"
    description = record["description"]
    assert "<" not in description
    assert "&lt;" not in description
    assert "Refactor progress bar and overview" in description
    assert {"scheme": "doi", "value": "10.5281/zenodo.10357859"} in record["identifiers"]
