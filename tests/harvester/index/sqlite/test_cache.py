"""The cached fast path of the embedded backend answers exactly as the general one."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from harvester.index.documents import IndexDocument
from harvester.index.query import build_query
from harvester.index.sqlite import ordering, ranking
from harvester.index.sqlite.backend import SqliteIndex
from harvester.index.sqlite.cache import VersionedCache
from tests.harvester.index.corpus import corpus, doc, rid

FILTERS: list[tuple[tuple[str, str], ...]] = [
    (),
    (("country", "NL"),),
    (("kind", "dataset"),),
    (("country", "DE"), ("country", "FR"), ("has_pid", "true"), ("year_from", "2010")),
    (("language", "en"), ("year_to", "2015")),
]


def texts(documents: list[IndexDocument]) -> list[str]:
    """Words of the corpus, alone, paired, as phrases, prefixes, exclusions and OR."""
    words = sorted({w for d in documents for w in re.findall(r"[^\W\d_]{3,}", d.title.lower())})
    chosen = words[::2]
    shapes = ["", "water", '"water quality"', "hedge*", "birds -volunteers", "-water"]
    shapes += ["hedgehogs OR plankton", "wa* OR oiseaux -garden", "'; DROP TABLE docs; --"]
    shapes += chosen
    shapes += [f"{a} {b}" for a, b in itertools.pairwise(chosen)]
    shapes += [f"{a[:3]}* -{b}" for a, b in itertools.pairwise(chosen)]
    return shapes


@pytest.fixture
def pair(tmp_path: Path) -> tuple[SqliteIndex, SqliteIndex]:
    """Two readers of one index: with the cache (the fast path) and without (general)."""
    fast = SqliteIndex(tmp_path / "index")
    fast.upsert(corpus())
    return fast, SqliteIndex(tmp_path / "index", cache_bytes=0)


@pytest.mark.parametrize(("rank_all", "order_from"), [(ranking.RANK_ALL, 10**9), (2, 0)])
def test_the_fast_path_answers_as_the_general_one(
    pair: tuple[SqliteIndex, SqliteIndex],
    monkeypatch: pytest.MonkeyPatch,
    rank_all: int,
    order_from: int,
) -> None:
    monkeypatch.setattr(ranking, "RANK_ALL", rank_all)  # 2: large match sets' ranking too
    monkeypatch.setattr(ordering, "ORDER_FROM", order_from)  # 0: cached orders for every set
    monkeypatch.setattr(ordering, "ORDER_CHUNK", 3)
    fast, general = pair
    for text, filters, sort in itertools.product(texts(corpus()), FILTERS, [None, "newest"]):
        for per_page, page in [(20, 1), (2, 2), (3, 1)]:
            query = build_query(text, filters, sort=sort, page=page, per_page=per_page)
            for _ in range(2):  # the second time from the cache
                assert fast.search(query).as_dict() == general.search(query).as_dict(), query
    assert fast.cache_stats()[0].hits > 0 and fast.cache_stats()[1].hits > 0
    assert general.cache_stats()[0].entries == general.cache_stats()[1].entries == 0


def test_a_write_from_another_reader_is_seen_at_once(tmp_path: Path) -> None:
    reader = SqliteIndex(tmp_path)
    reader.upsert(corpus())
    query, browse = build_query("water"), build_query("", [("kind", "project")])

    def swedish() -> int:
        counts = reader.search(browse).facets["country"]
        return sum(c.count for c in counts if c.value == "SE")

    before, swedish_before = reader.search(query).total, swedish()
    assert (reader.search(query).total, swedish()) == (before, swedish_before)
    writer = SqliteIndex(tmp_path)  # another process, as a harvest
    writer.upsert([doc("new-water", "Fresh water survey", countries=["SE"])])
    assert reader.search(query).total == before + 1
    assert swedish() == swedish_before + 1
    writer.delete([rid("new-water")])
    assert reader.search(query).total == before
    writer.rebuild(iter([doc("only", "Water only")]))
    assert [h.id for h in reader.search(query).hits] == [rid("only")]


def test_the_cache_is_bounded_and_drops_old_versions() -> None:
    cache = VersionedCache(max_bytes=100, max_entries=3)
    for n in range(5):
        cache.put("v1", n, n, 10)
    assert [cache.get("v1", n) for n in range(5)] == [None, None, 2, 3, 4]
    cache.put("v1", "big", "x", 90)
    assert cache.stats().bytes <= 100
    assert [cache.get("v1", n) for n in (2, 3, 4)] == [None, None, 4]  # least recent first
    cache.put("v2", "fresh", 1, 1)
    assert cache.get("v1", "big") is None
    assert cache.get("v2", "fresh") == 1
    assert cache.stats().entries == 1
    assert not VersionedCache(max_bytes=0).enabled
