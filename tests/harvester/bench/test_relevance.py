"""``csfinder bench relevance``: the relevance set resolves, the measures are right, and
the command reports every mode and language (figures are the command's to print)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harvester.bench.fusion_tuning import GRID_K, GRID_SEMANTIC_WEIGHT
from harvester.bench.relevance import measure
from harvester.bench.relevance_corpus import (
    RelevanceSetError,
    default_fixtures,
    load_corpus,
    load_needs,
    load_store,
)
from harvester.cli.main import main
from harvester.store import Store
from tests.support.fixture_provider import SHARED_FIXTURES

RELEVANCE = Path(__file__).parents[2] / "fixtures" / "relevance"
CORPUS = """
sources:
  demo: {crosswalk: oai_dc, demo: true, ref: identifier}
"""
NEEDS = """
- id: mosquitoes
  description: Reporting mosquitoes.
  queries: {en: "mosquito reports", de: "Mückenmeldungen"}
  relevant:
    - {ref: "demo:oai:projects.demo.csfinder.example:p-0013", grade: 2}
- id: birds
  description: Counting birds.
  queries: {en: "bird counts", fr: "comptage des oiseaux"}
  relevant:
    - {ref: "demo:oai:projects.demo.csfinder.example:p-0001", grade: 2}
"""


@pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")
def test_every_judgement_of_the_set_names_a_record_of_its_corpus(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    refs = load_store(store, load_corpus(RELEVANCE), default_fixtures())
    needs = load_needs(RELEVANCE, refs)
    assert len(needs) == 28 and sum(len(n.grades) for n in needs) == 510
    assert all(len(n.queries) >= 8 for n in needs)
    assert len(refs) == sum(1 for _ in store.iter_normalised())
    store.close()


def test_a_judgement_naming_no_record_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "needs.yaml").write_text(NEEDS.replace("p-0013", "p-9999"), encoding="utf-8")
    with pytest.raises(RelevanceSetError, match=r"1 judgements name no record.*p-9999"):
        load_needs(tmp_path, {"demo:oai:projects.demo.csfinder.example:p-0001": "x"})


def test_recall_and_ndcg() -> None:
    grades = {"a": 2, "b": 1, "c": 2}
    recall, normalised, ndcg = measure(["a", "x", "b"], grades)
    assert (round(recall, 3), round(normalised, 3)) == (0.667, 0.667)
    assert 0 < ndcg < 1
    assert measure(["a", "c", "b"], grades)[2] == pytest.approx(1.0)
    assert measure([], grades) == (0.0, 0.0, 0.0)
    many = {str(n): 1 for n in range(40)}
    assert measure([str(n) for n in range(20)], many)[:2] == (0.5, 1.0)


def test_the_command_reports_each_mode_and_language_and_sweeps_the_fusion(
    tmp_path: Path,
) -> None:
    (tmp_path / "corpus.yaml").write_text(CORPUS, encoding="utf-8")
    (tmp_path / "needs.yaml").write_text(NEEDS, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["bench", "relevance", "--judgements", str(tmp_path), "--tune"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert "lexical" in result.output.splitlines()[0]
    assert set(report["modes"]) == {"lexical", "semantic", "hybrid"}
    assert set(report["modes"]["hybrid"]["languages"]) == {"en", "de", "fr"}
    assert report["judgements"] == 2 and report["records"] >= 30
    hybrid = report["modes"]["hybrid"]["languages"]
    assert hybrid["de"]["recall@20"] == 1.0  # "Mückenmeldungen" finds the Greek project
    assert report["modes"]["lexical"]["languages"]["de"]["recall@20"] == 0.0
    assert set(report["targets"]) >= {"other_languages_vs_english"}
    # The sweep fuses each query's two lists again; with the constants in use it must
    # reproduce the index's own hybrid figures.
    swept = report["fusion_sweep"]
    assert len(swept) == len(GRID_K) * len(GRID_SEMANTIC_WEIGHT)
    in_use = [row for row in swept if row["in_use"]]
    assert len(in_use) == 1
    assert in_use[0]["en_recall@20"] == hybrid["en"]["recall@20"]
    assert in_use[0]["other_recall@20"] == report["modes"]["hybrid"]["other_languages"]["recall@20"]
    queries = {"en": 2, "de": 1, "fr": 1}  # the sweep's nDCG is the mean of every query's
    ndcg = sum(hybrid[lang]["ndcg@10"] * n for lang, n in queries.items()) / 4
    assert in_use[0]["ndcg@10"] == pytest.approx(ndcg, abs=0.002)
    assert "← in use" in result.output
