"""Curating clusters (administrators): the clusters of several listings with the evidence
that joined them, and two decisions: take a listing out of its cluster (it differs from
every other listing there), or join two listings (they are one project). Decisions are
stored (:mod:`harvester.store.clusters`), shown, and respected by every later clustering
run; the listings concerned are clustered again at once and the search index follows.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from harvester.core.errors import CsfinderError
from harvester.pipeline.clustering import cluster_changes
from harvester.store.clusters import StoredLink
from harvester.store.decisions import Decision
from portal.auth import admin_required, logged_in
from portal.cluster_labels import label
from portal.services import services

blueprint = Blueprint("curation", __name__, url_prefix="/admin/clusters")
PER_PAGE = 20
NOTE_CHARS = 500


@blueprint.get("/")
@admin_required
def clusters() -> ResponseReturnValue:
    """Clusters of several listings, largest first, each with its listings and evidence."""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    store = services().store
    total, found = store.clusters_page((page - 1) * PER_PAGE, PER_PAGE)
    members = store.cluster_members([c for c, _size in found])
    latest = store.decision_log()[-PER_PAGE:][::-1]
    ids = [m.record_id for ms in members.values() for m in ms]
    ids += [r for d in latest for r in (d.record_a, d.record_b)]
    documents = {r: json.loads(d) for r, d in store.documents(ids).items()}
    shown = [
        {
            "id": cluster_id,
            "listings": [
                _listing(m.record_id, m.representative, documents) for m in members[cluster_id]
            ],
            "links": [_link(x, documents) for x in store.cluster_links_of(cluster_id)],
        }
        for cluster_id, _size in found
    ]
    decisions = [_decision(d, documents) for d in latest]
    return render_template(
        "clusters.html",
        clusters=shown,
        decisions=decisions,
        total=total,
        page=page,
        pages=(total + PER_PAGE - 1) // PER_PAGE,
        user=logged_in(),
        message=request.args.get("done"),
        error=None,
    )


@blueprint.post("/<cluster_id>/split")
@admin_required
def split(cluster_id: str) -> ResponseReturnValue:
    """Take one listing out of its cluster: it differs from every other listing there."""
    store = services().store
    record_id = request.form.get("record_id", "")
    members = store.cluster_members([cluster_id]).get(cluster_id, [])
    others = [m.record_id for m in members if m.record_id != record_id]
    if len(others) == len(members) or not others:
        abort(400, description=gettext("That listing is not in this cluster."))
    note = _note()
    for other in others:
        store.add_decision(record_id, other, False, logged_in() or "", note)
    return _recluster([record_id, *others], gettext("The listing was taken out of the cluster."))


@blueprint.post("/join")
@admin_required
def join() -> ResponseReturnValue:
    """Join two listings (and so their clusters): they describe one project."""
    store = services().store
    first = request.form.get("record_a", "").strip()
    second = request.form.get("record_b", "").strip()
    if not first or not second or first == second:
        abort(400, description=gettext("Give two different record ids."))
    if len(store.documents([first, second])) != 2:
        abort(400, description=gettext("No live record has one of these ids."))
    store.add_decision(first, second, True, logged_in() or "", _note())
    return _recluster([first, second], gettext("The two listings were joined."))


def _recluster(records: list[str], message: str) -> ResponseReturnValue:
    """Cluster the listings concerned again now (the index follows), then show the list."""
    try:
        report = cluster_changes(services().store, services().index, records)
    except CsfinderError as exc:
        message = gettext(
            "Decision stored; clustering failed (%(reason)s): run `csfinder cluster`.",
            reason=str(exc),
        )
    else:
        if report is None:
            message = gettext(
                "Decision stored; another process is clustering, which will apply it."
            )
    return redirect(url_for(".clusters", done=message))


def _note() -> str | None:
    note = request.form.get("note", "").strip()
    return note[:NOTE_CHARS] or None


def _listing(record_id: str, representative: bool, documents: dict[str, Any]) -> dict[str, Any]:
    record = documents.get(record_id) or {}
    provenance = record.get("provenance") or {}
    return {
        "id": record_id,
        "title": record.get("title") or record_id,
        "platform": provenance.get("platform"),
        "source_name": provenance.get("source_name"),
        "url": record.get("url"),
        "countries": record.get("countries") or [],
        "start_date": record.get("start_date"),
        "representative": representative,
    }


def _title(record_id: str, documents: dict[str, Any]) -> str:
    return str((documents.get(record_id) or {}).get("title") or record_id)


def _link(link: StoredLink, documents: dict[str, Any]) -> dict[str, Any]:
    return {
        "a": link.record_a,
        "b": link.record_b,
        "a_title": _title(link.record_a, documents),
        "b_title": _title(link.record_b, documents),
        "score": link.score,
        "signals": [(label(name), points, detail) for name, points, detail in link.signals],
        "refused": label(link.refused) if link.refused else None,
    }


def _decision(decision: Decision, documents: dict[str, Any]) -> dict[str, Any]:
    return {
        "a": decision.record_a,
        "b": decision.record_b,
        "a_title": _title(decision.record_a, documents),
        "b_title": _title(decision.record_b, documents),
        "same": decision.same,
        "curator": decision.curator,
        "note": decision.note,
        "at": decision.decided_at.strftime("%Y-%m-%d %H:%M UTC"),
    }
