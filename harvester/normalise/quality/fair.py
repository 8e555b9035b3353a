"""The FAIR indicators: one small check per indicator, returning whether it passed and why,
and :data:`INDICATORS`, each with its FAIR principle, weight and label, evaluated in report
order by :func:`indicator_rows`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from harvester.core.model import (
    PERSISTENT_SCHEMES,
    PPSR_STATUSES,
    FairIndicator,
    Principle,
    QualityIssue,
    Record,
)
from harvester.normalise.quality.fields import dated_fields, has_title
from harvester.normalise.quality.landing_pages import landing_page_problem
from harvester.normalise.quality.licences import is_known_spdx

MIN_DESCRIPTION = 100
"""Characters a description needs to count as rich metadata."""

MIN_TERMS = 3
"""Distinct keywords and topics together needed to count as rich metadata."""

MIN_CONTROLLED = 2
"""Controlled-vocabulary fields (countries, languages, topics, status) that must be filled."""

"""Identifier schemes counted as persistent (F1)."""

SCHEME_NAMES = {"doi": "DOI", "handle": "Handle", "ark": "ARK", "urn": "URN", "url": "URL"}
"""How the reasons name each identifier scheme."""


Outcome = tuple[bool, str]
"""Whether an indicator passed, and why."""

Check = Callable[[Record, Sequence[QualityIssue]], Outcome]
"""An indicator's check: the record and the crosswalk's issues to an outcome."""


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's fixed description: id, FAIR principle, weight, label and check."""

    id: str
    principle: Principle
    weight: int
    label: str
    check: Check


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun, in the plural unless the count is one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _terms(count: int) -> str:
    """``count`` keywords or topics, in words."""
    return _plural(count, "keyword or topic", "keywords or topics")


