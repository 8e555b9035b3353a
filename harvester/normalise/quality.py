"""Quality of one record: missing and inconsistent fields, FAIR indicators and a 0–100 score.

Every indicator is a small function returning whether it passed and why; the score is the
weighted share of indicators passed. Assessing is pure and idempotent: assessing a record
again with the same crosswalk issues gives the same :class:`~harvester.core.model.Quality`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from harvester.core.model import (
    PPSR_STATUSES,
    UNTITLED,
    FairIndicator,
    Principle,
    Quality,
    QualityIssue,
    Record,
)

MIN_DESCRIPTION = 100
"""Characters a description needs to count as rich metadata."""

MIN_TERMS = 3
"""Distinct keywords and topics together needed to count as rich metadata."""

MIN_CONTROLLED = 2
"""Controlled-vocabulary fields (countries, languages, topics, status) that must be filled."""

PERSISTENT_SCHEMES = ("doi", "handle", "ark", "urn")
"""Identifier schemes counted as persistent (F1)."""

SCHEME_NAMES = {"doi": "DOI", "handle": "Handle", "ark": "ARK", "urn": "URN", "url": "URL"}

LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".invalid")
"""Host name endings that never resolve on the public internet."""

KNOWN_SPDX = frozenset(
    id_.casefold()
    for id_ in [
        "0BSD",
        "AFL-3.0",
        "AGPL-3.0",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "Apache-1.1",
        "Apache-2.0",
        "Artistic-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "BSL-1.0",
        "CC-PDDC",
        "CC0-1.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "CECILL-2.1",
        "CECILL-B",
        "CECILL-C",
        "DL-DE-BY-2.0",
        "DL-DE-ZERO-2.0",
        "ECL-2.0",
        "EPL-1.0",
        "EPL-2.0",
        "Etalab-2.0",
        "EUPL-1.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "GFDL-1.2",
        "GFDL-1.2-only",
        "GFDL-1.2-or-later",
        "GFDL-1.3",
        "GFDL-1.3-only",
        "GFDL-1.3-or-later",
        "GPL-2.0",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "IPL-1.0",
        "ISC",
        "LGPL-2.1",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "LPPL-1.3c",
        "MIT",
        "MIT-0",
        "MPL-1.1",
        "MPL-2.0",
        "NCSA",
        "NLOD-1.0",
        "NLOD-2.0",
        "ODbL-1.0",
        "ODC-By-1.0",
        "OFL-1.1",
        "OGL-Canada-2.0",
        "OGL-UK-1.0",
        "OGL-UK-2.0",
        "OGL-UK-3.0",
        "OPUBL-1.0",
        "PDDL-1.0",
        "PostgreSQL",
        "Python-2.0",
        "Unlicense",
        "UPL-1.0",
        "W3C",
        "WTFPL",
        "Zlib",
        "CC-BY-3.0-AT",
        "CC-BY-3.0-DE",
        "CC-BY-3.0-IGO",
        "CC-BY-3.0-NL",
        "CC-BY-3.0-US",
        "CC-BY-SA-2.0-UK",
        "CC-BY-SA-3.0-AT",
        "CC-BY-SA-3.0-DE",
        "CC-BY-SA-3.0-IGO",
        "CC-BY-NC-SA-2.0-FR",
        "CC-BY-NC-SA-2.0-UK",
        "CC-BY-NC-SA-3.0-DE",
        "CC-BY-NC-SA-3.0-IGO",
        "CC-BY-NC-3.0-DE",
        "CC-BY-ND-3.0-DE",
        "CC-BY-NC-ND-3.0-DE",
        "CC-BY-NC-ND-3.0-IGO",
    ]
) | frozenset(
    f"cc-{kind}-{version}"
    for kind in ("by", "by-sa", "by-nc", "by-nd", "by-nc-sa", "by-nc-nd")
    for version in ("1.0", "2.0", "2.5", "3.0", "4.0")
)
"""SPDX ids (case-folded) of the licences research data and software commonly carry."""

Outcome = tuple[bool, str]
Check = Callable[[Record, Sequence[QualityIssue]], Outcome]


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's fixed description: id, FAIR principle, weight, label and check."""

    id: str
    principle: Principle
    weight: int
    label: str
    check: Check


# --- helpers ------------------------------------------------------------------------------


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _terms(count: int) -> str:
    return _plural(count, "keyword or topic", "keywords or topics")


def _has_title(record: Record) -> bool:
    return bool(record.title) and record.title != UNTITLED


def _dates(record: Record) -> list[tuple[str, str]]:
    named = (
        ("start_date", record.start_date),
        ("end_date", record.end_date),
        ("date_modified", record.date_modified),
    )
    return [(name, value) for name, value in named if value]


def is_known_spdx(spdx: str) -> bool:
    """Tell whether ``spdx`` is a licence id on :data:`KNOWN_SPDX` (case-insensitive)."""
    return spdx.casefold() in KNOWN_SPDX


