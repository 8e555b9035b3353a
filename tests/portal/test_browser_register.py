"""Registering an endpoint end to end in Chromium: check, submit, log in, approve; and the
refusals: a private address, a redirect to one, a missing CSRF token, a wrong password."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.security import generate_password_hash

from harvester.sample_provider import OAIProvider, RunningServer
from tests.portal.browser_support import CHROMIUM, portal_server
from tests.support.servers import sample_repository, start

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install Debian's browser with `apt-get install -y chromium`"
    " (scripts/test does)",
)

PASSWORD = "a long admin passphrase"


def redirect_to(target: str) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("302 Found", [("Location", target)])
        return [b""]

    return app


@pytest.fixture(scope="module")
def endpoints() -> Iterator[tuple[RunningServer, RunningServer]]:
    """A local OAI-PMH endpoint, and one that redirects to a private address."""
    provider = start(OAIProvider(sample_repository(), page_size=5))
    redirector = start(redirect_to("http://10.20.30.40/oai"))
    yield provider, redirector
    provider.stop()
    redirector.stop()


@pytest.fixture(scope="module")
def portal(
    tmp_path_factory: pytest.TempPathFactory, endpoints: tuple[RunningServer, RunningServer]
) -> Iterator[str]:
    """A fresh portal allowing only the two local endpoints among private addresses."""
    provider, redirector = endpoints
    home = tmp_path_factory.mktemp("register") / "home"
    (home / "config" / "sources").mkdir(parents=True)
    env = {
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "CSFINDER_SECURE_COOKIES": "0",
        "CSFINDER_PRIVATE_URL_ALLOWLIST": f"127.0.0.1:{provider.port},127.0.0.1:{redirector.port}",
    }
    with portal_server(home, home.parent / "serve.log", env) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def fill_registration(page: Page, portal: str, url: str, source_id: str) -> None:
    page.goto(portal + "sources/new")
    page.get_by_label("Endpoint URL").fill(url)
    page.get_by_label("Short identifier").fill(source_id)
    page.get_by_label("Name").fill(f"Test repository {source_id}")
    page.get_by_label("Platform").fill("Testplatform")
    page.get_by_label("Licence of the metadata").fill("CC0-1.0")
    page.get_by_label("Contact").fill("operator@test.example.org")


def test_register_check_submit_and_approve(
    page: Page, portal: str, endpoints: tuple[RunningServer, RunningServer]
) -> None:
    provider, _ = endpoints
    fill_registration(page, portal, provider.url, "local-repo")
    page.get_by_role("button", name="Check the endpoint").click()
    expect(page.get_by_role("heading", name="What the endpoint answered")).to_be_visible()
    expect(page.get_by_label("Protocol")).to_have_value("oai-pmh")  # detected
    expect(page.locator("article.sample")).to_have_count(5)
    expect(page.locator("article.sample").first).to_contain_text("Quality and FAIR")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_contain_text("waits for an administrator")

    page.goto(portal + "admin/login")
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("User name").fill("admin")
    page.get_by_role("button", name="Log in").click()
    row = page.locator("#reg-local-repo")
    expect(row).to_contain_text("pending")
    row.get_by_role("button", name="Approve").click()
    expect(page.locator("#reg-local-repo")).to_contain_text("approved")

    page.goto(portal + "sources")
    expect(page.get_by_role("link", name="Test repository local-repo")).to_be_visible()
    assert "operator@test.example.org" not in page.content()


def test_a_private_address_is_refused(page: Page, portal: str) -> None:
    fill_registration(page, portal, "http://192.168.10.1/oai", "private-repo")
    page.get_by_role("button", name="Check the endpoint").click()
    expect(page.get_by_role("alert")).to_contain_text("192.168.10.1 is a private address")


def test_a_redirect_to_a_private_address_is_refused(
    page: Page, portal: str, endpoints: tuple[RunningServer, RunningServer]
) -> None:
    _, redirector = endpoints
    fill_registration(page, portal, redirector.url, "redirecting-repo")
    page.get_by_label("Protocol").select_option("oai-pmh")
    page.get_by_role("button", name="Check the endpoint").click()
    problems = page.locator("section.preview ul.issues")
    expect(problems).to_contain_text("http://10.20.30.40/oai: 10.20.30.40 is a private address")
    expect(page.locator("article.sample")).to_have_count(0)


def test_a_form_without_its_csrf_token_is_refused(page: Page, portal: str) -> None:
    fill_registration(page, portal, "https://example.org/oai", "no-token")
    page.locator('input[name="csrf_token"]').evaluate("element => element.remove()")
    page.get_by_role("button", name="Submit for approval").click()
    assert "The CSRF token is missing" in page.content()


def test_the_registration_page_screenshot(page: Page, portal: str) -> None:
    page.goto(portal + "sources/new")
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "register.png"), full_page=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
