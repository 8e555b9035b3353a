"""Why a metric passed or failed, as a code with parameters: only known codes and terms, an
English text that reads as before, and the same reasons whatever the record."""

import inspect

import pytest

from harvester.normalise.quality import INDICATORS, REASONS, TERMS, metrics, outcomes
from harvester.normalise.quality.reasons import N_, joined, reason
from tests.harvester.normalise.test_quality import DATASET, bare, record


def test_a_reason_renders_its_english_sentence() -> None:
    said = reason("citation-lacks", fields=["creator", "publication date"])
    assert said.text() == "citation metadata lacks creator, publication date"
    assert reason("no-licence").text() == "no licence stated"
    assert joined([reason("no-licence"), reason("no-format")]) == (
        "no licence stated; the source states no file format"
    )


def test_unknown_codes_and_terms_are_refused() -> None:
    with pytest.raises(KeyError, match="unknown reason code"):
        reason("no-such-thing")
    with pytest.raises(KeyError, match="unknown terms"):
        reason("citation-lacks", fields=["colour"])


def test_every_template_names_only_its_parameters() -> None:
    for code, template in REASONS.items():
        assert N_(template) == template
        names = {part.split(")")[0] for part in template.split("%(")[1:]}
        assert all(name.isidentifier() for name in names), code
    assert all(key == text for key, text in TERMS.items()), "a term is its own English text"


@pytest.mark.parametrize("which", ["good project", "dataset", "bare record"])
def test_every_metric_says_why_with_known_codes(which: str) -> None:
    described = {"good project": record, "dataset": lambda: record(**DATASET), "bare record": bare}
    found = outcomes(described[which]())
    assert [spec.id for spec, _ in found] == [spec.id for spec in INDICATORS]
    for spec, outcome in found:
        assert outcome.reasons, spec.id
        assert all(why.code in REASONS for why in outcome.reasons)
        assert outcome.reason == joined(outcome.reasons)


def test_every_reason_code_is_said_by_a_metric() -> None:
    """No code is left in the catalogue of reasons that no metric gives any more."""
    source = inspect.getsource(metrics)
    unused = [code for code in REASONS if f'"{code}"' not in source]
    assert not unused