def check_persistent_id(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """F1: a DOI, Handle, ARK or URN identifies the record."""
    persistent = [i for i in record.identifiers if i.scheme in PERSISTENT_SCHEMES]
    if persistent:
        first = persistent[0]
        more = f" (and {len(persistent) - 1} more)" if len(persistent) > 1 else ""
        return True, f"persistent identifier: {SCHEME_NAMES[first.scheme]} {first.value}{more}"
    if not record.identifiers:
        return False, "no identifiers; a DOI, Handle, ARK or URN is needed"
    schemes = ", ".join(dict.fromkeys(i.scheme for i in record.identifiers))
    count = _plural(len(record.identifiers), "identifier")
    return False, f"no DOI, Handle, ARK or URN among {count} ({schemes})"


def check_rich_metadata(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """F2: a title, a description of 100+ characters, 3+ keywords or topics and a date."""
    lacking: list[str] = []
    if not has_title(record):
        lacking.append("no title")
    length = len(record.description or "")
    if not length:
        lacking.append("no description")
    elif length < MIN_DESCRIPTION:
        lacking.append(f"description has {_plural(length, 'character')} (needs {MIN_DESCRIPTION})")
    terms = len(dict.fromkeys([*record.keywords, *record.topics]))
    if terms < MIN_TERMS:
        lacking.append(
            f"{_plural(terms, 'keyword or topic', 'keywords or topics')} (needs {MIN_TERMS})"
        )
    if not dated_fields(record):
        lacking.append("no date (start, end or modified)")
    if lacking:
        return False, "; ".join(lacking)
    return True, (f"title, description of {length} characters, {_terms(terms)} and a date")


def check_landing_page(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """A1: the landing page (or else a resolvable identifier) is a public http(s) URL."""
    if record.url:
        problem = landing_page_problem(record.url)
        if problem:
            return False, f"landing page {record.url} {problem}"
        return True, f"landing page {record.url} is an http(s) URL with a public host"
    for identifier in record.identifiers:
        url = identifier.url
        if url and landing_page_problem(url) is None:
            name = SCHEME_NAMES.get(identifier.scheme, identifier.scheme)
            return True, f"no landing page URL, but the {name} resolves at {url}"
    return False, "no landing page URL and no identifier that resolves over http(s)"


def _controlled_fields(record: Record) -> dict[str, int]:
    """Count the values in each applicable controlled-vocabulary field."""
    counts = {
        "countries": len(record.countries),
        "languages": len(record.languages),
        "topics": len(record.topics),
    }
    if record.kind == "project" or record.status:
        counts["status"] = 1 if record.status in PPSR_STATUSES else 0
    return counts


def check_vocabularies(record: Record, issues: Sequence[QualityIssue]) -> Outcome:
    """I2: at least two of countries, languages, topics (and status) hold controlled values.

    A status outside the PPSR Core terms fails the indicator; source values the crosswalk
    could not normalise are named in the reason.
    """
    counts = _controlled_fields(record)
    filled = [f"{name} ({count})" for name, count in counts.items() if count]
    empty = [name for name, count in counts.items() if not count]
    parts = [f"controlled: {', '.join(filled) or 'none'}"]
    if empty:
        parts.append(f"empty: {', '.join(empty)}")
    unmapped = sorted({i.field for i in issues if i.field in empty and i.problem != "missing"})
    if unmapped:
        parts.append(f"not normalised: {', '.join(unmapped)}")
    failures = []
    if len(filled) < MIN_CONTROLLED:
        failures.append(f"needs at least {MIN_CONTROLLED} controlled fields")
    if record.status and record.status not in PPSR_STATUSES:
        failures.append(f"status '{record.status}' is not a PPSR Core term")
    return not failures, "; ".join([*parts, *failures])


def check_licence(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """R1.1 (first half): a licence is stated in any form."""
    licence = record.license
    if licence is None:
        return False, "no licence stated"
    if licence.spdx:
        return True, f"licence stated: {licence.spdx}"
    if licence.text:
        return True, f"licence stated as text: '{licence.text[:80]}'"
    return True, f"licence stated as a URL: {licence.url}"


def check_licence_spdx(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """R1.1 (second half): the licence is a known SPDX id, so machines can act on it."""
    licence = record.license
    if licence is None:
        return False, "no licence stated"
    if licence.spdx:
        if is_known_spdx(licence.spdx):
            return True, f"{licence.spdx} is a known SPDX licence id"
        return False, f"'{licence.spdx}' is not a known SPDX licence id"
    if licence.text:
        return False, f"licence given as text only ('{licence.text[:80]}'), not as an SPDX id"
    return False, f"licence given only as a URL ({licence.url}), not as an SPDX id"


def check_provenance(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """R1.2: source, the source's identifier, its datestamp and the harvest time are known."""
    origin = record.provenance
    present = {
        "source": origin.source_id,
        "source identifier": origin.source_identifier,
        "datestamp": origin.datestamp,
        "harvest time": origin.harvested_at,
    }
    absent = [name for name, value in present.items() if not value]
    if absent:
        return False, f"provenance lacks {', '.join(absent)}"
    return True, (
        f"from source '{origin.source_id}' as {origin.source_identifier}, "
        f"datestamp {origin.datestamp}, harvested {origin.harvested_at}"
    )


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("F1-persistent-id", "F", 20, "Persistent identifier", check_persistent_id),
    IndicatorSpec("F2-rich-metadata", "F", 20, "Rich metadata", check_rich_metadata),
    IndicatorSpec("A1-landing-page", "A", 15, "Resolvable landing page", check_landing_page),
    IndicatorSpec(
        "I2-controlled-vocabularies", "I", 15, "Controlled vocabularies", check_vocabularies
    ),
    IndicatorSpec("R1.1-licence", "R", 8, "Licence stated", check_licence),
    IndicatorSpec("R1.1-licence-spdx", "R", 8, "Licence as SPDX id", check_licence_spdx),
    IndicatorSpec("R1.2-provenance", "R", 14, "Provenance", check_provenance),
)
"""Every indicator, in report order; the weights add up to 100."""


def indicators(record: Record, issues: Sequence[QualityIssue] = ()) -> list[FairIndicator]:
    """Evaluate every indicator of :data:`INDICATORS` on ``record``."""
    return [FairIndicator.model_validate(row) for row in indicator_rows(record, issues)]


def indicator_rows(record: Record, issues: Sequence[QualityIssue]) -> list[dict[str, Any]]:
    """The fields of :func:`indicators`' results, not yet validated."""
    rows = []
    for spec in INDICATORS:
        passed, reason = spec.check(record, issues)
        rows.append(
            {
                "id": spec.id,
                "principle": spec.principle,
                "passed": passed,
                "reason": reason,
                "weight": spec.weight,
            }
        )
    return rows
