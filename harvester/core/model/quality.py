"""The record's quality report: issues found in its fields, FAIR indicators, and a score."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from harvester.core.model.checks import _unique
from harvester.core.model.fields import Text, _Model

Problem = Literal["missing", "invalid", "transform-failed", "truncated"]
Principle = Literal["F", "A", "I", "R"]


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
    """One FAIR indicator's outcome for one record."""

    id: Text = Field(description="Stable indicator id, e.g. 'F1-persistent-id'.")
    principle: Principle = Field(description="The FAIR principle it belongs to: F, A, I or R.")
    passed: bool = Field(description="Whether the record meets the indicator.")
    reason: Text = Field(description="Why it passed or failed.")
    weight: int = Field(ge=1, description="Its weight in the score.")


class Quality(_Model):
    """The record's quality report."""

    issues: Annotated[list[QualityIssue], AfterValidator(_unique)] = Field(
        default_factory=list, description="Missing, invalid and untransformable fields."
    )
    indicators: list[FairIndicator] = Field(
        default_factory=list, description="FAIR indicators with their outcomes."
    )
    score: int = Field(
        default=0, ge=0, le=100, description="Weighted share of indicators passed, 0..100."
    )
