"""Insights in a real browser (Debian's Chromium driven by Playwright), served by ``csfinder
serve`` over the demo's harvested records: the map and a country clicked, hover details,
compare, each download, the citation, the page without JavaScript; axe-core finds no
accessibility violation; no console error or Content-Security-Policy violation.
Screenshots are saved under ``test-artifacts/screenshots/``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from tests.portal.browser_support import (
    CHROMIUM,
    PageWatch,
    axe_report,
    browser_context,
    portal_server,
    shown_total,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium`"
    " (scripts/test does)",
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
FIND_POINT = """(shape) => {
  const box = shape.getBoundingClientRect();
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) {
      const x = box.left + (box.width * i) / 12, y = box.top + (box.height * j) / 12;
      if (document.elementFromPoint(x, y) === shape) { return {x, y}; }
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def portal_url(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal under its production server, over the demo's records."""
    log = tmp_path_factory.mktemp("insights-browser") / "serve.log"
    with portal_server(demo_home, log) as url:
        yield url


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def context(browser: Browser, portal_url: str, watch: PageWatch) -> Iterator[BrowserContext]:
    viewport = {"width": 1280, "height": 900}
    with browser_context(browser, portal_url, watch, 15_000, viewport=viewport) as fresh:
        yield fresh


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def nojs_page(browser: Browser, portal_url: str) -> Iterator[Page]:
    with browser_context(browser, portal_url, None, 15_000, java_script_enabled=False) as fresh:
        yield fresh.new_page()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_problems(watch: PageWatch) -> None:
    assert not watch.problems(), "the browser reported:\n" + watch.problems()


def busiest_country(page: Page) -> tuple[Locator, str, int]:
    """The map's shape with the most records: the shape, its code and its count."""
    shapes = page.locator("#figure-country svg.map a path[data-country]")
    counted = shapes.evaluate_all(
        "(all) => all.map((p) => [p.dataset.country, Number(p.dataset.count)])"
    )
    code, count = max(counted, key=lambda item: (item[1], item[0]))
    return page.locator(f"#figure-country path[data-country='{code}']"), code, count


def click_inside(page: Page, shape: Locator) -> dict[str, float]:
    """Click the shape where it is drawn (not where its box's centre happens to fall)."""
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(FIND_POINT)
    assert point, "the shape is visible somewhere"
    page.mouse.click(point["x"], point["y"])
    return dict(point)


def test_a_country_on_the_map_opens_its_search(page: Page, watch: PageWatch) -> None:
    page.goto("/insights?kind=project")
    shape, code, count = busiest_country(page)
    assert count >= 1
    title = shape.locator("title").text_content() or ""
    assert title.endswith(f"{count} record" + ("s" if count != 1 else ""))
    screenshot(page, "insights")
    click_inside(page, shape)
    page.wait_for_url(lambda url: "country=" in url)
    assert urlsplit(page.url).path == "/"
    assert parse_qs(urlsplit(page.url).query) == {"kind": ["project"], "country": [code]}
    assert shown_total(page) == count
    no_problems(watch)


def test_hovering_a_country_shows_its_details(page: Page, watch: PageWatch) -> None:
    page.goto("/insights")
    shape, _code, _count = busiest_country(page)
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(FIND_POINT)
    page.mouse.move(point["x"], point["y"])
    tip = page.locator(".insights-tip")
    tip.wait_for(state="visible")
    assert tip.inner_text() == shape.locator("title").text_content()
    page.mouse.move(2, 2)
    tip.wait_for(state="detached")
    no_problems(watch)


def test_compare_two_countries_on_one_scale(page: Page, watch: PageWatch) -> None:
    page.goto("/insights")
    form = page.locator("form.compare-form", has=page.locator("select[name='a.country']"))
    first = form.locator("select[name='a.country']").input_value()
    second = form.locator("select[name='b.country']").input_value()
    assert first != second
    form.locator("button").click()
    page.wait_for_url("**/insights/compare?**")
    assert parse_qs(urlsplit(page.url).query) == {"a.country": [first], "b.country": [second]}
    assert page.locator("#figure-country svg.map").count() == 2
    legends = page.locator("#figure-country svg.map g.legend").all_inner_texts()
    assert legends[0] == legends[1], "the two maps share their classes"
    shown = page.locator(".summary p.total").all_inner_texts()
    screenshot(page, "insights-compare")
    totals = []
    for code in (first, second):
        page.goto(f"/?country={code}")
        totals.append(shown_total(page))
    assert [int("".join(c for c in text.split("—")[1] if c.isdigit())) for text in shown] == totals
    no_problems(watch)


def test_each_download_of_a_figure(page: Page, watch: PageWatch) -> None:
    page.goto("/insights")
    section = page.locator("#figure-topic")
    files = {}
    for kind in ("CSV", "JSON", "SVG"):
        with page.expect_download() as info:
            section.locator(f"p.downloads a:text-is('{kind}')").click()
        download = info.value
        assert download.suggested_filename.startswith("csfinder-topic-")
        assert download.suggested_filename.endswith("." + kind.lower())
        files[kind] = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(files["CSV"])))
    data = json.loads(files["JSON"])
    assert list(rows[0]) == data["columns"] == ["value", "label", "count"]
    assert [r["label"] for r in rows] == [r["label"] for r in data["rows"]]
    section.locator("summary", has_text="table").click()
    cells = section.locator("table tbody tr td:nth-child(3)").all_inner_texts()
    assert [int(c.replace(",", "")) for c in cells] == [int(r["count"]) for r in rows]
    svg = etree.fromstring(files["SVG"].encode(), etree.XMLParser(resolve_entities=False))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.findtext("{http://www.w3.org/2000/svg}title") == data["title"]
    no_problems(watch)


