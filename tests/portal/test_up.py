"""``csfinder up`` with the real portal: both parts start, the portal answers, SIGTERM stops
everything cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.harvester.ops.test_supervisor import free_port
from tests.support.processes import wait_for


def health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            found: dict[str, object] = json.loads(response.read())
            return found
    except OSError:
        return None


@pytest.mark.slow
def test_up_serves_the_portal_over_the_harvested_records(demo_home: Path, tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "up.log"
    env = {
        **os.environ,
        "CSFINDER_HOME": str(demo_home),
        "CSFINDER_CONFIG": str(demo_home / "config"),
    }
    env.pop("CSFINDER_PORTAL_COMMAND", None)
    with log_path.open("w") as log:
        up = subprocess.Popen(
            [sys.executable, "-m", "harvester", "up", "--port", str(port), "--grace", "10"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: health(port) is not None, limit=60)
        answer = health(port)
        assert answer is not None and answer["status"] == "ok"
        assert answer["checks"] == {"store": "ok", "index": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=water", timeout=5) as page:
            assert b"results" in page.read()
        wait_for(lambda: "scheduler started with" in log_path.read_text(), limit=30)
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=40)
    output = log_path.read_text()
    assert up.returncode == 0, output
    assert "scheduler stopped" in output
    assert health(port) is None
