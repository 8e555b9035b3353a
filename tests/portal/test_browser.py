"""The portal in a real browser (Debian's Chromium driven by Playwright), served by
``csfinder serve`` over the demo's harvested records.

Searching, facets, chips, paging with the back button, a record, a CSV export, the page
without JavaScript and with the keyboard only; axe-core finds no accessibility violation on
any page type; no console error, no Content-Security-Policy violation, no inline script.
Screenshots of every page type are saved under ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
)

from portal.exports import COLUMNS
from tests.portal.browser_support import (
    CHROMIUM,
    PageWatch,
    axe_report,
    browser_context,
    label_count,
    portal_server,
    shown_total,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium`"
    " (scripts/test does)",
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def portal_url(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal under its production server (gunicorn), one worker, for the whole session."""
    log = tmp_path_factory.mktemp("browser") / "serve.log"
    with portal_server(demo_home, log) as url:
        yield url


@pytest.fixture(scope="session")
def known(playwright: Playwright, portal_url: str) -> dict[str, Any]:
    """Record and source identifiers of the demo data, read from the JSON API."""
    api = playwright.request.new_context(base_url=portal_url)
    try:
        search = api.get("/api/v1/search?per_page=1").json()
        sources = api.get("/api/v1/sources").json()["sources"]
    finally:
        api.dispose()
    assert search["hits"] and sources, "the demo data should hold records and sources"
    return {"record": search["hits"][0]["id"], "source": sources[0]["id"]}


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def context(browser: Browser, portal_url: str, watch: PageWatch) -> Iterator[BrowserContext]:
    """A fresh browser context (JavaScript on) whose pages are watched for errors."""
    with browser_context(browser, portal_url, watch) as fresh:
        yield fresh


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def nojs_page(browser: Browser, portal_url: str) -> Iterator[Page]:
    """A page with JavaScript disabled."""
    with browser_context(browser, portal_url, java_script_enabled=False) as fresh:
        yield fresh.new_page()


# -- helpers -------------------------------------------------------------------------------


def params(page: Page) -> dict[str, list[str]]:
    """The query string of the page's address."""
    return parse_qs(urlsplit(page.url).query)


def narrowing_facet(page: Page) -> tuple[str, str, str, int]:
    """A facet checkbox that narrows the current results: (name, value, label, count)."""
    total = shown_total(page)
    boxes = page.locator("fieldset.facet input[type=checkbox]:not(:checked)")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
        text, count = label_count(label)
        if 0 < count < total:
            return box.get_attribute("name") or "", box.get_attribute("value") or "", text, count
    raise AssertionError("no facet value narrows the demo results")


def checkbox(page: Page, name: str, value: str) -> Locator:
    return page.locator(f"fieldset.facet input[type=checkbox][name='{name}'][value='{value}']")


def hit_titles(page: Page) -> list[str]:
    return page.locator("ol.hits li.hit h3").all_inner_texts()


def focused(page: Page) -> dict[str, Any]:
    """What has the keyboard focus: tag, id, name, value, class, and whether it is outlined."""
    found: dict[str, Any] = page.evaluate(
        """() => {
          const e = document.activeElement;
          const style = getComputedStyle(e);
          return {tag: e.tagName.toLowerCase(), id: e.id, name: e.name || "",
                  value: e.value || "", cls: e.className || "", type: e.type || "",
                  outlined: style.outlineStyle !== "none" && style.outlineWidth !== "0px"};
        }"""
    )
    return found


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_problems(watch: PageWatch) -> None:
    assert not watch.problems(), "the browser reported:\n" + watch.problems()


# -- flows ---------------------------------------------------------------------------------


def test_search_with_suggestions_and_highlights(page: Page, watch: PageWatch) -> None:
    page.goto("/")
    everything = shown_total(page)
    word = next(w for t in hit_titles(page) for w in t.split() if len(w) >= 5 and w.isalpha())
    page.fill("#q", word[:4])
    suggestions = page.locator("#suggestions option")
    suggestions.first.wait_for(state="attached")
    assert suggestions.count() >= 1

    page.fill("#q", word)
    page.press("#q", "Enter")
    page.wait_for_url(lambda url: "q=" in url)
    assert params(page)["q"] == [word]
    assert 1 <= shown_total(page) <= everything
    assert page.locator("ol.hits mark").count() >= 1, "matches are highlighted"
    assert word in page.title()
    assert page.input_value("#q") == word
    screenshot(page, "search-query")
    no_problems(watch)


