"""``/metrics``: Prometheus metrics of harvests, sources, the index and search latency."""

from __future__ import annotations

from flask import Blueprint, Response

from harvester.ops.metrics import render_metrics
from portal.services import services

blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
def metrics() -> Response:
    """The text exposition format; store-backed figures are read at scrape time."""
    body, content_type = render_metrics(services().store, services().index)
    return Response(body, content_type=content_type)
