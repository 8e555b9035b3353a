"""FAIR indicators, missing fields and the score of one record."""

from __future__ import annotations

from typing import Any

import pytest

from harvester.core.model import (
    EMAIL_REMOVED,
    MAX_TEXT,
    UNTITLED,
    FairIndicator,
    Quality,
    QualityIssue,
    Record,
    record_id,
)
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
from harvester.normalise.quality.fair import indicator_rows, trusted_indicator

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

CREATOR = {
    "name": "Vogel, Anna",
    "kind": "person",
    "identifier": "https://orcid.org/0000-0002-1825-0097",
}
FILE = {
    "title": "counts.csv",
    "download_url": "https://example.org/birds/counts.csv",
    "media_type": "text/csv",
    "size_bytes": 2048,
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
    "creators": [CREATOR],
    "publisher": {"name": "Vogelfreunde e.V.", "kind": "organisation"},
    "date_published": "2019-02-01",
    "related": [{"relation": "IsDocumentedBy", "identifier": "https://example.org/methods"}],
    "provenance": PROVENANCE,
}

DATASET: dict[str, Any] = {
    **GOOD,
    "kind": "dataset",
    "status": None,
    "access_rights": "open",
    "distributions": [FILE],
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


def test_indicators_are_the_fairsfair_metrics_with_their_points() -> None:
    assert [spec.id for spec in INDICATORS] == [
        "FsF-F1-01D",
        "FsF-F1-02D",
        "FsF-F2-01M",
        "FsF-F3-01M",
        "FsF-F4-01M",
        "FsF-A1-01M",
        "FsF-A1-02M",
        "FsF-A1-03D",
        "FsF-I1-01M",
        "FsF-I2-01M",
        "FsF-I3-01M",
        "FsF-R1-01MD",
        "FsF-R1.1-01M",
        "FsF-R1.2-01M",
        "FsF-R1.3-01M",
        "FsF-R1.3-02D",
    ]
    assert sum(spec.weight for spec in INDICATORS) == 24
    assert all(spec.id[4] == spec.principle for spec in INDICATORS)


def test_a_good_dataset_fails_only_the_variables_and_the_disciplinary_standard() -> None:
    quality = assess(record(**DATASET))
    failed = {i.id: (i.earned, i.reason) for i in quality.indicators if not i.passed}
    assert list(failed) == ["FsF-R1-01MD", "FsF-R1.3-01M"]
    assert failed["FsF-R1-01MD"][0] == 3
    assert "measured variables are not stated" in failed["FsF-R1-01MD"][1]
    assert failed["FsF-R1.3-01M"][0] == 0  # DataCite, DCAT-AP, schema.org: multidisciplinary
    assert quality.score == round(100 * 22 / 24)
    assert all(i.applicable for i in quality.indicators)
    with_variables = assess(record(**DATASET, variables=["bird count"]))
    assert with_variables.score == round(100 * 23 / 24)


def test_data_metrics_do_not_apply_to_a_project() -> None:
    quality = assess(record())
    not_applicable = [i.id for i in quality.indicators if not i.applicable]
    assert not_applicable == ["FsF-F3-01M", "FsF-A1-01M", "FsF-A1-03D", "FsF-R1.3-02D"]
    content = indicator(record(), "FsF-R1-01MD")
    assert (content.weight, content.earned) == (2, 1)  # type yes, variables no; files n/a
    applicable_points = sum(i.weight for i in quality.indicators if i.applicable)
    assert applicable_points == 24 - 4 - 2
    assert quality.score == round(100 * 16 / 18)  # no variables, no disciplinary standard


def test_a_bare_project_earns_what_the_page_itself_provides() -> None:
    quality = assess(bare())
    earned = {i.id: i.earned for i in quality.indicators if i.earned}
    assert earned == {
        "FsF-F1-01D": 1,
        "FsF-F2-01M": 0.5,  # metadata embedded; citation and description incomplete
        "FsF-F4-01M": 1,  # embedded schema.org; no DOI for a registry
        "FsF-A1-02M": 1,
        "FsF-I1-01M": 2,
        "FsF-I2-01M": 1,
        "FsF-R1-01MD": 1,
        "FsF-R1.2-01M": 1,
    }
    assert quality.score == 47  # 8.5 of 18 points


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


def test_landing_page_problem_on_other_schemes() -> None:
    assert landing_page_problem("ftp://example.org/x") == "is not an http(s) URL"
    assert landing_page_problem("https:///x") == "has no host"
    assert landing_page_problem("https://8.8.8.8/x") is None
    assert landing_page_problem("http://192.168.1.10/p") == (
        "points to the private or reserved address 192.168.1.10"
    )


def test_known_spdx_ids_are_case_insensitive() -> None:
    assert is_known_spdx("cc0-1.0")
    assert is_known_spdx("CC-BY-NC-SA-4.0")
    assert is_known_spdx("EUPL-1.2")
    assert not is_known_spdx("CC-BY-5.0")


# --- the metrics one by one ---------------------------------------------------------------


def test_persistent_id_needs_a_doi_handle_ark_or_urn() -> None:
    assert (
        indicator(record(), "FsF-F1-02D").reason == "persistent identifier: DOI 10.5281/zenodo.42"
    )
    urls = [{"scheme": "url", "value": "https://example.org/x"}]
    failed = indicator(record(identifiers=urls), "FsF-F1-02D")
    assert (failed.passed, failed.reason) == (
        False,
        "no DOI, Handle, ARK or URN among the identifiers (url)",
    )
    assert not indicator(record(identifiers=[]), "FsF-F1-02D").passed


def test_core_metadata_scores_citation_and_description_apart() -> None:
    full = indicator(record(), "FsF-F2-01M")
    assert (full.earned, full.weight) == (2, 2)
    no_creator = indicator(record(creators=[]), "FsF-F2-01M")
    assert no_creator.earned == 0.5  # F-UJI: the metadata found earns half a point
    assert "citation metadata lacks creator" in no_creator.reason
    no_keywords = indicator(record(keywords=[]), "FsF-F2-01M")
    assert no_keywords.earned == 1
    assert no_keywords.reason.endswith("descriptive metadata lacks keywords")


def test_a_creation_date_stands_in_for_the_publication_date() -> None:
    dated = indicator(record(date_published=None, date_created="2018"), "FsF-F2-01M")
    assert dated.earned == 2
    undated = indicator(record(date_published=None), "FsF-F2-01M")
    assert "lacks publication date" in undated.reason


def test_data_links_format_size_and_protocol() -> None:
    endpoint = {"access_url": "https://example.org/api/counts"}
    served = indicator(record(**{**DATASET, "distributions": [endpoint]}), "FsF-A1-03D")
    assert (served.passed, served.reason) == (True, "data reachable over HTTPS")
    no_file = record(**{**DATASET, "distributions": []})
    for id_ in ("FsF-F3-01M", "FsF-A1-03D", "FsF-R1.3-02D"):
        assert not indicator(no_file, id_).passed, id_
    assert indicator(no_file, "FsF-R1.3-02D").reason == "the source states no file format"
    unsized = record(
        **{**DATASET, "distributions": [{**FILE, "size_bytes": None, "size_text": "2 MB"}]}
    )
    content = indicator(unsized, "FsF-R1-01MD")
    assert content.earned == 2  # type, and a file's format and size; no exact bytes
    assert "no data file with a URL declares both its media type and its size in bytes" in (
        content.reason
    )
    described = record(**{**DATASET, "distributions": [{"format": "CSV", "size_text": "2 MB"}]})
    assert indicator(described, "FsF-F3-01M").earned == 0.5  # data described, not linked
    assert indicator(described, "FsF-R1-01MD").earned == 2


def test_measured_variables_are_descriptors_without_files() -> None:
    variables_only = record(**{**DATASET, "distributions": []}, variables=["pH", "nitrate"])
    content = indicator(variables_only, "FsF-R1-01MD")
    assert content.earned == 3  # type; variables as descriptors; variables (not the files)
    assert content.reason.startswith("resource type: dataset; 2 measured variables")


def test_a_doi_stands_for_registered_metadata() -> None:
    assert indicator(record(), "FsF-F4-01M").earned == 2
    handle = [{"scheme": "handle", "value": "11304/abc"}]
    without = indicator(record(identifiers=handle), "FsF-F4-01M")
    assert without.earned == 1
    assert "no DOI" in without.reason


def test_no_disciplinary_metadata_standard_is_claimed() -> None:
    result = indicator(record(**DATASET), "FsF-R1.3-01M")
    assert (result.earned, result.weight) == (0, 1)
    assert "multidisciplinary" in result.reason


def test_a_proprietary_format_is_not_recommended() -> None:
    odd = {**FILE, "media_type": "application/x-msaccess"}
    result = indicator(record(**{**DATASET, "distributions": [odd]}), "FsF-R1.3-02D")
    assert (result.passed, result.reason) == (
        False,
        "format application/x-msaccess is not among the recommended ones",
    )


def test_access_level_is_asked_of_datasets_only() -> None:
    assert not indicator(record(**{**DATASET, "access_rights": None}), "FsF-A1-01M").passed
    assert indicator(record(**DATASET), "FsF-A1-01M").reason == "access level stated: open"


@pytest.mark.parametrize(
    ("licence", "earned"),
    [
        ({"spdx": "CC-BY-4.0"}, 2),
        ({"url": "https://example.org/terms"}, 1),
        ({"text": "Free for non-commercial use"}, 1),
        ({"spdx": "Made-Up-1.0"}, 1),
        (None, 0),
    ],
)
def test_licence_points(licence: dict[str, str] | None, earned: int) -> None:
    result = indicator(record(license=licence), "FsF-R1.1-01M")
    assert result.earned == earned


def test_related_resources_and_provenance() -> None:
    unrelated = indicator(record(related=[]), "FsF-I3-01M")
    assert unrelated.reason == "no related resources stated, and no link to the source's record"
    linked = {**PROVENANCE, "original_url": "https://eu-citizen.science/project/42"}
    based_on = indicator(record(related=[], provenance=linked), "FsF-I3-01M")
    assert (based_on.passed, based_on.reason) == (
        True,
        "based on the source's record https://eu-citizen.science/project/42",
    )
    prov = indicator(record(creators=[], publisher=None, date_published=None), "FsF-R1.2-01M")
    assert prov.earned == 1
    assert prov.reason.startswith("provenance elements: none; PROV: derived from 42")


def test_vocabularies_named_in_the_reason() -> None:
    reason = indicator(record(**DATASET), "FsF-I2-01M").reason
    assert "COAR access rights" in reason
    assert "SPDX licences" in reason


# --- score --------------------------------------------------------------------------------


def outcome(earned: float, weight: int, applicable: bool = True) -> FairIndicator:
    return FairIndicator(
        id="x",
        principle="F",
        passed=earned == weight and applicable,
        reason="r",
        weight=weight,
        earned=earned,
        applicable=applicable,
    )


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([], 0),
        ([(1, 1, True)], 100),
        ([(0, 1, True)], 0),
        ([(1, 1, True), (0, 2, True)], 33),
        ([(1, 2, True), (1, 1, True)], 67),
        ([(1, 1, True)] + [(0, 1, True)] * 7, 13),  # 12.5 rounds half up
        ([(1, 1, True), (0, 5, False)], 100),  # not applicable counts for nothing
        ([(0.5, 2, True), (1, 2, True)], 38),  # half points: 37.5 rounds half up
    ],
)
def test_score_is_the_share_of_applicable_points_rounded_half_up(
    outcomes: list[tuple[float, int, bool]], expected: int
) -> None:
    assert score([outcome(*item) for item in outcomes]) == expected


