"""Presets (``config/presets/NAME.yaml``) under source files, and ``$env`` secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.core.errors import ConfigError
from harvester.core.source_options import EnvSecret, PagePaging, Value, resolve
from harvester.core.sources import load_sources

ROOT = Path(__file__).parents[3]
PRESETS = (
    "zenodo",
    "inaturalist",
    "gbif",
    "datacite",
    "eu_citizen_science",
    "zooniverse",
    "scistarter",
    "ckan",
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("preset", PRESETS)
def test_every_shipped_preset_makes_a_valid_source(tmp_path: Path, preset: str) -> None:
    write(tmp_path / "sources", "one", f"name: One\npreset: {preset}\n")
    loaded = load_sources(tmp_path / "sources", ROOT / "config" / "presets")
    assert loaded.errors == []
    assert loaded.sources["one"].preset == preset


def test_shipped_sources_build_on_presets() -> None:
    loaded = load_sources(ROOT / "config" / "sources")
    assert loaded.errors == []
    enabled = [s for s in loaded.sources.values() if s.enabled]
    assert {s.protocol for s in enabled} == {"json-api"}
    assert {s.preset for s in loaded.sources.values()} >= {"inaturalist", "gbif", "datacite"}


def test_a_source_overrides_its_preset_url_included(tmp_path: Path) -> None:
    write(
        tmp_path / "presets", "api", (ROOT / "config" / "presets" / "inaturalist.yaml").read_text()
    )
    write(
        tmp_path / "sources",
        "mine",
        "name: Mine\npreset: api\nurl: https://api.example.org/v2/projects\nrate_limit: 5\n"
        "json_api:\n  params: {q: birds}\n  pagination: {size: 50}\n",
    )
    source = load_sources(tmp_path / "sources").get("mine")
    assert source.url == "https://api.example.org/v2/projects" and source.rate_limit == 5
    assert source.platform == "iNaturalist" and source.crosswalk == "inaturalist"
    assert source.json_api is not None
    assert source.json_api.params == {"q": "birds"}
    paging = source.json_api.pagination
    assert isinstance(paging, PagePaging) and paging.size == 50 and paging.stop == "total"


def test_another_pagination_type_replaces_the_presets(tmp_path: Path) -> None:
    write(
        tmp_path / "presets", "api", (ROOT / "config" / "presets" / "inaturalist.yaml").read_text()
    )
    write(
        tmp_path / "sources",
        "mine",
        "name: Mine\npreset: api\njson_api:\n  pagination: {type: next_link, next_path: next}\n",
    )
    source = load_sources(tmp_path / "sources").get("mine")
    assert source.json_api is not None and source.json_api.pagination.type == "next_link"


def test_unknown_preset_is_named(tmp_path: Path) -> None:
    write(tmp_path / "presets", "gbif", "platform: GBIF\n")
    write(tmp_path / "sources", "mine", "name: Mine\npreset: nope\n")
    [error] = load_sources(tmp_path / "sources").errors
    assert error.field == "preset" and "no preset 'nope' (known: gbif)" in str(error)


def test_bad_json_api_options_name_the_field(tmp_path: Path) -> None:
    write(
        tmp_path / "sources",
        "bad",
        "name: Bad\nplatform: x\nprotocol: json-api\nurl: https://x.org/api\ncrosswalk: gbif\n"
        "json_api:\n  records_path: 'results[['\n  id_path: id\n",
    )
    [error] = load_sources(tmp_path / "sources").errors
    assert "records_path" in str(error) and "JMESPath" in str(error)
    write(
        tmp_path / "sources",
        "bad",
        "name: Bad\nplatform: x\nprotocol: json-api\nurl: https://x.org/api\ncrosswalk: gbif\n",
    )
    [error] = load_sources(tmp_path / "sources").errors
    assert "json_api" in str(error) and "required for protocol json-api" in str(error)


def test_env_secrets_are_read_at_run_time_only() -> None:
    values: dict[str, Value] = {
        "key": EnvSecret.model_validate({"$env": "API_KEY"}),
        "q": "frogs",
        "n": 5,
    }
    plain, secrets = resolve(values, "src", "params", {"API_KEY": "abc"})
    assert plain == {"key": "abc", "q": "frogs", "n": "5"} and secrets == {"abc"}
    with pytest.raises(ConfigError, match="source 'src': environment variable API_KEY is not set"):
        resolve(values, "src", "params", {})


def test_secrets_never_appear_in_the_source_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "sources",
        "s",
        "name: S\nplatform: x\nprotocol: json-api\nurl: https://x.org/api\ncrosswalk: gbif\n"
        "json_api:\n  records_path: results\n  id_path: id\n"
        '  headers: {Authorization: {"$env": "TOKEN"}}\n',
    )
    before = path.read_text()
    source = load_sources(tmp_path / "sources").get("s")
    assert source.json_api is not None
    assert source.json_api.headers["Authorization"] == EnvSecret.model_validate({"$env": "TOKEN"})
    assert path.read_text() == before
