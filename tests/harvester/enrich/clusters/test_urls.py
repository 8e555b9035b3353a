"""Landing pages folded so that one page compares equal however it is written."""

from __future__ import annotations

import pytest

from harvester.enrich.clusters.urls import fold_url, name_of, site_of


@pytest.mark.parametrize(
    "written",
    [
        "https://www.darkskymeter.com",
        "http://darkskymeter.com/",
        "darkskymeter.com",
        "  www.DarkSkyMeter.com/index.html ",
        "https://darkskymeter.com/?utm_source=newsletter&fbclid=x",
        "https://darkskymeter.com/en/",
        "https://darkskymeter.com/#top",
    ],
)
def test_one_page_written_many_ways_folds_to_one_key(written: str) -> None:
    folded = fold_url(written)
    assert folded is not None
    assert folded.key == "darkskymeter.com"
    assert folded.is_root


def test_paths_and_meaningful_parameters_stay() -> None:
    page = fold_url("https://www.globe.gov/about/overview?id=7&utm_medium=mail")
    assert page is not None
    assert page.key == "globe.gov/about/overview?id=7"
    assert page.host == "globe.gov" and not page.is_root


def test_sites_and_their_names() -> None:
    assert site_of("freshwaterwatch.thewaterhub.org") == "thewaterhub.org"
    assert site_of("www.bto.ac.uk") == "bto.ac.uk"
    assert name_of("freshwaterwatch.thewaterhub.org") == "freshwaterwatch"
    assert name_of("data.smartemission.nl") == "smartemission"
    assert name_of("www.portal.eu") == ""  # every label is generic


def test_known_redirects_and_punycode_are_followed() -> None:
    moved = fold_url("https://waarneming.nl/")
    assert moved is not None and moved.host == "observation.org"
    unicode_host = fold_url("http://xn--vadonles-8sb.hu/")
    assert unicode_host is not None and unicode_host.host == "vadonleső.hu"


@pytest.mark.parametrize(
    "junk", ["", "Unknown", "mailto:x@example.org", "two words.org", "http://"]
)
def test_what_is_no_web_address_folds_to_nothing(junk: str) -> None:
    assert fold_url(junk) is None
