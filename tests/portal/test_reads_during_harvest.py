"""The portal keeps answering while a harvest writes to the same PostgreSQL store (and the
embedded index): every page and API answer is whole, and what it shows only grows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harvester.core.settings import load_settings
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import SUCCEEDED
from portal.app import create_app
from tests.conftest import CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for

RECORDS = 150


@pytest.mark.slow
def test_the_portal_reads_while_a_harvest_writes(
    cli_env_pg: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    repository = SyntheticRepository(RECORDS, sets=1)
    slow = Misbehaving(OAIProvider(repository, page_size=10), "slow_pages", delay=0.15)
    cli_env_pg.add_source("synthetic", server_factory(slow).url)
    store = cli_env_pg.open_store()
    client = create_app(load_settings(cli_env_pg.environ), TESTING=True).test_client()
    process = harvest_process(cli_env_pg)
    wait_for(lambda: store.runs("synthetic"))
    totals: list[int] = []
    seen: list[int] = []
    while process.poll() is None:
        search = client.get("/api/v1/search", query_string={"per_page": 5})
        runs = client.get("/api/v1/sources/synthetic/runs")
        page = client.get("/sources")
        assert (search.status_code, runs.status_code, page.status_code) == (200, 200, 200)
        totals.append(search.get_json()["total"])
        seen.append(runs.get_json()["runs"][0]["counts"]["seen"])
    assert process.returncode == 0, process.communicate()[1]
    assert totals == sorted(totals) and seen == sorted(seen), "what is shown only grows"
    assert len(set(totals)) > 2, "the portal saw the harvest in progress"
    assert [run.status for run in store.runs("synthetic")] == [SUCCEEDED]
    live = sum(1 for r in repository.slice(None, None, None, 0, RECORDS) if not r.deleted)
    assert client.get("/api/v1/search").get_json()["total"] == live
    store.close()
