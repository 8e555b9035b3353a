"""The ``csv`` protocol end to end: the real JRC and Dutch inventories served from a loopback
web server (or read from a file), harvested into a real SQLite store and normalised as they
go; a changed row, a deleted row, a bad row, a Windows-1252 file, an unchanged file skipped by
its validators, and a run resumed where an interrupted one stopped."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from harvester.core.records import RawRecord
from harvester.core.sources import SourceConfig
from harvester.fetch.csv.harvest import FileVersion
from harvester.fetch.csv.reader import read_csv_file
from harvester.pipeline.harvest import HarvestRequest
from harvester.store import FAILED, SUCCEEDED, Checkpoint, PageWrite, Store
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.harvesting import harvest_run
from tests.support.platforms import CsvFile
from tests.support.servers import server_factory

__all__ = ["server_factory"]

pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def jrc_file(n: int = 1) -> Path:
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES / "corpus" / "jrc-citsci-inventory" / f"{n}-projects-citsci.csv"


def dutch_file() -> Path:
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES / "corpus" / "citizen-science-nl" / "citizen-science-projects-nl.csv"


def csv_source(url: str, crosswalk: str = "jrc_citsci", **options: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "inventory",
            "name": "Test inventory",
            "platform": "test",
            "protocol": "csv",
            "url": url,
            "crosswalk": crosswalk,
            "csv": options or None,
        }
    )


def jrc_source(url: str) -> SourceConfig:
    return csv_source(url, "jrc_citsci", id_column="UID")


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def live_ids(store: Store) -> set[str]:
    return {s.record.identifier for s in store.iter_records("inventory") if not s.record.deleted}


def normalised(store: Store) -> dict[str, dict[str, Any]]:
    return {r.source_identifier: json.loads(r.document) for r in store.iter_normalised("inventory")}


def test_the_jrc_inventory_over_http_then_unchanged_then_changed(
    server_factory, store, fast_settings
):
    rows = csv_rows(jrc_file())
    served = CsvFile(csv_bytes(rows))
    server = server_factory(served, "/inventory.csv")
    source = jrc_source(server.url)

    first = harvest_run(source, store, fast_settings)
    assert first.status == SUCCEEDED
    assert (first.counts.added, first.counts.failed, first.counts.deleted) == (336, 0, 0)
    records = normalised(store)
    assert len(records) == 336
    hedgehogs = records["1"]
    assert hedgehogs["title"] == "Hedgehogstreet" and hedgehogs["countries"] == ["GB"]
    assert {"goal": 15, "impact": "direct"} in hedgehogs["sdg_impacts"]
    assert hedgehogs["provenance"]["source_identifier"] == "1"

    # the second run asks with the validators and is told nothing changed
    second = harvest_run(source, store, fast_settings)
    assert second.status == SUCCEEDED and second.counts.seen == 0
    asked, status = served.log[-1]
    assert status == 304 and asked["if-none-match"] == served.etag
    assert asked["if-modified-since"] == served.modified
    assert any("file unchanged" in f.reason for f in store.error_samples(second.id))

    # a changed row and a deleted row (UID 2's name changes, UID 4 is gone)
    changed = [
        [row[0], row[1].replace("Wallonia", "Wallonie"), *row[2:]] if row[0] == "2" else row
        for row in rows
        if row[0] != "4"
    ]
    served.body = csv_bytes(changed)
    third = harvest_run(source, store, fast_settings)
    assert third.status == SUCCEEDED
    assert (third.counts.updated, third.counts.deleted, third.counts.added) == (1, 1, 0)
    assert third.counts.unchanged == 334
    after = normalised(store)
    assert "4" not in live_ids(store) and "4" not in after
    assert after["2"]["title"] == "Espèces invasives en Wallonie"


def test_a_bad_row_fails_alone_and_stops_deletions(server_factory, store, fast_settings):
    rows = csv_rows(jrc_file(2))
    served = CsvFile(csv_bytes(rows))
    server = server_factory(served, "/annex.csv")
    source = jrc_source(server.url)
    assert harvest_run(source, store, fast_settings).counts.added == 6
    # the first row loses its last three cells, the second row vanishes
    served.body = csv_bytes([rows[0], rows[1][:-3], *rows[3:]])
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED
    assert run.counts.failed == 1 and run.counts.deleted == 0 and run.counts.unchanged == 4
    reasons = [f.reason for f in store.error_samples(run.id)]
    assert "line 2: 34 cells where the header has 37" in reasons
    assert any("no record marked deleted" in reason for reason in reasons)
    assert len(live_ids(store)) == 6


def test_a_503_is_retried_and_a_full_run_reads_an_unchanged_file(
    server_factory, store, fast_settings
):
    served = CsvFile(jrc_file(3).read_bytes(), fail_once=1)
    source = jrc_source(server_factory(served, "/irish.csv").url)
    assert harvest_run(source, store, fast_settings).counts.added == 2
    assert [status for _, status in served.log] == [503, 200]
    full = harvest_run(source, store, fast_settings, HarvestRequest(full=True))
    assert full.counts.unchanged == 2 and "if-none-match" not in served.log[-1][0]


def test_a_windows_1252_file_on_disk(tmp_path, store, fast_settings):
    text = dutch_file().read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if _cp1252(line)]
    path = tmp_path / "projects-nl.csv"
    path.write_bytes("".join(kept).encode("cp1252"))
    run = harvest_run(csv_source(str(path), "cs_nl"), store, fast_settings)
    assert run.status == SUCCEEDED and run.counts.failed == 0
    assert run.counts.added == len(kept) - 1 > 100
    titles = {record["title"] for record in normalised(store).values()}
    expected = {row[0].strip() for row in csv.reader(io.StringIO("".join(kept[1:])))}
    assert titles == expected  # every character decoded as written
    assert any(ch in "".join(titles) for ch in "ëéï")


def test_an_unchanged_file_on_disk_is_skipped_by_its_content(tmp_path, store, fast_settings):
    path = tmp_path / "annex.csv"
    path.write_bytes(jrc_file(2).read_bytes())
    source = jrc_source(str(path))
    assert harvest_run(source, store, fast_settings).counts.added == 6
    os.utime(path)  # touched, not changed
    again = harvest_run(source, store, fast_settings)
    assert again.counts.seen == 0
    assert any("same content" in f.reason for f in store.error_samples(again.id))


def test_an_interrupted_run_is_resumed_after_its_last_stored_row(tmp_path, store, fast_settings):
    path = tmp_path / "inventory.csv"
    path.write_bytes(jrc_file().read_bytes())
    source = jrc_source(str(path))
    # a run that stored its first 250 rows with their checkpoint, then died
    version = _version_of(path)
    first = list(read_csv_file(path, source.csv_options, "inventory", "jrc_citsci"))[:250]
    died = store.start_run("inventory", mode="incremental", from_date=None, pid=1, host="h")
    records = [r for r in first if isinstance(r, RawRecord)]
    store.write_page(died.id, PageWrite(records), Checkpoint(0, None, version.token(250)))
    store.finish_run(died.id, FAILED, "killed")
    resumed = harvest_run(source, store, fast_settings)
    assert resumed.status == SUCCEEDED and resumed.resumed_run_id == died.id
    assert resumed.counts.seen == 336 - 250 and resumed.counts.deleted == 0
    assert len(live_ids(store)) == 336  # nothing vanished, nothing doubled
    token = FileVersion.from_token(resumed.checkpoint.token)
    assert token is not None and token.sha256 == version.sha256 and token.rows == 336


def test_a_missing_id_column_fails_the_run_with_the_reason(tmp_path, store, fast_settings):
    path = tmp_path / "inventory.csv"
    path.write_bytes(jrc_file(3).read_bytes())
    run = harvest_run(csv_source(str(path), "jrc_citsci", id_column="ID"), store, fast_settings)
    assert run.status == FAILED and "no column 'ID' in the header" in (run.error or "")


def _version_of(path: Path) -> FileVersion:
    data = path.read_bytes()
    return FileVersion(hashlib.sha256(data).hexdigest(), len(data))


def _cp1252(line: str) -> bool:
    try:
        line.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
