"""The real portal (``csfinder serve``: gunicorn, several worker processes) on a free port
of 127.0.0.1, for tests that need what only several processes show: rate limits shared
through Redis, logins limited across workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.engines import free_port

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class RunningPortal:
    """A portal being served, and its address."""

    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str) -> Answer:
        """GET ``path`` on a connection of its own (so any worker may take it)."""
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.url + path, headers={"Connection": "close"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                return Answer(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, _lower(exc.headers.items()), exc.read())


def _lower(items: object) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}  # type: ignore[attr-defined]


@contextmanager
def serve_portal(
    env: dict[str, str], workers: int = 3, port: int | None = None, errors: Path | None = None
) -> Iterator[RunningPortal]:
    """Run ``csfinder serve --workers N`` (on ``port``, or a free one) with ``env`` added to
    the environment, its standard error written to ``errors`` if given; stop it (SIGTERM,
    then SIGKILL) afterwards."""
    port = port or free_port()
    stderr = errors.open("wb") if errors is not None else subprocess.DEVNULL
    argv = [sys.executable, "-m", "harvester", "serve", "--port", str(port)]
    argv += ["--workers", str(workers), "--threads", "2"]
    process = subprocess.Popen(
        argv,
        env={**os.environ, "CSFINDER_SECRET_KEY": "test-secret", **env},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    portal = RunningPortal(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if portal.get("/healthz").status in (200, 503):
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"csfinder serve did not start (exit {process.poll()})")
            time.sleep(0.1)
        yield portal
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if not isinstance(stderr, int):
            stderr.close()
