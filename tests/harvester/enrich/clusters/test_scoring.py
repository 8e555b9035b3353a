"""Pair scores: named signals that a curator can read, strong for shared pages and
identifiers, against what marks a part of a project."""

from __future__ import annotations

from harvester.enrich.clusters.scoring import JOIN, score
from tests.harvester.enrich.clusters.records import features, never_common


def names(found: object) -> list[str]:
    return [s.text for s in found.signals]  # type: ignore[attr-defined]


def test_one_project_on_two_platforms_joins_with_its_evidence() -> None:
    eu = features(
        "eucs",
        "5",
        "Observadores del mar",
        url="https://www.observadoresdelmar.es/",
        countries=["ES"],
        start_date="2014-01-01",
        organisations=[{"name": "Instituto de Ciencias del Mar (ICM), CSIC"}],
    )
    jrc = features(
        "jrc",
        "302",
        "Observadores del Mar",
        url="http://www.observadoresdelmar.es",
        countries=["ES"],
        start_date="2009",
        organisations=[{"name": "Instituto de Ciencias del Mar + CSIC"}],
    )
    found = score(eu, jrc, never_common)
    assert found.joins and found.total >= JOIN
    assert "same landing page (observadoresdelmar.es)" in names(found)
    assert "same title" in names(found)
    assert "start years far apart" in names(found)  # evidence against is shown too


def test_a_national_chapter_is_another_project() -> None:
    project = features("jrc", "181", "hackAIR", url="http://hackair.eu/")
    chapter = features("jrc2", "182", "hackAIR - Germany", url="https://www.bund.net/hackair/")
    found = score(project, chapter, never_common)
    assert not found.joins
    assert "a national chapter: a country in one title (germany)" in names(found)


def test_a_yearly_edition_is_another_project() -> None:
    project = features("a", "1", "Big Garden Birdwatch", url="https://birdwatch.example.org/")
    edition = features(
        "b", "2", "Big Garden Birdwatch 2019", url="https://birdwatch.example.org/2019"
    )
    found = score(project, edition, never_common)
    assert not found.joins
    assert "an edition: a year in one title (2019)" in names(found)


def test_a_generic_title_in_two_cities_does_not_join() -> None:
    bristol = features(
        "a",
        "47",
        "Bioblitz Bristol",
        countries=["GB"],
        description="A day of finding every species in a park.",
    )
    copenhagen = features(
        "b",
        "49",
        "Bioblitz Copenhagen 2014",
        countries=["DK"],
        description="A day of finding every species in a park.",
    )
    assert not score(bristol, copenhagen, never_common).joins


def test_a_common_host_is_no_evidence() -> None:
    first = features(
        "a", "1", "Plankton Portal", url="https://www.zooniverse.org/projects/a/plankton"
    )
    second = features(
        "b", "2", "Penguin Watch", url="https://www.zooniverse.org/projects/b/penguins"
    )
    everyone = score(first, second, lambda kind, value: kind == "host")
    assert not any(n.startswith("same site") for n in names(everyone))
    assert not everyone.joins


def test_a_persistent_identifier_decides_and_kinds_never_mix() -> None:
    doi = [{"scheme": "doi", "value": "10.5281/zenodo.1234"}]
    dataset = features("a", "1", "Garden birds 2012", kind="dataset", identifiers=doi)
    same = features("b", "9", "Counts of garden birds", kind="dataset", identifiers=doi)
    assert score(dataset, same, never_common).joins
    project = features("c", "3", "Garden birds 2012", kind="project", identifiers=doi)
    assert score(dataset, project, never_common).total < 0


def test_titles_fold_accents_case_and_bracketed_alternatives() -> None:
    first = features("a", "1", "Dark Sky Meter", url="https://www.darkskymeter.com")
    second = features("b", "2", "Dark sky meter / Waarnemen", url="http://www.darkskymeter.com/")
    assert score(first, second, never_common).joins
    accented = features("c", "3", "Évora água", url="https://agua.example.pt")
    plain = features("d", "4", "EVORA AGUA", url="http://www.agua.example.pt/")
    assert "same title" in names(score(accented, plain, never_common))
