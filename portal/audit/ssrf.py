"""Registered URLs never reach inside: the registration form's live check is asked to fetch
addresses that are not globally routable (loopback in its many spellings, private, link-local
and cloud-metadata addresses, IPv6 forms that embed IPv4) and must refuse each one, saying
why, before any connection.

A canary (a listener on this machine's loopback, whose URL is among the probes) counts the
connections it receives: on a portal running on this machine, any is a finding. Run the audit
where a regression cannot reach anything else either: CI runs it in a network namespace that
has loopback only (``unshare -n``). Each probe is one registration attempt, which the
portal's ``registration_limit`` counts for this client address.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from portal.audit.report import Report
from portal.audit.target import Target

FAMILY = "ssrf"
REFUSED = re.compile(r"not globally routable|loopback|private|link-local|reserved|Teredo|embeds")
INSIDE = (
    "http://127.0.0.1:{port}/oai",
    "http://localhost:{port}/oai",
    "http://2130706433:{port}/oai",
    "http://[::ffff:127.0.0.1]:{port}/oai",
    "http://[2002:7f00:1::1]:{port}/oai",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://10.0.0.1/oai",
)


class Canary:
    """A TCP listener on loopback that counts connections (and answers each at once)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.hits = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            with client:
                client.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        """Stop listening."""
        self.sock.close()


@contextmanager
def canary() -> Iterator[Canary]:
    """A :class:`Canary` for the duration of the probes."""
    listener = Canary()
    try:
        yield listener
    finally:
        listener.close()


def probe(target: Target, report: Report) -> None:
    """Ask the live check to fetch each inside address; each must be refused."""
    with canary() as listener:
        for pattern in INSIDE:
            url = pattern.format(port=listener.port)
            report.check(FAMILY, url, _refused(target, url))
        if listener.hits:
            report.check(FAMILY, "canary", f"{listener.hits} connections reached this machine")
        else:
            report.check(FAMILY, "canary", None)


def _refused(target: Target, url: str) -> str | None:
    form = target.get("/sources/new")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    if token is None:
        return f"the registration form answered {form.status} without a CSRF token"
    answer = target.post(
        "/sources/new",
        {
            "csrf_token": token.group(1),
            "url": url,
            "protocol": "oai-pmh",
            "metadata_prefix": "oai_dc",
            "crosswalk": "oai_dc",
            "id": "audit-probe",
            "name": "audit probe",
            "platform": "audit",
            "action": "check",
        },
    )
    if answer.status == 429:
        return "the registration limit ran out before every probe ran"
    if answer.status != 400 or not REFUSED.search(answer.text):
        return f"not refused as an inside address (answered {answer.status})"
    return None
