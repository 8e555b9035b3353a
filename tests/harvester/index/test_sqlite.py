"""What only the embedded backend promises: generations, live writers, big match sets."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from harvester.index import sqlite as embedded
from harvester.index.query import build_query
from harvester.index.sqlite import SqliteIndex
from tests.harvester.index.corpus import corpus, doc, rid


def write_many(folder: str, start: int, count: int) -> None:
    """Upsert ``count`` records in batches from another process."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from tests.harvester.index.corpus import doc as make

    index = SqliteIndex(Path(folder))
    for first in range(start, start + count, 50):
        index.upsert(
            make(f"w{n}", f"Written water record {n}", countries=["SE"])
            for n in range(first, first + 50)
        )


def test_searches_keep_answering_while_another_process_writes(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path)
    index.upsert(corpus())
    writer = multiprocessing.get_context("spawn").Process(
        target=write_many, args=(str(tmp_path), 0, 2000)
    )
    writer.start()
    seen = []
    while writer.is_alive():
        seen.append(index.search(build_query("water", [("country", "SE")])).total)
    writer.join()
    assert writer.exitcode == 0
    assert seen == sorted(seen)  # never an error, never going backwards
    final = index.search(build_query("water", [("country", "SE")]))
    assert final.total == 2000
    assert {c.value: c.count for c in final.facets["country"]}["SE"] == 2000


def test_a_rebuild_swaps_generations_under_a_reader(tmp_path: Path) -> None:
    reader = SqliteIndex(tmp_path)
    writer = SqliteIndex(tmp_path)
    writer.upsert(corpus())
    assert reader.search(build_query("hedgehogs")).total == 1
    first = (tmp_path / "CURRENT").read_text().strip()
    writer.rebuild([doc("new", "Brand new hedgehogs survey")])
    assert [h.id for h in reader.search(build_query("hedgehogs")).hits] == [rid("new")]
    writer.rebuild([doc("newer", "Newer hedgehogs survey")])
    files = {p.name for p in tmp_path.glob("index-*.sqlite3")}
    assert first not in files and len(files) == 2  # the live one and the one before
    assert reader.count() == 1


def test_writes_after_a_rebuild_are_searchable(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path)
    index.rebuild(corpus())
    index.upsert([doc("late", "A late hedgehog survey")])
    index.delete([rid("hedgehogs")])
    assert [h.id for h in index.search(build_query("hedgehog*")).hits] == [rid("late")]


def test_huge_match_sets_rank_title_matches_first_then_richer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "RANK_ALL", 1)  # as if every match set were huge
    index = SqliteIndex(tmp_path)
    index.upsert(corpus())
    ranked = [h.id for h in index.search(build_query("water")).hits]
    # title matches first, the shortest titles first, then by richness (boost 97 over 5)
    assert ranked[:3] == [rid("rich-water"), rid("thin-water"), rid("water-nl")]
    assert ranked[3] == rid("water-de", "second")  # a keyword match comes after titles
    paged = [
        h.id for n in (1, 2) for h in index.search(build_query("water", per_page=2, page=n)).hits
    ]
    assert paged == ranked


def test_title_sort_with_many_shared_prefixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "TITLE_SORT_REFINE", 1)
    index = SqliteIndex(tmp_path)
    names = ["Observations zeta", "Observations alpha", "Observations beta", "Another"]
    index.upsert(doc(f"t{n}", name) for n, name in enumerate(names))
    ordered = [h.summary["title"] for h in index.search(build_query("", sort="title")).hits]
    assert ordered[0] == "Another"
    assert set(ordered[1:]) == set(names[:3])  # first eight bytes equal: order by row id


def test_exact_title_order_when_ties_are_few(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path)
    names = ["Observations zeta", "Observations alpha", "Observations beta", "Another"]
    index.upsert(doc(f"t{n}", name) for n, name in enumerate(names))
    ordered = [h.summary["title"] for h in index.search(build_query("", sort="title")).hits]
    assert ordered == ["Another", "Observations alpha", "Observations beta", "Observations zeta"]


def test_an_unreadable_index_folder_fails_ping(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path)
    assert index.ping()
    (tmp_path / "CURRENT").write_text("index-missing.sqlite3\n")
    (tmp_path / "index-missing.sqlite3").mkdir()
    assert not index.ping()