def test_the_citation_names_everything_a_reader_needs(
    page: Page, portal_url: str, watch: PageWatch
) -> None:
    page.goto("/insights?kind=dataset")
    section = page.locator("#figure-country")
    citation = section.locator("p.citation")
    assert not citation.is_visible()
    section.locator("details.cite summary").click()
    text = citation.inner_text()
    permalink = section.locator("a.permalink").get_attribute("href") or ""
    assert permalink == portal_url + "insights?kind=dataset#figure-country"
    for part in (
        "Records per country, Europe",
        "Kind: Dataset",
        "Data as harvested up to",
        f"csfinder {version('csfinder')}",
        permalink,
        "accessed",
    ):
        assert part in text, part
    page.goto(permalink)
    assert page.locator("#figure-country h2").inner_text() == "Records per country, Europe"
    no_problems(watch)


def test_without_javascript_the_map_links_and_forms_work(nojs_page: Page) -> None:
    page = nojs_page
    page.goto("/insights")
    assert page.locator(".insights-tip").count() == 0
    page.locator("#figure-country .views a", has_text="World").click()
    page.wait_for_url("**map=world**")
    assert "world" in page.locator("#figure-country h2").inner_text()
    shape, code, count = busiest_country(page)
    screenshot(page, "insights-world-no-javascript")
    click_inside(page, shape)
    page.wait_for_url(lambda url: f"country={code}" in url)
    assert shown_total(page) == count
    page.goto("/insights")
    page.fill("#cmp-from-a", "2000")
    page.fill("#cmp-to-a", "2019")
    page.fill("#cmp-from-b", "2020")
    page.fill("#cmp-to-b", "2030")
    page.locator("form.compare-form button", has_text="periods").click()
    page.wait_for_url("**/insights/compare?**")
    names = page.locator(".summary p.total strong").all_inner_texts()
    assert names == ["A: 2000–2019", "B: 2020–2030"]


@pytest.mark.parametrize(
    "path",
    [
        "/insights",
        "/insights?map=world&kind=project",
        "/insights/compare?a.country=IT&b.country=ES",
        "/insights/compare",
    ],
)
def test_axe_finds_no_violations(page: Page, watch: PageWatch, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page.goto(path)
    for summary in page.locator("details summary").all():
        summary.click()  # open every table and citation: they are checked too
    results = Axe().run(page)
    assert results.response.get("passes"), "axe-core ran its rules"
    assert results.violations_count == 0, (
        f"axe-core found violations on {page.url}:\n{axe_report(results.response)}"
    )
    no_problems(watch)


def test_reflows_at_320_css_pixels(browser: Browser, portal_url: str) -> None:
    """WCAG 1.4.10: nothing but data tables is wider than a 320-pixel viewport."""
    narrow = browser.new_context(base_url=portal_url, viewport={"width": 320, "height": 640})
    try:
        page = narrow.new_page()
        page.goto("/insights")
        screenshot(page, "insights-320px")
        too_wide: list[Any] = page.evaluate(
            """() => [...document.body.querySelectorAll("*")]
                 .filter((e) => !e.closest("table") && !e.closest(".visually-hidden"))
                 .filter((e) => e.getBoundingClientRect().right > 320.5)
                 .map((e) => e.tagName.toLowerCase() + "." + e.className + ": "
                             + (e.textContent || "").trim().slice(0, 60))"""
        )
        assert not too_wide, "wider than 320 CSS pixels:\n" + "\n".join(map(str, too_wide))
    finally:
        narrow.close()
