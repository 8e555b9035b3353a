"""A record page in the reader's language: its texts in that language first, each marked
with its language; FAIR reasons said from their codes, the stored English where the record
was assessed differently."""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.i18n.reasons import indicator_reasons
from portal.records import load_record


def record_id(client: FlaskClient, words: str) -> str:
    query = {"q": words, "kind": "project"}
    hits = client.get("/api/v1/search", query_string=query).get_json()["hits"]
    assert hits, f"the demo holds a record about {words!r}"
    return str(hits[0]["id"])


def heading(html: str) -> tuple[str, str]:
    found = re.search(r'<h1 lang="([a-z]{2})">([^<]+)</h1>', html)
    assert found, "the title is marked with its language"
    return found.group(1), found.group(2)


def test_the_title_and_description_in_the_readers_language_come_first(
    client: FlaskClient,
) -> None:
    page = f"/records/{record_id(client, 'Futterhaus')}"
    german = client.get(page + "?lang=de").get_data(as_text=True)
    english = client.get(page + "?lang=en").get_data(as_text=True)
    assert heading(german) == ("de", "Wintergäste am Futterhaus")
    assert heading(english) == ("en", "Winter Guests at the Bird Feeder")
    assert '<p class="alternate" lang="en">Winter Guests at the Bird Feeder</p>' in german
    assert '<p class="alternate" lang="de">Wintergäste am Futterhaus</p>' in english
    for html, first, second in ((german, "de", "en"), (english, "en", "de")):
        versions = re.findall(r'<div class="description" lang="([a-z]{2})">', html)
        assert versions == [first, second], "each description marked, the reader's first"
    assert "<title>Wintergäste am Futterhaus" in german


def test_a_record_in_a_third_language_keeps_the_sources_order(client: FlaskClient) -> None:
    page = f"/records/{record_id(client, 'Futterhaus')}?lang=fr"
    html = client.get(page).get_data(as_text=True)
    assert heading(html) == ("de", "Wintergäste am Futterhaus")
    assert re.findall(r'<div class="description" lang="([a-z]{2})">', html) == ["de", "en"]
    assert ">Allemand</h3>" in html and ">Anglais</h3>" in html, "named in French"


def test_fair_reasons_are_said_in_the_readers_language(client: FlaskClient) -> None:
    page = f"/records/{record_id(client, 'Futterhaus')}"
    html = client.get(page + "?lang=de").get_data(as_text=True)
    assert "die URL der Eintragsseite ist eine eindeutige IRI" in html
    assert "Persistenter Identifikator" in html
    assert '<span lang="en">' not in html.split('class="indicators"')[1].split("</table>")[0]
    greek = client.get(page + "?lang=el").get_data(as_text=True)
    assert "Μόνιμο αναγνωριστικό" in greek
    assert "κανένα DOI, Handle, ARK ή URN στα αναγνωριστικά (url)" in greek


def test_reasons_of_a_record_assessed_differently_stay_in_english(
    app: Flask, client: FlaskClient
) -> None:
    identifier = record_id(client, "Futterhaus")
    with app.test_request_context("/?lang=de"):
        record = load_record(identifier)
        assert record is not None
        said = indicator_reasons(record)
        assert len(said) == len(record["quality"]["indicators"]), "every metric, translated"
        older: dict[str, Any] = copy.deepcopy(record)
        changed = older["quality"]["indicators"][0]
        changed.update(passed=False, earned=0, reason="assessed by an older csfinder")
        again = indicator_reasons(older)
        assert changed["id"] not in again, "not the reason of another outcome"
        assert set(said) - set(again) == {changed["id"]}
        assert indicator_reasons({"id": "not a record"}) == {}


def test_result_titles_are_marked_with_their_language(client: FlaskClient) -> None:
    html = client.get("/?q=Futterhaus&lang=en").get_data(as_text=True)
    assert re.search(r'<a href="/records/[^"]+" lang="de">(<mark>)?Winterg', html)
