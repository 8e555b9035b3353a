"""The insights pages: ``/insights`` (the search page's parameters), ``/insights/compare``
(two selections side by side) and each figure as a file, ``/insights/figures/<id>.<ext>``.
They render on the server and work without JavaScript; ``insights.js`` only adds hover
details."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from harvester.index.base import Insights
from harvester.index.query import FACETS, QueryError
from portal.i18n import facet_label
from portal.insights.cite import provenance, selection_words
from portal.insights.downloads import MEDIA, download
from portal.insights.figures import BY_ID, label
from portal.insights.geometry import VIEWS
from portal.insights.page import Context, figure_view, figure_views
from portal.insights.selection import (
    SIDES,
    VIEW_PARAM,
    is_comparison,
    page_pairs,
    queries,
    query_string,
    search_pairs,
    side_name,
    view_of,
)
from portal.services import services

blueprint = Blueprint("insights", __name__)
CHOICES_SHOWN = 60
"""Values offered in each compare form's lists at most (the most common)."""


@dataclass(frozen=True)
class Chip:
    """An active filter and the address of the page without it."""

    label: str
    remove: str


@blueprint.get("/insights")
def page() -> ResponseReturnValue:
    """Figures of the selection the search page's parameters make."""
    return _render("insights.page", compare=False)


@blueprint.get("/insights/compare")
def compare() -> ResponseReturnValue:
    """Two selections side by side, on the same scales."""
    return _render("insights.compare", compare=True)


@blueprint.get("/insights/figures/<figure_id>.<ext>")
def figure(figure_id: str, ext: str) -> ResponseReturnValue:
    """One figure as CSV, JSON or SVG, for the page's parameters (one or two selections)."""
    chosen = BY_ID.get(figure_id)
    if chosen is None or ext not in MEDIA:
        abort(404)
    try:
        context = _context(request.args)
    except QueryError as exc:
        abort(400, description=str(exc))
    shown = figure_view(chosen, context)
    if shown is None:
        abort(404, description="this selection has nothing to show in that figure")
    return download(shown, ext, _selections(context), context.provenance)


def _render(endpoint: str, *, compare: bool) -> ResponseReturnValue:
    args = request.args
    if compare and not is_comparison(args):
        return render_template("insights.html", **_empty(args, endpoint)), 200
    if not compare:  # sides belong to the compare page
        args = MultiDict([(k, v) for k, v in args.items(multi=True) if k[:2] not in ("a.", "b.")])
    try:
        context = _context(args)
    except QueryError as exc:
        return render_template("insights.html", **_empty(args, endpoint, str(exc))), 400
    return render_template(
        "insights.html",
        error=None,
        context=context,
        figures=figure_views(context),
        selections=_selections(context),
        chips=_chips(args, endpoint) if not context.comparing else [],
        views=_view_links(args, endpoint),
        search_link=url_for("search.page") + query_string(search_pairs(args)),
        projects_only=_projects_only(args, endpoint),
        choices=_choices(context.sides[0]) if not context.comparing else _shared_choices(args),
        hidden=search_pairs(args),
        endpoint=endpoint,
    )


def _context(args: MultiDict[str, str]) -> Context:
    """Count the selection(s) the parameters make."""
    asked = queries(args)
    view = view_of(args)
    sides = [services().index.insights(query) for query in asked]
    names = [side_name(args, side) for side in SIDES] if len(sides) > 1 else [""]
    return Context(
        sides=sides,
        names=names,
        args=args,
        view=view,
        provenance=provenance(sides),
        selections=[selection_words(side.query) for side in sides],
    )


def _selections(context: Context) -> list[dict[str, Any]]:
    return [
        {"name": name, "selection": words, "total": side.total, "records": side.records}
        for name, words, side in zip(context.names, context.selections, context.sides, strict=True)
    ]


def _empty(args: MultiDict[str, str], endpoint: str, error: str | None = None) -> dict[str, Any]:
    """The page without figures: an error, or the compare page before sides are chosen."""
    return {
        "error": error,
        "context": None,
        "figures": [],
        "selections": [],
        "chips": [],
        "views": [],
        "search_link": url_for("search.page") + query_string(search_pairs(args)),
        "projects_only": None,
        "choices": _shared_choices(args),
        "hidden": search_pairs(args),
        "endpoint": endpoint,
    }


def _projects_only(args: MultiDict[str, str], endpoint: str) -> str | None:
    """The same page for projects alone, when the kind is not chosen yet."""
    pairs = page_pairs(args)
    if any(k == "kind" or k.endswith(".kind") for k, _ in pairs):
        return None
    return url_for(endpoint) + query_string([*pairs, ("kind", "project")])


def _shared_choices(args: MultiDict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The compare forms' choices for the search both sides share."""
    try:
        return _choices(services().index.insights(queries(MultiDict(search_pairs(args)))[0]))
    except QueryError:
        return {}


def _chips(args: MultiDict[str, str], endpoint: str) -> list[Chip]:
    pairs = page_pairs(args)
    chips = []
    for name, value in search_pairs(args):
        shown = facet_label(name, value) if name in FACETS else range_label(name, value)
        rest = [(k, v) for k, v in pairs if (k, v) != (name, value)]
        chips.append(Chip(shown, url_for(endpoint) + query_string(rest)))
    return chips


def range_label(name: str, value: str) -> str:
    """A chip's words for the search words or a range."""
    if name == "q":
        return f"“{value}”"
    if name == "year_from":
        return str(gettext("from %(year)s", year=value))
    if name == "year_to":
        return str(gettext("until %(year)s", year=value))
    return str(gettext("within the box %(box)s", box=value))


def _view_links(args: MultiDict[str, str], endpoint: str) -> list[tuple[str, str, bool]]:
    current = view_of(args)
    pairs = [(k, v) for k, v in page_pairs(args) if k != VIEW_PARAM]
    links: list[tuple[str, str, bool]] = []
    for view in VIEWS:
        extra = [] if view == "europe" else [(VIEW_PARAM, view)]
        links.append((view, url_for(endpoint) + query_string([*pairs, *extra]), view == current))
    return links


def _choices(insights: Insights) -> dict[str, list[tuple[str, str]]]:
    """What the compare forms offer: the values the selection holds, most common first."""
    return {
        dimension: [
            (c.value, label(dimension, c.value))
            for c in insights.dimensions.get(dimension, [])[:CHOICES_SHOWN]
            if c.count
        ]
        for dimension in ("country", "topic", "sdg", "platform", "kind")
    }
