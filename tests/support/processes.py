"""Helpers for tests that run real ``python -m harvester`` processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

from tests.conftest import CliEnv


def harvest_process(env: CliEnv, source_id: str = "synthetic") -> subprocess.Popen[str]:
    """Start ``python -m harvester harvest SOURCE_ID`` with the test folders."""
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", "harvest", source_id],
        env={**os.environ, **env.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], object], limit: float = 60.0) -> None:
    """Poll ``condition`` until it is true; fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)
