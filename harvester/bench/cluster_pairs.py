"""``csfinder bench clusters --pairs FILE``: precision and recall on labelled real pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def bench_pairs(pairs_file: Path) -> dict[str, Any]:
    """Harvest the fixture inventories, cluster them and score the labelled pairs."""
    raise NotImplementedError(str(pairs_file))
