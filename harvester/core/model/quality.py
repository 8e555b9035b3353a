"""The record's quality report: issues found in its fields, FAIR indicators, and a score."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PlainSerializer, WithJsonSchema, model_validator

from harvester.core.model.checks import _unique
from harvester.core.model.fields import Text, _Model

Problem = Literal["missing", "invalid", "transform-failed", "truncated"]
Principle = Literal["F", "A", "I", "R"]


def _whole_as_int(value: float) -> float | int:
    """Points as JSON writes them: 1 rather than 1.0, 0.5 as it is."""
    return int(value) if float(value).is_integer() else value


Points = Annotated[
    float,
    Field(ge=0, multiple_of=0.5),
    PlainSerializer(_whole_as_int, return_type=float | int),
    WithJsonSchema({"type": "number", "minimum": 0, "multipleOf": 0.5}),
]
"""Points earned, in halves: F-UJI gives half points for some tests (the FAIRsFAIR v0.5
scoring of FsF-F2-01M, FsF-F3-01M and FsF-A1-01M)."""


class QualityIssue(_Model):
    """A problem found in one field of one record."""

    field: Text = Field(
        description="The model field concerned ('date' for the dates together, '-' for the "
        "whole payload)."
    )
    problem: Problem = Field(
        description="missing, invalid, transform-failed, or truncated (cut to the field's "
        "length cap)."
    )
    detail: Text = Field(description="What is wrong, for the operator.")


class FairIndicator(_Model):
    """One FAIR indicator's outcome for one record: a FAIRsFAIR metric (v0.5 identifiers,
    as F-UJI implements them) judged on what the record page will publish."""

    id: Text = Field(description="The FAIRsFAIR metric id, e.g. 'FsF-F1-02D'.")
    principle: Principle = Field(description="The FAIR principle it belongs to: F, A, I or R.")
    passed: bool = Field(description="Whether the record earned every point of the metric.")
    reason: Text = Field(description="Why it passed or failed, test by test.")
    weight: int = Field(ge=1, description="The metric's points (its weight in the score).")
    earned: Points = Field(
        default=0,
        description="Points earned, 0..weight in steps of 0.5 (the whole weight when passed, "
        "if not given).",
    )
    applicable: bool = Field(
        default=True,
        description="False where the metric cannot apply (data metrics on a project); such "
        "metrics count neither for nor against the score.",
    )

    @model_validator(mode="before")
    @classmethod
    def _earned_from_passed(cls, data: Any) -> Any:
        """An indicator stored before points were kept earned its weight if it passed."""
        if isinstance(data, dict) and "earned" not in data and data.get("passed") is True:
            return {**data, "earned": data.get("weight")}
        return data

    @model_validator(mode="after")
    def _earned_within_weight(self) -> FairIndicator:
        """Reject more points earned than the metric has, or a pass without them all."""
        if self.earned > self.weight:
            raise ValueError(f"earned {self.earned} exceeds the weight {self.weight}")
        if self.passed and self.earned != self.weight:
            raise ValueError("a passed indicator earns its whole weight")
        return self


class Quality(_Model):
    """The record's quality report."""

    issues: Annotated[list[QualityIssue], AfterValidator(_unique)] = Field(
        default_factory=list, description="Missing, invalid and untransformable fields."
    )
    indicators: list[FairIndicator] = Field(
        default_factory=list, description="FAIR indicators with their outcomes."
    )
    score: int = Field(
        default=0,
        ge=0,
        le=100,
        description="Points earned over the points of the applicable indicators, 0..100.",
    )
