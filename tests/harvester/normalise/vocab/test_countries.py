"""Countries to ISO 3166-1 alpha-2."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import country_code, country_codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # codes
        ("DE", ["DE"]),
        ("de", ["DE"]),
        ("DEU", ["DE"]),
        ("gbr", ["GB"]),
        ("EL", ["GR"]),
        # English and common names
        ("Germany", ["DE"]),
        ("UK", ["GB"]),
        ("United Kingdom", ["GB"]),
        ("Great Britain", ["GB"]),
        ("England", ["GB"]),
        ("Scotland", ["GB"]),
        ("Czechia", ["CZ"]),
        ("Czech Republic", ["CZ"]),
        ("Holland", ["NL"]),
        ("The Netherlands", ["NL"]),
        ("Netherlands (the)", ["NL"]),
        ("United Kingdom of Great Britain and Northern Ireland (the)", ["GB"]),
        ("United States of America (the)", ["US"]),
        ("Russian Federation (the)", ["RU"]),
        ("Republic of North Macedonia", ["MK"]),
        ("Korea, Republic of", ["KR"]),
        ("Korea (the Republic of)", ["KR"]),
        ("Congo, The Democratic Republic of the", ["CD"]),
        ("Iran, Islamic Republic of", ["IR"]),
        ("Bosnia & Herzegovina", ["BA"]),
        ("Côte d'Ivoire", ["CI"]),
        ("Cote d'Ivoire", ["CI"]),
        ("Syrian Arab Republic", ["SY"]),
        ("Türkiye", ["TR"]),
        ("Turkey", ["TR"]),
        # EU languages (pycountry translations), any case and accents
        ("Deutschland", ["DE"]),
        ("Allemagne", ["DE"]),
        ("Německo", ["DE"]),
        ("Niemcy", ["DE"]),
        ("Saksa", ["DE"]),
        ("Németország", ["DE"]),
        ("Ελλάδα", ["GR"]),
        ("Γερμανία", ["DE"]),
        ("Германия", ["DE"]),
        ("España", ["ES"]),
        ("espana", ["ES"]),
        ("Belgique", ["BE"]),
        ("België", ["BE"]),
        ("Nederland", ["NL"]),
        ("Italia", ["IT"]),
        ("Österreich", ["AT"]),
        ("oesterreich", []),
        ("Rakousko", ["AT"]),
        ("Hrvatska", ["HR"]),
        ("Suomi", ["FI"]),
        ("Sverige", ["SE"]),
        ("Éire", ["IE"]),
        # lists and place strings
        ("Spain; Portugal", ["ES", "PT"]),
        ("Spain and Portugal", ["ES", "PT"]),
        ("Berlin, Germany", ["DE"]),
        ("Région Bretagne (France)", ["FR"]),
        ("Lakes of northern Italy", ["IT"]),
        ("Paris (FR)", ["FR"]),
        ("Estonia, Finland,  Sweden", ["EE", "FI", "SE"]),
        (
            "United Kingdom of Great Britain and Northern Ireland (the), Ireland",
            ["GB", "IE"],
        ),
        ("Netherlands (the), Europe", ["NL"]),
        ("The Netherlands, Belgium", ["NL", "BE"]),
        ("Germany, Deutschland, DE", ["DE"]),
        ("Belarus, Republic of North Macedonia, Lithuania", ["BY", "MK", "LT"]),
        # regions and noise give nothing
        ("Europe", []),
        ("World", []),
        ("Worldwide", []),
        ("Global", []),
        ("Unknown", []),
        ("", []),
        ("   ", []),
        ("Guinea pig survey", []),
        ("it is raining", []),
    ],
)
def test_country_codes(text: str, expected: list[str]) -> None:
    assert country_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Germany", "DE"), ("Spain; Portugal", None), ("Europe", None), ("Tbilisi; Georgia", "GE")],
)
def test_country_code_single(text: str, expected: str | None) -> None:
    assert country_code(text) == expected


def test_not_a_string_gives_nothing() -> None:
    assert country_codes(None) == []  # type: ignore[arg-type]
    assert country_codes(42) == []  # type: ignore[arg-type]
    assert country_code(b"DE") is None  # type: ignore[arg-type]


def test_returns_fresh_lists() -> None:
    first = country_codes("Germany")
    first.append("XX")
    assert country_codes("Germany") == ["DE"]


def test_norway_code_survives_yaml() -> None:
    assert country_codes("Norge; NO; Norway") == ["NO"]