_PLAIN_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?:[/?#]\S*)?")
"""A URL urlsplit needs not read: lower-case scheme, a plain host name, no white space."""


@lru_cache(maxsize=8192)
def landing_page_problem(url: str) -> str | None:
    """Say why ``url`` cannot resolve on the public web, judged by syntax alone.

    Cached: a pure function of the URL, and the same URLs recur across a harvest.

    Returns:
        None when ``url`` is an http(s) URL with a public host, else the reason.
    """
    host, problem = _plain_host(url) or _split_host(url)
    if problem is not None:
        return problem
    try:
        address = _ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(LOCAL_SUFFIXES):
            return f"points to the local host name '{host}'"
        if "." not in host:
            return f"has host '{host}', which is not a public domain name"
        return None
    if not address.is_global:
        return f"points to the private or reserved address {host}"
    return None


Host = tuple[str, str | None]
"""A URL's host (lower case, without a trailing dot) and None, or "" and why it has none."""


def _plain_host(url: str) -> Host | None:
    """The host of a plain URL (see :data:`_PLAIN_URL`), as :func:`_split_host` finds it
    without splitting; None for any other URL."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return None
    host = plain.group(1).lower().rstrip(".")
    return (host, None) if host else ("", "has no host")


def _split_host(url: str) -> Host:
    """The host of an http(s) URL with a valid port, by ``urlsplit``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "", "is not an http(s) URL"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "", "has no host"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "", "has an invalid port"
    return host, None


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``ipaddress.ip_address(host)``, failing at once for the usual host name: an IPv4
    address is digits and dots only, an IPv6 address has a colon.

    Raises:
        ValueError: ``host`` is no IP address.
    """
    if ":" not in host and host.strip("0123456789."):
        raise ValueError(f"{host!r} is not an IP address")
    return ipaddress.ip_address(host)


# --- indicators ---------------------------------------------------------------------------


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
    if not _has_title(record):
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
    if not _dates(record):
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


# --- issues, score, report ----------------------------------------------------------------


_MISSING = {
    field: QualityIssue(field=field, problem="missing", detail=detail)
    for field, detail in (
        ("title", "no title given by the source"),
        ("description", "no description"),
        ("url", "no landing page URL"),
        ("license", "no licence"),
        ("date", "none of start_date, end_date or date_modified is set"),
    )
}
"""The "missing" issues, made once: frozen models, shared between records."""


def missing_issues(record: Record) -> list[QualityIssue]:
    """Return a "missing" issue for each required-ish field the record lacks.

    Title, description, url and license are named as such; "date" stands for start_date,
    end_date and date_modified together.
    """
    lacking = (
        ("title", not _has_title(record)),
        ("description", not record.description),
        ("url", not record.url),
        ("license", record.license is None),
        ("date", not _dates(record)),
    )
    return [_MISSING[field] for field, lacks in lacking if lacks]


def consistency_issues(record: Record) -> list[QualityIssue]:
    """Return "invalid" issues for fields that contradict each other (end before start)."""
    start, end = record.start_date, record.end_date
    if start and end:
        common = min(len(start), len(end), 10)
        if end[:common] < start[:common]:
            detail = f"end_date {end} is before start_date {start}"
            return [QualityIssue(field="end_date", problem="invalid", detail=detail)]
    return []


def indicators(record: Record, issues: Sequence[QualityIssue] = ()) -> list[FairIndicator]:
    """Evaluate every indicator of :data:`INDICATORS` on ``record``."""
    return [FairIndicator.model_validate(row) for row in _indicator_rows(record, issues)]


def _indicator_rows(record: Record, issues: Sequence[QualityIssue]) -> list[dict[str, Any]]:
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


def score(results: Sequence[FairIndicator]) -> int:
    """Return the weighted share of passed indicators, 0–100, rounded half up."""
    return _weighted_share([(result.weight, result.passed) for result in results])


def _weighted_share(outcomes: Sequence[tuple[int, bool]]) -> int:
    """The share of the weight of ``(weight, passed)`` outcomes that passed, 0–100."""
    total = sum(weight for weight, _ in outcomes)
    if not total:
        return 0
    passed = sum(weight for weight, ok in outcomes if ok)
    return (200 * passed + total) // (2 * total)


def assess(record: Record, issues: Sequence[QualityIssue] = ()) -> Quality:
    """Return the quality report of ``record``.

    The record's current ``quality`` is ignored and replaced, so assessing is idempotent.
    The report is validated once, as a whole, from the plain fields of its indicators
    (its "missing" issues are made once, see :data:`_MISSING`).

    Args:
        record: The normalised record.
        issues: What the crosswalk reported (invalid and untransformable fields); they come
            first, followed by missing fields and inconsistencies, without duplicates.
    """
    rows = _indicator_rows(record, issues)
    report = {
        "issues": [*issues, *missing_issues(record), *consistency_issues(record)],
        "indicators": rows,
        "score": _weighted_share([(row["weight"], row["passed"]) for row in rows]),
    }
    return Quality.model_validate(report)


def with_quality(record: Record, issues: Sequence[QualityIssue] = ()) -> Record:
    """Return a copy of ``record`` carrying its quality report (see :func:`assess`)."""
    return record.model_copy(update={"quality": assess(record, issues)})
