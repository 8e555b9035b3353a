"""Sessions and forms: every form needs its CSRF token, the session cookie is HttpOnly,
SameSite and (over HTTPS) Secure, and, given the administrator's credentials, a login makes
a new session and a logout ends it for good (a cookie saved before opens nothing after).
"""

from __future__ import annotations

import re

from portal.audit.report import Report
from portal.audit.target import Target

FAMILY = "sessions"
COOKIE = "session"


def probe(target: Target, report: Report, user: str | None, password: str | None) -> None:
    """The CSRF and cookie checks; the login ones when credentials are given."""
    for path, form in (
        ("/admin/login", {"user": "admin", "password": "x"}),
        ("/sources/new", {"url": "https://example.org/oai", "action": "check"}),
    ):
        answer = target.fresh().post(path, form)
        problem = None if answer.status == 400 else f"a form without CSRF token: {answer.status}"
        report.check(FAMILY, f"POST {path} without token", problem)
    first = target.fresh()
    page = first.get("/admin/login")
    report.check(FAMILY, "session cookie flags", _flags(page.headers.get("set-cookie", ""), target))
    if user is None or password is None:
        report.skip(f"{FAMILY} (login)", "no administrator credentials given")
        return
    _login_and_logout(target.fresh(), report, user, password)


def _flags(cookie: str, target: Target) -> str | None:
    if not cookie:
        return "the login form sets no session cookie (no CSRF token either?)"
    lowered = cookie.lower()
    missing = [flag for flag in ("httponly", "samesite=lax") if flag not in lowered]
    if target.base.startswith("https:") and "secure" not in lowered:
        missing.append("secure")
    return f"the session cookie lacks {', '.join(missing)}" if missing else None


def _token(client: Target, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    return found.group(1) if found else ""


def _login_and_logout(client: Target, report: Report, user: str, password: str) -> None:
    before = client.session.cookies.get(COOKIE) or ""
    token = _token(client, "/admin/login")
    answer = client.post("/admin/login", {"user": user, "password": password, "csrf_token": token})
    if answer.status != 302:
        report.check(FAMILY, "login", f"the credentials given did not log in ({answer.status})")
        return
    saved = client.session.cookies.get(COOKIE) or ""
    report.check(FAMILY, "login makes a new session", "same cookie" if saved == before else None)
    report.check(FAMILY, "logged in", None if client.get("/admin/").status == 200 else "no access")
    client.post("/admin/logout", {"csrf_token": _token(client, "/admin/")})
    replayed = client.fresh()
    replayed.session.cookies.set(COOKIE, saved)
    status = replayed.get("/admin/").status
    problem = None if status == 403 else f"a cookie saved before logout still answers {status}"
    report.check(FAMILY, "logout ends the session", problem)
