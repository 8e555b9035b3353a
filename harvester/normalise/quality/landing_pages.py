"""Whether a landing page can resolve on the public web, judged by the URL's syntax alone:
an http(s) URL whose host is a public domain name or a global IP address (A1)."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".invalid")
"""Host name endings that never resolve on the public internet."""


_PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?:[/?#]\S*)?")
"""A URL urlsplit needs not read: lower-case scheme, a plain host name, no white space."""


@lru_cache(maxsize=8192)
def landing_page_problem(url: str) -> str | None:
    """Say why ``url`` cannot resolve on the public web, judged by syntax alone.

    Cached: a pure function of the URL, and the same URLs recur across a harvest.

    Returns:
        None when ``url`` is an http(s) URL with a public host, else the reason.
    """
    host, problem = _plain_host(url) or _split_host(url)
    if problem is not None:
        return problem
    try:
        address = _ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
            return f"points to the local host name '{host}'"
        if "." not in host:
            return f"has host '{host}', which is not a public domain name"
        return None
    if not address.is_global:
        return f"points to the private or reserved address {host}"
    return None


Host = tuple[str, str | None]
"""A URL's host (lower case, without a trailing dot) and None, or "" and why it has none."""


def _plain_host(url: str) -> Host | None:
    """The host of a plain URL (see :data:`_PLAIN_URL`), as :func:`_split_host` finds it
    without splitting; None for any other URL."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return None
    host = plain.group(1).lower().rstrip(".")
    return (host, None) if host else ("", "has no host")


def _split_host(url: str) -> Host:
    """The host of an http(s) URL with a valid port, by ``urlsplit``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "", "is not an http(s) URL"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "", "has no host"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "", "has an invalid port"
    return host, None


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``ipaddress.ip_address(host)``, failing at once for the usual host name: an IPv4
    address is digits and dots only, an IPv6 address has a colon.

    Raises:
        ValueError: ``host`` is no IP address.
    """
    if ":" not in host and host.strip("0123456789."):
        raise ValueError(f"{host!r} is not an IP address")
    return ipaddress.ip_address(host)
