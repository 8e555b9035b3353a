"""Which language a page is answered in: ``?lang=xx``, else the language chosen before (a
cookie the ``lang`` parameter sets), else the browser's ``Accept-Language``, else English.

The language switcher links to the same URL with ``lang`` replaced, so the whole search
state (query, filters, sort, page) is kept.
"""

from __future__ import annotations

from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from flask import Response, current_app, request
from flask_babel import get_locale

from portal.i18n.catalogues import SOURCE_LANGUAGE, available_languages

PARAM = "lang"
"""The URL parameter that chooses the interface's language."""

COOKIE = "csfinder_lang"
"""The cookie that keeps the language chosen with :data:`PARAM`."""

COOKIE_MAX_AGE = 365 * 24 * 3600


def _offered(value: str | None) -> str | None:
    """``value`` as an offered language code (``de-AT`` → ``de``), or None."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code in available_languages() else None


def asked_language() -> str | None:
    """The language the URL asks for, if it is offered."""
    return _offered(request.args.get(PARAM))


def select_locale() -> str:
    """The language of this request's page (Flask-Babel's locale selector)."""
    chosen = asked_language() or _offered(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(available_languages())
    return _offered(best) or SOURCE_LANGUAGE


def current_locale() -> Locale:
    """The page's locale (English outside a request)."""
    try:
        found = get_locale()
    except (UnknownLocaleError, RuntimeError):
        found = None
    return found if isinstance(found, Locale) else Locale(SOURCE_LANGUAGE)


def page_language() -> str:
    """The language of the page being answered (ISO 639-1)."""
    return str(current_locale().language)


def remember_language(response: Response) -> Response:
    """After a request: keep a language chosen by URL in a cookie, and say which language an
    HTML page is in and what it depends on (for caches)."""
    asked = asked_language()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(
            COOKIE,
            asked,
            max_age=COOKIE_MAX_AGE,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    if response.mimetype == "text/html":
        response.headers["Content-Language"] = page_language()
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def language_links() -> list[dict[str, str | bool]]:
    """The language switcher: each offered language, named in itself, with this page's URL
    in that language (every other parameter kept)."""
    current = page_language()
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != PARAM]
    links: list[dict[str, str | bool]] = []
    for code in available_languages():
        query = urlencode([*kept, (PARAM, code)])
        links.append(
            {
                "code": code,
                "name": autonym(code),
                "url": f"{request.path}?{query}",
                "current": code == current,
            }
        )
    return links


def autonym(code: str) -> str:
    """A language's name in itself (``de`` → ``Deutsch``), capitalised as a menu item."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
