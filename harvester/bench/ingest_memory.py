"""Peak memory and processor time of a harvesting process's children (its normalising and
embedding workers), each one, while it runs: the bench prints them beside the harvesting
process's own.

``getrusage(RUSAGE_CHILDREN)`` gives only the largest child that has ended; instead a
thread looks at the children every ``interval`` seconds and keeps each one's high-water
mark as the kernel counts it (``VmHWM``, Linux; elsewhere the largest resident size seen).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType

import psutil


@dataclass
class ChildPeak:
    """One child process: what it is, the most memory it held and its processor seconds
    (user and system, as last seen)."""

    pid: int
    role: str
    peak_mb: float
    cpu_seconds: float = 0.0


class ChildPeaks:
    """Watches this process's children while in its ``with`` block."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.children: dict[int, ChildPeak] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="csfinder-bench-rss", daemon=True)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = psutil.Process()
        while True:
            self.look(me)
            if self._stop.wait(self.interval):
                self.look(me)
                return

    def look(self, parent: psutil.Process) -> None:
        """Read the high-water mark of each child of ``parent`` now."""
        for child in parent.children(recursive=True):
            try:
                peak = high_water_mb(child)
                role = self.children[child.pid].role if child.pid in self.children else _role(child)
                times = child.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, OSError):
                continue  # ended between the listing and the reading
            known = self.children.get(child.pid)
            peak = max(peak, known.peak_mb if known is not None else 0.0)
            cpu = round(times.user + times.system, 2)
            self.children[child.pid] = ChildPeak(child.pid, role, round(peak, 1), cpu)

    def by_role(self) -> dict[str, list[ChildPeak]]:
        """The children, grouped by what they were, by process id."""
        grouped: dict[str, list[ChildPeak]] = {}
        for child in sorted(self.children.values(), key=lambda c: c.pid):
            grouped.setdefault(child.role, []).append(child)
        return grouped


def high_water_mb(process: psutil.Process | None = None) -> float:
    """A process's peak resident memory in MB (this process's without one), as the kernel
    counts it for the program it runs now (``VmHWM``; ``getrusage``'s ``ru_maxrss`` would
    keep the parent's peak in a child started by fork and exec). Elsewhere than Linux, its
    resident size now."""
    process = process or psutil.Process()
    try:
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass  # not Linux: the resident size now, the largest seen is kept
    return float(process.memory_info().rss) / (1 << 20)


def _role(process: psutil.Process) -> str:
    """What a child of the harvesting process is, from its command line."""
    command = " ".join(process.cmdline())
    if "resource_tracker" in command:
        return "resource_tracker"
    if "multiprocessing" in command:
        return "worker"
    return process.name()
