"""Administrator login: credentials from settings, hashed passwords, signed sessions,
CSRF on every form (Flask-WTF) and rate limits on login, registration and the JSON API
(Flask-Limiter, counted in the storage the settings name)."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.security import check_password_hash

from harvester.core.settings import ENV_SECRET_KEY, PortalSettings

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


def logged_in() -> str | None:
    """The administrator's name when logged in."""
    user = session.get("admin")
    return str(user) if user else None


def admin_required(view: F) -> F:
    """Only for a logged-in administrator (403 otherwise)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if logged_in() is None:
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
