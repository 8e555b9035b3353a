from pathlib import Path

import pytest

from harvester.core.errors import UnknownSourceError
from harvester.core.sources import load_sources

GOOD = """\
name: Example repository
platform: Zenodo
protocol: oai-pmh
url: https://repository.example.org/oai
metadata_prefix: oai_dc
sets: [citizen-science, biodiversity]
crosswalk: oai_dc
schedule: "30 2 * * *"
timeout: 20
max_retries: 3
rate_limit: 2
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_source_loads_with_every_field(tmp_path: Path) -> None:
    write(tmp_path, "example.yaml", GOOD)
    loaded = load_sources(tmp_path)
    assert loaded.errors == []
    source = loaded.get("example")
    assert source.id == "example"
    assert source.sets == ("citizen-science", "biodiversity")
    assert source.enabled is True
    assert source.schedule == "30 2 * * *"
    assert (source.timeout, source.max_retries, source.rate_limit) == (20, 3, 2)


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        (GOOD.replace("https://repository.example.org/oai", "ftp://x"), "url", "http"),
        (GOOD.replace('"30 2 * * *"', '"every night"'), "schedule", "cron"),
        (GOOD.replace("protocol: oai-pmh", "protocol: gopher"), "protocol", "oai-pmh"),
        (GOOD.replace("metadata_prefix: oai_dc\n", ""), "metadata_prefix", "required"),
        (GOOD + "colour: blue\n", "colour", "unknown field"),
        (GOOD.replace("timeout: 20", "timeout: -1"), "timeout", "greater than 0"),
        (GOOD.replace("name: Example repository\n", ""), "name", "required"),
        (GOOD.replace("biodiversity]", "citizen-science]"), "sets", "twice"),
        ("name: [unclosed\n", "-", "not valid YAML"),
        ("- just\n- a list\n", "-", "mapping"),
    ],
)
def test_bad_file_names_file_field_and_reason(
    tmp_path: Path, text: str, field: str, reason: str
) -> None:
    write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "broken.yaml", text)
    loaded = load_sources(tmp_path)
    assert list(loaded.sources) == ["good"], "the other sources still load"
    [error] = loaded.errors
    assert error.path == str(bad)
    assert error.field == field
    assert reason in error.reason
    assert str(bad) in str(error) and f"'{field}'" in str(error)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", "id: beta\n" + GOOD)
    [error] = load_sources(tmp_path).errors
    assert error.field == "id"
    assert "file name" in error.reason


def test_unknown_and_broken_sources_are_told_apart(tmp_path: Path) -> None:
    write(tmp_path, "broken.yaml", GOOD.replace("protocol: oai-pmh", "protocol: x"))
    loaded = load_sources(tmp_path)
    with pytest.raises(UnknownSourceError, match="not usable"):
        loaded.get("broken")
    with pytest.raises(UnknownSourceError, match="no source 'missing'"):
        loaded.get("missing")


def test_missing_folder_means_no_sources(tmp_path: Path) -> None:
    loaded = load_sources(tmp_path / "nowhere")
    assert loaded.sources == {} and loaded.errors == []


def test_shipped_source_files_are_valid() -> None:
    folder = Path(__file__).parents[3] / "config" / "sources"
    loaded = load_sources(folder)
    assert loaded.errors == []
