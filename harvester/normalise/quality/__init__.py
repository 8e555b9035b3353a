"""Quality of one record: missing and inconsistent fields, FAIR indicators and a 0–100 score.

Every indicator is a small function returning whether it passed and why; the score is the
weighted share of indicators passed. Assessing is pure and idempotent: assessing a record
again with the same crosswalk issues gives the same :class:`~harvester.core.model.Quality`.

- :mod:`~harvester.normalise.quality.assessment`: the report of one record and its score;
- :mod:`~harvester.normalise.quality.fair`: the FAIR indicators and their checks;
- :mod:`~harvester.normalise.quality.fields`: missing and contradicting fields;
- :mod:`~harvester.normalise.quality.landing_pages`: whether a landing page can resolve;
- :mod:`~harvester.normalise.quality.licences`: the SPDX licence ids known.
"""

from __future__ import annotations

from harvester.normalise.quality.assessment import assess, score, with_quality
from harvester.normalise.quality.fair import (
    INDICATORS,
    MIN_CONTROLLED,
    MIN_DESCRIPTION,
    MIN_TERMS,
    SCHEME_NAMES,
    Check,
    IndicatorSpec,
    Outcome,
    check_landing_page,
    check_licence,
    check_licence_spdx,
    check_persistent_id,
    check_provenance,
    check_rich_metadata,
    check_vocabularies,
    indicators,
)
from harvester.normalise.quality.fields import consistency_issues, missing_issues
from harvester.normalise.quality.landing_pages import LOCAL_SUFFIXES, landing_page_problem
from harvester.normalise.quality.licences import KNOWN_SPDX, is_known_spdx

__all__ = [
    "INDICATORS",
    "KNOWN_SPDX",
    "LOCAL_SUFFIXES",
    "MIN_CONTROLLED",
    "MIN_DESCRIPTION",
    "MIN_TERMS",
    "SCHEME_NAMES",
    "Check",
    "IndicatorSpec",
    "Outcome",
    "assess",
    "check_landing_page",
    "check_licence",
    "check_licence_spdx",
    "check_persistent_id",
    "check_provenance",
    "check_rich_metadata",
    "check_vocabularies",
    "consistency_issues",
    "indicators",
    "is_known_spdx",
    "landing_page_problem",
    "missing_issues",
    "score",
    "with_quality",
]
