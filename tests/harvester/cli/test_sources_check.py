"""``csfinder sources check`` for the protocols besides OAI-PMH: which crosswalk the source
uses, and a sample of its first records mapped (a loopback JSON API serving recorded
EU-Citizen.Science projects; the real JRC inventory as a file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harvester.cli.main import main
from harvester.sample_provider import RunningServer, serve
from tests.conftest import CliEnv
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.platforms import ListAPI, eu_citizen_science_projects

PRESETS = Path(__file__).resolve().parents[3] / "config" / "presets"

pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def eu_api() -> Iterator[RunningServer]:
    with serve(ListAPI(eu_citizen_science_projects(), "drf", page_size=5), path="/api") as api:
        yield api


def test_a_json_api_source_names_its_crosswalk_and_maps_a_sample(
    cli_env: CliEnv, eu_api: RunningServer
) -> None:
    path = cli_env.config / "sources" / "eu.yaml"
    path.write_text(f"name: EU\npreset: eu_citizen_science\nurl: {eu_api.url}\n")
    (cli_env.config / "presets").symlink_to(PRESETS)
    result = run("sources", "check", "eu", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["crosswalk"]["name"] == "eu_citizen_science"
    assert report["protocol"] == "json-api" and report["ok"] is True
    assert [s["source_identifier"] for s in report["sample"]] == ["2", "17", "25", "47", "59"]
    assert report["sample"][0]["title"] == "The Ladybird Experiment"
    text = run("sources", "check", "eu").stdout
    assert "crosswalk: eu_citizen_science (json," in text and "OK: ready to harvest" in text


def test_a_csv_source_reports_encoding_delimiter_and_rows(cli_env: CliEnv) -> None:
    assert SHARED_FIXTURES is not None
    inventory = SHARED_FIXTURES / "corpus" / "jrc-citsci-inventory" / "3-projects-citsci.csv"
    cli_env.add_source(
        "irish", str(inventory), protocol="csv", crosswalk="jrc_citsci", metadata_prefix="~"
    )
    source = cli_env.config / "sources" / "irish.yaml"
    source.write_text(source.read_text() + "csv: {id_column: UID}\n")
    report = json.loads(run("sources", "check", "irish", "--json").stdout)
    assert report["ok"] is True
    assert report["details"]["encoding"] == "utf-8-sig" and report["details"]["delimiter"] == ","
    assert report["details"]["columns"].startswith("37: UID | Name | Website")
    assert [s["source_identifier"] for s in report["sample"]] == ["553", "554"]


def test_a_csv_source_with_a_wrong_id_column_says_so(cli_env: CliEnv) -> None:
    assert SHARED_FIXTURES is not None
    inventory = SHARED_FIXTURES / "corpus" / "jrc-citsci-inventory" / "3-projects-citsci.csv"
    cli_env.add_source(
        "irish", str(inventory), protocol="csv", crosswalk="no_such", metadata_prefix="~"
    )
    result = run("sources", "check", "irish")
    assert result.exit_code == 1
    assert "crosswalk: no_such (not usable:" in result.stdout
