"""Sustainable Development Goals."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import sdg_numbers
from harvester.normalise.vocab.sdgs import sdg_labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SDG 3", [3]),
        ("SDG3", [3]),
        ("sdg-15", [15]),
        ("sdg_11", [11]),
        ("SDG #6", [6]),
        ("Goal 14: Life below water", [14]),
        ("SDGs 3, 14 and 15", [3, 14, 15]),
        ("SDG 3; Goal 14: Life below water", [3, 14]),
        ("Objectif 6", [6]),
        ("ODS 13", [13]),
        ("https://sdgs.un.org/goals/goal14", [14]),
        ("http://metadata.un.org/sdg/6", [6]),
        ("https://unstats.un.org/sdgs/metadata/?Text=&Goal=14&Target=", [14]),
        ("No poverty", [1]),
        ("Zero Hunger", [2]),
        ("Good health and well-being", [3]),
        ("Climate action", [13]),
        ("Life on land", [15]),
        ("Peace, justice and strong institutions", [16]),
        ("Partnerships for the goals", [17]),
        ("climate action and quality education", [13, 4]),
        ("SDG 15 - Terrestrial biodiversity conservation", [15]),
        ("14", [14]),
        ("3, 14", [3, 14]),
        ("SDG 18", []),
        ("SDG 0", []),
        ("this project meets 20 goals", []),
        ("hunger games", []),
        ("", []),
    ],
)
def test_sdg_numbers(text: str, expected: list[int]) -> None:
    assert sdg_numbers(text) == expected


def test_seventeen_goals() -> None:
    labels = sdg_labels()
    assert sorted(labels) == list(range(1, 18))
    assert labels[14] == "Life below water"
