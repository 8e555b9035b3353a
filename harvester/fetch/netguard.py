"""Guarding URLs that users submit against server-side request forgery.

Every URL a registration brings, and every redirect it leads to, is checked before a
connection is made: only http and https, and only hosts whose every address is globally
routable. Anything else is refused: loopback, private, link-local, multicast, reserved,
unspecified, shared (carrier-grade NAT, 100.64.0.0/10, where clouds put metadata services),
documentation, benchmarking and deprecated ranges, and every IPv6 form that embeds an IPv4
address (IPv4-mapped and -compatible, 6to4, Teredo, NAT64) unless the embedded address is
global too. The address actually connected to is checked again once the socket is open, so
a name that resolves differently the second time (DNS rebinding) gains nothing. A setting
may allow private addresses for local testing. Sources from config files are trusted;
registered sources are fetched through :class:`GuardedSession` on every harvest.
"""

# Hand-written on purpose: the SSRF guards on PyPI (advocate, ...) are unmaintained and
# check names rather than the address each socket really connects to.

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from harvester.core.errors import FetchError
from harvester.core.settings import UrlPolicy

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5


class UnsafeURLError(FetchError):
    """A URL that csfinder will not fetch on a user's behalf; the message says why (a
    :class:`FetchError` never retried: a harvest that meets one fails with that reason)."""


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address in the last 32 bits
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291, deprecated
_NOT_GLOBAL: tuple[tuple[IPNetwork, str], ...] = (
    # Ranges Python's ``is_global`` still counts as global (3.11), named for the message.
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "NAT64 for local use (RFC 8215)"),
    (ipaddress.IPv6Network("fec0::/10"), "site-local (deprecated)"),
    (ipaddress.IPv4Network("192.88.99.0/24"), "the 6to4 relay anycast range (deprecated)"),
)


def address_problem(address: str) -> str | None:
    """Why an IP address must not be fetched, or None when it is globally routable.

    An IPv6 address that embeds an IPv4 address (IPv4-mapped, 6to4, NAT64) is judged by
    the embedded address; Teredo and the deprecated IPv4-compatible form (``::a.b.c.d``)
    are refused whatever they embed.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:
            server, client = ip.teredo
            return f"{address} is a Teredo address (server {server}, client {client})"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, four = embedded
            inner = _range_problem(four)
            if form == "IPv4-compatible":
                return f"{address} embeds {four} in the deprecated {form} form" + (
                    f", {inner}" if inner else ""
                )
            return None if inner is None else f"{address} embeds {four} ({form}), {inner}"
    problem = _range_problem(ip)
    return None if problem is None else f"{address} is {problem}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries, with the name of the form, if it does."""
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    last = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64:
        return "NAT64", last
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # "::" and "::1" are checked as themselves
        return "IPv4-compatible", last
    return None


def _range_problem(ip: IPAddress) -> str | None:
    """Why one address is not globally routable ("a loopback address", ...), or None."""
    for network, name in _NOT_GLOBAL:
        if ip.version == network.version and ip in network:
            return f"not globally routable: {name}"
    for flag, reason in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
    ):
        if flag:
            return reason
    if not ip.is_global:
        return "not globally routable (shared, carrier-grade NAT or special-purpose range)"
    return None


def url_problem(
    url: str, *, allow_private: bool = False, allowlist: tuple[str, ...] = ()
) -> str | None:
    """Why ``url`` must not be fetched, or None when it may be.

    The host is resolved here; every address it resolves to must be public, unless
    ``allow_private`` (everything) or ``allowlist`` names the host or ``host:port``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"only http and https URLs are accepted, not {parts.scheme or 'none'!r}"
    host = parts.hostname
    if not host:
        return "the URL has no host"
    if allow_private or allowed_host(host, port, allowlist):
        return None
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return f"the host {host!r} does not resolve ({exc})"
    for *_, sockaddr in found:
        problem = address_problem(str(sockaddr[0]))
        if problem is not None:
            return problem if str(sockaddr[0]) == host else f"{host} resolves to {problem}"
    return None


def allowed_host(host: str, port: int | None, allowlist: tuple[str, ...]) -> bool:
    """Whether the allowlist names ``host`` or ``host:port``."""
    return host in allowlist or f"{host}:{port}" in allowlist


def check_url(url: str, *, allow_private: bool = False, allowlist: tuple[str, ...] = ()) -> None:
    """Raise :class:`UnsafeURLError` when ``url`` must not be fetched."""
    problem = url_problem(url, allow_private=allow_private, allowlist=allowlist)
    if problem is not None:
        raise UnsafeURLError(f"{url}: {problem}")


class GuardedSession(requests.Session):
    """A requests session that checks every URL it is about to connect to, redirects
    included (requests sends each hop through :meth:`send`)."""

    def __init__(self, *, allow_private: bool = False, allowlist: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.allow_private = allow_private
        self.allowlist = allowlist
        self.max_redirects = MAX_REDIRECTS
        if not allow_private:
            adapter = PeerCheckingAdapter(allowlist)
            self.mount("http://", adapter)
            self.mount("https://", adapter)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Refuse an unsafe URL before any connection is made."""
        check_url(str(request.url), allow_private=self.allow_private, allowlist=self.allowlist)
        return super().send(request, **kwargs)


def guarded_session(policy: UrlPolicy) -> GuardedSession:
    """A :class:`GuardedSession` with what ``policy`` allows."""
    return GuardedSession(allow_private=policy.allow_private, allowlist=policy.allowlist)


class _PeerCheck:
    """Checks the address a new socket is connected to (mixed into urllib3 connections)."""

    allowlist: tuple[str, ...] = ()
    host: str
    port: int | None

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        peer = str(sock.getpeername()[0])
        problem = (
            None if allowed_host(self.host, self.port, self.allowlist) else address_problem(peer)
        )
        if problem is not None:
            sock.close()
            raise UnsafeURLError(f"{self.host}: connected to {problem}")
        return sock


class PeerCheckingAdapter(HTTPAdapter):
    """A transport adapter whose connections refuse a socket connected to an address that
    must not be fetched (hosts of ``allowlist`` excepted). Connections through a proxy
    from the environment are checked by the proxy's own rules, not here."""

    def __init__(self, allowlist: tuple[str, ...] = ()) -> None:
        policy = {"allowlist": allowlist}
        http = type("GuardedHTTPConnection", (_PeerCheck, HTTPConnection), policy)
        https = type("GuardedHTTPSConnection", (_PeerCheck, HTTPSConnection), policy)
        self.pool_classes = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """The usual pool manager, with pools of guarded connections."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self.pool_classes
