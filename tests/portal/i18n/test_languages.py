"""The page's language: ``?lang=``, then the cookie it sets, then ``Accept-Language``; every
page answers in every offered language, by header and by parameter; the switcher keeps the
whole search."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from portal.i18n.catalogues import available_languages, compiled
from portal.i18n.locales import COOKIE

LANG = re.compile(r'<html lang="([a-z]{2})">')


def page_language(html: str) -> str:
    found = LANG.search(html)
    assert found, "the page names its language"
    return found.group(1)


def translated(language: str, message: str) -> str:
    return str(compiled(language, "messages").gettext(message))


def a_record(client: FlaskClient) -> str:
    hits = client.get("/api/v1/search?kind=dataset&per_page=1").get_json()["hits"]
    return str(hits[0]["id"])


def test_english_without_any_preference(client: FlaskClient) -> None:
    answer = client.get("/")
    assert page_language(answer.get_data(as_text=True)) == "en"
    assert answer.headers["Content-Language"] == "en"
    assert {"Accept-Language", "Cookie"} <= set(answer.vary)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-AT,de;q=0.9,en;q=0.5", "de"),
        ("fr-BE", "fr"),
        ("pt-PT,pt;q=0.9", "pt"),
        ("ja,ga;q=0.5", "ga"),
        ("zz", "en"),
        ("en;q=0.2,mt;q=0.8", "mt"),
    ],
)
def test_accept_language_chooses_among_the_offered_languages(
    client: FlaskClient, header: str, expected: str
) -> None:
    html = client.get("/sources", headers={"Accept-Language": header}).get_data(as_text=True)
    assert page_language(html) == expected


def test_the_parameter_wins_and_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    answer = client.get("/?lang=el", headers={"Accept-Language": "de"})
    assert page_language(answer.get_data(as_text=True)) == "el"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=el;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    later = client.get("/sources", headers={"Accept-Language": "de"})
    assert page_language(later.get_data(as_text=True)) == "el", "the cookie beats the header"
    assert "Set-Cookie" not in later.headers, "the cookie is only set when the choice changes"
    switched = client.get("/sources?lang=bg")
    assert page_language(switched.get_data(as_text=True)) == "bg"
    assert switched.headers["Set-Cookie"].startswith(f"{COOKIE}=bg;")


@pytest.mark.parametrize("asked", ["xx", "EN-gb", "de_DE", "<script>", ""])
def test_unknown_or_odd_parameters_fall_back_or_are_read_leniently(
    client: FlaskClient, asked: str
) -> None:
    html = client.get("/", query_string={"lang": asked}).get_data(as_text=True)
    expected = {"EN-gb": "en", "de_DE": "de"}.get(asked, "en")
    assert page_language(html) == expected
    kept = re.search(r'name="lang" value="([a-z]+)"', html)
    if asked in ("EN-gb", "de_DE"):
        assert kept and kept.group(1) == expected, "kept in the search form, as a code"
    else:
        assert kept is None, "a language that is not offered is not kept"


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("kind", ["search", "record", "sources", "source", "register"])
def test_every_page_answers_in_every_language_by_header_and_by_parameter(
    client: FlaskClient, language: str, kind: str
) -> None:
    paths = {
        "search": "/?q=water",
        "record": f"/records/{a_record(client)}",
        "sources": "/sources",
        "source": "/sources/demo-eu-cs-projects",
        "register": "/sources/new",
    }
    skip = translated(language, "Skip to content")
    for answer in (
        client.get(paths[kind], headers={"Accept-Language": language}),
        client.get(paths[kind] + ("&" if "?" in paths[kind] else "?") + f"lang={language}"),
    ):
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200
        assert page_language(html) == language
        assert answer.headers["Content-Language"] == language
        assert f">{unescape(skip)}<" in unescape(html)
        if language != "en":
            assert ">Skip to content<" not in html


def test_the_switcher_keeps_the_whole_search(client: FlaskClient) -> None:
    html = client.get("/?q=water&country=DE&kind=dataset&sort=newest&page=1&lang=fr").get_data(
        as_text=True
    )
    links = re.findall(r'<a href="([^"]+)" hreflang="([a-z]{2})" lang="\2"', html)
    assert {code for _, code in links} == set(available_languages())
    for href, code in links:
        query = parse_qs(urlsplit(unescape(href)).query)
        assert query == {
            "q": ["water"],
            "country": ["DE"],
            "kind": ["dataset"],
            "sort": ["newest"],
            "page": ["1"],
            "lang": [code],
        }
    current = re.search(r'lang="fr" aria-current="true">([^<]+)<', html)
    assert current and current.group(1) == "Français"
    assert 'rel="alternate" hreflang="de"' in html


def test_a_language_chosen_in_the_url_stays_in_the_search_form_and_not_in_exports(
    client: FlaskClient,
) -> None:
    html = client.get("/?q=water&lang=pl").get_data(as_text=True)
    assert '<input type="hidden" name="lang" value="pl">' in html
    exports = re.findall(r'href="(/export\.(?:csv|json)[^"]*)"', html)
    assert exports and all("lang=" not in unescape(href) for href in exports)


def test_api_answers_are_not_marked_with_a_language(client: FlaskClient) -> None:
    answer = client.get("/api/v1/search?q=water", headers={"Accept-Language": "de"})
    assert answer.status_code == 200
    assert "Content-Language" not in answer.headers


def test_error_pages_are_in_the_readers_language_and_the_api_keeps_json(
    client: FlaskClient,
) -> None:
    nowhere = client.get("/no/such/page", headers={"Accept-Language": "ga"})
    assert nowhere.status_code == 404
    assert "Níor aimsíodh an leathanach" in nowhere.get_data(as_text=True)
    missing = client.get("/records/demo-x:0000000000000000?lang=de")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 404
    assert page_language(html) == "de"
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert 'lang="en"' not in html.split("<main")[1], "no English detail for a plain 404"
    wrong = client.delete("/sources", headers={"Accept-Language": "pl"})
    assert wrong.status_code == 405
    assert "GET" in wrong.headers["Allow"], "the error's own headers are kept"
    api = client.get("/api/v1/nothing-here", headers={"Accept-Language": "de"})
    assert api.status_code == 404 and api.is_json
