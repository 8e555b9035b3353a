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


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT (shared address space)
        ("100.100.100.200", "not globally routable"),  # a cloud's metadata service
        ("198.18.0.1", "private"),  # benchmarking
        ("192.0.0.170", "private"),  # IETF protocol assignments
        ("192.0.2.1", "private"),  # documentation
        ("0.1.2.3", "private"),  # "this network"
        ("255.255.255.255", "reserved"),
        ("192.88.99.1", "not globally routable"),  # 6to4 relay anycast (deprecated)
        ("2001:db8::1", "private"),  # documentation
        ("100::1", "reserved"),  # discard-only
        ("fec0::1", "site-local"),  # deprecated site-local
        ("ff0e::1", "multicast"),  # global-scope multicast is still multicast
        ("64:ff9b:1::a00:1", "not globally routable"),  # NAT64 for local use
    ],
)
def test_every_address_that_is_not_globally_routable_is_refused(address: str, reason: str) -> None:
    problem = address_problem(address)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("address", "embedded", "reason"),
    [
        ("2002:7f00:1::1", "127.0.0.1", "loopback"),  # 6to4
        ("2002:a9fe:a9fe::", "169.254.169.254", "link-local"),  # 6to4
        ("2002:6464:64c8::1", "100.100.100.200", "not globally routable"),  # 6to4
        ("64:ff9b::7f00:1", "127.0.0.1", "loopback"),  # NAT64
        ("64:ff9b::a00:1", "10.0.0.1", "private"),  # NAT64
        ("::ffff:100.100.100.200", "100.100.100.200", "not globally routable"),  # mapped
        ("::ffff:10.0.0.1", "10.0.0.1", "private"),  # IPv4-mapped
        ("::127.0.0.1", "127.0.0.1", "loopback"),  # IPv4-compatible (deprecated)
        ("::8.8.8.8", "8.8.8.8", "IPv4-compatible"),  # deprecated form, refused as such
    ],
)
def test_an_ipv4_address_embedded_in_ipv6_is_checked_too(
    address: str, embedded: str, reason: str
) -> None:
    problem = address_problem(address)
    assert problem is not None and reason in problem and embedded in problem


def test_teredo_addresses_are_refused_with_the_addresses_they_embed() -> None:
    # server 65.54.227.120, client 192.0.2.45 (obfuscated in the last 48 bits)
    problem = address_problem("2001:0:4136:e378:8000:63bf:3fff:fdd2")
    assert problem is not None and "Teredo" in problem


def test_global_addresses_behind_translation_prefixes_pass() -> None:
    assert address_problem("64:ff9b::808:808") is None  # NAT64 of 8.8.8.8
    assert address_problem("2002:0808:0808::1") is None  # 6to4 of 8.8.8.8
    assert address_problem("::ffff:8.8.8.8") is None


def test_a_url_to_the_metadata_service_behind_carrier_grade_nat_is_refused() -> None:
    problem = url_problem("http://100.100.100.200/latest/meta-data/")
    assert problem is not None and "100.100.100.200" in problem
    problem = url_problem("http://[2002:7f00:1::1]:8080/oai")
    assert problem is not None and "127.0.0.1" in problem
