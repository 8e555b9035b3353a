"""Cluster ids that last, and the listing that represents each cluster.

A cluster keeps its id while it keeps most of its members: when records join or leave, the
new group holding most of an old cluster's members inherits its id (larger groups choose
first); any other group gets a new id made from its first member's record id (and a
counter, should that id be in use), so clustering the same records again gives the same
ids. The representative is the richest, most FAIR listing: highest quality score, then the
most fields filled, then the record id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from harvester.enrich.clusters.features import Features

ID_PREFIX = "cl-"


def default_cluster_id(record_id: str, attempt: int = 0) -> str:
    """The id a new cluster first gets from its first member: ``cl-`` and 16 hex digits."""
    seed = record_id if attempt == 0 else f"{record_id}#{attempt}"
    return ID_PREFIX + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:16]  # noqa: S324 (an id)


def assign_ids(
    groups: Sequence[Sequence[str]],
    previous: Mapping[str, str],
    taken: Callable[[str], bool] = lambda _id: False,
) -> dict[str, str]:
    """A cluster id for every record of ``groups``, from their ``previous`` cluster ids
    (record id → cluster id); ``taken`` says an id is used by a cluster outside these
    groups."""
    order = sorted(groups, key=lambda g: (-len(g), min(g)))
    used: set[str] = set()
    assigned: dict[str, str] = {}
    for members in order:
        votes = Counter(previous[r] for r in members if r in previous)
        chosen = next(
            (
                cid
                for cid, _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                if cid not in used
            ),
            None,
        )
        if chosen is None:
            chosen = _fresh(min(members), used, taken)
        used.add(chosen)
        assigned.update((r, chosen) for r in members)
    return assigned


def _fresh(record_id: str, used: set[str], taken: Callable[[str], bool]) -> str:
    attempt = 0
    while True:
        candidate = default_cluster_id(record_id, attempt)
        if candidate not in used and not taken(candidate):
            return candidate
        attempt += 1


def representative(members: Iterable[str], features: Mapping[str, Features]) -> str:
    """The member that best represents its cluster."""
    return min(
        members,
        key=lambda r: (
            (-features[r].quality, -features[r].richness, r) if r in features else (1, 0, r)
        ),
    )
