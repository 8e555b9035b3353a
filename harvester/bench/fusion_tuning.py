"""``csfinder bench relevance --tune``: how the fusion of words and meaning should be
weighted, measured on the relevance set.

Hybrid search fuses the words' first :data:`~harvester.index.fusion.LEXICAL_DEPTH` ranks
with the nearest :data:`~harvester.index.fusion.SEMANTIC_DEPTH` records by meaning
(:func:`~harvester.index.fusion.fuse`). Each query is run once by words and once by
meaning, at those depths, and the two lists are fused again here for every ``k`` and
meaning's weight of a grid, so that a sweep costs one pair of searches per query. The row
of the constants in use reproduces the index's own hybrid figures (a test holds it).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harvester.bench.relevance_corpus import Need
from harvester.index.base import SearchIndex
from harvester.index.fusion import (
    LEXICAL_DEPTH,
    LEXICAL_WEIGHT,
    RRF_K,
    SEMANTIC_DEPTH,
    SEMANTIC_WEIGHT,
    fuse,
)
from harvester.index.query import MAX_PER_PAGE, build_query

GRID_K: tuple[int, ...] = (5, 10, 20, 40, 60, 100)
GRID_SEMANTIC_WEIGHT: tuple[float, ...] = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
DEPTH = 20
Measure = Callable[[Sequence[str], Mapping[str, int]], tuple[float, float, float]]


@dataclass(frozen=True)
class Lists:
    """One query's ranked record ids by words and by meaning."""

    need: Need
    lang: str
    lexical: list[str]
    semantic: list[str]


def ranked_lists(index: SearchIndex, needs: Sequence[Need], ui_lang: str | None) -> list[Lists]:
    """Every query's two lists, as deep as hybrid search fuses them."""
    found = []
    for need in needs:
        for lang, text in need.queries.items():
            pair = [
                _ranked(index, text, mode, depth, ui_lang or lang)
                for mode, depth in (("lexical", LEXICAL_DEPTH), ("semantic", SEMANTIC_DEPTH))
            ]
            found.append(Lists(need, lang, *pair))
    return found


def _ranked(index: SearchIndex, text: str, mode: str, depth: int, ui_lang: str) -> list[str]:
    ids: list[str] = []
    page = 1
    while len(ids) < depth:
        query = build_query(text, mode=mode, ui_lang=ui_lang, page=page, per_page=MAX_PER_PAGE)
        hits = [hit.id for hit in index.search(query).hits]
        ids.extend(hits)
        if len(hits) < MAX_PER_PAGE:
            break
        page += 1
    return ids[:depth]


def sweep(
    lists: Sequence[Lists],
    measure: Measure,
    grid_k: Sequence[int] = GRID_K,
    grid_weight: Sequence[float] = GRID_SEMANTIC_WEIGHT,
) -> list[dict[str, Any]]:
    """Per ``k`` and meaning's weight: English and other languages' mean recall@20, their
    ratio and the mean nDCG@10 of every query, best (by that nDCG, then the ratio) first;
    ``measure`` is :func:`harvester.bench.relevance.measure`."""
    rows = []
    for k in grid_k:
        for weight in grid_weight:
            scores: dict[str, list[tuple[float, float, float]]] = {}
            for pair in lists:
                order = fuse(pair.lexical, pair.semantic, k=k, weights=(LEXICAL_WEIGHT, weight))
                scores.setdefault(pair.lang, []).append(measure(order[:DEPTH], pair.need.grades))
            rows.append(_row(k, weight, scores))
    return sorted(rows, key=lambda row: (-row["ndcg@10"], -row["other_vs_english"]))


def _row(
    k: int, weight: float, scores: Mapping[str, list[tuple[float, float, float]]]
) -> dict[str, Any]:
    def recall(langs: Sequence[str]) -> float:
        per_language = [statistics.mean(v[0] for v in scores[lang]) for lang in langs]
        return statistics.mean(per_language) if per_language else 0.0

    english = recall(["en"] if "en" in scores else [])
    others = recall([lang for lang in scores if lang != "en"])
    every = [v[2] for values in scores.values() for v in values]
    return {
        "k": k,
        "semantic_weight": weight,
        "in_use": k == RRF_K and weight == SEMANTIC_WEIGHT,
        "en_recall@20": round(english, 3),
        "other_recall@20": round(others, 3),
        "other_vs_english": round(others / english, 3) if english else 0.0,
        "ndcg@10": round(statistics.mean(every), 3) if every else 0.0,
    }


def sweep_table(rows: Sequence[Mapping[str, Any]], shown: int = 12) -> str:
    """The best rows of a sweep, and the row in use, as a text table."""
    picked = list(rows[:shown]) + [r for r in rows[shown:] if r["in_use"]]
    lines = ["   k  weight  en R@20  other R@20  other/en  nDCG@10 (all)"]
    for row in picked:
        mark = "  ← in use" if row["in_use"] else ""
        lines.append(
            f"{row['k']:4d}  {row['semantic_weight']:6.2f}  {row['en_recall@20']:7.3f}  "
            f"{row['other_recall@20']:10.3f}  {row['other_vs_english']:8.3f}  "
            f"{row['ndcg@10']:7.3f}{mark}"
        )
    return "\n".join(lines)
