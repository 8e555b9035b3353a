from pathlib import Path

import pytest

from harvester.core.errors import ConfigError
from harvester.core.settings import load_settings


def test_defaults_without_environment(tmp_path: Path) -> None:
    settings = load_settings({"CSFINDER_CONFIG": str(tmp_path)})
    assert settings.home == Path("var")
    assert settings.database_url.endswith("var/csfinder.sqlite3")
    assert settings.database_url.startswith("sqlite:///")
    assert settings.sources_dir == tmp_path / "sources"
    assert settings.harvest.timeout == 60


def test_environment_overrides_home_database_and_config(tmp_path: Path) -> None:
    env = {
        "CSFINDER_HOME": str(tmp_path / "data"),
        "CSFINDER_CONFIG": str(tmp_path / "conf"),
        "CSFINDER_DATABASE_URL": "postgresql://db.example/csfinder",
    }
    settings = load_settings(env)
    assert settings.home == tmp_path / "data"
    assert settings.config_dir == tmp_path / "conf"
    assert settings.database_url == "postgresql://db.example/csfinder"


def test_home_moves_the_default_database(tmp_path: Path) -> None:
    settings = load_settings({"CSFINDER_HOME": str(tmp_path), "CSFINDER_CONFIG": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/csfinder.sqlite3"


def test_settings_file_values_are_read(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("[harvest]\ntimeout = 5\nmax_retries = 1\n")
    settings = load_settings({"CSFINDER_CONFIG": str(tmp_path)})
    assert settings.harvest.timeout == 5.0
    assert settings.harvest.max_retries == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[harvest]\ntimeout = 'soon'\n", "timeout must be float"),
        ("[harvest]\ntimout = 3\n", "unknown setting 'timout'"),
        ("[harvest\n", "not valid TOML"),
    ],
)
def test_bad_settings_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "settings.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings({"CSFINDER_CONFIG": str(tmp_path)})
    assert "settings.toml" in str(caught.value)


def test_shipped_settings_file_loads() -> None:
    root = Path(__file__).parents[3]
    settings = load_settings({"CSFINDER_CONFIG": str(root / "config")})
    assert settings.harvest.max_response_bytes == 100 * 1024 * 1024


def test_the_search_cache_size_comes_from_the_environment(tmp_path: Path) -> None:
    from harvester.index.service import open_index
    from harvester.index.sqlite.backend import SqliteIndex

    base = {"CSFINDER_HOME": str(tmp_path), "CSFINDER_CONFIG": str(tmp_path)}
    assert load_settings(base).index.cache_mb == 64
    settings = load_settings(base | {"CSFINDER_SEARCH_CACHE_MB": "0"})
    index = open_index(settings)
    assert isinstance(index, SqliteIndex) and index.cache.max_bytes == 0
    with pytest.raises(ConfigError, match="CSFINDER_SEARCH_CACHE_MB must be a whole number"):
        load_settings(base | {"CSFINDER_SEARCH_CACHE_MB": "lots"})


def test_deployment_settings_come_from_the_environment_and_are_checked(tmp_path: Path) -> None:
    template = tmp_path / "template.json"
    template.write_text("{}", encoding="utf-8")
    chosen = load_settings(
        {
            "CSFINDER_CONFIG": str(tmp_path),
            "CSFINDER_RATELIMIT_STORAGE": "redis://cache:6379/0",
            "CSFINDER_API_LIMIT": "50 per minute",
            "CSFINDER_TRUSTED_PROXIES": "2",
            "CSFINDER_ES_INDEX": "portal",
            "CSFINDER_ES_TEMPLATE": str(template),
        }
    )
    assert chosen.portal.ratelimit_storage == "redis://cache:6379/0"
    assert (chosen.portal.api_limit, chosen.portal.trusted_proxies) == ("50 per minute", 2)
    assert (chosen.index.es_index, chosen.index.es_template) == ("portal", template)
    bad = {
        "CSFINDER_TRUSTED_PROXIES": "yes",
        "CSFINDER_API_LIMIT": "plenty",
        "CSFINDER_RATELIMIT_STORAGE": "memcached://x",
        "CSFINDER_ES_TEMPLATE": str(tmp_path / "missing.json"),
    }
    for name, value in bad.items():
        with pytest.raises(ConfigError, match=name):
            load_settings({"CSFINDER_CONFIG": str(tmp_path), name: value})
