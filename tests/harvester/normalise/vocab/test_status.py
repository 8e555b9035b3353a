"""Project status to the PPSR Core vocabulary."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import PPSR_STATUSES, project_status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Active", "Active"),
        ("active", "Active"),
        ("ongoing", "Active"),
        ("on-going", "Active"),
        ("running", "Active"),
        ("laufend", "Active"),
        ("en cours", "Active"),
        ("lopend", "Active"),
        ("Completed", "Completed"),
        ("completed", "Completed"),
        ("finished", "Completed"),
        ("ended", "Completed"),
        ("abgeschlossen", "Completed"),
        ("terminé", "Completed"),
        ("afgerond", "Completed"),
        ("finalizado", "Completed"),
        ("Completed (2019)", "Completed"),
        ("Not yet started", "Not yet started"),
        ("planned", "Not yet started"),
        ("geplant", "Not yet started"),
        ("Periodically active", "Periodically active"),
        ("recurring", "Periodically active"),
        ("seasonal", "Periodically active"),
        ("On hold", "On hold"),
        ("paused", "On hold"),
        ("Abandoned", "Abandoned"),
        ("cancelled", "Abandoned"),
        ("discontinued", "Abandoned"),
        ("unknown", None),
        ("Unknown", None),
        ("n/a", None),
        ("Pilot", None),
        ("", None),
    ],
)
def test_project_status(text: str, expected: str | None) -> None:
    assert project_status(text) == expected


def test_ppsr_terms_are_the_core_vocabulary() -> None:
    assert PPSR_STATUSES == (
        "Not yet started",
        "Active",
        "Periodically active",
        "On hold",
        "Completed",
        "Abandoned",
    )


@pytest.mark.parametrize(("text", "expected"), [("Yes", "Active"), ("No", "Completed")])
def test_jrc_still_active_column(text: str, expected: str) -> None:
    assert project_status(text) == expected
