"""The FAIR indicators: the FAIRsFAIR data object metrics (v0.5 identifiers, as F-UJI
implements them), each with its FAIR principle, its points and a label, evaluated in report
order by :func:`indicator_rows`. Their tests are in :mod:`~.metrics`.

The indicators are built by this module's own code, so they are made without validating
again what it guarantees (:func:`trusted_indicator`): ids, principles, weights and points
come from :data:`INDICATORS` and the tests; the one free text, the reason, is made public
and cut to the model's cap here, as validating it would."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from harvester.core.model import MAX_TEXT, FairIndicator, Principle, QualityIssue, Record, excerpt
from harvester.normalise.quality import metrics
from harvester.normalise.quality.metrics import Outcome
from harvester.normalise.quality.reasons import N_

Check = Callable[[Record, Sequence[QualityIssue]], Outcome]
"""A metric's tests: the record and the crosswalk's issues to an outcome."""


@dataclass(frozen=True)
class IndicatorSpec:
    """A metric's fixed description: FsF id, FAIR principle, points, label and tests."""

    id: str
    principle: Principle
    weight: int
    label: str
    check: Check


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("FsF-F1-01D", "F", 1, N_("Globally unique identifier"), metrics.unique_id),
    IndicatorSpec("FsF-F1-02D", "F", 1, N_("Persistent identifier"), metrics.persistent_id),
    IndicatorSpec("FsF-F2-01M", "F", 2, N_("Descriptive core metadata"), metrics.core_metadata),
    IndicatorSpec("FsF-F3-01M", "F", 1, N_("Data identifier in metadata"), metrics.data_identifier),
    IndicatorSpec(
        "FsF-F4-01M", "F", 2, N_("Metadata search engines can index"), metrics.searchable
    ),
    IndicatorSpec("FsF-A1-01M", "A", 1, N_("Data access level"), metrics.access_level),
    IndicatorSpec(
        "FsF-A1-02M", "A", 1, N_("Metadata over a standard protocol"), metrics.metadata_protocol
    ),
    IndicatorSpec("FsF-A1-03D", "A", 1, N_("Data over a standard protocol"), metrics.data_protocol),
    IndicatorSpec(
        "FsF-I1-01M", "I", 2, N_("Formal metadata representation"), metrics.formal_representation
    ),
    IndicatorSpec(
        "FsF-I2-01M", "I", 1, N_("Registered semantic resources"), metrics.semantic_resources
    ),
    IndicatorSpec(
        "FsF-I3-01M", "I", 1, N_("Qualified related resources"), metrics.related_resources
    ),
    IndicatorSpec(
        "FsF-R1-01MD", "R", 4, N_("Description of the data content"), metrics.content_description
    ),
    IndicatorSpec("FsF-R1.1-01M", "R", 2, N_("Data usage licence"), metrics.licence),
    IndicatorSpec("FsF-R1.2-01M", "R", 2, N_("Data provenance"), metrics.provenance),
    IndicatorSpec(
        "FsF-R1.3-01M", "R", 1, N_("Community metadata standard"), metrics.community_standard
    ),
    IndicatorSpec("FsF-R1.3-02D", "R", 1, N_("Recommended file format"), metrics.file_format),
)
"""Every metric, in report order; their points add up to 24, as in FAIRsFAIR v0.5."""


def indicators(record: Record, issues: Sequence[QualityIssue] = ()) -> list[FairIndicator]:
    """Evaluate every metric of :data:`INDICATORS` on ``record`` (each indicator made from
    its fields as :func:`indicator_rows` gives them, which hold what the model checks)."""
    return [FairIndicator.trusted(row) for row in indicator_rows(record, issues)]


def trusted_indicator(row: dict[str, Any]) -> FairIndicator:
    """A row of :func:`indicator_rows` as its :class:`FairIndicator`, without validation:
    what the model checks holds by construction (a known id and principle, points in
    halves within the weight, a pass only with every point), and the reason is made
    public and cut to :data:`MAX_TEXT` as the model would (see :func:`public_reason`)."""
    return FairIndicator.trusted(
        {
            "id": row["id"],
            "principle": row["principle"],
            "passed": row["passed"],
            "reason": public_reason(row["reason"]),
            "weight": row["weight"],
            "earned": float(row["earned"]),
            "applicable": row["applicable"],
        }
    )


@lru_cache(maxsize=4096)
def public_reason(text: str) -> str:
    """A reason as the model publishes it: stripped, made public, at most :data:`MAX_TEXT`
    characters (most reasons recur from record to record: remembered)."""
    return excerpt(text.strip(), MAX_TEXT).strip() or "-"


def outcomes(
    record: Record, issues: Sequence[QualityIssue] = ()
) -> list[tuple[IndicatorSpec, Outcome]]:
    """Every metric of :data:`INDICATORS` with its outcome on ``record``: points, and the
    reasons as codes with parameters (what the portal says in the reader's language)."""
    return [(spec, spec.check(record, issues)) for spec in INDICATORS]


def indicator_rows(record: Record, issues: Sequence[QualityIssue]) -> list[dict[str, Any]]:
    """The fields of :func:`indicators`' results, new dicts each call: the reason public
    and within the cap (:func:`public_reason`), the points as floats, as the model holds
    them.

    A metric whose tests all fall away (``points == 0``) is not applicable; one where some
    fall away (data tests on a project) weighs only the points that apply.
    """
    rows = []
    for spec, outcome in outcomes(record, issues):
        applicable = outcome.points > 0
        weight = outcome.points if applicable else spec.weight
        rows.append(
            {
                "id": spec.id,
                "principle": spec.principle,
                "passed": applicable and outcome.earned == weight,
                "reason": public_reason(outcome.reason),
                "weight": weight,
                "earned": float(outcome.earned),
                "applicable": applicable,
            }
        )
    return rows
