"""Administrator sessions live on the server: a cookie saved before logout opens nothing
afterwards, every login makes a new session, sessions end when idle or old, and a new
password ends them all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from harvester.core.settings import Settings, load_settings
from harvester.store import Store
from harvester.store.schema import admin_sessions
from harvester.store.values import utcnow
from portal.app import create_app

PASSWORD = "correct horse battery staple"
SECRET = "sessions-test-secret"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "CSFINDER_HOME": str(tmp_path / "home"),
            "CSFINDER_CONFIG": str(tmp_path / "config"),
            "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
            "CSFINDER_SECURE_COOKIES": "0",
        }
    )


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings, TESTING=True, SECRET_KEY=SECRET)


def csrf(client: FlaskClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(True))
    assert found
    return found.group(1)


def log_in(client: FlaskClient) -> None:
    form = {"user": "admin", "password": PASSWORD, "csrf_token": csrf(client, "/admin/login")}
    assert client.post("/admin/login", data=form).status_code == 302
    assert client.get("/admin/").status_code == 200


def cookie(client: FlaskClient) -> str:
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def replay(app: Flask, saved: str) -> int:
    """``/admin/`` asked with a saved session cookie, from a fresh client."""
    other = app.test_client()
    other.set_cookie("session", saved)
    return other.get("/admin/").status_code


def test_a_cookie_saved_before_logout_opens_nothing_afterwards(app: Flask) -> None:
    client = app.test_client()
    log_in(client)
    saved = cookie(client)
    assert replay(app, saved) == 200
    token = csrf(client, "/admin/")
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 403
    assert replay(app, saved) == 403


def test_each_login_makes_a_new_session(app: Flask) -> None:
    client = app.test_client()
    client.get("/admin/login")
    before = cookie(client)
    log_in(client)
    first = cookie(client)
    log_in(client)
    second = cookie(client)
    assert len({before, first, second}) == 3
    assert replay(app, before) == 403
    store = Store(app.extensions["csfinder"].settings.database_url)
    try:
        assert store.admin_session_count() == 2  # both logins open until logged out
    finally:
        store.close()


def test_the_cookie_holds_no_more_than_a_random_token(app: Flask) -> None:
    client = app.test_client()
    log_in(client)
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    data = serializer.loads(cookie(client))
    assert "admin" not in data and set(data) <= {"csrf_token", "admin_session"}
    assert len(data["admin_session"]) >= 40


def age(app: Flask, *, seen: timedelta | None = None, created: timedelta | None = None) -> None:
    """Move every session's times into the past."""
    values = {}
    if seen is not None:
        values["seen_at"] = utcnow() - seen
    if created is not None:
        values["created_at"] = utcnow() - created
    store = Store(app.extensions["csfinder"].settings.database_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(update(admin_sessions).values(**values))
    finally:
        store.close()


def test_an_idle_session_ends(app: Flask, settings: Settings) -> None:
    client = app.test_client()
    log_in(client)
    idle = settings.portal.session_idle
    age(app, seen=timedelta(seconds=idle - 60))
    assert client.get("/admin/").status_code == 200  # in use: seen again now
    age(app, seen=timedelta(seconds=idle + 1))
    assert client.get("/admin/").status_code == 403


def test_a_session_in_use_still_ends_at_its_maximum_age(app: Flask, settings: Settings) -> None:
    client = app.test_client()
    log_in(client)
    age(app, created=timedelta(seconds=settings.portal.session_max_age + 1))
    assert client.get("/admin/").status_code == 403


def test_a_new_password_ends_every_session(app: Flask, settings: Settings) -> None:
    client = app.test_client()
    log_in(client)
    saved = cookie(client)
    changed = replace(
        settings, portal=replace(settings.portal, admin_password_hash=generate_password_hash("new"))
    )
    after = create_app(changed, TESTING=True, SECRET_KEY=SECRET)
    assert replay(after, saved) == 403
    assert replay(app, saved) == 403  # the old hash no longer matches either: row gone
