"""The portal in other languages, in a real browser (Debian's Chromium, Playwright), served
by ``csfinder serve`` over the demo's records: axe-core finds no accessibility violation on
the search, record, sources and insights pages in German, Greek, Bulgarian, Maltese and Irish; the
language switcher keeps the whole search and the choice is remembered; the browser's own
language is honoured. Screenshots of the search page in each language are saved under
``test-artifacts/screenshots/`` (``search-<lang>.png``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from tests.portal.browser_support import (
    CHROMIUM,
    PageWatch,
    axe_report,
    browser_context,
    portal_server,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium`",
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SAMPLE = ("de", "el", "bg", "mt", "ga")
"""The languages the issue names for the accessibility sample: three scripts, two small
languages with their own plural rules."""


@pytest.fixture(scope="module")
def portal_url(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal under gunicorn, one worker; cookies without Secure, as on plain HTTP."""
    log = tmp_path_factory.mktemp("browser-i18n") / "serve.log"
    with portal_server(demo_home, log, {"CSFINDER_SECURE_COOKIES": "0"}) as url:
        yield url


@pytest.fixture(scope="module")
def known(playwright: Playwright, portal_url: str) -> dict[str, Any]:
    """A record given in two languages (the demo's bird-feeder project)."""
    api = playwright.request.new_context(base_url=portal_url)
    try:
        hits = api.get("/api/v1/search?q=Futterhaus&kind=project").json()["hits"]
    finally:
        api.dispose()
    assert hits, "the demo holds the bird-feeder project"
    return {"record": hits[0]["id"]}


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def context(browser: Browser, portal_url: str, watch: PageWatch) -> Iterator[BrowserContext]:
    with browser_context(browser, portal_url, watch) as fresh:
        yield fresh


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def paths(known: dict[str, Any]) -> dict[str, str]:
    return {
        "search": "/?kind=project&kind=dataset&sort=newest",
        "record": f"/records/{known['record']}",
        "sources": "/sources",
        "insights": "/insights?kind=project",
    }


def language_of(page: Page) -> str:
    return str(page.locator("html").get_attribute("lang"))


@pytest.mark.parametrize("language", SAMPLE)
@pytest.mark.parametrize("kind", ["search", "record", "sources", "insights"])
def test_axe_finds_no_violations_in_other_languages(
    page: Page, known: dict[str, Any], watch: PageWatch, kind: str, language: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    path = paths(known)[kind]
    page.goto(path + ("&" if "?" in path else "?") + f"lang={language}")
    assert language_of(page) == language
    assert page.locator("a.skip").inner_text() != "Skip to content", "the interface is translated"
    if kind == "search":
        assert page.locator("ol.hits li.hit").count() >= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"search-{language}.png"), full_page=True)
    if kind == "insights":
        assert page.locator("svg [data-country]").count() > 0, "the map is drawn"
    results = Axe().run(page)
    assert results.response.get("passes"), "axe-core ran its rules"
    assert results.violations_count == 0, (
        f"axe-core found violations on {page.url}:\n{axe_report(results.response)}"
    )
    assert not watch.problems(), watch.problems()


def test_the_switcher_keeps_the_search_and_the_choice_is_remembered(page: Page) -> None:
    page.goto("/?q=water&kind=dataset&sort=title")
    assert language_of(page) == "en"
    page.locator("nav.languages summary").click()
    page.locator("nav.languages a[hreflang=el]").click()
    page.wait_for_url(lambda url: "lang=el" in url)
    assert language_of(page) == "el"
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["water"], "kind": ["dataset"], "sort": ["title"], "lang": ["el"]}
    assert page.input_value("#q") == "water" and page.input_value("#sort") == "title"
    page.locator("header.site nav a[href='/sources']").click()
    page.wait_for_url(lambda url: url.endswith("/sources"))
    assert language_of(page) == "el", "the choice is kept for the next pages"
    page.goto("/")
    page.fill("#q", "birds")
    page.press("#q", "Enter")
    page.wait_for_url(lambda url: "q=birds" in url)
    assert language_of(page) == "el"


def test_the_switcher_works_with_the_keyboard(page: Page) -> None:
    page.goto("/sources")
    page.locator("nav.languages summary").focus()
    page.keyboard.press("Enter")
    link = page.locator("nav.languages a[hreflang=mt]")
    assert link.is_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "lang=mt" in url)
    assert language_of(page) == "mt"


def test_the_browsers_language_is_honoured(browser: Browser, portal_url: str) -> None:
    irish = browser.new_context(base_url=portal_url, locale="ga-IE")
    try:
        page = irish.new_page()
        page.goto("/sources")
        assert language_of(page) == "ga"
        assert page.locator("h1").inner_text() == "Foinsí"
    finally:
        irish.close()
