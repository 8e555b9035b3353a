"""The login and registration limits hold across processes: with ``redis://`` rate-limit
storage, two ``csfinder serve`` processes of two workers each (the attempts alternating
between the two processes, each on a connection of its own, so that any worker may take it)
let exactly the configured number of attempts through, as one process would.

The control runs the same attempts with ``memory://`` storage, where each worker counts for
itself: more get through, so the first test would fail without the shared store; and
``csfinder serve`` warns of it when it starts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from werkzeug.security import generate_password_hash

from portal.cli import per_process_limits_warning
from tests.conftest import CliEnv
from tests.support.engines import RedisServer
from tests.support.portal_server import RunningPortal, serve_portal

pytestmark = pytest.mark.slow

LOGIN_LIMIT = 5  # the defaults, per minute and per hour
REGISTRATION_LIMIT = 20
LOGIN_ATTEMPTS = 3 * LOGIN_LIMIT
REGISTRATION_ATTEMPTS = REGISTRATION_LIMIT + 8
REFUSED_REGISTRATION = {
    "url": "http://127.0.0.1:9/oai",  # refused by the URL guard: no connection is made
    "protocol": "oai-pmh",
    "id": "x",
    "name": "x",
    "platform": "x",
    "crosswalk": "oai_dc",
    "action": "check",
}


class Visitor:
    """One client address with its cookie jar; each attempt goes to the next process (the
    form read from it, then posted to it), every request on a new connection."""

    def __init__(self, portals: tuple[RunningPortal, ...]) -> None:
        self.portals = portals
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"
        self.turn = 0

    def post_form(self, path: str, form: dict[str, str]) -> int:
        url = self.portals[self.turn % len(self.portals)].url + path
        self.turn += 1
        page = self.session.get(url, timeout=30).text
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, page[:500]
        answer = self.session.post(url, data={**form, "csrf_token": found.group(1)}, timeout=30)
        return answer.status_code

    def logins(self) -> list[int]:
        """The answers to LOGIN_ATTEMPTS wrong passwords."""
        form = {"user": "admin", "password": "a wrong guess"}
        return [self.post_form("/admin/login", form) for _ in range(LOGIN_ATTEMPTS)]

    def registrations(self) -> list[int]:
        """The answers to REGISTRATION_ATTEMPTS live checks of a refused URL."""
        return [
            self.post_form("/sources/new", REFUSED_REGISTRATION)
            for _ in range(REGISTRATION_ATTEMPTS)
        ]


@contextmanager
def two_portals(cli_env: CliEnv, storage: str) -> Iterator[tuple[RunningPortal, ...]]:
    """Two ``csfinder serve`` processes of two workers each, counting in ``storage``; their
    standard error goes to ``serve-N.err`` in the test's folder."""
    env = {
        **cli_env.environ,
        "CSFINDER_RATELIMIT_STORAGE": storage,
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash("right"),
        "CSFINDER_SECURE_COOKIES": "0",
    }
    with ExitStack() as stack:
        yield tuple(
            stack.enter_context(serve_portal(env, workers=2, errors=errors(cli_env, n)))
            for n in range(2)
        )


def errors(cli_env: CliEnv, n: int) -> Path:
    """Where the standard error of the ``n``-th process goes."""
    return cli_env.config.parent / f"serve-{n}.err"


WARNING = "each of the 2 workers counts logins, registrations and API requests for itself"


def test_the_limits_hold_across_processes(cli_env: CliEnv, redis_server: RedisServer) -> None:
    redis_server.client().flushall()
    with two_portals(cli_env, redis_server.url) as portals:
        logins = Visitor(portals).logins()
        registrations = Visitor(portals).registrations()
    assert logins == [401] * LOGIN_LIMIT + [429] * (LOGIN_ATTEMPTS - LOGIN_LIMIT)
    assert registrations == [400] * REGISTRATION_LIMIT + [429] * (
        REGISTRATION_ATTEMPTS - REGISTRATION_LIMIT
    )
    assert WARNING not in errors(cli_env, 0).read_text()


def test_control_counters_in_each_process_let_more_through(cli_env: CliEnv) -> None:
    """Each process sees half the attempts, and each of its workers counts up to the limit
    for itself: at least twice the login limit get through, and every registration."""
    with two_portals(cli_env, "memory://") as portals:
        logins = Visitor(portals).logins()
        registrations = Visitor(portals).registrations()
    assert logins.count(401) >= 2 * LOGIN_LIMIT, logins
    assert registrations == [400] * REGISTRATION_ATTEMPTS
    assert WARNING in errors(cli_env, 0).read_text()  # csfinder serve said so when it started


@pytest.mark.parametrize(
    ("storage", "workers", "warned"),
    [
        ("memory://", 2, True),
        ("memory://", 1, False),  # one process counts once
        ("redis://127.0.0.1:6379/0", 4, False),
    ],
)
def test_serve_warns_only_of_limits_counted_per_worker(
    storage: str, workers: int, warned: bool
) -> None:
    assert (per_process_limits_warning(storage, workers) is not None) is warned
