"""FAIR indicators, missing fields and the score of one record."""

from __future__ import annotations

from typing import Any

import pytest

from harvester.core.model import UNTITLED, FairIndicator, QualityIssue, Record, record_id
from harvester.normalise.quality import (
    INDICATORS,
    assess,
    consistency_issues,
    is_known_spdx,
    landing_page_problem,
    missing_issues,
    score,
    with_quality,
)

PROVENANCE = {
    "source_id": "eu-cs",
    "source_name": "EU-Citizen.Science",
    "platform": "eu-citizen-science",
    "protocol": "json-api",
    "endpoint": "https://eu-citizen.science/api/projects/",
    "metadata_format": "application/json",
    "source_identifier": "42",
    "datestamp": "2024-01-02T03:04:05Z",
    "harvested_at": "2024-02-01T00:00:00Z",
    "original_url": None,
}

GOOD: dict[str, Any] = {
    "id": record_id("eu-cs", "42"),
    "kind": "project",
    "title": "Garden bird count",
    "description": "Volunteers count the birds in their gardens for one hour each winter, "
    "so that trends in common species can be followed across the country.",
    "keywords": ["birds", "gardens"],
    "topics": ["1.6"],
    "start_date": "2019-01",
    "countries": ["DE"],
    "languages": ["de"],
    "status": "Active",
    "url": "https://example.org/birds",
    "identifiers": [{"scheme": "doi", "value": "10.5281/zenodo.42"}],
    "license": {"spdx": "CC-BY-4.0"},
    "provenance": PROVENANCE,
}


def record(**fields: Any) -> Record:
    """The good record with ``fields`` replaced (None removes a field)."""
    data = {**GOOD, **fields}
    return Record.model_validate({k: v for k, v in data.items() if v is not None})


def bare(**fields: Any) -> Record:
    """A record with only what the model requires, plus ``fields``."""
    data = {"id": GOOD["id"], "kind": "project", "title": "T", "provenance": PROVENANCE}
    return Record.model_validate({**data, **fields})


def indicator(rec: Record, id_: str, issues: list[QualityIssue] | None = None) -> FairIndicator:
    """The named indicator's outcome for ``rec``."""
    found = [i for i in assess(rec, issues or []).indicators if i.id == id_]
    assert len(found) == 1
    return found[0]


# --- the whole report ---------------------------------------------------------------------


def test_indicators_are_fixed_with_unique_ids_and_weights_adding_up_to_100() -> None:
    assert [spec.id for spec in INDICATORS] == [
        "F1-persistent-id",
        "F2-rich-metadata",
        "A1-landing-page",
        "I2-controlled-vocabularies",
        "R1.1-licence",
        "R1.1-licence-spdx",
        "R1.2-provenance",
    ]
    assert sum(spec.weight for spec in INDICATORS) == 100
    assert [spec.principle for spec in INDICATORS] == ["F", "F", "A", "I", "R", "R", "R"]


def test_a_good_record_passes_everything() -> None:
    quality = assess(record())
    failed = [i.reason for i in quality.indicators if not i.passed]
    assert failed == []
    assert quality.score == 100
    assert quality.issues == []


def test_a_bare_record_scores_only_provenance() -> None:
    quality = assess(bare())
    passed = [i.id for i in quality.indicators if i.passed]
    assert passed == ["R1.2-provenance"]
    assert quality.score == 14


def test_with_quality_replaces_the_report_and_is_idempotent() -> None:
    issues = [QualityIssue(field="countries", problem="invalid", detail="'Narnia' unknown")]
    once = with_quality(bare(), issues)
    twice = with_quality(once, issues)
    assert once == twice
    assert once.quality.issues[0] == issues[0]


def test_crosswalk_issues_come_first_then_missing_fields_without_repeats() -> None:
    theirs = [
        QualityIssue(field="license", problem="invalid", detail="'see website' is no licence"),
        QualityIssue(field="url", problem="missing", detail="no landing page URL"),
    ]
    issues = assess(bare(), theirs).issues
    assert issues[:2] == theirs
    assert [(i.field, i.problem) for i in issues[2:]] == [
        ("description", "missing"),
        ("license", "missing"),
        ("date", "missing"),
    ]


# --- missing and inconsistent fields ------------------------------------------------------


def test_missing_fields_of_a_bare_record() -> None:
    assert [i.field for i in missing_issues(bare())] == [
        "description",
        "url",
        "license",
        "date",
    ]


def test_placeholder_title_counts_as_missing() -> None:
    missing = missing_issues(record(title=UNTITLED))
    assert [(i.field, i.detail) for i in missing] == [("title", "no title given by the source")]


def test_any_one_date_is_enough() -> None:
    assert missing_issues(record(start_date=None, date_modified="2020")) == []


@pytest.mark.parametrize(
    ("start", "end", "bad"),
    [("2020", "2019-12", True), ("2020-05-01", "2020-04", True), ("2020-05", "2020", False)],
)
def test_end_before_start_is_invalid(start: str, end: str, bad: bool) -> None:
    issues = consistency_issues(record(start_date=start, end_date=end))
    assert bool(issues) is bad
    if bad:
        assert issues[0].detail == f"end_date {end} is before start_date {start}"


