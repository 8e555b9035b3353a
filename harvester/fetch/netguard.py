"""Guarding URLs that users submit against server-side request forgery.

Every URL a registration brings, and every redirect it leads to, is checked before a
connection is made: only http and https, and no host that resolves to a loopback,
private, link-local, multicast, reserved or unspecified address (IPv4 and IPv6, including
IPv4 addresses mapped into IPv6). The address actually connected to is checked again once
the socket is open, so a name that resolves differently the second time (DNS rebinding)
gains nothing. A setting may allow private addresses for local testing. Sources from
config files are trusted and never pass through here.
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

from harvester.core.errors import CsfinderError

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5


class UnsafeURLError(CsfinderError):
    """A URL that csfinder will not fetch on a user's behalf; the message says why."""


def address_problem(address: str) -> str | None:
    """Why an IP address must not be fetched, or None when it is a public one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for flag, reason in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
    ):
        if flag:
            return f"{address} is {reason}"
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
