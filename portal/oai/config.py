"""How the OAI-PMH provider is configured: Flask config keys, then ``CSFINDER_*`` variables.

| Flask config          | environment                  | default                              |
|-----------------------|------------------------------|--------------------------------------|
| OAI_NAMESPACE         | CSFINDER_OAI_NAMESPACE       | the request's host name (no port)    |
| OAI_ADMIN_EMAIL       | CSFINDER_OAI_ADMIN_EMAIL     | ``oai-admin@csfinder.invalid``       |
| OAI_REPOSITORY_NAME   | CSFINDER_OAI_REPOSITORY_NAME | ``csfinder citizen science ...``     |
| OAI_PAGE_SIZE         | CSFINDER_OAI_PAGE_SIZE       | 100                                  |
| OAI_TOKEN_TTL         | CSFINDER_OAI_TOKEN_TTL       | 3600 (seconds a resumption token     |
|                       |                              | stays valid)                         |
| SECRET_KEY            | CSFINDER_SECRET_KEY          | random per process, with a warning   |

The admin address must be a role address (never a person's); the default sits under the
reserved ``.invalid`` domain (RFC 2606) so an unconfigured portal cannot mail anyone, and it
still matches the OAI-PMH schema's e-mail pattern. The secret signs resumption tokens; it is
never written to a file. Without one every process signs with its own random key, so tokens
do not survive a restart and are not shared between worker processes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

ENV_SECRET_KEY = "CSFINDER_SECRET_KEY"  # noqa: S105 - a variable name, not a secret
DEFAULT_ADMIN_EMAIL = "oai-admin@csfinder.invalid"
DEFAULT_REPOSITORY_NAME = "csfinder: citizen science projects and datasets"
DEFAULT_PAGE_SIZE = 100
DEFAULT_TOKEN_TTL = 3600

_log = logging.getLogger(__name__)
_EXTENSION = "csfinder_oai_key"


@dataclass(frozen=True)
class OAIConfig:
    """The provider's settings for one request."""

    namespace: str | None
    admin_email: str
    repository_name: str
    page_size: int
    token_ttl: int
    key: bytes


def _value(app: Flask, name: str, default: Any) -> Any:
    if app.config.get(name) is not None:
        return app.config[name]
    env = os.environ.get(f"CSFINDER_{name}")
    return env if env else default


def signing_key(app: Flask) -> bytes:
    """The key resumption tokens are signed with, derived from the portal's secret."""
    found = app.extensions.get(_EXTENSION)
    if isinstance(found, bytes):
        return found
    secret = app.config.get("SECRET_KEY") or os.environ.get(ENV_SECRET_KEY)
    if not secret:
        _log.warning(
            "%s is not set: OAI-PMH resumption tokens are signed with a random key of this "
            "process and stop working after a restart or in another worker",
            ENV_SECRET_KEY,
        )
        secret = secrets.token_bytes(32)
    raw = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    key = hmac.new(raw, b"csfinder oai-pmh resumption token", hashlib.sha256).digest()
    app.extensions[_EXTENSION] = key
    return key


def oai_config() -> OAIConfig:
    """The configuration of the running app."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    page_size = int(_value(app, "OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE))
    token_ttl = int(_value(app, "OAI_TOKEN_TTL", DEFAULT_TOKEN_TTL))
    if page_size < 1 or token_ttl < 1:
        raise ValueError("OAI_PAGE_SIZE and OAI_TOKEN_TTL must be positive")
    return OAIConfig(
        namespace=_value(app, "OAI_NAMESPACE", None),
        admin_email=str(_value(app, "OAI_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL)),
        repository_name=str(_value(app, "OAI_REPOSITORY_NAME", DEFAULT_REPOSITORY_NAME)),
        page_size=page_size,
        token_ttl=token_ttl,
        key=signing_key(app),
    )
