"""The supervisor and ``csfinder up``, with real child processes."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from harvester.ops.signals import Signals
from harvester.ops.supervisor import ChildSpec, Supervisor
from tests.conftest import CliEnv
from tests.support.processes import wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def http_server(port: int) -> list[str]:
    return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_a_dying_child_is_restarted_with_backoff_and_all_stop_cleanly() -> None:
    port = free_port()
    dies = [sys.executable, "-c", "import sys, time; time.sleep(0.2); sys.exit(3)"]
    supervisor = Supervisor(
        [ChildSpec("web", http_server(port)), ChildSpec("flaky", dies)],
        backoff_initial=0.1,
        backoff_max=0.4,
        grace=5.0,
        poll_interval=0.02,
    )
    supervisor.start()
    try:
        web_pid = supervisor.child("web").pid
        wait_for(lambda: answers(port))

        def restarted_twice() -> bool:
            supervisor.check()
            return supervisor.child("flaky").restarts >= 2

        wait_for(restarted_twice)
        flaky = supervisor.child("flaky")
        assert flaky.exits[:2] == [3, 3]
        assert flaky.delay > 0.1, "quick deaths wait longer each time"
        assert supervisor.child("web").pid == web_pid, "the healthy child is left alone"
    finally:
        supervisor.stop()
    assert supervisor.child("web").pid is None
    assert not answers(port)


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    ready = tmp_path / "ignoring"
    stubborn = [
        sys.executable,
        "-c",
        "import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "pathlib.Path(sys.argv[1]).touch(); time.sleep(60)",
        str(ready),
    ]
    supervisor = Supervisor([ChildSpec("stubborn", stubborn)], grace=0.5)
    supervisor.start()
    wait_for(ready.exists)  # its handler is installed
    started = time.monotonic()
    supervisor.stop()
    assert 0.4 < time.monotonic() - started < 5
    process = supervisor.child("stubborn").process
    assert process is not None and process.returncode == -signal.SIGKILL


def test_run_stops_when_signals_say_so() -> None:
    signals = Signals()
    port = free_port()
    supervisor = Supervisor([ChildSpec("web", http_server(port))], poll_interval=0.02)

    import threading

    def stop_soon() -> None:
        wait_for(lambda: answers(port))
        signals.stop = True

    threading.Thread(target=stop_soon).start()
    supervisor.run(signals)
    assert supervisor.child("web").pid is None


@pytest.mark.slow
def test_up_runs_scheduler_and_portal_restarts_a_dead_part_and_stops_on_sigterm(
    cli_env: CliEnv, tmp_path: Path
) -> None:
    port = free_port()
    portal = f"{shlex.quote(sys.executable)} -m http.server {{port}} --bind {{host}}"
    log_path = tmp_path / "up.log"
    log_file = log_path.open("w")
    up = subprocess.Popen(
        [sys.executable, "-m", "harvester", "up", "--port", str(port), "--grace", "10"],
        env={**os.environ, **cli_env.environ, "CSFINDER_PORTAL_COMMAND": portal},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: answers(port))
        wait_for(lambda: "scheduler started with" in log_path.read_text())
        parent = psutil.Process(up.pid)

        def parts() -> dict[str, int]:
            found = {}
            for child in parent.children():
                try:
                    line = " ".join(child.cmdline())
                except psutil.Error:  # a zombie not reaped yet
                    continue
                if "http.server" in line:
                    found["portal"] = child.pid
                elif "scheduler" in line:
                    found["scheduler"] = child.pid
            return found

        wait_for(lambda: set(parts()) == {"portal", "scheduler"})
        first = parts()
        os.kill(first["portal"], signal.SIGKILL)
        wait_for(lambda: parts().get("portal") not in (None, first["portal"]) and answers(port))
        assert parts()["scheduler"] == first["scheduler"]
        running = parts()
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=30)
        log_file.close()
    output = log_path.read_text()
    assert up.returncode == 0, output
    for pid in running.values():
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert "portal exited with status -9" in output
    assert "scheduler stopped" in output
    assert not answers(port)
