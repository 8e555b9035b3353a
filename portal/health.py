"""``/healthz``: is the store reachable, does the index answer; and notices of what works
in a lesser way (search by words only, without the multilingual encoder)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from harvester.index.service import semantic_notice
from portal.services import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when both answer, 503 with what failed otherwise."""
    checks: dict[str, str] = {}
    try:
        with services().store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["store"] = "ok"
    except Exception as exc:  # any driver's failure is reported, not raised
        checks["store"] = f"unreachable: {type(exc).__name__}"
    try:
        checks["index"] = "ok" if services().index.ping() else "not answering"
    except Exception as exc:  # idem for the index backend
        checks["index"] = f"unreachable: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    notice = semantic_notice(services().settings)
    notices = [notice] if notice is not None else []
    status = "ok" if healthy else "failing"
    return jsonify(status=status, checks=checks, notices=notices), 200 if healthy else 503
