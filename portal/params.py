"""A search from URL parameters: the same names on the search page, the API and exports.

``q`` (text), ``sort``, ``page``, ``per_page``, every facet as a repeatable parameter
(``country=NL&country=DE``), ``year_from``, ``year_to``, ``bbox`` and ``collapse``
(``false`` lists every listing of a project instead of one hit per cluster); ``mode``
(``lexical``, ``semantic``, ``hybrid``) and ``lang`` (the query's language).
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from harvester.index.query import FACETS, RANGE_FILTERS, QueryError, SearchQuery, build_query

FILTER_PARAMS: tuple[str, ...] = FACETS + RANGE_FILTERS
KNOWN_PARAMS = frozenset(
    ("q", "sort", "page", "per_page", "collapse", "mode", "lang", *FILTER_PARAMS)
)
TRUE, FALSE = frozenset(("true", "1", "yes", "on")), frozenset(("false", "0", "no", "off"))


def query_from_args(
    args: MultiDict[str, str], *, per_page: int = 20, ui_lang: str | None = None
) -> SearchQuery:
    """The query the parameters ask for (``ui_lang``: the language of the page it was typed
    in, for stemming a query whose own language cannot be told).

    Raises:
        QueryError: a parameter that cannot be answered (the message says which).
    """
    pairs = [(name, value) for name in FILTER_PARAMS for value in args.getlist(name)]
    return build_query(
        args.get("q", ""),
        pairs,
        sort=args.get("sort") or None,
        page=_number(args, "page", 1),
        per_page=_number(args, "per_page", per_page),
        collapse=collapsed(args),
        mode=args.get("mode") or None,
        lang=args.get("lang") or None,
        ui_lang=ui_lang,
    )


def collapsed(args: MultiDict[str, str]) -> bool:
    """Whether results come one per cluster (the default) or one per listing.

    Raises:
        QueryError: a value that is neither true nor false.
    """
    raw = (args.get("collapse") or "").strip().lower()
    if raw in ("", *TRUE):
        return True
    if raw in FALSE:
        return False
    raise QueryError(f"collapse must be true or false, not {args.get('collapse')!r}")


def _number(args: MultiDict[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None


def args_without(
    args: MultiDict[str, str], name: str, value: str | None = None
) -> list[tuple[str, str]]:
    """The parameters with one filter value (or all of ``name``) removed, page reset."""
    return [
        (key, item)
        for key, item in args.items(multi=True)
        if key != "page" and not (key == name and (value is None or item == value))
    ]


def args_with(args: MultiDict[str, str], name: str, value: str) -> list[tuple[str, str]]:
    """The parameters with one filter value added, page reset."""
    return [*args_without(args, name, value), (name, value)]
