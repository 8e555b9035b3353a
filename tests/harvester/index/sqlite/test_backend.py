"""What only the embedded backend promises: generations, live writers, big match sets."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from pathlib import Path

import pytest
from pyroaring import BitMap

from harvester.index.query import build_query
from harvester.index.sqlite import ordering, ranking
from harvester.index.sqlite.backend import SqliteIndex
from tests.harvester.index.corpus import corpus, doc, rid


def write_many(folder: str, start: int, count: int) -> None:
    """Upsert ``count`` records in batches from another process."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
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
    monkeypatch.setattr(ranking, "RANK_ALL", 1)  # as if every match set were huge
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
    # keyword matches only, equally rich: newest first (BM25 would rank "air-es" last)
    by_keywords = [h.id for h in index.search(build_query("quality")).hits]
    assert by_keywords == [rid("air-es"), rid("water-nl"), rid("water-de", "second")]


def test_title_sort_with_many_shared_prefixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ordering, "TITLE_SORT_REFINE", 1)
    index = SqliteIndex(tmp_path)
    names = ["Observations zeta", "Observations alpha", "Observations beta", "Another"]
    index.upsert(doc(f"t{n}", name) for n, name in enumerate(names))
    ordered = [h.summary["title"] for h in index.search(build_query("", sort="title")).hits]
    assert ordered[0] == "Another"
    assert ordered[1:] == names[:3]  # first eight bytes equal: order by row id


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


def test_a_change_patches_a_copy_of_the_facet_state_never_the_one_being_read(
    tmp_path: Path,
) -> None:
    reader = SqliteIndex(tmp_path)
    reader.upsert(corpus())
    browse = build_query("")
    total = reader.search(browse).total
    held = reader._live.state
    assert held is not None
    live, countries = BitMap(held.live), {v: BitMap(b) for v, b in held.values["country"].items()}
    writer = SqliteIndex(tmp_path)  # another process, as a harvest
    writer.upsert([doc("new-water", "Fresh water survey", countries=["SE", "IS"])])
    assert reader.search(browse).total == total + 1
    assert reader._live.state is not held
    assert held.live == live
    assert held.values["country"] == countries


def test_threads_counting_facets_while_another_process_writes(tmp_path: Path) -> None:
    reader = SqliteIndex(tmp_path)
    reader.upsert(corpus())
    base = reader.search(build_query("")).total
    errors: list[BaseException] = []
    done = threading.Event()

    def count_facets() -> None:
        while not done.is_set():
            try:
                reader.search(build_query("", [("country", "SE")]))
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=count_facets) for _ in range(3)]
    for thread in threads:
        thread.start()
    others = ["NO", "FI", "DK", "IS", "EE", "LV", "LT"]
    try:
        writer = SqliteIndex(tmp_path)
        for n in range(60):
            writer.upsert([doc(f"extra-{n}", f"Extra record {n}", countries=["SE", others[n % 7]])])
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert reader.search(build_query("")).total == base + 60


def test_an_index_of_an_older_format_asks_for_a_reindex(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path)
    assert index.format_problem() is None
    with index._generations.conn() as conn:  # as csfinder before format 2 left it
        conn.execute("DELETE FROM meta WHERE key = 'format'")
    problem = index.format_problem()
    assert problem is not None and "format 1" in problem and "csfinder reindex" in problem
    index.rebuild(corpus())
    assert index.format_problem() is None
    index.close()
