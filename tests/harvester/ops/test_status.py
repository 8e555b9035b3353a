"""``source_status`` and ``csfinder status`` over a real store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from harvester.cli.main import main
from harvester.core.settings import load_settings
from harvester.core.sources import load_sources
from harvester.ops.status import source_status
from harvester.sample_provider import RunningServer
from harvester.store import Store
from tests.conftest import CliEnv


def test_status_shows_states_next_runs_leases_and_problems(
    cli_env: CliEnv, sample_server: RunningServer
) -> None:
    cli_env.add_source("good", sample_server.url, schedule='"0 6 * * *"')
    cli_env.add_source("stuck", sample_server.url)
    cli_env.add_source("off", sample_server.url, enabled=False)
    (cli_env.config / "sources" / "broken.yaml").write_text("name: [unclosed\n")
    runner = CliRunner()
    assert runner.invoke(main, ["harvest", "good"]).exit_code == 0
    settings = load_settings(cli_env.environ)
    store = Store(settings.database_url)
    stuck = store.start_run("stuck", mode="full", from_date=None, pid=7, host="far")
    store.acquire_lease("stuck", "far:7:x", host="far", pid=7, ttl=600.0)
    store.renew_lease("stuck", "far:7:x", 600.0, run_id=stuck.id)

    now = datetime.now(UTC)
    statuses = {
        s.source.id: s for s in source_status(store, load_sources(settings.sources_dir), settings)
    }
    assert statuses["good"].state == "succeeded"
    assert statuses["good"].records == 12 and statuses["good"].normalised_records == 11
    assert statuses["good"].next_run is not None and statuses["good"].next_run.hour == 6
    assert statuses["stuck"].state == "running" and statuses["stuck"].lease is not None
    assert statuses["off"].state == "disabled" and statuses["off"].next_run is None

    later = now + timedelta(seconds=700)
    stalled = source_status(store, load_sources(settings.sources_dir), settings, now=later)
    by_id = {s.source.id: s for s in stalled}
    assert by_id["stuck"].stalled and by_id["stuck"].lease is None
    assert "stalled" in (by_id["stuck"].problem or "")

    result = runner.invoke(main, ["status", "--json"])
    assert result.exit_code == 1, "something needs attention"
    report = json.loads(result.output)
    assert report["summary"]["stalled"] == 1
    assert any("broken.yaml" in p for p in report["problems"])
    assert [s["id"] for s in report["sources"]] == ["good", "off", "stuck"]

    text = runner.invoke(main, ["status"]).output
    assert "needs attention" in text and "stuck: last run" in text

    runs = runner.invoke(main, ["runs", "--status", "stalled"]).output
    assert "stuck" in runs and "good" not in runs
    assert "1 stalled among these runs" in runs