# --- F1 persistent identifier -------------------------------------------------------------


def test_f1_passes_with_a_doi() -> None:
    result = indicator(record(), "F1-persistent-id")
    assert result.passed
    assert result.reason == "persistent identifier: DOI 10.5281/zenodo.42"


def test_f1_passes_with_a_handle_and_counts_the_rest() -> None:
    ids = [
        {"scheme": "url", "value": "https://example.org/x"},
        {"scheme": "handle", "value": "11304/abc"},
        {"scheme": "urn", "value": "urn:nbn:de:1234-5"},
    ]
    result = indicator(record(identifiers=ids), "F1-persistent-id")
    assert result.passed
    assert result.reason == "persistent identifier: Handle 11304/abc (and 1 more)"


def test_f1_fails_without_a_persistent_scheme() -> None:
    ids = [
        {"scheme": "url", "value": "https://example.org/x"},
        {"scheme": "isbn", "value": "978-3-16-148410-0"},
    ]
    result = indicator(record(identifiers=ids), "F1-persistent-id")
    assert not result.passed
    assert result.reason == "no DOI, Handle, ARK or URN among 2 identifiers (url, isbn)"


def test_f1_fails_without_identifiers() -> None:
    result = indicator(record(identifiers=[]), "F1-persistent-id")
    assert not result.passed
    assert result.reason == "no identifiers; a DOI, Handle, ARK or URN is needed"


# --- F2 rich metadata ---------------------------------------------------------------------


def test_f2_passes_and_says_what_it_found() -> None:
    result = indicator(record(), "F2-rich-metadata")
    assert result.passed
    assert result.reason == "title, description of 138 characters, 3 keywords or topics and a date"


def test_f2_names_every_missing_part() -> None:
    result = indicator(
        record(
            title=UNTITLED,
            description="Counting birds.",
            keywords=["birds"],
            topics=[],
            start_date=None,
        ),
        "F2-rich-metadata",
    )
    assert not result.passed
    assert result.reason == (
        "no title; description has 15 characters (needs 100); "
        "1 keyword or topic (needs 3); no date (start, end or modified)"
    )


def test_f2_fails_on_a_missing_description_alone() -> None:
    result = indicator(record(description=None), "F2-rich-metadata")
    assert not result.passed
    assert result.reason == "no description"


def test_f2_counts_repeated_terms_once() -> None:
    result = indicator(record(keywords=["1.6", "birds"], topics=["1.6"]), "F2-rich-metadata")
    assert result.reason == "2 keywords or topics (needs 3)"


# --- A1 landing page ----------------------------------------------------------------------


def test_a1_passes_for_a_public_landing_page() -> None:
    result = indicator(record(), "A1-landing-page")
    assert result.passed
    assert (
        result.reason
        == "landing page https://example.org/birds is an http(s) URL with a public host"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://localhost:8080/p", "points to the local host name 'localhost'"),
        ("http://birds.local/p", "points to the local host name 'birds.local'"),
        ("http://192.168.1.10/p", "points to the private or reserved address 192.168.1.10"),
        ("http://127.0.0.1/p", "points to the private or reserved address 127.0.0.1"),
        ("http://[::1]/p", "points to the private or reserved address ::1"),
        ("http://intranet/p", "has host 'intranet', which is not a public domain name"),
        ("https://example.org:99999/p", "has an invalid port"),
    ],
)
def test_a1_fails_for_hosts_that_do_not_resolve_publicly(url: str, reason: str) -> None:
    result = indicator(record(url=url), "A1-landing-page")
    assert not result.passed
    assert result.reason == f"landing page {url} {reason}"


def test_a1_falls_back_to_a_resolvable_identifier() -> None:
    result = indicator(record(url=None), "A1-landing-page")
    assert result.passed
    assert (
        result.reason
        == "no landing page URL, but the DOI resolves at https://doi.org/10.5281/zenodo.42"
    )


def test_a1_fails_without_url_or_resolvable_identifier() -> None:
    ids = [{"scheme": "isbn", "value": "978-3-16-148410-0"}]
    result = indicator(record(url=None, identifiers=ids), "A1-landing-page")
    assert not result.passed
    assert result.reason == "no landing page URL and no identifier that resolves over http(s)"


def test_landing_page_problem_on_other_schemes() -> None:
    assert landing_page_problem("ftp://example.org/x") == "is not an http(s) URL"
    assert landing_page_problem("https:///x") == "has no host"
    assert landing_page_problem("https://8.8.8.8/x") is None


# --- I2 controlled vocabularies -----------------------------------------------------------


def test_i2_passes_with_controlled_values() -> None:
    result = indicator(record(), "I2-controlled-vocabularies")
    assert result.passed
    assert result.reason == "controlled: countries (1), languages (1), topics (1), status (1)"


