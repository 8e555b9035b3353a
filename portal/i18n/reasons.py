"""FAIR metric reasons said in the reader's language.

Records keep their reasons as English text; the metrics' tests are pure functions of the
record, so the page assesses the stored record again and says each test's reason (a code and
its parameters, ``harvester.normalise.quality.reasons``) through the ``vocabulary``
catalogue, lists of terms translated and joined as the language lists things. Where the
assessment now differs from the stored one (the record was assessed by an older csfinder and
not normalised since), the stored English text is shown, marked as English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from harvester.core.model import Record
from harvester.normalise.quality import REASONS, TERMS, Reason, outcomes
from harvester.normalise.quality.reasons import TIME_SUFFIX
from portal.i18n.catalogues import VOCABULARY
from portal.i18n.formats import listed, number, utc_time


def _param(name: str, value: object) -> str:
    if isinstance(value, list):
        return listed([str(VOCABULARY.gettext(TERMS.get(str(t), str(t)))) for t in value])
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    if name.endswith(TIME_SUFFIX):
        return utc_time(str(value))
    return str(value)


def reason_text(reason: Reason) -> str:
    """One test's reason in the reader's language."""
    template = REASONS[reason.code]
    values = {name: _param(name, value) for name, value in reason.params.items()}
    translated = str(VOCABULARY.gettext(template))
    try:
        return translated % values if values else translated
    except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
        return template % values if values else template


def indicator_reasons(record: Record | Mapping[str, Any]) -> dict[str, str]:
    """``{metric id: why, in the reader's language}`` for each stored indicator whose
    outcome the record, assessed again, still gives (points earned, weight, applicable)."""
    try:
        model = record if isinstance(record, Record) else Record.model_validate(record)
    except ValidationError:
        return {}
    stored = {row.id: (row.earned, row.weight, row.applicable) for row in model.quality.indicators}
    said: dict[str, str] = {}
    for spec, outcome in outcomes(model, model.quality.issues):
        applicable = outcome.points > 0
        weight = outcome.points if applicable else spec.weight
        if stored.get(spec.id) == (outcome.earned, weight, applicable):
            said[spec.id] = "; ".join(reason_text(reason) for reason in outcome.reasons)
    return said
