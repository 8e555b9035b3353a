"""Quality of one record: missing and inconsistent fields, FAIR indicators and a 0–100 score.

The FAIR indicators are the FAIRsFAIR data object metrics (FsF-F1-01D … FsF-R1.3-02D), each
a small function returning the points earned, the points that apply and why; the score is
the share of applicable points earned. Assessing is pure and idempotent: assessing a record
again with the same crosswalk issues gives the same :class:`~harvester.core.model.Quality`.

- :mod:`~harvester.normalise.quality.assessment`: the report of one record and its score;
- :mod:`~harvester.normalise.quality.fair`: the metrics, their principles and points;
- :mod:`~harvester.normalise.quality.metrics`: the metrics' tests;
- :mod:`~harvester.normalise.quality.reasons`: why, as codes with parameters (and English);
- :mod:`~harvester.normalise.quality.formats`: the recommended file formats (FsF-R1.3-02D);
- :mod:`~harvester.normalise.quality.fields`: missing and contradicting fields;
- :mod:`~harvester.normalise.quality.landing_pages`: whether a landing page can resolve;
- :mod:`~harvester.normalise.quality.licences`: the SPDX licence ids known.
"""

from __future__ import annotations

from harvester.normalise.quality.assessment import assess, score, with_quality
from harvester.normalise.quality.fair import INDICATORS, Check, IndicatorSpec, indicators, outcomes
from harvester.normalise.quality.fields import consistency_issues, missing_issues
from harvester.normalise.quality.formats import is_recommended
from harvester.normalise.quality.landing_pages import LOCAL_SUFFIXES, landing_page_problem
from harvester.normalise.quality.licences import KNOWN_SPDX, is_known_spdx
from harvester.normalise.quality.metrics import NOT_APPLICABLE, SCHEME_NAMES, Outcome
from harvester.normalise.quality.reasons import REASONS, TERMS, Reason

__all__ = [
    "INDICATORS",
    "KNOWN_SPDX",
    "LOCAL_SUFFIXES",
    "NOT_APPLICABLE",
    "REASONS",
    "SCHEME_NAMES",
    "TERMS",
    "Check",
    "IndicatorSpec",
    "Outcome",
    "Reason",
    "assess",
    "consistency_issues",
    "indicators",
    "is_known_spdx",
    "is_recommended",
    "landing_page_problem",
    "missing_issues",
    "outcomes",
    "score",
    "with_quality",
]
