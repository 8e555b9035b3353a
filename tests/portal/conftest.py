"""A portal over real harvested records: the demo's providers harvested into a data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Playwright

from harvester.core.settings import Settings, load_settings
from tests.support.demo import demo_data
from tests.support.fair_portal import FairPortal, fair_portal
from tests.support.fixture_provider import SHARED_FIXTURES


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder filled by ``csfinder demo --no-serve`` (harvests, one withdrawal)."""
    return demo_data(tmp_path_factory.mktemp("portal") / "demo")


@pytest.fixture(scope="session")
def portal_settings(demo_home: Path) -> Settings:
    """Settings pointing at the demo's data folder and the source files it wrote."""
    return load_settings(
        {"CSFINDER_HOME": str(demo_home), "CSFINDER_CONFIG": str(demo_home / "config")}
    )


@pytest.fixture
def app(portal_settings: Settings) -> Flask:
    """The portal app, in testing mode."""
    from portal.app import create_app

    return create_app(portal_settings, TESTING=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the portal."""
    return app.test_client()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver, once per session (browser tests only)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Debian Chromium for the session."""
    from tests.portal.browser_support import CHROMIUM, LAUNCH_ARGS

    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def fair(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FairPortal]:
    """The demo's records and real records that state their files, served over HTTP."""
    if SHARED_FIXTURES is None:
        pytest.skip("shared/fixtures is absent")
    with fair_portal(demo_home, tmp_path_factory.mktemp("fair") / "home") as running:
        yield running
