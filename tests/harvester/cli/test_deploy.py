"""Moving a SQLite deployment onto PostgreSQL and Elasticsearch: ``csfinder db copy`` then
``csfinder reindex``, on a small harvested database; and ``csfinder check`` before and
after."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

from click.testing import CliRunner

from harvester.cli.main import main
from harvester.index.elastic import ElasticIndex
from harvester.index.sqlite import SqliteIndex
from harvester.sample_provider.server import RunningServer
from harvester.store import Store
from tests.conftest import CliEnv
from tests.support.elastic_gaps import EsCluster
from tests.support.engines import RedisServer


def cli(environ: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=environ, catch_exceptions=False)
    return result.exit_code, result.output


def test_a_sqlite_deployment_moves_to_postgresql_and_elasticsearch(
    cli_env: CliEnv,
    sample_server: RunningServer,
    postgres_url: str,
    es_cluster: EsCluster,
    redis_server: RedisServer,
) -> None:
    cli_env.add_source("sample", sample_server.url)
    sqlite_env = cli_env.environ
    assert cli(sqlite_env, "harvest", "sample")[0] == 0
    before = json.loads(cli(sqlite_env, "search", "--json", "--per-page", "100", "")[1])
    runs_before = json.loads(cli(sqlite_env, "runs", "--json")[1])

    code, output = cli(sqlite_env, "db", "copy", postgres_url)
    assert code == 0, output
    assert "raw_records: 12 rows" in output and "harvest_runs: 1 rows" in output
    code, output = cli(sqlite_env, "db", "copy", postgres_url)
    assert code == 1 and "the target database is not empty" in output, "nothing overwritten"

    template = cli_env.home / "index-template.json"  # the emulator's, where it lacks stemmers
    template.write_text(json.dumps(es_cluster.template()), encoding="utf-8")
    alias = f"csfinder-moved-{uuid.uuid4().hex[:8]}"
    moved = {
        **sqlite_env,
        "CSFINDER_DATABASE_URL": postgres_url,
        "CSFINDER_INDEX": "elasticsearch",
        "CSFINDER_ES_URL": es_cluster.url,
        "CSFINDER_ES_INDEX": alias,
        "CSFINDER_ES_TEMPLATE": str(template),
        "CSFINDER_RATELIMIT_STORAGE": redis_server.url,
    }
    code, output = cli(moved, "check")
    assert code == 1
    assert "PROBLEM index:" in output and "run `csfinder reindex`" in output
    assert "ok      database:" in output and "ok      rate limits: redis://" in output

    code, output = cli(moved, "reindex")
    assert code == 0, output
    assert "reindexed 11 records into the elasticsearch index" in output
    after = json.loads(cli(moved, "search", "--json", "--per-page", "100", "")[1])
    assert after["total"] == before["total"] == 11
    assert {h["id"] for h in after["hits"]} == {h["id"] for h in before["hits"]}
    assert json.loads(cli(moved, "runs", "--json")[1]) == runs_before
    code, output = cli(moved, "check")
    assert code == 0, output
    ElasticIndex(es_cluster.url, alias).drop()  # leave nothing on a shared cluster
    store = Store(postgres_url)
    try:
        new = store.start_run("sample", mode="full", from_date=None, pid=1, host="here")
        assert new.id == 2, "PostgreSQL's ids go on after the copied ones"
    finally:
        store.close()


def test_check_names_each_problem_on_its_own_line(tmp_path: Path, cli_env: CliEnv) -> None:
    environ = {
        **cli_env.environ,
        "CSFINDER_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
        "CSFINDER_RATELIMIT_STORAGE": "redis://127.0.0.1:9/0",
    }
    code, output = cli(environ, "check")
    assert code == 1
    lines = output.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "PROBLEM database",
        "ok      index",
        "PROBLEM rate limits",
    ]
    assert "the database does not answer" in lines[0]
    assert "does not answer" in lines[2]


def test_check_asks_for_a_reindex_of_an_embedded_index_of_an_older_format(
    cli_env: CliEnv, sample_server: RunningServer
) -> None:
    cli_env.add_source("sample", sample_server.url)
    environ = cli_env.environ
    assert cli(environ, "harvest", "sample")[0] == 0
    assert cli(environ, "check")[0] == 0
    index = SqliteIndex(cli_env.home / "index")
    with index._generations.conn() as conn:  # as csfinder before index format 2 left it
        conn.execute("DELETE FROM meta WHERE key = 'format'")
    index.close()
    code, output = cli(environ, "check")
    assert code == 1
    assert "PROBLEM index: embedded: built by an older csfinder (index format 1" in output
    assert cli(environ, "reindex")[0] == 0
    assert cli(environ, "check")[0] == 0


def test_check_says_whether_search_matches_by_meaning_and_refuses_an_older_index(
    cli_env: CliEnv,
) -> None:
    code, output = cli(cli_env.environ, "check")
    index_line = next(line for line in output.splitlines() if " index" in line[:14])
    assert index_line.startswith("ok") and "until vectors are computed" in index_line
    code, output = cli({**cli_env.environ, "CSFINDER_ENCODER": "none"}, "check")
    assert "search by words only (no encoder)" in output
    folder = cli_env.home / "index"
    live = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    with sqlite3.connect(folder / live) as conn:  # as an index built before stems
        for trigger in ("docs_ai", "docs_ad", "docs_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("ALTER TABLE docs DROP COLUMN stems")
    code, output = cli(cli_env.environ, "check")
    assert code == 1
    assert "built by an older csfinder (no stems by language): run `csfinder reindex`" in output
