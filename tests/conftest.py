"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.core.settings import HarvestSettings
from harvester.store import Store

FAST_SETTINGS = """\
[harvest]
timeout = 3
max_retries = 2
backoff_base = 0.05
backoff_max = 2.0
stall_after = 600
error_samples = 20
"""


@dataclass
class CliEnv:
    """A config folder and data folder for running the command line."""

    config: Path
    home: Path
    database: str | None = None
    """The store's URL when it is not the SQLite file in ``home``."""

    @property
    def database_url(self) -> str:
        """The store's URL."""
        return self.database or f"sqlite:///{(self.home / 'csfinder.sqlite3').resolve()}"

    @property
    def environ(self) -> dict[str, str]:
        """Environment variables pointing csfinder at these folders (and database)."""
        env = {"CSFINDER_CONFIG": str(self.config), "CSFINDER_HOME": str(self.home)}
        env["CSFINDER_EMBED_WORKER"] = "0"  # on in the tests of the worker only
        if self.database:
            env["CSFINDER_DATABASE_URL"] = self.database
        return env

    def open_store(self) -> Store:
        """The store the command line uses (its folder made first)."""
        self.home.mkdir(parents=True, exist_ok=True)
        return Store(self.database_url)

    def add_source(self, source_id: str, url: str, **fields: object) -> Path:
        """Write ``config/sources/<id>.yaml`` for an oai_dc OAI-PMH source."""
        values: dict[str, object] = {
            "name": f"Test source {source_id}",
            "platform": "test",
            "protocol": "oai-pmh",
            "url": url,
            "metadata_prefix": "oai_dc",
            "crosswalk": "oai_dc",
            **fields,
        }
        lines = [f"{key}: {_yaml(value)}" for key, value in values.items()]
        path = self.config / "sources" / f"{source_id}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def _yaml(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliEnv:
    """Folders for the CLI, with quick timeouts and backoff, set in the environment."""
    config = tmp_path / "config"
    (config / "sources").mkdir(parents=True)
    (config / "settings.toml").write_text(FAST_SETTINGS, encoding="utf-8")
    env = CliEnv(config=config, home=tmp_path / "var")
    monkeypatch.delenv("CSFINDER_DATABASE_URL", raising=False)
    for key, value in env.environ.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def cli_env_db(cli_env: CliEnv, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliEnv:
    """:func:`cli_env` with its store on each database: SQLite, then PostgreSQL."""
    cli_env.database = database_url
    monkeypatch.setenv("CSFINDER_DATABASE_URL", database_url)
    return cli_env


@pytest.fixture
def cli_env_pg(cli_env: CliEnv, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> CliEnv:
    """:func:`cli_env` with its store on a fresh PostgreSQL database."""
    cli_env.database = postgres_url
    monkeypatch.setenv("CSFINDER_DATABASE_URL", postgres_url)
    return cli_env


@pytest.fixture
def fast_settings() -> HarvestSettings:
    """Harvest settings with short timeouts and backoff, for tests."""
    return HarvestSettings(
        timeout=3.0, max_retries=2, backoff_base=0.05, backoff_max=2.0, error_samples=20
    )


pytest_plugins = ["tests.support.servers", "tests.support.engine_fixtures"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store in a temporary folder."""
    opened = Store(f"sqlite:///{tmp_path}/store.sqlite3", error_samples=50)
    yield opened
    opened.close()
