"""Running one scheduled harvest: ``csfinder harvest ID`` as a child process in its own
session, with a time limit.

A child that overruns its limit is stopped (SIGTERM to its process group, SIGKILL after a
grace time); a child killed so, or dying of a signal, cannot record its own end, so its runs
on this host are recorded as failed and its leases released here.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from harvester.core.errors import EXIT_CONFLICT
from harvester.core.settings import SchedulerSettings
from harvester.store import FAILED, Store
from harvester.store.liveness import this_host

# The scheduler's logger: operators read and filter harvest_started/harvest_finished by it.
log = logging.getLogger("harvester.ops.scheduler")


@dataclass
class ChildOutcome:
    """How one scheduled harvest ended."""

    source_id: str
    outcome: str
    """``succeeded``, ``failed``, ``killed`` (time limit), ``skipped`` (the source was
    busy elsewhere) or ``stopped`` (the scheduler shut down)."""
    returncode: int | None
    seconds: float
    detail: str = ""
    recorded: list[int] = field(default_factory=list)
    """Runs this scheduler recorded as failed (the child could not)."""


class HarvestRunner:
    """Runs ``csfinder harvest ID`` as a child process with a time limit."""

    def __init__(
        self,
        store: Store,
        settings: SchedulerSettings,
        *,
        command: Sequence[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.command = list(command or [sys.executable, "-m", "harvester", "harvest"])
        self.env = env
        self._children: dict[str, subprocess.Popen[str]] = {}
        self._stopping: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, source_id: str) -> ChildOutcome:
        """Harvest the source in a child process; kill it when it overruns its time limit."""
        started = time.monotonic()
        with self._lock:
            if self._closed:
                return ChildOutcome(source_id, "stopped", None, 0.0, "the scheduler is stopping")
            child = subprocess.Popen(
                [*self.command, source_id],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=self.env,
                start_new_session=True,
            )
            self._children[source_id] = child
        log.info(
            "harvest of %s started (process %s)",
            source_id,
            child.pid,
            extra={"event": "harvest_started", "source": source_id, "child_pid": child.pid},
        )
        killed = False
        try:
            out, err = child.communicate(timeout=self.settings.time_limit)
        except subprocess.TimeoutExpired:
            killed = True
            stop_process(child, self.settings.kill_grace)
            out, err = child.communicate()
        finally:
            with self._lock:
                self._children.pop(source_id, None)
                stopped = child.pid in self._stopping
        outcome = self._outcome(source_id, child, killed, stopped, out, err, started)
        level = logging.INFO if outcome.outcome in ("succeeded", "skipped") else logging.WARNING
        log.log(
            level,
            "harvest of %s %s: %s",
            source_id,
            outcome.outcome,
            outcome.detail,
            extra={
                "event": "harvest_finished",
                "source": source_id,
                "outcome": outcome.outcome,
                "returncode": outcome.returncode,
                "seconds": round(outcome.seconds, 3),
            },
        )
        return outcome

    def _outcome(
        self,
        source_id: str,
        child: subprocess.Popen[str],
        killed: bool,
        stopped: bool,
        out: str,
        err: str,
        started: float,
    ) -> ChildOutcome:
        """Tell how the child ended; record the runs of one that could not say so itself."""
        code = child.returncode
        seconds = time.monotonic() - started
        detail = _last_line(out if code == 0 else err or out)
        if killed:
            limit = self.settings.time_limit
            reason = f"killed by the scheduler: exceeded the time limit of {limit:g}s"
            result = "killed"
        elif stopped:
            reason, result = "stopped: the scheduler shut down", "stopped"
        elif code is not None and code < 0:
            reason = f"the harvest process died of {signal.Signals(-code).name}"
            result = "failed"
        else:
            result = {0: "succeeded", EXIT_CONFLICT: "skipped"}.get(code, "failed")
            return ChildOutcome(source_id, result, code, seconds, detail)
        recorded = record_dead_child(self.store, child.pid, reason)
        return ChildOutcome(source_id, result, code, seconds, reason, recorded)

    def running(self) -> list[str]:
        """Sources whose harvest runs now."""
        with self._lock:
            return sorted(self._children)

    def stop_all(self) -> None:
        """Stop every child (SIGTERM, then SIGKILL after the grace time) and run no more."""
        with self._lock:
            self._closed = True
            children = list(self._children.values())
            self._stopping.update(child.pid for child in children)
        for child in children:
            stop_process(child, self.settings.kill_grace)


def stop_process(child: subprocess.Popen[Any], grace: float) -> None:
    """Ask a child started in its own session to stop (SIGTERM to its process group), and
    kill the group after ``grace`` seconds."""
    _signal_group(child, signal.SIGTERM)
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(child, signal.SIGKILL)
        child.wait()
    else:
        _signal_group(child, signal.SIGKILL)  # grandchildren left behind


def _signal_group(child: subprocess.Popen[Any], signum: signal.Signals) -> None:
    """Send ``signum`` to the child's process group, or to the child alone if it has none."""
    try:
        os.killpg(child.pid, signum)
    except (ProcessLookupError, PermissionError):
        if child.poll() is None:
            child.send_signal(signum)


def record_dead_child(store: Store, pid: int, reason: str) -> list[int]:
    """Record the runs a dead child left running on this host as failed, and release the
    leases it held; return the run ids."""
    host = this_host()
    recorded = []
    for run in store.running_runs():
        if run.host == host and run.pid == pid:
            store.finish_run(run.id, FAILED, reason)
            recorded.append(run.id)
    for lease in store.leases():
        if lease.host == host and lease.pid == pid:
            store.release_lease(lease.source_id, lease.holder)
    return recorded


def _last_line(text: str) -> str:
    """The last non-blank line of ``text``, cut to 500 characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:500] if lines else ""
