"""Free keywords to OECD Fields of Science (FOS 2007)."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import fields_of_science, topics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("biodiversity", ["1.6"]),
        ("Biodiversity", ["1.6"]),
        ("ecology", ["1.6"]),
        ("Birds", ["1.6"]),
        ("bird", ["1.6"]),
        ("Bird monitoring", ["1.6"]),
        ("air quality", ["1.5"]),
        ("Air quality", ["1.5"]),
        ("astronomy", ["1.3"]),
        ("history", ["6.1"]),
        ("History", ["6.1"]),
        ("natural history", ["1.6"]),
        ("Health", ["3.3"]),
        ("water", ["1.5"]),
        ("climate", ["1.5"]),
        ("Archaeology", ["6.1"]),
        ("Environment", ["1.5"]),
        ("Society", ["5"]),
        ("Cities", ["5.7"]),
        # JRC inventory domains and fields
        ("Biodiversity, nature and landscapes", ["1.6"]),
        ("Terrestrial", ["1.5"]),
        ("Marine", ["1.5"]),
        ("Environmental health", ["3.3"]),
        ("Waste", ["2.7"]),
        ("Animal welfare", ["4.3"]),
        ("Cross-cutting", []),
        # DataCite FOS subjects
        ("FOS: Biological sciences", ["1.6"]),
        ("FOS: Computer and information sciences", ["1.2"]),
        ("FOS: Economics and business", ["5.2"]),
        ("FOS: Media and communications", ["5.8"]),
        ("FOS: Medical engineering", ["2.6"]),
        ("FOS: Physical sciences", ["1.3"]),
        ("FOS: Mathematics", ["1.1"]),
        ("FOS: Psychology", ["5.1"]),
        ("Natural sciences", ["1"]),
        ("FOS: Electrical engineering, electronic engineering, information engineering", ["2.2"]),
        ("Arts (arts, history of arts, performing arts, music)", ["6.4"]),
        ("Agriculture, forestry, and fisheries", ["4.1"]),
        ("1.6", ["1.6"]),
        ("FOS 2.10", ["2.10"]),
        # other languages
        ("Vögel", ["1.6"]),
        ("Biodiversität", ["1.6"]),
        ("écologie", ["1.6"]),
        ("Geschiedenis", ["6.1"]),
        ("qualità dell'aria", ["1.5"]),
        # lists
        ("Birds; air quality", ["1.6", "1.5"]),
        ("ecology, birds, insects", ["1.6"]),
        ("Machine learning", ["1.2"]),
        ("Uncategorized", []),
        ("", []),
    ],
)
def test_topics(text: str, expected: list[str]) -> None:
    assert topics(text) == expected


def test_controlled_list_is_fos_2007() -> None:
    fields = fields_of_science()
    broad = [f for f in fields if "." not in f]
    assert broad == ["1", "2", "3", "4", "5", "6"]
    assert len(fields) - len(broad) == 42
    assert fields["1.6"] == "Biological sciences"
    assert fields["6.1"] == "History and archaeology"
