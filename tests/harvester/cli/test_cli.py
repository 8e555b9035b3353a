"""The command line, run in-process with Click's runner against loopback providers."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from harvester.cli.main import main
from harvester.sample_provider import ListRepository, OAIProvider, RunningServer, serve
from tests.conftest import CliEnv

SAMPLE = Path(__file__).parents[3] / "harvester" / "demo" / "data" / "eu-cs-projects.yaml"


@pytest.fixture
def provider() -> Iterator[RunningServer]:
    with serve(OAIProvider(ListRepository.from_yaml(SAMPLE), page_size=4)) as server:
        yield server


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_sources_list_shows_good_sources_and_warns_about_bad_files(cli_env: CliEnv) -> None:
    cli_env.add_source("good", "http://127.0.0.1:1/oai", schedule='"0 4 * * *"')
    bad = cli_env.add_source("bad", "not-a-url")
    result = run("sources", "list")
    assert result.exit_code == 0
    assert "good" in result.stdout and "0 4 * * *" in result.stdout
    assert f"{bad}: field 'url'" in result.stderr
    listed = json.loads(run("sources", "list", "--json").stdout)
    assert [s["id"] for s in listed["sources"]] == ["good"]
    assert listed["sources"][0]["last_run"] is None
    assert "field 'url'" in listed["errors"][0]


def test_harvest_then_incremental_then_runs(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("sample", provider.url)
    first = run("harvest", "sample")
    assert first.exit_code == 0, first.output
    assert "run 1 succeeded" in first.stdout
    second = run("harvest", "sample")
    assert second.exit_code == 0
    runs = json.loads(run("runs", "sample", "--json").stdout)
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"]
    newest, oldest = runs
    assert oldest["from_date"] is None and oldest["counts"]["added"] > 0
    assert newest["from_date"] == oldest["response_date"]
    assert newest["counts"]["added"] == 0
    table = run("runs").stdout
    assert table.splitlines()[0].split()[:3] == ["RUN", "SOURCE", "STATUS"]


def test_harvest_from_date_and_full(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("sample", provider.url)
    assert run("harvest", "sample", "--from", "2030-01-01").exit_code == 0
    assert run("harvest", "sample", "--full").exit_code == 0
    newest, oldest = json.loads(run("runs", "--json").stdout)
    assert oldest["mode"] == "from" and oldest["from_date"] == "2030-01-01"
    assert oldest["counts"]["seen"] == 0
    assert newest["mode"] == "full" and newest["from_date"] is None
    assert newest["counts"]["seen"] > 0


def test_failed_harvest_exits_non_zero_with_one_line(cli_env: CliEnv) -> None:
    cli_env.add_source("down", "http://127.0.0.1:9/oai")
    result = run("harvest", "down")
    assert result.exit_code == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("csfinder: error: down: run 1 failed: ")
    assert "connection failed" in last_line
    [failed] = json.loads(run("runs", "down", "--json").stdout)
    assert failed["status"] == "failed" and "connection failed" in failed["error"]


def test_harvest_all_reports_which_sources_failed(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("sample", provider.url)
    cli_env.add_source("down", "http://127.0.0.1:9/oai")
    cli_env.add_source("off", "http://127.0.0.1:9/oai", enabled=False)
    result = run("harvest", "--all")
    assert result.exit_code == 1
    assert "csfinder: error: 1 of 2 sources failed: down" in result.stderr
    assert "sample: run" in result.stdout
    assert {r["source"] for r in json.loads(run("runs", "--json").stdout)} == {"sample", "down"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["harvest"], "name one SOURCE_ID, or give --all"),
        (["harvest", "x", "--full", "--from", "2024-01-01"], "exclude each other"),
        (["harvest", "x", "--from", "2024-02-30"], "is not a date"),
    ],
)
def test_usage_errors(cli_env: CliEnv, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_source(cli_env: CliEnv) -> None:
    result = run("harvest", "nope")
    assert result.exit_code == 1
    assert result.stderr.strip() == "csfinder: error: no source 'nope' (configured: none)"


def test_sources_check_reports_endpoint(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("sample", provider.url, sets=["biodiversity"])
    result = run("sources", "check", "sample", "--json")
    report = json.loads(result.stdout)
    assert report["ok"] is True, report
    assert report["identify"]["protocol_version"] == "2.0"
    assert "oai_dc" in report["metadata_formats"]
    assert result.exit_code == 0


def test_sources_check_says_what_does_not_fit(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("sample", provider.url, metadata_prefix="marcxml", sets=["no-such-set"])
    result = run("sources", "check", "sample")
    assert result.exit_code == 1
    assert "metadata_prefix 'marcxml' is not offered" in result.stdout
    assert "configured sets not offered: no-such-set" in result.stdout


def test_sources_check_wrong_endpoint(cli_env: CliEnv, provider: RunningServer) -> None:
    cli_env.add_source("wrong", provider.url.replace("/oai", "/not-here"))
    result = run("sources", "check", "wrong")
    assert result.exit_code == 1
    assert "Identify failed, is this an OAI-PMH endpoint?" in result.stderr


def test_a_harvest_computes_vectors_beside_it_and_embed_finds_nothing_left(
    cli_env: CliEnv, provider: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSFINDER_EMBED_WORKER", "1")
    cli_env.add_source("sample", provider.url)
    assert run("harvest", "sample").exit_code == 0
    store = cli_env.open_store()
    try:
        live = [row.id for row in store.iter_normalised()]
        assert store.backlog_size() == 0
        assert set(store.stored_vectors(live)) == set(live)
    finally:
        store.close()
    found = json.loads(run("search", "Mückenmeldungen aus der Nachbarschaft", "--json").stdout)
    assert found["mode"] == "hybrid"
    assert found["hits"] and found["hits"][0]["matched"] in ("meaning", "both")
    again = run("embed")
    assert again.exit_code == 0, again.output
    assert "computed vectors of 0 records" in again.stdout and "0 waiting" in again.stdout
    everything = run("embed", "--all")
    assert f"{len(live)} unchanged" in everything.stdout  # same text: not encoded again


def test_embed_without_an_encoder_says_why(
    cli_env: CliEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSFINDER_ENCODER", "none")
    result = run("embed")
    assert result.exit_code == 1
    assert "search is lexical" in result.output
