"""Fusing ranked lists: the words' order and the meaning's order of one query made one.

Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a result scores
``weight / (k + rank)`` in each list it is in, and the sums decide. It needs no scores
that could be compared across lists (BM25 and cosine are not), and ``k`` damps the weight
of the very first ranks. Both backends fuse with this one function; the weights and ``k``
were tuned on the relevance set (``csfinder bench relevance``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

RRF_K = 60
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 1.0
LEXICAL_DEPTH = 100  # ranks of the words' order that are fused
SEMANTIC_DEPTH = 100  # nearest records by meaning that are fused

Key = TypeVar("Key", bound=Hashable)


def fuse(
    lexical: Sequence[Key],
    semantic: Sequence[Key],
    *,
    k: int = RRF_K,
    weights: tuple[float, float] = (LEXICAL_WEIGHT, SEMANTIC_WEIGHT),
) -> list[Key]:
    """Every key of both lists, by the sum of its reciprocal ranks; equal sums keep the
    words' order first, then the meaning's."""
    scores: dict[Key, float] = {}
    first_seen: dict[Key, int] = {}
    for number, (ranked, weight) in enumerate(zip((lexical, semantic), weights, strict=True)):
        for rank, key in enumerate(ranked, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
            first_seen.setdefault(key, number * 1_000_000 + rank)
    return sorted(scores, key=lambda key: (-scores[key], first_seen[key]))
