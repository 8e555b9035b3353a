"""The quality report of one record: crosswalk, missing and inconsistent field issues, the
FAIR indicators' outcomes and the share of their points earned, 0–100."""

from __future__ import annotations

from collections.abc import Sequence

from harvester.core.model import FairIndicator, Quality, QualityIssue, Record
from harvester.normalise.quality.fair import indicators
from harvester.normalise.quality.fields import consistency_issues, missing_issues


def score(results: Sequence[FairIndicator]) -> int:
    """Return the points earned over the points of the applicable indicators, 0–100,
    rounded half up."""
    return _points_share([(r.weight, r.earned) for r in results if r.applicable])


def _points_share(outcomes: Sequence[tuple[int, float]]) -> int:
    """The share of ``(points, earned)`` outcomes' points that were earned, 0–100, rounded
    half up (points are earned in halves, so the sum is counted in halves, exactly)."""
    total = sum(points for points, _ in outcomes)
    if not total:
        return 0
    halves = round(2 * sum(got for _, got in outcomes))
    return (100 * halves + total) // (2 * total)


def assess(record: Record, issues: Sequence[QualityIssue] = ()) -> Quality:
    """Return the quality report of ``record``.

    The record's current ``quality`` is ignored and replaced, so assessing is idempotent.
    The report is built from parts that are valid already, without validating them again:
    issues are validated models (the "missing" ones made once, see
    :func:`~harvester.normalise.quality.fields.missing_issues`), kept once each in order;
    indicators are built by :func:`~harvester.normalise.quality.fair.indicators`.

    Args:
        record: The normalised record.
        issues: What the crosswalk reported (invalid and untransformable fields); they come
            first, followed by missing fields and inconsistencies, without duplicates.
    """
    made = indicators(record, issues)
    found = [*issues, *missing_issues(record), *consistency_issues(record)]
    return Quality.trusted(
        {
            "issues": list(dict.fromkeys(found)),  # frozen models: equal issues hash alike
            "indicators": made,
            "score": score(made),
        }
    )


def with_quality(record: Record, issues: Sequence[QualityIssue] = ()) -> Record:
    """Return a copy of ``record`` carrying its quality report (see :func:`assess`)."""
    return record.model_copy(update={"quality": assess(record, issues)})
