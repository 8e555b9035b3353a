"""The search page ``/`` and title suggestions ``/suggest``."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from harvester.index.base import SearchResult
from harvester.index.query import FACETS, MAX_WINDOW, SORTS, QueryError, build_query
from portal.api import error_response
from portal.i18n import page_language
from portal.i18n.locales import PARAM as LANGUAGE_PARAM
from portal.i18n.locales import asked_language
from portal.params import KNOWN_PARAMS, args_with, args_without, query_from_args
from portal.request_checks import InvalidQueryString
from portal.services import services

blueprint = Blueprint("search", __name__)
FACET_VALUES_SHOWN = 12


@blueprint.errorhandler(InvalidQueryString)
def _unreadable(exc: InvalidQueryString) -> ResponseReturnValue:
    """The search page, or the suggestions' JSON, saying what is wrong (HTTP 400)."""
    message = exc.description or "the query string cannot be read"
    if request.endpoint == "search.suggest":
        return error_response(400, message)
    return render_template("search.html", error=message, result=None, **_shared()), 400


@blueprint.get("/")
def page() -> ResponseReturnValue:
    """Search across every platform; the URL holds the whole state."""
    try:
        query = query_from_args(_search_args(request.args), ui_lang=page_language())
    except QueryError as exc:
        return render_template("search.html", error=str(exc), result=None, **_shared()), 400
    result = services().search(query)
    shared = _shared(result)
    shared["semantic"] = result.mode != "lexical" or services().index.semantic_ready()
    return render_template("search.html", error=None, result=result, **shared)


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
        "export_query": _query_string(_export_args(args)),
        "insights_query": _query_string(_insights_args(args)),
        "url_collapse": url_for(".page")
        + _query_string(
            [*args_without(args, "collapse")]
            + ([("collapse", "false")] if result is None or result.query.collapse else [])
        ),
        "ui_lang": asked_language(),
        "range_labels": {
            "year_from": gettext("From year"),
            "year_to": gettext("To year"),
            "bbox": gettext("Area"),
        },
        "safe": Markup,
        "semantic": False,
    }


def _search_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The search's parameters without the page's language: on this page ``lang`` chooses
    the interface's language (:mod:`portal.i18n.locales`), while the API reads it as the
    query's language; a query here is stemmed in its own language, guessed, or else the
    page's."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k != LANGUAGE_PARAM])


def _export_args(args: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The search's parameters an export takes: the page's empty fields, unknown parameters
    (the exports, as all of the API, refuse both) and the page's language left out."""
    return [
        (name, value)
        for name, value in args_without(args, "page")
        if value and name in KNOWN_PARAMS and name not in ("per_page", "collapse", LANGUAGE_PARAM)
    ]


def _insights_args(args: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The search's parameters its insights take: those of an export, and the view
    (``collapse``), so that the insights count what the search found."""
    return [
        (name, value)
        for name, value in args_without(args, "page")
        if value and name in KNOWN_PARAMS and name != "per_page"
    ]


def _query_string(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else ""


@blueprint.get("/suggest")
def suggest() -> ResponseReturnValue:
    """Titles for what has been typed (JSON), for the search box."""
    prefix = request.args.get("q", "")[:200]
    found = services().index.suggest(prefix, limit=8)
    return jsonify([{"id": s.id, "title": s.title} for s in found])


__all__ = ["blueprint", "build_query"]
