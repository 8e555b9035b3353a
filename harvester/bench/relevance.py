"""``csfinder bench relevance --judgements DIR``: how well search finds what people need,
in every language, by words, by meaning and both fused.

Loads the corpus of a relevance set (:mod:`harvester.bench.relevance_corpus`) into a
throw-away store, builds the embedded index with the vectors of the chosen encoder, runs
every query of every need in every mode, and reports per language and mode:

- ``recall@20``: the share of a need's relevant records in the first 20 hits;
- ``recall@20/min(20,R)``: the same, out of what 20 hits can hold (needs with more than 20
  relevant records cannot reach 1 otherwise);
- ``ndcg@10``: graded (gain 2^grade - 1), against the ideal order of the judged records.

The page language of each query is its own language (as a reader of the portal in that
language would search), unless ``--ui-lang`` names one for all. The targets of issue 18
are checked: the mean recall@20 of queries in other languages is at least 0.9 × that of
English ones (hybrid), and English hybrid is no worse than English lexical.
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from harvester.bench.fusion_tuning import ranked_lists, sweep, sweep_table
from harvester.bench.relevance_corpus import (
    Need,
    default_fixtures,
    load_corpus,
    load_needs,
    load_store,
    summary_json,
)
from harvester.enrich.encoders import ENCODER_NAMES, load_encoder
from harvester.enrich.vectors import drain
from harvester.index.query import MODES, build_query
from harvester.index.service import reindex
from harvester.index.sqlite import SqliteIndex
from harvester.store import Store

DEPTH = 20
NDCG_DEPTH = 10
TARGET_SHARE = 0.9


@click.command("relevance")
@click.option(
    "--judgements",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder with needs.yaml and corpus.yaml (e.g. tests/fixtures/relevance).",
)
@click.option(
    "--fixtures",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder the corpus files are relative to (default: ../shared/fixtures).",
)
@click.option("--encoder", type=click.Choice(ENCODER_NAMES), default="use", show_default=True)
@click.option("--ui-lang", default=None, help="One page language for every query.")
@click.option(
    "--tune",
    is_flag=True,
    help="Also sweep the fusion's k and meaning's weight (hybrid) and report the best.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line only.")
def bench_relevance(
    judgements: Path,
    fixtures: Path | None,
    encoder: str,
    ui_lang: str | None,
    tune: bool,
    as_json: bool,
) -> None:
    """Recall@20 and nDCG@10 per language for lexical, semantic and hybrid search."""
    chosen = load_encoder(encoder, 2)
    modes = MODES if chosen is not None else ("lexical",)
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-relevance-") as folder:
        store = Store(f"sqlite:///{folder}/store.sqlite3")
        refs = load_store(store, load_corpus(judgements), fixtures or default_fixtures())
        needs = load_needs(judgements, refs)
        index = SqliteIndex(Path(folder) / "index", cache_bytes=0, encoder=chosen)
        reindex(store, index)
        started = time.perf_counter()
        embedded = drain(store, chosen, index.set_vectors) if chosen is not None else None
        embed_seconds = time.perf_counter() - started
        scores = run_queries(index, needs, modes, ui_lang)
        swept = sweep(ranked_lists(index, needs, ui_lang), measure) if tune and chosen else []
        index.close()
        store.close()
    report = summarise(scores, modes)
    report.update(
        benchmark="relevance",
        encoder=encoder if chosen is not None else "none",
        records=len(refs),
        needs=len(needs),
        judgements=sum(len(n.grades) for n in needs),
        embed_seconds=round(embed_seconds, 1),
        versions=embedded.versions if embedded is not None else 0,
    )
    if swept:
        report["fusion_sweep"] = swept
    if not as_json:
        click.echo(table(report, modes))
        if swept:
            click.echo(sweep_table(swept))
    click.echo(summary_json(report))


Scores = dict[tuple[str, str], list[tuple[float, float, float]]]  # (mode, lang) → per query


def run_queries(
    index: SqliteIndex, needs: Sequence[Need], modes: Sequence[str], ui_lang: str | None
) -> Scores:
    """recall@20, normalised recall@20 and nDCG@10 of every query in every mode."""
    scores: Scores = {}
    for need in needs:
        for lang, text in need.queries.items():
            for mode in modes:
                query = build_query(text, per_page=DEPTH, mode=mode, ui_lang=ui_lang or lang)
                ranked = [hit.id for hit in index.search(query).hits]
                scores.setdefault((mode, lang), []).append(measure(ranked, need.grades))
    return scores


def measure(ranked: Sequence[str], grades: Mapping[str, int]) -> tuple[float, float, float]:
    """recall@20, recall@20 out of min(20, R), nDCG@10 of one ranked list."""
    relevant = len(grades)
    found = sum(1 for record in ranked[:DEPTH] if record in grades)
    gains = [2 ** grades.get(record, 0) - 1 for record in ranked[:NDCG_DEPTH]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:NDCG_DEPTH]
    best = _dcg(ideal)
    return (
        found / relevant if relevant else 0.0,
        found / min(DEPTH, relevant) if relevant else 0.0,
        _dcg(gains) / best if best else 0.0,
    )


def _dcg(gains: Sequence[float]) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def summarise(scores: Scores, modes: Sequence[str]) -> dict[str, Any]:
    """Means per mode and language, the other languages against English, the targets."""
    by_mode: dict[str, Any] = {}
    for mode in modes:
        languages = sorted({lang for m, lang in scores if m == mode})
        per_language = {
            lang: _means(scores[(mode, lang)]) for lang in languages if (mode, lang) in scores
        }
        others = [values for lang, values in per_language.items() if lang != "en"]
        by_mode[mode] = {
            "languages": per_language,
            "other_languages": {
                key: round(statistics.mean(v[key] for v in others), 3) if others else 0.0
                for key in ("recall@20", "recall@20/min(20,R)", "ndcg@10")
            },
        }
    return {"modes": by_mode, "targets": _targets(by_mode)}


def _means(values: list[tuple[float, float, float]]) -> dict[str, float]:
    return {
        "recall@20": round(statistics.mean(v[0] for v in values), 3),
        "recall@20/min(20,R)": round(statistics.mean(v[1] for v in values), 3),
        "ndcg@10": round(statistics.mean(v[2] for v in values), 3),
        "queries": len(values),
    }


def _targets(by_mode: Mapping[str, Any]) -> dict[str, Any]:
    hybrid = by_mode.get("hybrid") or by_mode["lexical"]
    english = hybrid["languages"].get("en", {}).get("recall@20", 0.0)
    others = hybrid["other_languages"]["recall@20"]
    lexical_en = by_mode["lexical"]["languages"].get("en", {}).get("recall@20", 0.0)
    return {
        "other_languages_vs_english": round(others / english, 3) if english else 0.0,
        "other_languages_at_least_0.9_english": others >= TARGET_SHARE * english,
        "english_hybrid_vs_lexical": [english, lexical_en],
        "english_no_worse_than_lexical": english >= lexical_en,
    }


def table(report: Mapping[str, Any], modes: Sequence[str]) -> str:
    """The per-language means as a text table (recall@20, normalised, nDCG@10)."""
    by_mode = report["modes"]
    languages = sorted(by_mode[modes[0]]["languages"])
    header = "lang  " + "  ".join(f"{m:^22}" for m in modes)
    lines = [header, "      " + "  ".join(f"{'R@20  R@20n  nDCG10':^22}" for _ in modes)]
    for lang in [*languages, "other"]:
        cells = []
        for mode in modes:
            found = (
                by_mode[mode]["other_languages"]
                if lang == "other"
                else by_mode[mode]["languages"][lang]
            )
            recall, normal = found["recall@20"], found["recall@20/min(20,R)"]
            cells.append(f"{recall:5.3f} {normal:5.3f} {found['ndcg@10']:6.3f}".center(22))
        lines.append(f"{lang:<6}" + "  ".join(cells))
    return "\n".join(lines)
