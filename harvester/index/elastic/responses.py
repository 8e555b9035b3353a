"""Reading Elasticsearch's search and suggest responses into the backends' common types
(pure functions: a response in, a result out)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from harvester.index.base import FacetCount, Hit, SearchResult, Suggestion
from harvester.index.collapse import hit_record_id
from harvester.index.elastic.query import effective_sort
from harvester.index.highlight import END, START, marked_html
from harvester.index.query import FACETS, SearchQuery


def result_from_response(response: Mapping[str, Any], query: SearchQuery) -> SearchResult:
    """A :class:`SearchResult` from a search response."""
    hits = response.get("hits", {})
    total = hits.get("total", {})
    count = int(total.get("value", 0)) if isinstance(total, Mapping) else int(total or 0)
    return SearchResult(
        total=count,
        hits=[hit_from_response(h) for h in hits.get("hits", [])],
        facets=facets_from_response(response.get("aggregations", {}), query),
        query=query,
        sort=effective_sort(query),
    )


def hit_from_response(hit: Mapping[str, Any]) -> Hit:
    """One hit: highlighted title and description fragment, or the escaped originals."""
    source = hit.get("_source", {})
    highlight = hit.get("highlight", {})
    summary = source.get("summary") or {}
    title = _first(highlight.get("title")) or str(source.get("title") or "")
    fragment = _first(highlight.get("description"))
    if fragment is None:
        shown = str(summary.get("description") or "")
    else:
        shown = _with_ellipses(fragment, str(source.get("description") or ""))
    return Hit(
        id=hit_record_id(str(source.get("id") or hit.get("_id")), summary),
        summary=summary,
        title_html=marked_html(title),
        snippet_html=marked_html(shown),
    )


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values:
        return str(values[0])
    return None


def _with_ellipses(fragment: str, full: str) -> str:
    """An ellipsis where the fragment cuts the description short (as the embedded snippet)."""
    plain = fragment.replace(START, "").replace(END, "").strip()
    if not plain or not full:
        return fragment
    start = full.find(plain)
    if start < 0:
        return fragment
    before = "…" if full[:start].strip() else ""
    after = "…" if full[start + len(plain) :].strip() else ""
    return before + fragment.strip() + after


def facets_from_response(
    aggregations: Mapping[str, Any], query: SearchQuery
) -> dict[str, list[FacetCount]]:
    """Every facet's counts; selected values are listed even when nothing carries them."""
    result: dict[str, list[FacetCount]] = {}
    for facet in FACETS:
        chosen = query.selected(facet)
        buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        counted = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        shown = [FacetCount(v, n, v in chosen) for v, n in counted.items() if n or v in chosen]
        shown += [FacetCount(v, 0, True) for v in sorted(chosen) if v not in counted]
        result[facet] = sorted(shown, key=_order_key(facet))
    return result


def _order_key(facet: str) -> Callable[[FacetCount], tuple[int, str]]:
    if facet == "year":  # newest year first, as a timeline reads
        return lambda c: (-int(c.value) if c.value.isdigit() else 0, c.value)
    return lambda c: (-c.count, c.value)


def suggestions_from_response(response: Mapping[str, Any], limit: int) -> list[Suggestion]:
    """Suggested titles, one per distinct title (case-insensitive), best first."""
    entries = response.get("suggest", {}).get("titles", [])
    options = [o for entry in entries for o in entry.get("options", [])]
    seen: set[str] = set()
    found: list[Suggestion] = []
    for option in options:
        source = option.get("_source", {})
        title = str(source.get("title") or option.get("text") or "")
        if title and title.casefold() not in seen:
            seen.add(title.casefold())
            found.append(Suggestion(str(source.get("id") or option.get("_id")), title))
    return found[:limit]
