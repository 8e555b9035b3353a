"""The bench's watch over a harvesting process's children: each child's own peak memory
and processor time, even when it has ended before the watch stops."""

from __future__ import annotations

import subprocess
import sys

from harvester.bench.harvest import _in_child
from harvester.bench.ingest_memory import ChildPeaks, high_water_mb

HOLD_MB = 64
# Fills HOLD_MB of memory, spins a little, then ends.
CHILD = (
    f"block = bytearray({HOLD_MB} << 20)\n"
    "for i in range(0, len(block), 4096):\n"
    "    block[i] = 1\n"
    "total = sum(range(3_000_000))\n"
    "import time; time.sleep(0.6)\n"
)


def test_a_child_that_ended_keeps_its_peak_and_processor_time() -> None:
    with ChildPeaks(interval=0.05) as children:
        process = subprocess.Popen([sys.executable, "-c", CHILD])
        assert process.wait() == 0

    child = children.children[process.pid]
    assert child.peak_mb >= HOLD_MB
    assert child.cpu_seconds > 0
    assert child in children.by_role()[child.role]


def test_children_are_told_apart_by_what_they_are() -> None:
    with ChildPeaks(interval=0.05) as children:
        first = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
        second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
        first.wait()
        second.wait()

    seen = [children.children[first.pid], children.children[second.pid]]
    assert all(c.peak_mb > 0 for c in seen)
    assert [c.pid for c in children.by_role()[seen[0].role] if c in seen] == sorted(
        [first.pid, second.pid]
    ), "by process id"


def _nothing() -> dict[str, object]:
    """A bench phase that holds no memory of its own."""
    return {}


def test_a_phase_in_a_child_reports_its_own_peak_not_its_parents() -> None:
    """A child started by fork and exec inherits its parent's ``ru_maxrss``: the search
    bench's query process would report the memory of the build before it."""
    held = bytearray(HOLD_MB * 4 << 20)
    for i in range(0, len(held), 4096):
        held[i] = 1
    parent = high_water_mb()
    assert parent >= HOLD_MB * 4

    child = _in_child(_nothing)["peak_rss_mb"]
    assert 0 < child < parent - HOLD_MB * 3
    del held
