"""Harvesting a provider that misbehaves in one named way, over real HTTP on 127.0.0.1.

Each test serves the invented 12-record test repository (5 records a page, so 3 list pages;
``cs-0005`` is in both sets, ``cs-0009`` is deleted) through :class:`Misbehaving`, harvests
it into a real SQLite store and checks what the issue asks of the harvester.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.pipeline.harvest import HarvestRequest
from harvester.sample_provider import ListRepository, OAIProvider, RunningServer
from harvester.store import FAILED, SUCCEEDED, Run, Store
from tests.support.harvesting import harvest_run, oai_source
from tests.support.misbehaving import Misbehaving
from tests.support.servers import sample_repository, server_factory

__all__ = ["server_factory"]

SOURCE_ID = "misbehaving"
PAGE_SIZE = 5
PREFIX = "oai:test.csfinder.example:"
ALL_IDS = {f"{PREFIX}cs-{n:04d}" for n in range(1, 13)}
DELETED_ID = f"{PREFIX}cs-0009"
FIRST_PAGE_IDS = {f"{PREFIX}cs-{n:04d}" for n in range(1, 6)}

Serve = Callable[..., RunningServer]


class Arrivals:
    """WSGI middleware noting when each request arrived (the misbehaving log has no times).

    After ``limit`` requests it answers HTTP 410, so that a harvester that loops fails the
    test instead of hanging it.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int = 100) -> None:
        self.app = app
        self.limit = limit
        self.seen: list[tuple[dict[str, str], float]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", "") or "", keep_blank_values=True)
        with self._lock:
            self.seen.append(({k: v[0] for k, v in query.items()}, time.monotonic()))
            over = len(self.seen) > self.limit
        if over:
            start_response("410 Gone", [("Content-Type", "text/plain")])
            return [b"request limit of the test reached\n"]
        return self.app(environ, start_response)

    def times(self, verb: str) -> list[float]:
        with self._lock:
            return [at for params, at in self.seen if params.get("verb") == verb]


def provider(
    behaviour: str, repository: ListRepository | None = None, **options: Any
) -> Misbehaving:
    """The test repository behind a misbehaving middleware."""
    clock = options.pop("clock", None)
    extra = {"clock": clock} if clock is not None else {}
    app = OAIProvider(repository or sample_repository(), page_size=PAGE_SIZE, **extra)
    return Misbehaving(app, behaviour, **options)


def source(url: str, **fields: Any) -> SourceConfig:
    return oai_source(SOURCE_ID, url, **fields)


def harvest(
    url: str,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
    **fields: Any,
) -> Run:
    """Harvest; return the run whether it succeeded or failed (a failure raises its reason)."""
    return harvest_run(source(url, **fields), store, settings, request)


def stored_ids(store: Store) -> set[str]:
    return {s.record.identifier for s in store.iter_records(SOURCE_ID)}


def samples(store: Store, run: Run) -> list[str]:
    return [f.reason for f in store.error_samples(run.id)]


def list_requests(app: Misbehaving) -> list[tuple[dict[str, str], int]]:
    return [(p, s) for p, s in app.requests if p.get("verb") == "ListRecords"]


def assert_complete_once(store: Store, run: Run) -> None:
    """Every record of the repository stored once, counted once, in a run that succeeded."""
    assert run.status == SUCCEEDED, run.error
    assert stored_ids(store) == ALL_IDS
    assert store.record_counts(SOURCE_ID) == {SOURCE_ID: {"records": 12, "deleted": 1}}
    assert run.counts.seen == 12
    assert (run.counts.added, run.counts.deleted) == (11, 1)
    assert run.counts.updated == run.counts.unchanged == run.counts.failed == 0


# --------------------------------------------------------------------------- retries


@pytest.mark.parametrize(
    ("behaviour", "options", "status"),
    [
        ("retry_after_seconds", {"seconds": 1, "times": 2}, 503),
        ("retry_after_date", {"seconds": 1, "times": 1}, 503),
        ("too_many_requests", {"retry_after": 1, "times": 1}, 429),
    ],
)
def test_retry_after_is_honoured_and_the_run_succeeds(
    server_factory: Serve,
    store: Store,
    fast_settings: HarvestSettings,
    behaviour: str,
    options: dict[str, Any],
    status: int,
) -> None:
    app = provider(behaviour, **options)
    arrivals = Arrivals(app)
    run = harvest(server_factory(arrivals).url, store, fast_settings)

    assert_complete_once(store, run)
    refused = options["times"]
    assert [s for p, s in app.requests if p["verb"] == "Identify"] == [status] * refused + [200]
    identify = arrivals.times("Identify")
    waits = [later - earlier for earlier, later in itertools.pairwise(identify)]
    # The backoff alone would wait 0.05-0.1 s; Retry-After asks for about a second.
    assert all(wait >= 0.9 for wait in waits), waits
    assert len(list_requests(app)) == 3


def test_429_without_retry_after_backs_off_and_succeeds(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("too_many_requests", retry_after=None, verbs=("ListRecords",), start=2)
    run = harvest(server_factory(app).url, store, fast_settings)
    assert_complete_once(store, run)
    assert [s for _, s in list_requests(app)] == [200, 429, 429, 200, 200]


def test_500_then_success(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("error_500_then_ok")
    run = harvest(server_factory(app).url, store, fast_settings)
    assert_complete_once(store, run)
    assert [s for _, s in app.requests][:3] == [500, 500, 200]


def test_5xx_that_never_ends_fails_the_run_naming_the_status(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("retry_after_seconds", seconds=0, verbs=("ListRecords",), start=2, times=None)
    run = harvest(server_factory(app).url, store, fast_settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "HTTP 503" in run.error
    assert "3 attempts" in run.error
    assert stored_ids(store) == FIRST_PAGE_IDS, "the first page is kept"
    assert run.checkpoint.token, "resumable from the page that failed"
    assert [s for _, s in list_requests(app)] == [200, 503, 503, 503]


# ------------------------------------------------------------------------- OAI errors


def test_oai_error_sent_with_422_fails_naming_the_oai_code(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("oai_error_422", code="badArgument", verbs=("ListRecords",))
    run = harvest(server_factory(app).url, store, fast_settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "'badArgument'" in run.error
    assert "Forced error" in run.error
    assert "422" in run.error
    assert not run.error.startswith("HTTP"), "read as an OAI error, not a bare HTTP one"
    assert [s for _, s in list_requests(app)] == [422], "an OAI error is not retried"
    assert stored_ids(store) == set()


def test_no_records_match_sent_with_422_is_an_empty_successful_run(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("oai_error_422")
    run = harvest(
        server_factory(app).url, store, fast_settings, HarvestRequest(from_date="2030-01-01")
    )
    assert run.status == SUCCEEDED, run.error
    assert run.counts.seen == 0
    assert run.error is None
    [(params, status)] = list_requests(app)
    assert params["from"] == "2030-01-01"
    assert status == 422
    assert stored_ids(store) == set()


# ------------------------------------------------------------------ resumption tokens


@pytest.mark.parametrize("behaviour", ["repeated_token", "self_token"])
def test_token_loop_ends_the_run_with_a_clear_error(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings, behaviour: str
) -> None:
    app = provider(behaviour)
    run = harvest(server_factory(Arrivals(app, limit=20)).url, store, fast_settings)
    assert run.status == FAILED
    assert run.error is not None
    assert re.search(r"resumption token '[^']+' again", run.error), run.error
    assert len(list_requests(app)) == 2, "the loop is stopped at the first repetition"
    assert stored_ids(store) == FIRST_PAGE_IDS, "records of the earlier page are kept"
    assert run.counts.seen == 5


# --------------------------------------------------------------------------- broken XML


def test_truncated_page_fails_clearly_then_resumes_from_the_checkpoint(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    # Page 2 and both of its retries are cut in half; afterwards the provider recovers.
    app = provider("truncated_xml", start=2, times=3)
    url = server_factory(app).url
    failed = harvest(url, store, fast_settings)

    assert failed.status == FAILED
    assert failed.error is not None
    assert re.search(r"not well-formed XML at line \d+, column \d+", failed.error), failed.error
    assert stored_ids(store) == FIRST_PAGE_IDS
    token = failed.checkpoint.token
    assert token

    before = len(app.requests)
    resumed = harvest(url, store, fast_settings)
    assert resumed.status == SUCCEEDED, resumed.error
    assert resumed.resumed_run_id == failed.id
    first_list = next(p for p, _ in app.requests[before:] if p["verb"] == "ListRecords")
    assert first_list == {"verb": "ListRecords", "resumptionToken": token}
    assert stored_ids(store) == ALL_IDS
    assert resumed.counts.seen == 7, "only the pages after the checkpoint are read"
    assert resumed.counts.unchanged == 0
    added = failed.counts.added + resumed.counts.added + failed.counts.deleted
    assert added + resumed.counts.deleted == 12, "every record created exactly once"


@pytest.mark.parametrize("keep_length", [False, True], ids=["short-body", "connection-cut"])
def test_a_page_truncated_once_is_fetched_again(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings, keep_length: bool
) -> None:
    app = provider("truncated_xml", keep_length=keep_length)
    run = harvest(server_factory(app).url, store, fast_settings)
    assert_complete_once(store, run)
    assert len(list_requests(app)) == 4


def test_illegal_characters_are_repaired_and_recorded(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("illegal_chars")
    run = harvest(server_factory(app).url, store, fast_settings)
    assert_complete_once(store, run)
    [affected] = app.affected
    record = store.get_record(SOURCE_ID, affected)
    assert record is not None
    assert record.record.payload is not None
    payload = record.record.payload
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", payload)
    assert "&#" not in payload
    assert "Bumblebee walks on the Eastfield allotments</dc:title>" in payload
    assert "Fortnightly transect walks" in payload
    assert any(reason.startswith("response repaired: ") for reason in samples(store, run))


@pytest.mark.parametrize(
    ("encoding", "declaration", "header_charset"),
    [
        ("cp1252", "utf-8", "utf-8"),
        ("cp1252", None, None),
        ("cp1252", None, "windows-1252"),
        ("utf-8", "iso-8859-1", "iso-8859-1"),
    ],
    ids=[
        "cp1252-declared-utf8",
        "cp1252-undeclared",
        "cp1252-http-charset",
        "utf8-declared-latin1",
    ],
)
def test_wrong_charset_is_decoded_correctly(
    server_factory: Serve,
    store: Store,
    fast_settings: HarvestSettings,
    encoding: str,
    declaration: str | None,
    header_charset: str | None,
) -> None:
    app = provider(
        "wrong_charset", encoding=encoding, declaration=declaration, header_charset=header_charset
    )
    run = harvest(server_factory(app).url, store, fast_settings)
    assert_complete_once(store, run)
    expected = {
        "cs-0001": "Hummelspaziergänge in den Kleingärten Ostfeld",
        "cs-0002": "Mare aux grenouilles : relevés de pH",
        "cs-0006": "Asociación Astronómica de la Sierra",
        "cs-0012": "Sötvattensmusslor i Ljusån",
    }
    for number, text in expected.items():
        record = store.get_record(SOURCE_ID, PREFIX + number)
        assert record is not None
        assert record.record.payload is not None
        assert text in record.record.payload
        assert "\ufffd" not in record.record.payload
        assert "Ã" not in record.record.payload
    assert any(r.startswith("response repaired: decoded as ") for r in samples(store, run))


# ------------------------------------------------------------------------------ timeouts


def test_slow_response_times_out_and_is_retried(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("slow", delay=1.5, times=1)
    arrivals = Arrivals(app)
    settings = replace(fast_settings, timeout=0.5)
    run = harvest(server_factory(arrivals).url, store, settings)
    assert_complete_once(store, run)
    assert len(arrivals.times("Identify")) == 2


def test_slow_responses_beyond_the_retries_fail_the_run_as_timed_out(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("slow", delay=1.0, verbs=("ListRecords",), start=2)
    arrivals = Arrivals(app)
    settings = replace(fast_settings, timeout=0.4)
    run = harvest(server_factory(arrivals).url, store, settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "timed out" in run.error
    assert "3 attempts" in run.error
    assert len(arrivals.times("ListRecords")) == 1 + 3
    assert stored_ids(store) == FIRST_PAGE_IDS


# --------------------------------------------------------------------------- expired token


def test_expired_token_at_resume_relists_from_the_from_date(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    # From 2023-06-01 the list is cs-0005..cs-0012: page 1 (5 records), then page 2 (3).
    broken = provider("truncated_xml", start=2, times=3)
    request = HarvestRequest(from_date="2023-06-01")
    failed = harvest(server_factory(broken).url, store, fast_settings, request)
    assert failed.status == FAILED
    assert failed.checkpoint.token
    assert failed.from_date == "2023-06-01"
    first_page = {f"{PREFIX}cs-{n:04d}" for n in range(5, 10)}
    assert stored_ids(store) == first_page

    expired = provider("expired_token", times=1)
    run = harvest(server_factory(expired).url, store, fast_settings)

    assert run.status == SUCCEEDED, run.error
    assert run.resumed_run_id == failed.id
    assert run.from_date == "2023-06-01"
    lists = [params for params, _ in list_requests(expired)]
    assert lists[0] == {"verb": "ListRecords", "resumptionToken": failed.checkpoint.token}
    assert list_requests(expired)[0][1] == 200  # the OAI error is in the body
    assert lists[1] == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2023-06-01"}
    assert len(lists) == 3
    assert any("resumption token was refused" in reason for reason in samples(store, run))
    assert stored_ids(store) == {f"{PREFIX}cs-{n:04d}" for n in range(5, 13)}, "nothing lost"
    assert (run.counts.seen, run.counts.unchanged, run.counts.added) == (8, 5, 3)


# --------------------------------------------------------------------------- unsafe XML


def _database_bytes(tmp_path: Path) -> bytes:
    files = sorted(tmp_path.glob("store.sqlite3*"))
    assert files, "the store's database files were not found"
    return b"".join(path.read_bytes() for path in files)


def test_billion_laughs_is_refused(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings, tmp_path: Path
) -> None:
    app = provider("billion_laughs")
    run = harvest(server_factory(app).url, store, fast_settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "DTD" in run.error
    assert stored_ids(store) == set()
    assert len(list_requests(app)) == 1, "an unsafe document is not asked for again"
    assert b"lollol" not in _database_bytes(tmp_path)


def test_external_entity_is_never_resolved(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings, tmp_path: Path
) -> None:
    app = provider("xxe")
    run = harvest(server_factory(app).url, store, fast_settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "DTD" in run.error
    marker = app.secret_marker
    assert marker
    assert marker not in run.error
    assert all(marker not in reason for reason in samples(store, run))
    assert marker.encode() not in _database_bytes(tmp_path)


@pytest.mark.parametrize("content_length", [True, False], ids=["announced", "streamed"])
def test_response_over_the_cap_is_refused(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings, content_length: bool
) -> None:
    app = provider("huge", size=2 * 1024 * 1024, content_length=content_length)
    settings = replace(fast_settings, max_response_bytes=256 * 1024)
    run = harvest(server_factory(app).url, store, settings)
    assert run.status == FAILED
    assert run.error is not None
    assert "over the cap of 262144" in run.error
    assert len(list_requests(app)) == 1, "a response over the cap is not retried"
    assert stored_ids(store) == set()


# ------------------------------------------------------------- sets, deletions, increments


def test_record_in_two_sets_is_stored_once(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    app = provider("none")
    run = harvest(server_factory(app).url, store, fast_settings, sets=("pollinators", "water"))
    assert run.status == SUCCEEDED, run.error
    asked = [p.get("set") for p, _ in list_requests(app) if "resumptionToken" not in p]
    assert asked == ["pollinators", "water"]
    ids = stored_ids(store)
    assert ids == ALL_IDS - {f"{PREFIX}cs-0006", f"{PREFIX}cs-0011"}
    both = store.get_record(SOURCE_ID, f"{PREFIX}cs-0005")
    assert both is not None
    assert set(both.record.sets) == {"pollinators", "water"}
    assert run.counts.seen == 11
    assert run.counts.unchanged == 1
    assert run.counts.added + run.counts.deleted == len(ids)


def test_deleted_record_is_stored_as_deleted(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    run = harvest(server_factory(provider("none")).url, store, fast_settings)
    assert_complete_once(store, run)
    deleted = store.get_record(SOURCE_ID, DELETED_ID)
    assert deleted is not None
    assert deleted.record.deleted is True
    assert deleted.record.payload is None
    alive = store.get_record(SOURCE_ID, f"{PREFIX}cs-0008")
    assert alive is not None
    assert alive.record.deleted is False


def _fixed_clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def test_incremental_run_asks_from_the_previous_response_date(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    # The provider's clock says 2023-08-01; the newest datestamp it holds is from 2024.
    app = provider("none", clock=_fixed_clock(datetime(2023, 8, 1, 6, 30, tzinfo=UTC)))
    url = server_factory(app).url
    first = harvest(url, store, fast_settings)
    assert_complete_once(store, first)
    assert first.response_date == "2023-08-01T06:30:00Z"
    assert "from" not in list_requests(app)[0][0]

    before = len(app.requests)
    second = harvest(url, store, fast_settings)
    assert second.status == SUCCEEDED, second.error
    assert second.mode == "incremental"
    assert second.from_date == "2023-08-01T06:30:00Z"
    lists = [p for p, _ in app.requests[before:] if p["verb"] == "ListRecords"]
    assert lists[0]["from"] == "2023-08-01T06:30:00Z"
    # cs-0006 .. cs-0012 changed after the first run's response date; all are unchanged here.
    assert second.counts.seen == 7
    assert second.counts.unchanged == 7


def test_from_date_is_sent_at_day_granularity_when_identify_declares_days(
    server_factory: Serve, store: Store, fast_settings: HarvestSettings
) -> None:
    sample = sample_repository()
    days = ListRepository(sample.name, sample.records, sample.sets, granularity="YYYY-MM-DD")
    clock = _fixed_clock(datetime(2023, 9, 30, 22, 0, tzinfo=UTC))
    app = provider("none", repository=days, clock=clock)
    url = server_factory(app).url

    # The provider refuses a seconds-granularity from with badArgument.
    request = HarvestRequest(from_date="2023-07-01T12:30:00Z")
    first = harvest(url, store, fast_settings, request)
    assert first.status == SUCCEEDED, first.error
    assert first.from_date == "2023-07-01"
    assert list_requests(app)[0][0]["from"] == "2023-07-01"
    assert stored_ids(store) == {f"{PREFIX}cs-{n:04d}" for n in range(5, 13)}

    before = len(app.requests)
    second = harvest(url, store, fast_settings)
    assert second.status == SUCCEEDED, second.error
    assert second.from_date == "2023-09-30"
    lists = [p for p, _ in app.requests[before:] if p["verb"] == "ListRecords"]
    assert lists[0]["from"] == "2023-09-30"
