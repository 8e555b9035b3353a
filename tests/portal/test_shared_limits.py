"""The login and registration limits hold across processes: with ``redis://`` rate-limit
storage, two ``csfinder serve`` processes of two workers each (requests alternating
between them, each on a connection of its own) let exactly the configured number of
attempts through, as one process would. (With ``memory://`` each worker counted for itself:
"5 per minute" let 10 logins through with two workers.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.conftest import CliEnv
from tests.support.engines import RedisServer
from tests.support.portal_server import RunningPortal, serve_portal

pytestmark = pytest.mark.slow

LOGIN_LIMIT = 5  # the defaults, per minute and per hour
REGISTRATION_LIMIT = 20


class Visitor:
    """One client address with its cookie jar; every request on a new connection."""

    def __init__(self, portals: tuple[RunningPortal, ...]) -> None:
        self.portals = portals
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"
        self.turn = 0

    def next_portal(self) -> str:
        self.turn += 1
        return self.portals[self.turn % len(self.portals)].url

    def post_form(self, path: str, form: dict[str, str]) -> int:
        page = self.session.get(self.next_portal() + path, timeout=30).text
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, page[:500]
        answer = self.session.post(
            self.next_portal() + path, data={**form, "csrf_token": found.group(1)}, timeout=30
        )
        return answer.status_code


@pytest.fixture
def portals(cli_env: CliEnv, redis_server: RedisServer) -> Iterator[tuple[RunningPortal, ...]]:
    env = {
        **cli_env.environ,
        "CSFINDER_RATELIMIT_STORAGE": redis_server.url,
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash("right"),
        "CSFINDER_SECURE_COOKIES": "0",
    }
    redis_server.client().flushall()
    with ExitStack() as stack:
        yield tuple(stack.enter_context(serve_portal(env, workers=2)) for _ in range(2))


def test_the_login_limit_holds_across_processes(portals: tuple[RunningPortal, ...]) -> None:
    visitor = Visitor(portals)
    codes = [
        visitor.post_form("/admin/login", {"user": "admin", "password": f"guess {n}"})
        for n in range(3 * LOGIN_LIMIT)
    ]
    assert codes[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert codes[LOGIN_LIMIT:] == [429] * (2 * LOGIN_LIMIT)


def test_the_registration_limit_holds_across_processes(
    portals: tuple[RunningPortal, ...],
) -> None:
    visitor = Visitor(portals)
    form = {
        "url": "http://127.0.0.1:9/oai",  # refused by the URL guard: no connection is made
        "protocol": "oai-pmh",
        "id": "x",
        "name": "x",
        "platform": "x",
        "crosswalk": "oai_dc",
        "action": "check",
    }
    codes = [visitor.post_form("/sources/new", form) for _ in range(REGISTRATION_LIMIT + 8)]
    assert codes[:REGISTRATION_LIMIT] == [400] * REGISTRATION_LIMIT
    assert codes[REGISTRATION_LIMIT:] == [429] * 8
