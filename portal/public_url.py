"""Absolute URLs from the configured public URL, and the hosts the portal answers for.

Every absolute URL the portal writes (OAI-PMH baseURL, request and identifiers, JSON-LD
ids, exports' record pages) is built by :func:`public_url_for` from ``public_url``
(``CSFINDER_PUBLIC_URL``), never from the request's Host header, which any client sets.
Requests naming a host outside ``trusted_hosts`` (by default the public URL's host) are
refused with 400 when Flask routes them (its ``TRUSTED_HOSTS``). Without a public URL
(development) URLs follow the request, and a warning says so.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request, url_for

from harvester.core.settings import ENV_PUBLIC_URL, PortalSettings
from portal.services import services

log = logging.getLogger(__name__)


def init_public_url(app: Flask, portal: PortalSettings) -> None:
    """Refuse requests for hosts the portal does not serve."""
    if portal.allowed_hosts and app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = list(portal.allowed_hosts)
    if not portal.public_url:
        log.warning(
            "%s is not set: absolute URLs follow each request's Host header (development "
            "only; set it in production)",
            ENV_PUBLIC_URL,
        )


def public_root() -> str:
    """The portal's public URL, without a trailing slash (the request's root when unset)."""
    configured = services().settings.portal.public_url
    return configured or request.url_root.rstrip("/")


def public_host() -> str:
    """The host name of :func:`public_root` (no port)."""
    return urlsplit(public_root()).hostname or "localhost"


def public_url_for(endpoint: str, **values: Any) -> str:
    """The absolute public URL of a view (``url_for`` below :func:`public_root`)."""
    path = url_for(endpoint, **values)
    return public_root() + path.removeprefix(request.script_root)


def public_request_url() -> str:
    """This request's own URL, below :func:`public_root` (its path and query string)."""
    path = request.full_path.removeprefix(request.script_root)
    return public_root() + (path[:-1] if path.endswith("?") else path)