def test_score_in_the_report_matches_the_indicators() -> None:
    quality = assess(record(license={"text": "Free"}, related=[]))
    assert quality.score == score(quality.indicators) == round(100 * 14 / 18)


def test_an_indicator_cannot_earn_more_than_its_weight() -> None:
    with pytest.raises(ValueError, match="exceeds the weight"):
        outcome(3, 2)
    with pytest.raises(ValueError, match="earns its whole weight"):
        FairIndicator(id="x", principle="F", passed=True, reason="r", weight=2, earned=1)
    with pytest.raises(ValueError, match=r"multiple of 0\.5"):
        outcome(0.25, 1)


def test_xml_and_json_vocabularies_are_recommended_formats() -> None:
    tei = {**FILE, "media_type": "application/tei+xml"}
    result = indicator(record(**{**DATASET, "distributions": [tei]}), "FsF-R1.3-02D")
    assert (result.passed, result.reason) == (True, "recommended format: application/tei+xml")


# --- the report is built without validating again what it guarantees ----------------------


@pytest.mark.parametrize(
    "rec",
    [
        pytest.param(lambda: bare(), id="bare project"),
        pytest.param(lambda: record(), id="good project"),
        pytest.param(lambda: record(**DATASET), id="dataset"),
        pytest.param(lambda: record(license={"text": "Free"}, related=[]), id="other licence"),
    ],
)
def test_the_report_equals_the_report_validated_from_its_fields(rec: Any) -> None:
    issues = [QualityIssue(field="countries", problem="invalid", detail="'Narnia' unknown")]
    built = assess(rec(), [*issues, *issues])
    validated = Quality.model_validate(built.model_dump())
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    assert [i.field for i in built.issues].count("countries") == 1


def test_a_reason_is_made_public_and_cut_to_the_text_cap() -> None:
    long_url = "https://example.org/" + "a" * (MAX_TEXT + 10)
    address = {"relation": "IsCitedBy", "identifier": "see jo (at) example (dot) org"}
    rec = record(**{**DATASET, "related": [address]})
    rows = [row for row in indicator_rows(rec, []) if row["id"] == "FsF-I3-01M"]
    assert rows  # the rule's reason is built from the record's texts, public already
    long_row = {**rows[0], "reason": f"data at {long_url}"}
    made = trusted_indicator(long_row)
    assert len(made.reason) == MAX_TEXT and made.reason.endswith("…")
    spoofed = trusted_indicator({**rows[0], "reason": "write to jo [at] example [dot] org"})
    assert "jo" not in spoofed.reason and EMAIL_REMOVED in spoofed.reason
