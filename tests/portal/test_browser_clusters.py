"""Clusters in a real browser (Debian's Chromium, Playwright) against ``csfinder serve``:
one hit per project with where else it is listed, the record page's listings and the
curation page pass axe-core, and a curator takes a listing out by clicking."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from werkzeug.security import generate_password_hash

from harvester.core.settings import load_settings
from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.index.service import open_index, reindex
from harvester.store import Store
from tests.harvester.enrich.clusters.test_runs import write
from tests.portal.browser_support import CHROMIUM, PageWatch, axe_report, portal_server, shown_total
from tests.portal.test_clusters import BIRDS, PASSWORD, SKY_EU, SKY_JRC

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("clustered")
    env = {"CSFINDER_HOME": str(home), "CSFINDER_CONFIG": str(home / "config")}
    settings = load_settings(env)
    home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.database_url)
    write(store, SKY_EU, SKY_JRC, BIRDS)
    rebuild_clusters(store)
    index = open_index(settings)
    reindex(store, index)
    index.close()
    store.close()
    secrets = {
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "CSFINDER_SECURE_COOKIES": "0",
        "CSFINDER_SECRET_KEY": "browser-test-secret",
    }
    with portal_server(home, home / "serve.log", secrets) as url:
        yield url


@pytest.fixture
def page(browser: Browser, portal_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=portal_url)
    context.set_default_timeout(10_000)
    watch = PageWatch()
    watch.attach(context)
    yield context.new_page()
    assert not watch.problems(), "the browser reported:\n" + watch.problems()
    context.close()


def no_violations(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    results = Axe().run(page)
    assert results.response.get("passes"), "axe-core ran its rules"
    assert results.violations_count == 0, axe_report(results.response)


def test_collapsed_search_and_record_listings_are_accessible(page: Page) -> None:
    page.goto("/")
    assert shown_total(page) == 2
    assert page.locator("p.also-listed a").inner_text() == "JRC"
    no_violations(page)
    page.locator("a.collapse-toggle").click()
    assert shown_total(page) == 3
    page.goto(f"/records/{SKY_JRC['id']}")
    rows = page.locator("table.listings tbody tr")
    assert rows.count() == 2 and page.locator("tr[aria-current=page]").count() == 1
    no_violations(page)


def test_a_curator_takes_a_listing_out(page: Page) -> None:
    page.goto("/admin/login")
    page.fill("#user", "admin")
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto("/admin/clusters/")
    assert page.locator("section.cluster").count() == 1
    assert "same landing page" in page.locator("ul.evidence").inner_text()
    no_violations(page)
    row = page.locator("section.cluster tbody tr", has_text=str(SKY_JRC["title"]))
    row.locator("input[name=note]").fill("the app's own listing")
    row.get_by_role("button", name="Take out").click()
    assert "taken out" in page.locator("p.notice").inner_text()
    assert page.locator("section.cluster").count() == 0
    page.goto("/")
    assert shown_total(page) == 3
