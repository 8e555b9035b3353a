"""End to end on each database: a real ``csfinder harvest`` process harvests a provider on
loopback (normalising and indexing as it goes), is killed with SIGKILL mid-list, resumes
from its checkpoint, and the portal then finds every live record; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import pytest

from harvester.core.settings import load_settings
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import STALLED, SUCCEEDED
from portal.app import create_app
from tests.conftest import CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for

RECORDS = 120
PAGE = 10


@pytest.mark.slow
def test_harvest_killed_resumes_and_the_portal_finds_every_record(
    cli_env_db: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    repository = SyntheticRepository(RECORDS, sets=1)
    slow = Misbehaving(OAIProvider(repository, page_size=PAGE), "slow_pages", delay=0.15)
    fast = Misbehaving(OAIProvider(repository, page_size=PAGE), "none")
    cli_env_db.add_source("synthetic", server_factory(slow).url)
    store = cli_env_db.open_store()

    process = harvest_process(cli_env_db)
    wait_for(lambda: any(run.counts.seen >= 5 * PAGE for run in store.runs("synthetic")))
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    (killed,) = store.runs("synthetic")
    assert killed.counts.seen < RECORDS and killed.checkpoint.token

    cli_env_db.add_source("synthetic", server_factory(fast).url)
    again = harvest_process(cli_env_db)
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    resumed, stalled = store.runs("synthetic")
    assert (stalled.status, resumed.status) == (STALLED, SUCCEEDED)
    assert resumed.resumed_run_id == stalled.id

    live = {r.identifier for r in repository.slice(None, None, None, 0, RECORDS) if not r.deleted}
    normalised = {row.id: row for row in store.iter_normalised("synthetic")}
    assert {row.source_identifier for row in normalised.values()} == live
    store.close()

    client = create_app(load_settings(cli_env_db.environ), TESTING=True).test_client()
    found = client.get("/api/v1/search", query_string={"per_page": 1})
    assert found.status_code == 200
    assert found.get_json()["total"] == len(live), "every live record is searchable once"
    some = next(iter(normalised.values()))
    title = str(client.get(f"/api/v1/records/{some.id}").get_json()["title"])
    hits = client.get("/api/v1/search", query_string={"q": f'"{title}"'}).get_json()
    assert some.id in [hit["id"] for hit in hits["hits"]]
    page = client.get("/", query_string={"q": f'"{title}"'})
    assert page.status_code == 200
    assert f"/records/{some.id}" in page.get_data(as_text=True), "the search page lists it"
