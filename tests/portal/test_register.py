"""Registering a source, checking it live, and approving it (test client; the browser
version is in test_browser_register.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from harvester.core.settings import load_settings
from harvester.sample_provider import RunningServer
from harvester.store import Store
from harvester.store.registrations import load_all_sources
from portal.app import create_app

PASSWORD = "correct horse battery staple"


def portal_for(tmp_path: Path, allow: str = "", login_limit: str | None = None) -> FlaskClient:
    env = {
        "CSFINDER_HOME": str(tmp_path / "home"),
        "CSFINDER_CONFIG": str(tmp_path / "config"),
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "CSFINDER_SECURE_COOKIES": "0",
        "CSFINDER_PRIVATE_URL_ALLOWLIST": allow,
    }
    settings = load_settings(env)
    if login_limit is not None:
        settings = replace(settings, portal=replace(settings.portal, login_limit=login_limit))
    return create_app(settings, TESTING=True).test_client()


def token(client: FlaskClient, path: str = "/sources/new") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def registration(url: str, **extra: str) -> dict[str, str]:
    return {
        "url": url,
        "protocol": "",
        "metadata_prefix": "oai_dc",
        "crosswalk": "oai_dc",
        "id": "test-repo",
        "name": "Test repository",
        "platform": "Testplatform",
        "metadata_license": "CC0-1.0",
        "contact": "operator@test.example.org",
        "action": "check",
        **extra,
    }


@pytest.fixture
def allowed(tmp_path: Path, sample_server: RunningServer) -> FlaskClient:
    return portal_for(tmp_path, allow=f"127.0.0.1:{sample_server.port}")


def test_the_live_check_detects_oai_pmh_and_shows_mapped_records(
    allowed: FlaskClient, sample_server: RunningServer
) -> None:
    form = registration(sample_server.url) | {"csrf_token": token(allowed)}
    response = allowed.post("/sources/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert 'value="oai-pmh" selected' in page  # detected
    assert "Sample records as they will appear" in page
    assert page.count('<article class="sample">') == 5
    assert "Quality and FAIR:" in page and "oai_dc" in page


def test_submitting_stores_a_pending_source(
    allowed: FlaskClient, sample_server: RunningServer, tmp_path: Path
) -> None:
    form = registration(sample_server.url, action="submit") | {"csrf_token": token(allowed)}
    response = allowed.post("/sources/new", data=form)
    assert response.status_code == 201
    assert "waits for an administrator" in response.get_data(as_text=True)
    store = Store(load_settings({"CSFINDER_HOME": str(tmp_path / "home")}).database_url)
    assert "test-repo" not in load_all_sources(tmp_path / "config" / "sources", store).sources


def test_a_form_without_its_csrf_token_is_refused(
    allowed: FlaskClient, sample_server: RunningServer
) -> None:
    response = allowed.post("/sources/new", data=registration(sample_server.url))
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.7/oai", "private address"),
        ("http://127.0.0.1:1/oai", "loopback"),
        ("http://169.254.169.254/latest", "link-local"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_private_addresses_and_other_schemes_are_refused(
    tmp_path: Path, url: str, reason: str
) -> None:
    client = portal_for(tmp_path)
    response = client.post("/sources/new", data=registration(url) | {"csrf_token": token(client)})
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)


def test_a_redirect_to_a_private_address_is_refused(
    tmp_path: Path, server_factory: Callable[..., RunningServer]
) -> None:
    def redirect(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("302 Found", [("Location", "http://192.168.0.1/oai")])
        return [b""]

    server = server_factory(redirect)
    client = portal_for(tmp_path, allow=f"127.0.0.1:{server.port}")
    form = registration(server.url, protocol="oai-pmh") | {"csrf_token": token(client)}
    response = client.post("/sources/new", data=form)
    assert "192.168.0.1 is a private address" in response.get_data(as_text=True)


def login(client: FlaskClient, password: str) -> int:
    form = {"user": "admin", "password": password, "csrf_token": token(client, "/admin/login")}
    return client.post("/admin/login", data=form).status_code


def test_administrators_log_in_and_approve(
    allowed: FlaskClient, sample_server: RunningServer
) -> None:
    form = registration(sample_server.url, action="submit") | {"csrf_token": token(allowed)}
    assert allowed.post("/sources/new", data=form).status_code == 201
    assert allowed.get("/admin/").status_code == 403
    assert login(allowed, "wrong password") == 401
    assert login(allowed, PASSWORD) == 302
    page = allowed.get("/admin/").get_data(as_text=True)
    assert "test-repo" in page and "operator@test.example.org" in page and "pending" in page
    csrf = token(allowed, "/admin/")
    assert (
        allowed.post("/admin/sources/test-repo/approve", data={"csrf_token": csrf}).status_code
        == 302
    )
    assert (
        allowed.post(
            "/admin/sources/test-repo/schedule", data={"csrf_token": csrf, "schedule": "5 1 * * *"}
        ).status_code
        == 302
    )
    bad = allowed.post(
        "/admin/sources/test-repo/schedule", data={"csrf_token": csrf, "schedule": "soon"}
    )
    assert bad.status_code == 400 and "cron" in bad.get_data(as_text=True)
    assert allowed.post("/admin/sources/test-repo/approve", data={}).status_code == 400  # no CSRF
    public = allowed.get("/sources").get_data(as_text=True)
    assert "Test repository" in public
    assert "operator@test.example.org" not in public
    assert "operator@test.example.org" not in allowed.get("/sources/test-repo").get_data(
        as_text=True
    )


def test_logins_are_rate_limited(tmp_path: Path) -> None:
    client = portal_for(tmp_path, login_limit="3 per minute")
    codes = [login(client, "guess") for _ in range(4)]
    assert codes == [401, 401, 401, 429]
