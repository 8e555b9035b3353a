"""Administrator login: credentials from settings, hashed passwords, sessions kept in the
store, CSRF on every form (Flask-WTF) and rate limits on login, registration and the JSON
API (Flask-Limiter, counted in the storage the settings name).

An administrator's session lives in the store (:mod:`harvester.store.sessions`), which every
portal process on every machine shares: the signed cookie carries only a random token (and
the CSRF token), a new one at each login; logging out deletes the session, which also ends
after ``session_idle`` seconds unused and ``session_max_age`` seconds after login, and a new
password hash ends every session (each is tied to a fingerprint of the credentials).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.security import check_password_hash

from harvester.core.settings import ENV_SECRET_KEY, PortalSettings
from portal.services import services

log = logging.getLogger(__name__)
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], key_prefix="csfinder")
"""Rate limits per client address; counters in ``ratelimit_storage`` (``memory://`` per
process, ``redis://`` shared by every process and machine). If the storage stops answering,
each process counts in memory meanwhile rather than failing requests."""
F = TypeVar("F", bound=Callable[..., Any])


def init_auth(app: Flask, portal: PortalSettings) -> None:
    """Sessions, CSRF and rate limits for the app."""
    if not app.config.get("SECRET_KEY"):
        key = os.environ.get(ENV_SECRET_KEY)
        if not key:
            log.warning(
                "%s is not set: a random key is used; logins end on restart", ENV_SECRET_KEY
            )
            key = secrets.token_hex(32)
        app.config["SECRET_KEY"] = key
    app.config.update(
        SESSION_COOKIE_SECURE=portal.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=3600,
    )
    app.config.setdefault("RATELIMIT_STORAGE_URI", portal.ratelimit_storage)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # X-RateLimit-*, Retry-After
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    csrf.init_app(app)
    limiter.init_app(app)


def password_ok(portal: PortalSettings, user: str, password: str) -> bool:
    """True when the user is the administrator and the password matches its hash."""
    if not portal.admin_password_hash:
        return False
    right_user = secrets.compare_digest(user.encode(), portal.admin_user.encode())
    return check_password_hash(portal.admin_password_hash, password) and right_user


SESSION_TOKEN = "admin_session"  # noqa: S105 (a cookie key, not a secret)
"""The cookie's key holding the session token."""


def credential(portal: PortalSettings) -> str:
    """A fingerprint of the administrator's credentials (changes with the password hash)."""
    material = f"{portal.admin_user}\0{portal.admin_password_hash}".encode()
    return hashlib.sha256(material).hexdigest()


def start_session(user: str) -> None:
    """A new session for ``user``: whatever the cookie held before is dropped (no session
    fixation; the CSRF token is new too)."""
    portal = services().settings.portal
    session.clear()
    session[SESSION_TOKEN] = services().store.open_admin_session(
        user, credential(portal), max_age=portal.session_max_age
    )
    g.pop("csfinder_admin", None)


def end_session() -> None:
    """Log out: the session is deleted from the store, the cookie emptied."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str) and token:
        services().store.close_admin_session(token)
    session.clear()
    g.pop("csfinder_admin", None)


def logged_in() -> str | None:
    """The administrator's name when the cookie's session is valid (looked up once per
    request)."""
    if "csfinder_admin" in g:
        found: str | None = g.csfinder_admin
        return found
    user = None
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str) and token:
        portal = services().settings.portal
        user = services().store.admin_session_user(
            token, credential(portal), idle=portal.session_idle, max_age=portal.session_max_age
        )
        if user is None:
            session.pop(SESSION_TOKEN, None)
    g.csfinder_admin = user
    return user


def admin_required(view: F) -> F:
    """Only for a logged-in administrator (403 otherwise)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if logged_in() is None:
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
