"""Golden tests of the citizen-science platform crosswalks over every real sample:
EU-Citizen.Science, Zooniverse, CitSci.org (``shared/fixtures/platforms``), the JRC inventory
and the Dutch list (``shared/fixtures/corpus``, read as the csv protocol reads them, with the
shipped example sources' options), and SciStarter (pages the project wrote itself from
SciStarter's API documentation, as no real response exists to copy: see
``tests/fixtures/platforms/scistarter/README.md``).

Expected files: ``tests/fixtures/golden/<crosswalk>/<sample file name>``; for the large
samples a handful of records chosen by source identifier (every record is still mapped and
checked for the invariants). Set ``CSFINDER_WRITE_GOLDEN=1`` to rewrite them, then read
every change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harvester.core.model import Record, contains_email
from harvester.core.sources import load_source_file
from harvester.fetch.csv.reader import row_hash
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named
from tests.support import golden
from tests.support.fixture_provider import SHARED_FIXTURES

CONFIG = Path(__file__).resolve().parents[3] / "config" / "sources"
OWN = Path(__file__).resolve().parents[2] / "fixtures" / "platforms"

SAMPLES: dict[str, tuple[str, ...]] = {
    "eu_citizen_science": ("platforms/eu-citizen-science/api_projects_2021-04.json",),
    "zooniverse": ("platforms/zooniverse/projects_*.json",),
    "citsci_org": ("platforms/citsci-org/*.json",),
    "jrc_citsci": ("corpus/jrc-citsci-inventory/*-projects-citsci.csv",),
    "cs_nl": ("corpus/citizen-science-nl/*.csv",),
}
SOURCE_FILES = {
    "1-projects-citsci.csv": "jrc-citsci-inventory-1.yaml",
    "2-projects-citsci.csv": "jrc-citsci-inventory-2.yaml",
    "3-projects-citsci.csv": "jrc-citsci-inventory-3.yaml",
    "citizen-science-projects-nl.csv": "citizen-science-nl.yaml",
}
"""The example source whose csv options read each CSV sample."""

SELECTED: dict[str, tuple[str, ...]] = {
    # EU-CS: funded (ladybirds), an image as url (Orchid Observers), no url (Mosquito Alert),
    # no country (86), a bare host (Ground Truth 2.0), an origin URL (Vadonleső), a DOI as
    # originUID (My Naturesound), a bare host with a trailing path (National Moth Week).
    "api_projects_2021-04.json": ("2", "1", "31", "86", "107", "113", "94", "152"),
    # Zooniverse: legacy projects with partners and a redirect, a beta with Markdown, test
    # projects with example.com links, a project with tags, the 2018 record with a state.
    "projects_page1.json": ("519", "400", "410", "1335"),
    "projects_page2.json": ("525", "276", "396"),
    "projects_page3.json": ("514", "902", "604"),
    "projects_page4.json": ("2", "406", "516"),
    # JRC: the first two rows, two addresses in one cell (116), "Unknown" as website (530).
    "1-projects-citsci.csv": ("1", "2", "116", "530"),
    # Dutch list: a trailing space, a zero-width space, garbled text, a double space, a
    # list of two countries, a row with a data portal.
    "citizen-science-projects-nl.csv": tuple(
        row_hash([name])
        for name in (
            "Wadertrack ",
            "Geluid-\u200b en luchtkwaliteit",
            "Avondtelling Amfibie√´n",
            "Ja -  ik wil!",
            "Tag de tekst!",
        )
    ),
}

NOTES: dict[str, str] = {
    "api_projects_2021-04.json": (
        "Eight of 68 projects. The 2021 API gives no mainOrganisation or organisation: the "
        "host (free text) is the Leader; fundingBody a Sponsor/funder; bare hosts get "
        "http://; an image as url is no landing page (reported)."
    ),
    "1-projects-citsci.csv": "Four of 336 rows; UID is the identifier.",
    "citizen-science-projects-nl.csv": (
        "Five of 154 rows, identified by a hash of the name; names kept as given."
    ),
}

ALPHA_2 = re.compile(r"^[A-Z]{2}$")

pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def sample_files() -> list[tuple[str, str]]:
    if SHARED_FIXTURES is None:
        return []
    return [
        (name, path.relative_to(SHARED_FIXTURES).as_posix())
        for name, patterns in SAMPLES.items()
        for pattern in patterns
        for path in sorted(SHARED_FIXTURES.glob(pattern))
    ]


def map_shared(name: str, relative: str) -> list[dict[str, Any]]:
    assert SHARED_FIXTURES is not None
    source_file = SOURCE_FILES.get(Path(relative).name)
    options = load_source_file(CONFIG / source_file).csv_options if source_file else None
    return golden.map_sample(name, SHARED_FIXTURES / relative, f"fixtures/{relative}", options)


def check_invariants(record: dict[str, Any]) -> None:
    """What holds for every record of every platform crosswalk."""
    Record.model_validate(record)
    assert record["kind"] == "project"
    assert record["title"].strip() and record["title"] != "[untitled]"
    assert not contains_email(json.dumps(record, ensure_ascii=False))
    assert all(ALPHA_2.fullmatch(code) for code in record["countries"])
    assert all(
        organisation["role"] != "Leader" or not contains_email(organisation["name"])
        for organisation in record["organisations"]
    )


def compare(name: str, sample: str, mapped: list[dict[str, Any]]) -> None:
    for record in mapped:
        check_invariants(record)
    chosen = SELECTED.get(sample)
    if chosen is not None:
        by_id = {r["provenance"]["source_identifier"]: r for r in mapped}
        mapped = [by_id[identifier] for identifier in chosen]
    path = golden.GOLDEN / name / (sample if sample.endswith(".json") else f"{sample}.json")
    note = NOTES.get(sample)
    if golden.WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        written: Any = mapped if note is None else {"note": note, "records": mapped}
        path.write_text(json.dumps(written, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(expected, dict):
        assert expected["note"] == note
        expected = expected["records"]
    assert mapped == expected


@pytest.mark.parametrize(("name", "relative"), sample_files())
def test_sample_maps_to_the_expected_records(name: str, relative: str) -> None:
    compare(name, Path(relative).name, map_shared(name, relative))


@pytest.mark.parametrize("page", ["finder_page1.json", "finder_page2.json"])
def test_scistarter_pages_written_from_the_documentation(page: str) -> None:
    # No real SciStarter response exists to copy: these pages are the project's own.
    mapped = golden.map_sample("scistarter", OWN / "scistarter" / page, f"fixtures/{page}")
    compare("scistarter", page, mapped)


def test_eu_citizen_science_fields_of_the_current_api() -> None:
    # The project's own record in the shape of the current API (the 2021 sample lacks these).
    path = OWN / "eu_citizen_science_current.json"
    [record] = golden.map_sample("eu_citizen_science", path, "fixtures/current")
    compare("eu_citizen_science", path.name, [record])
    participation = record["participation"]
    assert participation["tasks"] == ["Observation", "Photography"]
    assert participation["difficulty"] == "Easy" and participation["for_schools"] is True
    assert participation["from_home"] is True  # from the tag; doingAtHome false says nothing
    organisations = {(o["name"], o["role"], o["country"]) for o in record["organisations"]}
    assert organisations == {
        ("Lowland Pond Trust (invented)", "Leader", "BE"),
        ("Amphibian Lab (invented)", "Partner", "NL"),
        ("Invented Nature Fund", "Sponsor/funder", None),
    }
    assert record["countries"] == [] and record["regions"] == ["Flanders and Zeeland"]
    assert record["url"] == "http://pondlife.projects.csfinder.example/watch"


def test_the_source_identifier_is_the_platforms_own_id() -> None:
    eu = map_shared("eu_citizen_science", SAMPLES["eu_citizen_science"][0])
    assert [r["provenance"]["source_identifier"] for r in eu][:3] == ["2", "17", "25"]
    zoo = map_shared("zooniverse", "platforms/zooniverse/projects_405.json")
    assert zoo[0]["provenance"]["source_identifier"] == "405"
    jrc = map_shared("jrc_citsci", "corpus/jrc-citsci-inventory/2-projects-citsci.csv")
    assert {r["provenance"]["source_identifier"] for r in jrc} <= {str(n) for n in range(547, 558)}


def test_every_eu_project_keeps_its_country_and_point() -> None:
    records = map_shared("eu_citizen_science", SAMPLES["eu_citizen_science"][0])
    assert len(records) == 68
    raw = json.loads((SHARED_FIXTURES / SAMPLES["eu_citizen_science"][0]).read_text())  # type: ignore[operator]
    for record, source in zip(records, raw, strict=True):
        if source["country"]:
            assert record["countries"] == [source["country"]]
        if source["latitude"]:
            assert record["geo"]["points"][0]["lat"] == float(source["latitude"])
        assert record["status"] == source["status"]["status"]


def test_jrc_sdgs_countries_and_statuses_agree_with_the_inventorys_own_normalisation() -> None:
    # The JRC's explorer normalised the same rows itself (ISO codes, an SDG dict): ours must
    # agree wherever both say something.
    assert SHARED_FIXTURES is not None
    theirs = json.loads(
        (SHARED_FIXTURES / "corpus/jrc-citsci-inventory/projects.normalised.json").read_text()
    )
    by_name = {" ".join(p["name"].split()): p for p in theirs}
    ours = [
        record
        for n in (1, 2, 3)
        for record in map_shared(
            "jrc_citsci", f"corpus/jrc-citsci-inventory/{n}-projects-citsci.csv"
        )
    ]
    assert len(ours) == 344
    disagree = []
    for record in ours:
        project = by_name[record["title"]]
        grades = {int(goal): grade for goal, grade in project["unsdg"].items() if grade != "0"}
        impacts = {
            i["goal"]: {"indirect": "1", "direct": "2"}[i["impact"]] for i in record["sdg_impacts"]
        }
        assert impacts == grades, record["title"]
        assert sorted(record["sdgs"]) == sorted(grades)
        assert record["status"] == {"Yes": "Active", "No": "Completed"}[project["active"]]
        codes = {code for code in project["geocoverage_codes"] if len(code) == 2}
        regions = {code for code in project["geocoverage_codes"] if len(code) != 2}
        extra = set(record["countries"]) - codes
        # their script misses "Republic of North Macedonia", which ours reads as MK
        if codes - set(record["countries"]) or extra - {"MK"}:
            disagree.append((record["title"], record["countries"], sorted(codes)))
        assert {r.casefold() for r in record["regions"]} == regions  # "world", "europe"
    assert not disagree


def test_dutch_names_are_kept_as_given() -> None:
    records = map_shared("cs_nl", "corpus/citizen-science-nl/citizen-science-projects-nl.csv")
    titles = {r["title"] for r in records}
    # the invisible zero-width space goes (no text keeps a control or invisible character:
    # see harvester.core.model.public_text); the raw row keeps it
    assert "Geluid- en luchtkwaliteit" in titles
    assert "Ja -  ik wil!" in titles  # nor a double space
    assert "Wadertrack" in titles  # only the ends trimmed (the raw row keeps the space)
    raw = list(
        raw_records_from_file(
            SHARED_FIXTURES / "corpus/citizen-science-nl/citizen-science-projects-nl.csv",  # type: ignore[operator]
            crosswalk_named("cs_nl"),
        )
    )
    assert any('"name": "Wadertrack "' in (r.payload or "") for r in raw)  # type: ignore[union-attr]