def test_facet_checkbox_applies_at_once_and_chip_removes_it(page: Page, watch: PageWatch) -> None:
    page.goto("/")
    everything = shown_total(page)
    assert page.locator("#auto-apply").is_visible(), "people are told filters apply at once"
    name, value, label, count = narrowing_facet(page)

    checkbox(page, name, value).click()
    page.wait_for_url(lambda url: f"{name}=" in url)
    assert params(page)[name] == [value]
    assert shown_total(page) == count
    assert checkbox(page, name, value).is_checked()
    chips = page.locator("ul.chips a.chip")
    assert chips.count() == 1
    assert label in chips.first.inner_text()
    assert page.locator("ul.chips a.clear").is_visible()

    chips.first.click()
    page.wait_for_url(lambda url: f"{name}=" not in url)
    assert shown_total(page) == everything
    assert page.locator("ul.chips").count() == 0
    assert not checkbox(page, name, value).is_checked()
    no_problems(watch)


def test_clear_all_filters_keeps_the_query(page: Page, known: dict[str, Any]) -> None:
    page.goto("/")
    name, value, _, _ = narrowing_facet(page)
    page.goto(f"/?q=a*&{name}={value}&year_from=1900")
    assert page.locator("ul.chips a.chip").count() == 2
    page.click("ul.chips a.clear")
    page.wait_for_url(lambda url: f"{name}=" not in url)
    assert params(page) == {"q": ["a*"]}
    assert page.locator("ul.chips").count() == 0


def test_paging_and_back_button_restore_the_state(page: Page, watch: PageWatch) -> None:
    page.goto("/?sort=title")
    first_page = hit_titles(page)
    assert shown_total(page) > len(first_page), "the demo data should fill two pages"
    assert page.locator("nav.pages [aria-current=page]").inner_text() == "1"

    page.click("nav.pages a[rel=next]")
    page.wait_for_url(lambda url: "page=2" in url)
    assert params(page)["sort"] == ["title"]
    assert page.locator("nav.pages [aria-current=page]").inner_text() == "2"
    assert page.get_attribute("ol.hits", "start") == str(len(first_page) + 1)
    second_page = hit_titles(page)
    assert second_page and not set(second_page) & set(first_page)

    page.go_back()
    page.wait_for_url(lambda url: "page=2" not in url)
    assert params(page) == {"sort": ["title"]}
    assert hit_titles(page) == first_page
    assert page.input_value("#sort") == "title"
    assert page.locator("nav.pages [aria-current=page]").inner_text() == "1"

    page.go_forward()
    page.wait_for_url(lambda url: "page=2" in url)
    assert hit_titles(page) == second_page
    no_problems(watch)


