"""The selections an insights URL asks for: the search page's own parameters, and for a
comparison two sides that each change some of them.

A side's parameters are written with its prefix, ``a.`` or ``b.``
(``/insights/compare?q=air&a.country=ES&b.country=FR``): a side takes the shared parameters
and replaces those it names, so comparing two countries, two periods
(``a.year_from=2010&a.year_to=2014&b.year_from=2015&b.year_to=2019``) or two fields of science
is one form each. ``map`` (``europe`` or ``world``) chooses the map's view.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from harvester.index.query import FACETS, QueryError, SearchQuery
from portal.i18n import facet_label, page_language
from portal.insights.geometry import VIEWS, View
from portal.params import FILTER_PARAMS, query_from_args

SIDES: tuple[str, str] = ("a", "b")
SEARCH_PARAMS: tuple[str, ...] = ("q", "collapse", "mode", "lang", *FILTER_PARAMS)
"""What selects records, as on the search page (sort and paging do not change what is
counted): the text, how it matches, the view (``collapse``) and the filters."""
VIEW_PARAM = "map"


def search_pairs(args: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The parameters that select records, in their order, empty ones left out."""
    return [(k, v) for k, v in args.items(multi=True) if k in SEARCH_PARAMS and v.strip()]


def side_pairs(args: MultiDict[str, str], side: str) -> list[tuple[str, str]]:
    """A side's own parameters (prefix removed)."""
    prefix = f"{side}."
    return [
        (k.removeprefix(prefix), v)
        for k, v in args.items(multi=True)
        if k.startswith(prefix) and k.removeprefix(prefix) in SEARCH_PARAMS and v.strip()
    ]


def is_comparison(args: MultiDict[str, str]) -> bool:
    """True when the URL names a side."""
    return any(side_pairs(args, side) for side in SIDES)


def side_args(args: MultiDict[str, str], side: str) -> MultiDict[str, str]:
    """The search parameters of one side: the shared ones, those it names replaced."""
    own = side_pairs(args, side)
    replaced = {name for name, _ in own}
    shared = [(k, v) for k, v in search_pairs(args) if k not in replaced]
    return MultiDict([*shared, *own])


def queries(args: MultiDict[str, str]) -> list[SearchQuery]:
    """One query, or a query per side when comparing.

    Raises:
        QueryError: a parameter that cannot be answered, naming the side.
    """
    if not is_comparison(args):
        return [query_from_args(MultiDict(search_pairs(args)), ui_lang=page_language())]
    found = []
    for side in SIDES:
        try:
            found.append(query_from_args(side_args(args, side), ui_lang=page_language()))
        except QueryError as exc:
            raise QueryError(f"{side.upper()}: {exc}") from None
    return found


def side_name(args: MultiDict[str, str], side: str) -> str:
    """What a side changes, in words (``Spain``; ``2010–2014``); else ``A`` or ``B``."""
    own = side_pairs(args, side)
    named = dict(own)
    parts = [facet_label(k, v) for k, v in own if k in FACETS]
    if "year_from" in named or "year_to" in named:
        parts.append(f"{named.get('year_from', '…')}–{named.get('year_to', '…')}")
    if named.get("q"):
        parts.append(f"“{named['q']}”")
    return ", ".join(parts) or side.upper()


def view_of(args: MultiDict[str, str]) -> View:
    """The map view asked for; Europe unless ``map=world``."""
    asked = args.get(VIEW_PARAM, "europe")
    for view in VIEWS:
        if asked == view:
            return view
    raise QueryError(str(gettext("map must be europe or world, not %(value)s", value=asked)))


def page_pairs(args: MultiDict[str, str]) -> list[tuple[str, str]]:
    """Every parameter an insights page keeps in its links (search, sides, map view)."""
    kept = []
    for key, value in args.items(multi=True):
        name = key.split(".", 1)[1] if key[:2] in ("a.", "b.") else key
        if value.strip() and (name in SEARCH_PARAMS or key == VIEW_PARAM):
            kept.append((key, value))
    return kept


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    """``?a=1&b=2``, or nothing for no pairs."""
    listed = list(pairs)
    return "?" + urlencode(listed) if listed else ""
