"""Languages to ISO 639-1."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import language_code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("eng", "en"),
        ("ger", "de"),
        ("deu", "de"),
        ("fre", "fr"),
        ("fra", "fr"),
        ("dut", "nl"),
        ("nld", "nl"),
        ("gre", "el"),
        ("en-GB", "en"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("zh-Hant-TW", "zh"),
        ("de-CH-1996", "de"),
        ("English", "en"),
        ("German", "de"),
        ("Deutsch", "de"),
        ("français", "fr"),
        ("Français", "fr"),
        ("francais", "fr"),
        ("Nederlands", "nl"),
        ("polski", "pl"),
        ("español", "es"),
        ("Ελληνικά", "el"),
        ("Modern Greek (1453-)", "el"),
        ("Greek", "el"),
        ("Svenska", "sv"),
        ("suomi", "fi"),
        ("magyar", "hu"),
        ("Gaeilge", "ga"),
        ("Malti", "mt"),
        ("čeština", "cs"),
        ("Български", "bg"),
        ("allemand", "de"),
        ("Englisch", "en"),
        ("English (UK)", "en"),
        ("en; de", "en"),
        ("iw", "he"),
        ("Flemish", "nl"),
        ("Castellano", "es"),
        ("und", None),
        ("zxx", None),
        ("mul", None),
        ("x-default", None),
        ("Klingon", None),
        ("", None),
        ("?", None),
    ],
)
def test_language_code(text: str, expected: str | None) -> None:
    assert language_code(text) == expected


def test_not_a_string() -> None:
    assert language_code(None) is None  # type: ignore[arg-type]
    assert language_code(["en"]) is None  # type: ignore[arg-type]