def test_i2_fails_with_one_controlled_field_and_names_the_gaps() -> None:
    result = indicator(
        record(languages=[], topics=[], status=None, kind="project"), "I2-controlled-vocabularies"
    )
    assert not result.passed
    assert result.reason == (
        "controlled: countries (1); empty: languages, topics, status; "
        "needs at least 2 controlled fields"
    )


def test_i2_fails_on_a_status_outside_ppsr_core() -> None:
    result = indicator(record(status="running"), "I2-controlled-vocabularies")
    assert not result.passed
    assert result.reason.endswith("status 'running' is not a PPSR Core term")


def test_i2_does_not_ask_datasets_for_a_status() -> None:
    result = indicator(record(kind="dataset", status=None), "I2-controlled-vocabularies")
    assert result.passed
    assert result.reason == "controlled: countries (1), languages (1), topics (1)"


def test_i2_names_values_the_crosswalk_could_not_normalise() -> None:
    issues = [QualityIssue(field="countries", problem="invalid", detail="'Narnia' unknown")]
    result = indicator(record(countries=[]), "I2-controlled-vocabularies", issues)
    assert result.passed
    assert result.reason == (
        "controlled: languages (1), topics (1), status (1); empty: countries; "
        "not normalised: countries"
    )


# --- R1.1 licence -------------------------------------------------------------------------


def test_r11_passes_both_halves_for_a_known_spdx_id() -> None:
    quality = assess(record())
    stated, spdx = (i for i in quality.indicators if i.id.startswith("R1.1"))
    assert (stated.passed, stated.reason) == (True, "licence stated: CC-BY-4.0")
    assert (spdx.passed, spdx.reason) == (True, "CC-BY-4.0 is a known SPDX licence id")


def test_r11_free_text_counts_half() -> None:
    rec = record(license={"text": "Free to use with attribution"})
    quality = assess(rec)
    stated, spdx = (i for i in quality.indicators if i.id.startswith("R1.1"))
    assert (stated.passed, stated.reason) == (
        True,
        "licence stated as text: 'Free to use with attribution'",
    )
    assert not spdx.passed
    assert spdx.reason == (
        "licence given as text only ('Free to use with attribution'), not as an SPDX id"
    )
    assert stated.weight == spdx.weight
    assert quality.score == 100 - spdx.weight


def test_r11_url_only_and_unknown_ids() -> None:
    only_url = indicator(record(license={"url": "https://example.org/terms"}), "R1.1-licence-spdx")
    assert (
        only_url.reason
        == "licence given only as a URL (https://example.org/terms), not as an SPDX id"
    )
    unknown = indicator(record(license={"spdx": "Birds-1.0"}), "R1.1-licence-spdx")
    assert (unknown.passed, unknown.reason) == (False, "'Birds-1.0' is not a known SPDX licence id")


def test_r11_fails_both_halves_without_a_licence() -> None:
    quality = assess(record(license=None))
    reasons = [(i.passed, i.reason) for i in quality.indicators if i.id.startswith("R1.1")]
    assert reasons == [(False, "no licence stated"), (False, "no licence stated")]


def test_known_spdx_ids_are_case_insensitive() -> None:
    assert is_known_spdx("cc0-1.0")
    assert is_known_spdx("CC-BY-NC-SA-4.0")
    assert is_known_spdx("EUPL-1.2")
    assert not is_known_spdx("CC-BY-5.0")


# --- R1.2 provenance ----------------------------------------------------------------------


def test_r12_passes_with_full_provenance() -> None:
    result = indicator(record(), "R1.2-provenance")
    assert result.passed
    assert result.reason == (
        "from source 'eu-cs' as 42, datestamp 2024-01-02T03:04:05Z, harvested 2024-02-01T00:00:00Z"
    )


def test_r12_fails_without_a_datestamp() -> None:
    result = indicator(record(provenance={**PROVENANCE, "datestamp": ""}), "R1.2-provenance")
    assert not result.passed
    assert result.reason == "provenance lacks datestamp"


# --- score --------------------------------------------------------------------------------


def outcome(passed: bool, weight: int) -> FairIndicator:
    return FairIndicator(id="x", principle="F", passed=passed, reason="r", weight=weight)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], 0),
        ([(True, 1)], 100),
        ([(False, 1)], 0),
        ([(True, 1), (False, 2)], 33),
        ([(True, 2), (False, 1)], 67),
        ([(True, 1)] + [(False, 1)] * 7, 13),  # 12.5 rounds half up
        ([(True, 20), (True, 20), (False, 15), (True, 15), (True, 8), (False, 8), (True, 14)], 77),
    ],
)
def test_score_is_the_weighted_share_rounded_half_up(
    outcomes: list[tuple[bool, int]], expected: int
) -> None:
    assert score([outcome(passed, weight) for passed, weight in outcomes]) == expected


def test_score_in_the_report_matches_the_indicators() -> None:
    rec = record(url="http://localhost/x", license={"text": "Free"})
    quality = assess(rec)
    failed = {i.id for i in quality.indicators if not i.passed}
    assert failed == {"A1-landing-page", "R1.1-licence-spdx"}
    assert quality.score == 100 - 15 - 8
