"""The misbehaving middleware does what each named behaviour promises (plain requests)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import requests
from lxml import etree

from harvester.sample_provider import OAIProvider, SyntheticRepository
from tests.harvester.sample_provider.oai import NS, error_code
from tests.support.misbehaving import BEHAVIOURS, Misbehaving
from tests.support.servers import sample_repository

LIST = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}


@pytest.fixture
def serve_misbehaving(server_factory):
    """``serve_misbehaving(behaviour, **options)`` -> (server, middleware) over the test repo."""

    def make(behaviour, page_size=5, **options):
        app = Misbehaving(
            OAIProvider(sample_repository(), page_size=page_size), behaviour, **options
        )
        return server_factory(app), app

    return make


def token_of(content: bytes) -> str | None:
    root = etree.fromstring(content)
    token = root.find(".//o:resumptionToken", NS)
    return None if token is None else (token.text or "")


def fetch(url: str, **params: Any) -> requests.Response:
    return requests.get(url, params=params, timeout=10)


def test_every_behaviour_is_documented_and_known():
    import tests.support.misbehaving as module

    assert module.__doc__ is not None
    for name in BEHAVIOURS:
        assert f"``{name}``" in module.__doc__
    with pytest.raises(ValueError, match="unknown behaviour"):
        Misbehaving(OAIProvider(sample_repository()), "explode")
    with pytest.raises(TypeError, match="does not take"):
        Misbehaving(OAIProvider(sample_repository()), "slow", colour="red")


def test_none_passes_through_and_logs(serve_misbehaving):
    server, app = serve_misbehaving("none")
    assert fetch(server.url, verb="Identify").status_code == 200
    assert fetch(server.url, verb="Nope").status_code == 200
    assert app.log == [({"verb": "Identify"}, 200), ({"verb": "Nope"}, 200)]
    assert app.count("Identify") == 1


def test_retry_after_seconds(serve_misbehaving):
    server, app = serve_misbehaving("retry_after_seconds", times=2)
    answers = [fetch(server.url, verb="Identify") for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].headers["Retry-After"] == "1"
    assert [status for _, status in app.log] == [503, 503, 200]


def test_retry_after_date(serve_misbehaving):
    server, _ = serve_misbehaving("retry_after_date", times=1)
    first = fetch(server.url, **LIST)
    assert first.status_code == 503
    when = parsedate_to_datetime(first.headers["Retry-After"])
    ahead = (when - datetime.now(UTC)).total_seconds()
    assert 0 < ahead <= 2.1
    assert fetch(server.url, **LIST).status_code == 200


def test_too_many_requests(serve_misbehaving):
    server, _ = serve_misbehaving("too_many_requests", times=1, retry_after=2)
    first = fetch(server.url, verb="Identify")
    assert first.status_code == 429
    assert first.headers["Retry-After"] == "2"
    assert fetch(server.url, verb="Identify").status_code == 200
    server, _ = serve_misbehaving("too_many_requests", retry_after=None)
    assert "Retry-After" not in fetch(server.url, verb="Identify").headers


def test_error_500_then_ok_on_the_second_page_only(serve_misbehaving):
    server, _ = serve_misbehaving("error_500_then_ok", verbs=("ListRecords",), start=2, times=2)
    first = fetch(server.url, **LIST)
    token = token_of(first.content)
    assert first.status_code == 200
    statuses = [
        fetch(server.url, verb="ListRecords", resumptionToken=token).status_code for _ in range(3)
    ]
    assert statuses == [500, 500, 200]


def test_oai_error_422_turns_provider_errors_into_invenio_style(serve_misbehaving):
    server, _ = serve_misbehaving("oai_error_422")
    response = fetch(server.url, verb="ListRecords", metadataPrefix="marcxml")
    assert response.status_code == 422
    assert response.content.startswith(b"<?xml-stylesheet")
    assert b"<?xml " not in response.content
    assert b"\n" not in response.content
    assert error_code(etree.fromstring(response.content)) == "cannotDisseminateFormat"
    assert fetch(server.url, **LIST).status_code == 200


def test_oai_error_422_forced_code(serve_misbehaving):
    server, _ = serve_misbehaving("oai_error_422", code="badArgument", verbs=("ListRecords",))
    response = fetch(server.url, **LIST)
    assert response.status_code == 422
    assert error_code(etree.fromstring(response.content)) == "badArgument"
    assert fetch(server.url, verb="Identify").status_code == 200


def test_repeated_token(serve_misbehaving):
    server, _ = serve_misbehaving("repeated_token")
    first = token_of(fetch(server.url, **LIST).content)
    assert first
    for _ in range(4):  # the list has 3 pages, but never ends now
        assert (
            token_of(fetch(server.url, verb="ListRecords", resumptionToken=first).content) == first
        )


def test_self_token(serve_misbehaving):
    server, _ = serve_misbehaving("self_token")
    first = token_of(fetch(server.url, **LIST).content)
    assert first
    again = token_of(fetch(server.url, verb="ListRecords", resumptionToken=first).content)
    assert again == first


def test_truncated_xml_on_the_second_page(serve_misbehaving):
    server, _ = serve_misbehaving("truncated_xml")
    first = fetch(server.url, **LIST)
    etree.fromstring(first.content)
    second = fetch(server.url, verb="ListRecords", resumptionToken=token_of(first.content))
    assert second.status_code == 200
    assert int(second.headers["Content-Length"]) == len(second.content)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(second.content)


def test_truncated_xml_with_the_full_content_length(serve_misbehaving):
    server, _ = serve_misbehaving("truncated_xml", page=1, keep_length=True)
    with pytest.raises(
        (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)
    ):
        fetch(server.url, **LIST)


def test_illegal_chars(serve_misbehaving):
    server, app = serve_misbehaving("illegal_chars", records=2)
    body = fetch(server.url, **LIST).content
    assert b"\x01" in body
    assert b"\x0b" in body
    assert b"&#x1;" in body
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    assert app.affected == [
        "oai:test.csfinder.example:cs-0001",
        "oai:test.csfinder.example:cs-0002",
    ]
    repaired = etree.fromstring(body, etree.XMLParser(recover=True))
    token = repaired.findtext(".//o:resumptionToken", namespaces=NS)
    second = fetch(server.url, verb="ListRecords", resumptionToken=token)
    etree.fromstring(second.content)  # only the first page is corrupted


def test_wrong_charset_keeps_claiming_utf8(serve_misbehaving):
    server, _ = serve_misbehaving("wrong_charset")
    response = fetch(server.url, **LIST)
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    assert "Hummelspaziergänge" in response.content.decode("cp1252")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_wrong_charset_without_any_declaration(serve_misbehaving):
    server, _ = serve_misbehaving(
        "wrong_charset", declaration=None, header_charset=None, encoding="iso-8859-1"
    )
    response = fetch(server.url, **LIST)
    assert response.headers["Content-Type"] == "text/xml"
    assert response.content.startswith(b"<OAI-PMH")
    assert b"Hummelspazierg\xe4nge" in response.content


def test_slow_times_out_then_recovers(serve_misbehaving):
    server, _ = serve_misbehaving("slow", delay=1.0, times=1)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(server.url, params={"verb": "Identify"}, timeout=0.3)
    began = time.perf_counter()
    assert requests.get(server.url, params={"verb": "Identify"}, timeout=5).status_code == 200
    assert time.perf_counter() - began < 0.9


def test_slow_pages_delays_list_pages_only(serve_misbehaving):
    server, _ = serve_misbehaving("slow_pages", delay=0.3)
    began = time.perf_counter()
    fetch(server.url, verb="Identify")
    assert time.perf_counter() - began < 0.25
    began = time.perf_counter()
    fetch(server.url, **LIST)
    assert time.perf_counter() - began >= 0.3


def test_expired_token(serve_misbehaving):
    server, _ = serve_misbehaving("expired_token")
    first = fetch(server.url, **LIST)
    assert error_code(etree.fromstring(first.content)) is None
    second = fetch(server.url, verb="ListRecords", resumptionToken=token_of(first.content))
    assert second.status_code == 200
    assert error_code(etree.fromstring(second.content)) == "badResumptionToken"


def test_billion_laughs(serve_misbehaving):
    server, _ = serve_misbehaving("billion_laughs", depth=4)
    body = fetch(server.url, **LIST).content
    assert b"<!DOCTYPE OAI-PMH [" in body
    assert b'<!ENTITY lol4 "&lol3;' in body
    safe = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
    title = safe.find(".//dc:title", NS)
    assert title is not None
    expanded = etree.fromstring(body)  # depth 4 is small enough to expand: 10**4 "lol"
    assert expanded.findtext(".//dc:title", namespaces=NS).startswith("lol" * 10_000)  # type: ignore[union-attr]


def test_xxe_points_at_a_local_file(serve_misbehaving):
    server, app = serve_misbehaving("xxe")
    body = fetch(server.url, **LIST).content
    assert b'<!ENTITY xxe SYSTEM "file://' in body
    assert app.secret_marker
    unsafe = etree.fromstring(body, etree.XMLParser(resolve_entities=True, load_dtd=True))
    assert app.secret_marker in (unsafe.findtext(".//dc:title", namespaces=NS) or "")
    safe = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    assert app.secret_marker not in etree.tostring(safe).decode()


def test_huge_streams_a_large_well_formed_page(serve_misbehaving):
    size = 3 * 1024 * 1024
    server, _ = serve_misbehaving("huge", size=size)
    response = requests.get(server.url, params=LIST, timeout=30, stream=True)
    assert int(response.headers["Content-Length"]) > size
    received = b"".join(response.iter_content(65536))
    assert len(received) == int(response.headers["Content-Length"])
    etree.fromstring(received, etree.XMLParser(huge_tree=True))
    server, _ = serve_misbehaving("huge", size=size, content_length=False)
    response = requests.get(server.url, params=LIST, timeout=30)
    assert "Content-Length" not in response.headers
    assert len(response.content) > size


def test_misbehaving_wraps_a_synthetic_provider_too(server_factory):
    app = Misbehaving(OAIProvider(SyntheticRepository(1000), page_size=100), "truncated_xml")
    server = server_factory(app)
    first = fetch(server.url, **LIST)
    second = fetch(server.url, verb="ListRecords", resumptionToken=token_of(first.content))
    assert len(second.content) < len(first.content)
    assert app.log[1][0]["verb"] == "ListRecords"
