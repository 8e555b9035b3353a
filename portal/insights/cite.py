"""What a figure is cited with: the selection in words, the data snapshot and sources it
draws on, csfinder's version, and absolute URLs.

The snapshot is when the newest successful harvest of the sources in the selection ended:
the figure shows the data as it stood then. Absolute URLs come from one helper,
:func:`absolute`, so where the portal's public address is configured is one change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from flask import g, request
from flask_babel import format_date, gettext

from harvester.index.base import Insights
from harvester.index.query import FACETS, SearchQuery
from portal.i18n import facet_label, facet_title, number
from portal.public_url import public_root
from portal.services import services

SOURCES_NAMED = 8
"""Sources named in a citation at most (the others are counted)."""


@cache
def csfinder_version() -> str:
    """The installed csfinder's version."""
    try:
        return version("csfinder")
    except PackageNotFoundError:
        return "unknown"


def absolute(path: str) -> str:
    """The absolute public URL of a path of this portal (as ``url_for`` gives it): below
    the configured public address (``CSFINDER_PUBLIC_URL``), else the request's root (see
    :mod:`portal.public_url`)."""
    return public_root() + path.removeprefix(request.script_root)


@dataclass(frozen=True)
class Provenance:
    """The sources in a selection (names, by count) and the data snapshot."""

    sources: tuple[str, ...]
    snapshot: datetime | None


def provenance(sides: Sequence[Insights]) -> Provenance:
    """The sources the selections draw on and when their newest harvest ended."""
    counted: dict[str, int] = {}
    for side in sides:
        for count in side.dimensions.get("source", []):
            counted[count.value] = counted.get(count.value, 0) + count.count
    ids = [s for s, n in sorted(counted.items(), key=lambda i: (-i[1], i[0])) if n]
    named = source_names()
    ended = services().store.last_successes()
    names = tuple(named.get(s, s) for s in ids)
    times = [ended[s] for s in ids if s in ended]
    return Provenance(names, max(times) if times else None)


def source_names() -> Mapping[str, str]:
    """Source ids to their names (configured sources and approved registrations), read once
    per request."""
    found: dict[str, str] | None = g.get("csfinder_source_names")
    if found is None:
        found = {key: config.name for key, config in services().sources().sources.items()}
        g.csfinder_source_names = found
    return found


def selection_words(query: SearchQuery) -> str:
    """The selection in words: ``words "air quality"; Country: Spain, Portugal; years
    2010 to 2015`` (``all records`` when nothing narrows it)."""
    parts = []
    if query.text.strip():
        parts.append(str(gettext('words "%(text)s"', text=query.text.strip())))
    for facet in FACETS:
        chosen = sorted(query.selected(facet))
        if chosen:
            values = ", ".join(facet_label(facet, v) for v in chosen)
            parts.append(f"{facet_title(facet)}: {values}")
    start, end = query.year_from, query.year_to
    if start is not None and end is not None:
        parts.append(str(gettext("years %(start)s to %(end)s", start=start, end=end)))
    elif start is not None:
        parts.append(str(gettext("years from %(start)s", start=start)))
    elif end is not None:
        parts.append(str(gettext("years up to %(end)s", end=end)))
    if query.bbox is not None:
        box = query.bbox
        corners = ", ".join(f"{v:g}" for v in (box.west, box.south, box.east, box.north))
        parts.append(str(gettext("within the box %(box)s", box=corners)))
    return "; ".join(parts) if parts else str(gettext("all records"))


def sources_words(names: Sequence[str]) -> str:
    """The sources named, the rest counted."""
    if not names:
        return str(gettext("none"))
    shown = ", ".join(names[:SOURCES_NAMED])
    rest = len(names) - SOURCES_NAMED
    if rest > 0:
        more = gettext("and %(count)s more", count=number(rest))
        return f"{shown} {more}"
    return shown


def citation(
    title: str,
    selections: Iterable[str],
    found: Provenance,
    permalink: str,
    today: datetime,
) -> str:
    """The ready "cite this figure" text."""
    snapshot = format_date(found.snapshot, "long") if found.snapshot else gettext("not known")
    return str(
        gettext(
            "csfinder (%(year)s). %(title)s [figure]. Selection: %(selection)s. Data as "
            "harvested up to %(snapshot)s; sources: %(sources)s. csfinder %(version)s. "
            "%(url)s (accessed %(today)s).",
            year=today.year,
            title=title,
            selection=" — ".join(selections),
            snapshot=snapshot,
            sources=sources_words(found.sources),
            version=csfinder_version(),
            url=permalink,
            today=format_date(today, "long"),
        )
    )


def about(found: Provenance, today: datetime) -> Mapping[str, object]:
    """What a downloaded figure says of its data (JSON)."""
    return {
        "snapshot": found.snapshot.isoformat() if found.snapshot else None,
        "sources": list(found.sources),
        "csfinder_version": csfinder_version(),
        "generated_at": today.isoformat(),
    }
