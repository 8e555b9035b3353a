"""``csfinder search`` and ``csfinder reindex`` over records harvested by the demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from harvester.cli.main import main
from harvester.store import Store
from tests.support.demo import demo_data


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder filled by ``csfinder demo``: two harvests per source, one withdrawal."""
    return demo_data(tmp_path_factory.mktemp("search") / "demo")


def run(home: Path, *args: str) -> Result:
    env = {"CSFINDER_HOME": str(home), "CSFINDER_INDEX": "sqlite"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def found(home: Path, *args: str) -> dict[str, Any]:
    result = run(home, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_harvested_records_are_searchable_and_withdrawn_ones_are_not(demo_home: Path) -> None:
    store = Store(f"sqlite:///{(demo_home / 'csfinder.sqlite3').resolve()}")
    rows = list(store.iter_normalised(include_deleted=True))
    withdrawn = {row.id for row in rows if row.deleted}
    assert len(withdrawn) >= 2  # shipped as deleted, and withdrawn by the incremental harvest
    everything = found(demo_home, "--per-page", "100")
    assert everything["total"] == len(rows) - len(withdrawn)
    assert not withdrawn & {hit["id"] for hit in everything["hits"]}


def test_search_text_filters_and_facets(demo_home: Path) -> None:
    answer = found(demo_home, "water", "--filter", "country=ES")
    assert answer["total"] >= 1
    assert all("ES" in hit["countries"] for hit in answer["hits"])
    country = {c["value"]: c for c in answer["facets"]["country"]}
    assert country["ES"]["selected"] and country["ES"]["count"] == answer["total"]
    assert any("<mark>" in hit["title_html"] + hit["snippet_html"] for hit in answer["hits"])


def test_search_prints_a_readable_list(demo_home: Path) -> None:
    result = run(demo_home, "search", "water", "--per-page", "2")
    assert result.exit_code == 0
    assert "results (sorted by relevance, hybrid), showing 1–2" in result.stdout
    assert "country:" in result.stdout and "<mark>" not in result.stdout


def test_a_bad_filter_is_a_clear_error(demo_home: Path) -> None:
    result = run(demo_home, "search", "water", "--filter", "country=Spain")
    assert result.exit_code == 1
    assert "country must be a two-letter code, not 'Spain'" in result.output


def test_reindex_rebuilds_the_same_index(demo_home: Path) -> None:
    before = found(demo_home, "--per-page", "100")
    result = run(demo_home, "reindex")
    assert result.exit_code == 0, result.output
    assert f"reindexed {before['total']} records into the sqlite index" in result.stdout
    after = found(demo_home, "--per-page", "100")
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]
    assert after["facets"] == before["facets"]


def test_normalise_keeps_the_index_in_step(demo_home: Path) -> None:
    before = found(demo_home, "--per-page", "100")
    result = run(demo_home, "normalise")
    assert "sources failed" not in result.output
    assert found(demo_home, "--per-page", "100")["total"] == before["total"]


def test_search_by_words_meaning_or_both(demo_home: Path) -> None:
    text = "contaminación del aire"
    hybrid = found(demo_home, text, "--lang", "es")
    assert hybrid["mode"] == "hybrid"
    by_meaning = [hit for hit in hybrid["hits"] if hit["matched"] != "words"]
    assert by_meaning and by_meaning[0]["matched_language"] in ("de", "en", "nl", "fr", None)
    assert found(demo_home, text, "--mode", "lexical")["total"] < hybrid["total"]
    semantic = found(demo_home, text, "--mode", "semantic")
    assert {hit["matched"] for hit in semantic["hits"]} <= {"meaning", "both"}
    printed = run(demo_home, "search", text, "--per-page", "3").stdout
    assert "matched by meaning" in printed
    bad = run(demo_home, "search", text, "--lang", "spanish")
    assert bad.exit_code == 1 and "lang must be a two-letter language code" in bad.output
