"""Sources pages: every source with its last run, counts and quality; one source's runs."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from harvester.core.model import public_text
from harvester.normalise.report import quality_summary
from harvester.store import Run
from portal.services import services

blueprint = Blueprint("sources", __name__)


def source_summaries() -> list[dict[str, Any]]:
    """Per configured source (or source seen in the store): platform, protocol, last run,
    counts of records and deleted records, mean quality score."""
    store = services().store
    loaded = services().sources()
    counts = store.record_counts()
    scores = store.quality_scores()
    ids = sorted(set(loaded.sources) | set(counts))
    summaries = []
    for source_id in ids:
        config = loaded.sources.get(source_id)
        runs = store.runs(source_id, limit=1)
        summaries.append(
            {
                "id": source_id,
                "name": config.name if config else source_id,
                "platform": config.platform if config else None,
                "protocol": config.protocol if config else None,
                "url": config.url if config else None,
                "enabled": config.enabled if config else False,
                "schedule": config.schedule if config else None,
                "last_run": _scrubbed(runs[0]) if runs else None,
                "records": counts.get(source_id, {}).get("records", 0),
                "deleted": counts.get(source_id, {}).get("deleted", 0),
                "mean_score": scores.get(source_id),
            }
        )
    return summaries


def source_runs(source_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """A source's runs, newest first, each with its error samples."""
    store = services().store
    return [_with_errors(run) for run in store.runs(source_id, limit=limit)]


QUALITY_TTL = 60.0
"""Seconds a source's quality report is reused before it is computed again."""

_quality_cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}


def source_quality(source_id: str) -> dict[str, Any]:
    """The source's quality report (indicator shares, commonest problems with one example
    each, e-mail addresses scrubbed), reused for :data:`QUALITY_TTL` seconds."""
    store = services().store
    key = (str(store.engine.url), source_id)
    cached = _quality_cache.get(key)
    if cached and time.monotonic() - cached[0] < QUALITY_TTL:
        return cached[1]
    report = quality_summary(store.iter_normalised(source_id), examples=1, most=5)
    for problem in report["problems"]:
        for example in problem["examples"]:
            example["detail"] = public_text(example["detail"])
    _quality_cache[key] = (time.monotonic(), report)
    return report


def _scrubbed(run: Run) -> dict[str, Any]:
    """A run as a mapping, any e-mail address in its error scrubbed."""
    data = run.as_dict()
    if data.get("error"):
        data["error"] = public_text(str(data["error"]))
    return data


def _with_errors(run: Run) -> dict[str, Any]:
    """A run with its error samples; any e-mail address in a message is scrubbed."""
    data = _scrubbed(run)
    data["error_samples"] = [
        {"identifier": f.identifier, "reason": public_text(f.reason)}
        for f in services().store.error_samples(run.id)
    ]
    return data


@blueprint.get("/sources")
def index() -> ResponseReturnValue:
    """All sources."""
    return render_template("sources.html", sources=source_summaries())


@blueprint.get("/sources/<source_id>")
def show(source_id: str) -> ResponseReturnValue:
    """One source and its run history."""
    summary = next((s for s in source_summaries() if s["id"] == source_id), None)
    if summary is None:
        abort(404)
    return render_template(
        "source.html",
        source=summary,
        runs=source_runs(source_id),
        quality=source_quality(source_id),
    )