def test_open_a_record_from_the_results(page: Page, watch: PageWatch) -> None:
    page.goto("/?sort=title")
    link = page.locator("ol.hits li.hit h3 a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url("**/records/**")
    assert page.locator("h1").inner_text() == title
    assert page.locator("section[aria-labelledby=provenance] dl").is_visible()
    assert page.locator("table.indicators tbody tr").count() >= 1
    scripts = page.locator("head script[type='application/ld+json']")
    assert scripts.count() == 1
    document = json.loads(scripts.text_content() or "")
    assert "schema.org" in json.dumps(document.get("@context"))
    assert document.get("name") == title
    no_problems(watch)


def test_export_csv_from_the_page(page: Page, watch: PageWatch) -> None:
    page.goto("/?page=2")  # paging is ignored by exports: every result is sent
    total = shown_total(page)
    with page.expect_download() as download_info:
        page.click("p.exports a:text-is('CSV')")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")  # a BOM, for spreadsheets
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == total
    assert len({row[0] for row in rows[1:]}) == total, "each record once"
    no_problems(watch)


def test_export_csv_follows_the_filters(page: Page) -> None:
    page.goto("/")
    name, value, _, count = narrowing_facet(page)
    checkbox(page, name, value).click()
    page.wait_for_url(lambda url: f"{name}=" in url)
    with page.expect_download() as download_info:
        page.click("p.exports a:text-is('CSV')")
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) - 1 == count


def test_without_javascript_buttons_apply_filters_and_sort(nojs_page: Page) -> None:
    page = nojs_page
    page.goto("/")
    assert not page.locator("#auto-apply").is_visible(), "no promise JavaScript cannot keep"
    name, value, label, count = narrowing_facet(page)

    checkbox(page, name, value).check()
    page.wait_for_timeout(300)
    assert f"{name}=" not in page.url, "nothing submits by itself without JavaScript"
    page.click("button.apply")
    page.wait_for_url(lambda url: f"{name}=" in url)
    assert params(page)[name] == [value]
    assert shown_total(page) == count
    assert label in page.locator("ul.chips a.chip").first.inner_text()

    page.select_option("#sort", "title")
    page.click("div.controls button[type=submit]")
    page.wait_for_url(lambda url: "sort=title" in url)
    assert params(page)[name] == [value], "sorting keeps the filters"
    assert page.input_value("#sort") == "title"
    assert checkbox(page, name, value).is_checked()
    assert shown_total(page) == count
    screenshot(page, "search-no-javascript")


def test_keyboard_only(page: Page, watch: PageWatch) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and "skip" in first["cls"], first
    assert first["outlined"], "focus is visible"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link shows on focus"

    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "q", "the search box comes first in the content"

    for _ in range(5):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["type"] == "checkbox":
            break
    else:
        raise AssertionError("no facet checkbox within five Tab presses of the search box")
    assert now["outlined"], "focus is visible on checkboxes"
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: f"{now['name']}=" in url)
    assert checkbox(page, now["name"], now["value"]).is_checked()
    after = focused(page)
    assert (after["name"], after["value"]) == (now["name"], now["value"]), (
        "focus comes back to the checkbox after the results update"
    )

    # Arrow keys on the sort list must not reload the page at every step.
    page.focus("#sort")
    before = page.url
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    assert page.url == before
    chosen = page.input_value("#sort")
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "button"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: f"sort={chosen}" in url)
    assert params(page)[now["name"]] == [now["value"]]
    no_problems(watch)


# -- accessibility -------------------------------------------------------------------------


def page_paths(known: dict[str, Any]) -> dict[str, str]:
    return {
        "search": "/?kind=project&kind=dataset&sort=newest",
        "search-empty": "/?q=zzzqqqxxx",
        "record": f"/records/{known['record']}",
        "sources": "/sources",
        "source": f"/sources/{known['source']}",
    }


@pytest.mark.parametrize("kind", ["search", "search-empty", "record", "sources", "source"])
def test_axe_finds_no_violations(
    page: Page, known: dict[str, Any], watch: PageWatch, kind: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page.goto(page_paths(known)[kind])
    if kind == "search":
        assert page.locator("fieldset.facet").count() >= 2
        assert page.locator("ul.chips a.chip").count() == 2
        assert page.locator("ol.hits li.hit").count() >= 1
    screenshot(page, kind)
    results = Axe().run(page)
    assert results.response.get("passes"), "axe-core ran its rules"
    assert results.violations_count == 0, (
        f"axe-core found violations on {page.url}:\n{axe_report(results.response)}"
    )
    no_problems(watch)


@pytest.mark.parametrize("kind", ["search", "record", "sources", "source"])
def test_reflows_at_320_css_pixels(
    browser: Browser, portal_url: str, known: dict[str, Any], kind: str
) -> None:
    """WCAG 1.4.10: nothing but data tables (two-dimensional, so exempt) is wider than a
    320-pixel viewport."""
    narrow = browser.new_context(base_url=portal_url, viewport={"width": 320, "height": 640})
    try:
        page = narrow.new_page()
        page.goto(page_paths(known)[kind])
        screenshot(page, f"{kind}-320px")
        too_wide = page.evaluate(
            """() => [...document.body.querySelectorAll("*")]
                 .filter((e) => !e.closest("table") && !e.closest(".visually-hidden"))
                 .filter((e) => e.getBoundingClientRect().right > 320.5)
                 .map((e) => e.tagName.toLowerCase() + "." + e.className + ": "
                             + (e.textContent || "").trim().slice(0, 60))"""
        )
        assert not too_wide, "wider than 320 CSS pixels:\n" + "\n".join(too_wide)
    finally:
        narrow.close()


# -- security in the browser ---------------------------------------------------------------


def test_pages_load_without_errors_or_csp_violations(
    page: Page, known: dict[str, Any], watch: PageWatch
) -> None:
    for path in page_paths(known).values():
        page.goto(path)
        scripts = page.locator("script").evaluate_all(
            "(all) => all.map((s) => ({src: s.src, type: s.type}))"
        )
        for script in scripts:
            if script["src"]:
                assert script["src"].startswith(page.url.split("/", 3)[0] + "//"), script
            else:
                assert script["type"] == "application/ld+json", "no inline script"
    page.goto("/")
    page.fill("#q", "wat")  # suggestions: a fetch under connect-src 'self'
    page.wait_for_timeout(400)
    no_problems(watch)


def test_reflected_and_inline_script_never_runs(page: Page, watch: PageWatch) -> None:
    page.goto("/?q=" + quote(HOSTILE))
    assert page.input_value("#q") == HOSTILE, "the query is shown back as text"
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert not watch.csp, "escaped text needs no CSP to stop it"

    # The policy itself: an inline script added to the page is refused by the browser.
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__inline = 1"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__inline") is None
    assert any(v["directive"].startswith("script-src") for v in watch.csp), watch.problems()
