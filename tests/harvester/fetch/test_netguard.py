"""SSRF guard: refused addresses, schemes and redirects, before any connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from harvester.fetch.netguard import (
    GuardedSession,
    PeerCheckingAdapter,
    UnsafeURLError,
    address_problem,
    url_problem,
)
from harvester.sample_provider import RunningServer


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("fc00::1", "private"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    problem = address_problem(address)
    assert problem is not None and reason in problem


def test_public_addresses_pass() -> None:
    assert address_problem("193.62.193.80") is None
    assert address_problem("2001:4860:4860::8888") is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.org/", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://127.0.0.1:8080/oai", "loopback"),
        ("http://localhost/oai", "loopback"),
        ("http://[::1]/oai", "loopback"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one number
        ("http://0x7f.1/", "loopback"),
        ("http://example.invalid/", "does not resolve"),
        ("http://example.org:99999/", "not a valid URL"),
    ],
)
def test_urls_that_are_refused_say_why(url: str, reason: str) -> None:
    problem = url_problem(url)
    assert problem is not None and reason in problem


def test_an_allowlist_or_the_setting_lets_a_private_host_through() -> None:
    assert url_problem("http://127.0.0.1:8080/oai", allowlist=("127.0.0.1:8080",)) is None
    assert url_problem("http://127.0.0.1:9090/oai", allowlist=("127.0.0.1:8080",)) is not None
    assert url_problem("http://127.0.0.1/oai", allow_private=True) is None
    assert url_problem("file:///etc/passwd", allow_private=True) is not None


def redirect_to(target: str) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("302 Found", [("Location", target)])
        return [b""]

    return app


def test_a_redirect_to_a_private_address_is_refused(
    server_factory: Callable[..., RunningServer],
) -> None:
    server = server_factory(redirect_to("http://169.254.169.254/latest/meta-data/"))
    session = GuardedSession(allowlist=(f"127.0.0.1:{server.port}",))
    with pytest.raises(UnsafeURLError, match=r"169\.254\.169\.254.*link-local"):
        session.get(server.url, timeout=5)


def test_the_first_request_is_checked_too(server_factory: Callable[..., RunningServer]) -> None:
    server = server_factory(redirect_to("http://example.org/"))
    with pytest.raises(UnsafeURLError, match="loopback"):
        GuardedSession().get(server.url, timeout=5)


def test_an_allowed_endpoint_is_fetched(sample_server: RunningServer) -> None:
    session = GuardedSession(allowlist=(f"127.0.0.1:{sample_server.port}",))
    response = session.get(sample_server.url, params={"verb": "Identify"}, timeout=5)
    assert response.status_code == 200 and b"Identify" in response.content
    assert isinstance(session, requests.Session)


def test_the_connected_address_is_checked_after_resolution(
    sample_server: RunningServer,
) -> None:
    """A name that passed the check but then resolves to a private address (DNS rebinding)
    is refused once the socket is open: here no URL check runs before connecting at all."""
    session = requests.Session()
    session.mount("http://", PeerCheckingAdapter())
    with pytest.raises(UnsafeURLError, match=r"connected to 127\.0\.0\.1 is a loopback address"):
        session.get(sample_server.url, params={"verb": "Identify"}, timeout=5)
    allowed = requests.Session()
    allowed.mount("http://", PeerCheckingAdapter((f"127.0.0.1:{sample_server.port}",)))
    response = allowed.get(sample_server.url, params={"verb": "Identify"}, timeout=5)
    assert response.status_code == 200 and b"Identify" in response.content
