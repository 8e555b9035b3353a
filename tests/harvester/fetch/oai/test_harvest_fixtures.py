"""Harvesting the recorded responses of real providers (Zenodo, DSpace, Sickle's samples,
B2FIND's records), replayed over real HTTP on 127.0.0.1 from ``shared/fixtures/oai-pmh``.

What the recordings hold is read from the recorded files themselves at test time, so that
the tests state what the harvester must make of them without copying them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.fetch.http import http_client_for
from harvester.fetch.oai.check import CheckReport, check_oai_endpoint
from harvester.pipeline.harvest import HarvestRequest
from harvester.sample_provider import RunningServer
from harvester.store import FAILED, SUCCEEDED, Run, Store
from tests.support.fixture_provider import SHARED_FIXTURES, FixtureProvider
from tests.support.harvesting import harvest_run, oai_source
from tests.support.servers import fixture_server

__all__ = ["fixture_server"]

pytestmark = pytest.mark.skipif(
    SHARED_FIXTURES is None,
    reason="the recorded provider responses (shared/fixtures/oai-pmh) are not beside the repo",
)

SOURCE_ID = "recorded"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"

Serve = Callable[..., RunningServer]


def recorded(relative: str) -> Path:
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES / "oai-pmh" / relative


def parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser).getroot()


def headers(path: Path) -> dict[str, bool]:
    """Identifier -> deleted, for every record header of a recorded list page."""
    return {
        (h.findtext(OAI + "identifier") or "").strip(): h.get("status") == "deleted"
        for h in parse(path).iter(OAI + "header")
    }


def next_token(path: Path) -> str:
    token = parse(path).findtext(f".//{OAI}resumptionToken")
    assert token
    return token.strip()


def source(url: str, prefix: str = "oai_dc", **fields: Any) -> SourceConfig:
    return oai_source(SOURCE_ID, url, prefix, **fields)


def harvest(
    url: str,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
    **fields: Any,
) -> Run:
    """Harvest; return the run whether it succeeded or failed (a failure raises its reason)."""
    return harvest_run(source(url, **fields), store, settings, request)


def stored(store: Store) -> dict[str, bool]:
    """Identifier -> deleted, for every stored record."""
    return {s.record.identifier: s.record.deleted for s in store.iter_records(SOURCE_ID)}


def logged(server: RunningServer) -> list[tuple[dict[str, str], int]]:
    app = server.app
    assert isinstance(app, FixtureProvider)
    return list(app.log)


def list_log(server: RunningServer) -> list[tuple[dict[str, str], int]]:
    return [(p, s) for p, s in logged(server) if p.get("verb") == "ListRecords"]


# ---------------------------------------------------------------------------------- Zenodo


def test_zenodo_two_pages_then_a_refused_token(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    server = fixture_server("zenodo")
    first = recorded("zenodo-2026-08/ListRecords_oai_dc_page1.xml")
    resumed = recorded("zenodo-2026-08/ListRecords_oai_dc_resumed.xml")
    expected = {**headers(first), **headers(resumed)}
    assert len(expected) == 6
    assert sum(expected.values()) == 1, "one deletion notice"

    run = harvest(server.url, store, fast_settings)

    # The recording ends with the second page: the token it hands out is answered with
    # Zenodo's recorded badResumptionToken, sent with HTTP 422.
    assert run.status == FAILED
    assert run.error is not None
    assert "OAI-PMH error 'badResumptionToken'" in run.error
    assert "invalid or expired" in run.error
    assert "HTTP 422" in run.error
    assert [s for _, s in list_log(server)] == [200, 200, 422], "no retry of an OAI error"
    assert stored(store) == expected, "the records of both pages are kept"
    assert run.counts.seen == 6
    assert run.counts.deleted == 1
    assert run.checkpoint.token == next_token(resumed), "resumable where it stopped"
    assert run.response_date == parse(recorded("zenodo-2026-08/Identify.xml")).findtext(
        OAI + "responseDate"
    )

    # The next run tries the checkpoint, is refused again, lists again: nothing is doubled.
    again = harvest(server.url, store, fast_settings)
    assert again.status == FAILED
    assert again.resumed_run_id == run.id
    assert list_log(server)[3][0] == {
        "verb": "ListRecords",
        "resumptionToken": run.checkpoint.token,
    }
    refusals = [r.reason for r in store.error_samples(again.id)]
    assert any("resumption token was refused" in reason for reason in refusals)
    assert again.counts.unchanged == 6
    assert again.counts.added == 0
    assert stored(store) == expected


def test_zenodo_unknown_metadata_prefix_fails_with_bad_argument(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    server = fixture_server("zenodo")
    run = harvest(server.url, store, fast_settings, prefix="XXX")
    assert run.status == FAILED
    assert run.error is not None
    assert "OAI-PMH error 'badArgument'" in run.error
    assert "metadataPrefix does not exist" in run.error
    assert "HTTP 422" in run.error
    assert [s for _, s in list_log(server)] == [422]
    assert stored(store) == {}


@pytest.mark.parametrize(
    ("fields", "request_", "asked"),
    [
        ({"sets": ("XXX",)}, None, {"set": "XXX"}),
        ({}, HarvestRequest(from_date="2030-01-01"), {"from": "2030-01-01"}),
    ],
    ids=["unknown-set", "from-2030"],
)
def test_zenodo_no_records_match_is_an_empty_successful_run(
    fixture_server: Serve,
    store: Store,
    fast_settings: HarvestSettings,
    fields: dict[str, Any],
    request_: HarvestRequest | None,
    asked: dict[str, str],
) -> None:
    server = fixture_server("zenodo")
    run = harvest(server.url, store, fast_settings, request_, **fields)
    assert run.status == SUCCEEDED, run.error
    assert run.error is None
    assert run.counts.seen == 0
    [(params, status)] = list_log(server)
    assert status == 422
    assert params == {"verb": "ListRecords", "metadataPrefix": "oai_dc", **asked}
    assert stored(store) == {}


# ---------------------------------------------------------------------------------- Sickle


def test_sickle_samples_follow_file_name_tokens(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    server = fixture_server("sickle")
    pages = ["ListRecords.xml", "ListRecords2.xml", "ListRecords3.xml"]
    expected: dict[str, bool] = {}
    for page in pages:
        expected.update(headers(recorded(f"sickle-sample-data/{page}")))

    # Identify declares day granularity: a from-date in seconds is cut to the day.
    run = harvest(
        server.url, store, fast_settings, HarvestRequest(from_date="2011-01-01T10:00:00Z")
    )

    asked = [p for p, _ in list_log(server)]
    assert asked[0] == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2011-01-01"}
    tokens = [p["resumptionToken"] for p in asked[1:]]
    assert tokens == [next_token(recorded(f"sickle-sample-data/{page}")) for page in pages]
    # The last recorded page points at a page that was never recorded.
    assert run.status == FAILED
    assert run.error is not None
    assert "OAI-PMH error 'badResumptionToken'" in run.error
    assert run.checkpoint.token == tokens[-1]
    # The pages repeat the same two records (one deleted): stored once, counted per page.
    assert stored(store) == expected
    assert run.counts.seen == 2 * len(pages)
    assert run.counts.failed == 0
    assert run.counts.unchanged == 2 * (len(pages) - 1)
    alive = next(identifier for identifier, deleted in expected.items() if not deleted)
    record = store.get_record(SOURCE_ID, alive)
    assert record is not None
    assert record.record.payload is not None
    # The stray "(?s)" after an element is kept as text and breaks nothing.
    assert "Sample Source</dc:source>(?s)" in record.record.payload


# ---------------------------------------------------------------------------------- DSpace


def test_dspace_2003_list_records_then_incremental(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    server = fixture_server("dspace")
    page = recorded("pyoai-dspace-erasmus/fake1_00005.xml")
    expected = headers(page)
    assert len(expected) > 10

    run = harvest(server.url, store, fast_settings, HarvestRequest(from_date="2003-04-10"))
    assert run.status == SUCCEEDED, run.error
    assert list_log(server)[0][0]["from"] == "2003-04-10"
    assert stored(store) == expected
    assert (run.counts.seen, run.counts.added, run.counts.failed) == (
        len(expected),
        len(expected),
        0,
    )
    first = parse(page).find(f".//{OAI}header")
    assert first is not None
    identifier = first.findtext(OAI + "identifier") or ""
    record = store.get_record(SOURCE_ID, identifier)
    assert record is not None
    assert record.record.datestamp == first.findtext(OAI + "datestamp")
    assert list(record.record.sets) == [s.text for s in first.iter(OAI + "setSpec")]
    payload = etree.fromstring((record.record.payload or "").encode("utf-8"))
    assert etree.QName(payload).namespace == OAI_DC_NS

    # The next run asks from the responseDate of this run's Identify (recorded in 2003).
    identify_date = parse(recorded("pyoai-dspace-erasmus/fake1_00001.xml")).findtext(
        OAI + "responseDate"
    )
    assert run.response_date == identify_date
    again = harvest(server.url, store, fast_settings)
    assert again.status == SUCCEEDED, again.error
    assert list_log(server)[1][0]["from"] == identify_date
    assert again.counts.unchanged == len(expected)


# ---------------------------------------------------------------------------------- B2FIND


def b2find_headers() -> dict[str, bool]:
    """Identifier -> deleted, for every recorded single record of B2FIND."""
    found: dict[str, bool] = {}
    for path in sorted(recorded("b2find-records").glob("*.xml")):
        root = parse(path)
        if root.tag == OAI + "record":
            found.update(headers(path))
    return found


@pytest.mark.parametrize(
    ("prefix", "namespace"),
    [
        ("oai_dc", OAI_DC_NS),
        ("datacite", "http://datacite.org/schema/kernel-"),
        ("oai_datacite", "http://schema.datacite.org/oai/oai-1.0/"),
    ],
)
def test_b2find_records_in_each_format(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings, prefix: str, namespace: str
) -> None:
    server = fixture_server("b2find", page_size=5)
    run = harvest(server.url, store, fast_settings, prefix=prefix)
    assert run.status == SUCCEEDED, run.error
    records = list(store.iter_records(SOURCE_ID))
    assert run.counts.seen == len(records) + run.counts.failed
    for kept in records:
        assert kept.record.metadata_format == prefix
        payload = etree.fromstring((kept.record.payload or "").encode("utf-8"))
        assert (etree.QName(payload).namespace or "").startswith(namespace)
    assert {r.record.identifier for r in records} <= set(b2find_headers())
    if prefix == "oai_datacite":
        # The only oai_datacite record is the one whose header identifier is empty.
        assert records == []
        assert run.counts.failed == 1
        [failure] = store.error_samples(run.id)
        assert failure.reason == "record header has no identifier"
    else:
        assert records
        assert run.counts.failed == 0


def test_b2find_empty_identifier_fails_one_record_not_the_run(
    fixture_server: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    server = fixture_server("b2find", page_size=5, any_prefix=True)
    expected = b2find_headers()
    assert "" in expected

    run = harvest(server.url, store, fast_settings)

    assert run.status == SUCCEEDED, run.error
    assert len(list_log(server)) > 1, "several pages"
    assert stored(store) == {k: v for k, v in expected.items() if k}
    assert run.counts.seen == len(expected)
    assert run.counts.failed == 1
    assert run.counts.added == len(expected) - 1
    reasons = [(f.identifier, f.reason) for f in store.error_samples(run.id)]
    assert reasons == [(None, "record header has no identifier")]


# -------------------------------------------------------------------------- sources check


def check(server: RunningServer, prefix: str | None, sets: tuple[str, ...]) -> CheckReport:
    http = http_client_for(source(server.url), HarvestSettings(timeout=3.0, max_retries=0))
    try:
        return check_oai_endpoint(SOURCE_ID, server.url, prefix, sets, http)
    finally:
        http.close()


def recorded_set_specs(*relative: str) -> list[str]:
    return [
        (spec.text or "").strip()
        for path in relative
        for spec in parse(recorded(path)).iter(OAI + "setSpec")
    ]


def test_check_zenodo_reads_identify_formats_and_every_set_page(fixture_server: Serve) -> None:
    server = fixture_server("zenodo")
    specs = recorded_set_specs(
        "zenodo-2026-08/ListSets_page1.xml", "zenodo-2026-08/ListSets_page2.xml"
    )
    report = check(server, "oai_dc", (specs[-1],))
    assert report.ok, report.problems
    assert report.identify["repository_name"] == "Zenodo"
    assert report.identify["granularity"] == "YYYY-MM-DDThh:mm:ssZ"
    assert {"oai_dc", "datacite"} <= set(report.formats)
    assert [spec for spec, _ in report.sets] == specs
    assert report.sets_complete

    wrong = check(server, "XXX", ("no-such-set",))
    assert not wrong.ok
    assert any("metadata_prefix 'XXX' is not offered" in p for p in wrong.problems)
    assert any("configured sets not offered: no-such-set" in p for p in wrong.problems)


def test_check_dspace(fixture_server: Serve) -> None:
    server = fixture_server("dspace")
    specs = recorded_set_specs("pyoai-dspace-erasmus/fake1_00000.xml")
    report = check(server, "oai_dc", (specs[0],))
    assert report.ok, report.problems
    assert report.identify["repository_name"] == parse(
        recorded("pyoai-dspace-erasmus/fake1_00001.xml")
    ).findtext(f".//{OAI}repositoryName")
    assert report.formats == ["oai_dc"]
    assert [spec for spec, _ in report.sets] == specs


def test_check_dspace_with_a_malformed_identify(fixture_server: Serve) -> None:
    server = fixture_server("dspace", malformed_identify=True)
    report = check(server, "oai_dc", ())
    assert not report.ok
    [problem] = report.problems
    assert problem.startswith("Identify failed, is this an OAI-PMH endpoint?")
    assert "not well-formed XML at line 1, column" in problem
