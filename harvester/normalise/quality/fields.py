"""Field checks of one record: the required-ish fields it lacks ("missing" issues) and the
fields that contradict each other ("invalid" issues)."""

from __future__ import annotations

from harvester.core.model import UNTITLED, QualityIssue, Record


def has_title(record: Record) -> bool:
    """Tell whether the source gave the record a title."""
    return bool(record.title) and record.title != UNTITLED


def dated_fields(record: Record) -> list[tuple[str, str]]:
    """The date fields the record has, as ``(name, value)``: start, end, modified."""
    named = (
        ("start_date", record.start_date),
        ("end_date", record.end_date),
        ("date_modified", record.date_modified),
    )
    return [(name, value) for name, value in named if value]


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
        ("title", not has_title(record)),
        ("description", not record.description),
        ("url", not record.url),
        ("license", record.license is None),
        ("date", not dated_fields(record)),
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
