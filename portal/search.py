"""The search page ``/`` and title suggestions ``/suggest``."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

from harvester.index.base import SearchResult
from harvester.index.query import FACETS, MAX_WINDOW, SORTS, QueryError, build_query
from portal.i18n.locales import PARAM as LANGUAGE_PARAM
from portal.i18n.locales import asked_language
from portal.params import args_with, args_without, query_from_args
from portal.services import services

blueprint = Blueprint("search", __name__)
FACET_VALUES_SHOWN = 12


@blueprint.get("/")
def page() -> ResponseReturnValue:
    """Search across every platform; the URL holds the whole state."""
    try:
        query = query_from_args(request.args)
    except QueryError as exc:
        return render_template("search.html", error=str(exc), result=None, **_shared()), 400
    result = services().search(query)
    return render_template("search.html", error=None, result=result, **_shared(result))


def _shared(result: SearchResult | None = None) -> dict[str, object]:
    args = request.args
    chips = [
        (name, value)
        for name in (*FACETS, "year_from", "year_to", "bbox")
        for value in args.getlist(name)
        if value.strip()
    ]
    pages = 0
    if result is not None:
        reachable = min(result.total, MAX_WINDOW)
        pages = (reachable + result.query.per_page - 1) // result.query.per_page
    return {
        "q": args.get("q", ""),
        "chips": chips,
        "sorts": SORTS,
        "facets": FACETS,
        "shown": FACET_VALUES_SHOWN,
        "pages": pages,
        "url_without": lambda name, value=None: (
            url_for(".page") + _query_string(args_without(args, name, value))
        ),
        "url_with": lambda name, value: (
            url_for(".page") + _query_string(args_with(args, name, value))
        ),
        "url_page": lambda number: (
            url_for(".page") + _query_string([*args_without(args, "page"), ("page", str(number))])
        ),
        "export_query": _query_string(
            [(k, v) for k, v in args_without(args, "page") if k != LANGUAGE_PARAM]
        ),
        "ui_lang": asked_language(),
        "range_labels": {
            "year_from": gettext("From year"),
            "year_to": gettext("To year"),
            "bbox": gettext("Area"),
        },
        "safe": Markup,
    }


def _query_string(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else ""


@blueprint.get("/suggest")
def suggest() -> ResponseReturnValue:
    """Titles for what has been typed (JSON), for the search box."""
    prefix = request.args.get("q", "")[:200]
    found = services().index.suggest(prefix, limit=8)
    return jsonify([{"id": s.id, "title": s.title} for s in found])


__all__ = ["blueprint", "build_query"]
