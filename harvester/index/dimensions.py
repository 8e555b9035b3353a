"""What the index counts of a record beyond its text: the values of the policy facets and
of the dimensions only insights count (years of activity, FAIR indicators).

Policy facets (filters on the search page, the API and exports, where records carry them):

* ``participation``: what participants do (PPSR Core tasks, as the source names them);
* ``policy_relevance``: phases of the policy cycle the project bears on;
* ``policy_aims``: ``true``/``false``, whether results are meant to be used in policy making;
* ``funder``: organisations whose role is a funder or sponsor (PPSR Core 'Sponsor/funder',
  DataCite funding references and contributorType Funder or Sponsor, schema.org funder);
* ``for_schools``: ``true``/``false``, suited to schools.

Counted only (:data:`COUNTED_ONLY`, never filters):

* ``year_started``, ``year_ended``: the year of the start and end date;
* ``year_active``: every year from the start to the end; without an end date, through the
  year the record was harvested, unless its status says it is over (Completed, Abandoned):
  then its start year only; nothing without a start date;
* ``fair_passed`` and ``fair_applies``: the FAIRsFAIR indicators the record passed, and
  those that apply to it;
* ``cluster``: the id of a cluster of several listings (records describing the same
  project on several platforms), on its listings and its cluster document; set when the
  index writes clusters (:mod:`harvester.index.collapse`), never from a record alone.
  Insights count each cluster once; a document without one is a cluster of its own (see
  :mod:`harvester.index.insights`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

YEAR_SERIES: tuple[str, ...] = ("year_started", "year_active", "year_ended")
FAIR_PASSED = "fair_passed"
FAIR_APPLIES = "fair_applies"
CLUSTER = "cluster"
COUNTED_ONLY: tuple[str, ...] = (*YEAR_SERIES, FAIR_PASSED, FAIR_APPLIES, CLUSTER)
"""Index fields counted by insights but never offered as filters."""

OVER = frozenset(("completed", "abandoned"))
"""Statuses (PPSR Core, folded) of a project that no longer runs."""
EARLIEST_YEAR = 1800
LONGEST_ACTIVITY = 150  # years; a longer span is a data error, counted as its start only
FUNDER_ROLE = re.compile(r"fund|sponsor", re.IGNORECASE)


def policy_facets(record: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The policy facets' values of a record (empty ones left out)."""
    participation = record.get("participation") or {}
    policy = record.get("policy") or {}
    funders = (
        " ".join(str(o.get("name") or "").split())
        for o in record.get("organisations") or []
        if FUNDER_ROLE.search(str(o.get("role") or ""))
    )
    found = {
        "participation": _distinct(participation.get("tasks") or ()),
        "policy_relevance": _distinct(policy.get("relevance") or ()),
        "policy_aims": _flag(policy.get("aims")),
        "funder": _distinct(funders),
        "for_schools": _flag(participation.get("for_schools")),
    }
    return {name: values for name, values in found.items() if values}


def counted_only(record: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The values of the dimensions only insights count (empty ones left out)."""
    start, end = year_of(record.get("start_date")), year_of(record.get("end_date"))
    found = {
        "year_started": _years(start),
        "year_active": tuple(str(y) for y in active_years(record, start, end)),
        "year_ended": _years(end),
        **fair_values(record),
    }
    return {name: values for name, values in found.items() if values}


def active_years(record: Mapping[str, Any], start: int | None, end: int | None) -> range:
    """The years a project was active (see the module's description)."""
    if start is None or start < EARLIEST_YEAR:
        return range(0)
    if end is None:
        status = str(record.get("status") or "").casefold()
        provenance = record.get("provenance") or {}
        end = start if status in OVER else year_of(provenance.get("harvested_at"))
        if end is None:  # no harvest time (synthetic records): the newest date known
            end = max(start, year_of(record.get("date_modified")) or start)
        if end < start:  # harvested before it starts: not active yet
            return range(0)
    if end < start or end - start > LONGEST_ACTIVITY:
        return range(start, start + 1)
    return range(start, end + 1)


def fair_values(record: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """The FAIRsFAIR indicators a record passed and those that apply to it."""
    indicators = (record.get("quality") or {}).get("indicators") or []
    applies = [str(i["id"]) for i in indicators if i.get("id") and i.get("applicable", True)]
    passed = [
        str(i["id"])
        for i in indicators
        if i.get("id") and i.get("applicable", True) and i.get("passed")
    ]
    return {FAIR_APPLIES: _distinct(applies), FAIR_PASSED: _distinct(passed)}


def year_of(value: Any) -> int | None:
    """The year of an ISO 8601 date or date-time, or None."""
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None


def _years(year: int | None) -> tuple[str, ...]:
    return (str(year),) if year is not None and year >= EARLIEST_YEAR else ()


def _flag(value: Any) -> tuple[str, ...]:
    return ("true" if value else "false",) if isinstance(value, bool) else ()


def _distinct(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text for v in values if (text := str(v).strip())))
