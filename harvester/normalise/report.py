"""A source's quality report: how many records pass each FAIR indicator, and the commonest
problems with examples (``csfinder quality`` and the portal's source pages)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from harvester.normalise.quality import INDICATORS
from harvester.store import NormalisedRow

LABELS = {spec.id: spec.label for spec in INDICATORS}
"""Each indicator's human label, by id."""


def quality_summary(
    rows: Iterable[NormalisedRow], examples: int = 3, most: int = 10
) -> dict[str, Any]:
    """Share of records passing each indicator (of those it applies to), and the commonest
    problems with examples."""
    total = 0
    score_sum = 0
    passing: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    problems: Counter[tuple[str, str]] = Counter()
    samples: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        document = json.loads(row.document)
        quality = document.get("quality", {})
        total += 1
        score_sum += int(quality.get("score", 0))
        for indicator in quality.get("indicators", []):
            if indicator.get("applicable", True):  # a metric that cannot apply is no failure
                seen[indicator["id"]] += 1
                passing[indicator["id"]] += bool(indicator["passed"])
        for issue in quality.get("issues", []):
            key = (issue["field"], issue["problem"])
            problems[key] += 1
            if len(samples[key]) < examples:
                samples[key].append({"record": document["id"], "detail": issue["detail"]})
    return {
        "records": total,
        "mean_score": round(score_sum / total, 1) if total else 0,
        "indicators": [
            {
                "id": name,
                "label": LABELS.get(name, name),
                "passing": passing[name] / seen[name] if seen[name] else 0.0,
            }
            for name in sorted(seen)
        ],
        "problems": [
            {"field": f, "problem": p, "count": n, "examples": samples[(f, p)]}
            for (f, p), n in problems.most_common(most)
        ],
    }
