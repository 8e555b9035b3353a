"""Keep a few child processes running: each restarted when it dies (with backoff), all
stopped cleanly when asked (SIGTERM, a grace period, then SIGKILL). ``csfinder up`` runs
the scheduler and the portal this way."""

# Hand-written on purpose: supervisord and circus are daemons configured by files of their
# own; ``csfinder up`` keeps two children of its own command line, nothing more.

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from harvester.ops.signals import Signals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChildSpec:
    """A child to keep running: its name (in logs) and its command."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None


@dataclass
class Child:
    """One supervised child and its history."""

    spec: ChildSpec
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    delay: float = 0.0
    restart_at: float | None = None
    exits: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        """The running process's id, if one runs."""
        if self.process is None or self.process.poll() is not None:
            return None
        return self.process.pid


class Supervisor:
    """Starts the children, restarts any that dies, stops them all on request."""

    def __init__(
        self,
        specs: Sequence[ChildSpec],
        *,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        stable_after: float = 30.0,
        grace: float = 10.0,
        poll_interval: float = 0.1,
    ) -> None:
        self.children = [Child(spec) for spec in specs]
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self.grace = grace
        self.poll_interval = poll_interval

    def child(self, name: str) -> Child:
        """The child of that name."""
        return next(child for child in self.children if child.spec.name == name)

    def start(self) -> None:
        """Start every child."""
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(list(child.spec.argv), env=child.spec.env, process_group=0)
        child.started_at = time.monotonic()
        child.restart_at = None
        log.info(
            "%s started (process %s)",
            child.spec.name,
            child.process.pid,
            extra={
                "event": "child_started",
                "child": child.spec.name,
                "child_pid": child.process.pid,
            },
        )

    def check(self) -> None:
        """Notice children that died and restart those whose backoff has passed."""
        now = time.monotonic()
        for child in self.children:
            process = child.process
            if child.restart_at is None and process is not None and process.poll() is not None:
                code = process.returncode
                child.exits.append(code)
                ran = now - child.started_at
                stable = ran >= self.stable_after
                base = self.backoff_initial if stable or not child.delay else child.delay * 2
                child.delay = min(base, self.backoff_max)
                child.restart_at = now + child.delay
                log.warning(
                    "%s exited with status %s after %.1fs; restarting in %.1fs",
                    child.spec.name,
                    code,
                    ran,
                    child.delay,
                    extra={"event": "child_exited", "child": child.spec.name, "returncode": code},
                )
            if child.restart_at is not None and now >= child.restart_at:
                child.restarts += 1
                self._spawn(child)

    def run(self, signals: Signals) -> None:
        """Start the children, keep them running until a stop is asked, then stop them."""
        self.start()
        try:
            while not signals.stop:
                self.check()
                time.sleep(self.poll_interval)
        finally:
            self.stop()

    def stop(self) -> None:
        """SIGTERM every child, wait up to the grace period, then SIGKILL what is left
        (with its process group)."""
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in running:
            assert child.process is not None
            log.info("stopping %s", child.spec.name, extra={"event": "child_stopping"})
            _send(child.process, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning(
                    "%s did not stop within %.0fs; killing it",
                    child.spec.name,
                    self.grace,
                    extra={"event": "child_killed", "child": child.spec.name},
                )
                _kill_group(child.process)
                child.process.wait()
        for child in self.children:
            child.restart_at = None


def _send(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        _send(process, signal.SIGKILL)
