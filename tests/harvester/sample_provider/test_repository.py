"""Repositories behind the sample provider: the YAML one and the lazy synthetic one."""

from __future__ import annotations

import random
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harvester.fetch.oai.protocol import (
    GRANULARITY_DAY,
    GRANULARITY_SECONDS,
    format_datestamp,
    parse_datestamp,
)
from harvester.sample_provider import (
    DC_ELEMENTS,
    ListRepository,
    SampleRecord,
    SyntheticRepository,
    demo_repositories,
    load_demo_repositories,
)
from harvester.sample_provider.repository import in_set
from tests.support.servers import SAMPLE_YAML, sample_repository

ID = "oai:test.csfinder.example:cs-{:04d}"


def utc(text: str) -> datetime:
    return parse_datestamp(text)[0]


# ------------------------------------------------------------------------- datestamps


def test_parse_datestamp_both_granularities():
    assert parse_datestamp("2024-03-12T09:15:00Z") == (
        datetime(2024, 3, 12, 9, 15, tzinfo=UTC),
        GRANULARITY_SECONDS,
    )
    assert parse_datestamp("2024-03-12") == (datetime(2024, 3, 12, tzinfo=UTC), GRANULARITY_DAY)


@pytest.mark.parametrize(
    "text",
    ["2024-03-12T09:15:00", "2024-03-12T09:15Z", "2024-13-01", "2024-02-30", "12.3.2024", ""],
)
def test_parse_datestamp_rejects_invalid(text):
    with pytest.raises(ValueError, match=r"datestamp|month|day"):
        parse_datestamp(text)


def test_format_datestamp():
    moment = datetime(2024, 3, 12, 9, 15, 7, 999, tzinfo=UTC)
    assert format_datestamp(moment) == "2024-03-12T09:15:07Z"
    assert format_datestamp(moment, GRANULARITY_DAY) == "2024-03-12"


def test_in_set_includes_subsets():
    assert in_set(["a:b"], "a")
    assert in_set(["a"], "a")
    assert not in_set(["ab"], "a")
    assert not in_set(["a"], "a:b")


# -------------------------------------------------------------------------- YAML


def test_yaml_repository_loads_the_test_file():
    repo = sample_repository()
    assert repo.name == "csfinder test repository: ponds & pollinators"
    assert repo.granularity == GRANULARITY_SECONDS
    assert repo.earliest_datestamp == utc("2022-01-01T00:00:00Z")
    assert dict(repo.sets) == {
        "pollinators": "Pollinator monitoring",
        "water": "Ponds, ditches & streams",
    }
    assert len(repo.records) == 12
    assert [r.identifier for r in repo.records] == [ID.format(i) for i in range(1, 13)]
    deleted = [r.identifier for r in repo.records if r.deleted]
    assert deleted == [ID.format(9)]
    both = [r.identifier for r in repo.records if set(r.sets) == {"pollinators", "water"}]
    assert both == [ID.format(5)]
    first = repo.get(ID.format(1))
    assert first is not None
    assert first.dc["title"] == (
        ("Bumblebee walks on the Eastfield allotments", "en"),
        ("Hummelspaziergänge in den Kleingärten Ostfeld", "de"),
    )
    assert first.dc["creator"] == (("Eastfield Allotment Society", None),)
    assert first.datestamp.tzinfo is not None


def test_yaml_repository_count_and_slice():
    repo = sample_repository()
    assert repo.count(None, None, None) == 12
    assert repo.count("water", None, None) == 6
    assert repo.count("pollinators", None, None) == 5
    assert repo.count("nope", None, None) == 0
    assert repo.count(None, utc("2024-01-01"), None) == 5
    assert repo.count(None, None, utc("2023-01-15T08:00:00Z")) == 1
    page = list(repo.slice("water", None, None, 2, 3))
    assert [r.identifier for r in page] == [ID.format(i) for i in (5, 8, 9)]
    assert repo.get("oai:test.csfinder.example:missing") is None


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "repo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = 'repository_name: "t"\nsets:\n  - {spec: s, name: S}\nrecords:\n'


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ('  - {identifier: "a", datestamp: "2024-01-01T00:00:00Z", dc: {titel: [x]}}\n', "titel"),
        ('  - {identifier: "a", datestamp: "2024-01-01T00:00:00Z", sets: [t]}\n', "undeclared"),
        ('  - {identifier: "a", datestamp: "yesterday"}\n', "datestamp"),
        ('  - {datestamp: "2024-01-01"}\n', "identifier"),
        (
            '  - {identifier: "a", datestamp: "2024-01-01"}\n'
            '  - {identifier: "a", datestamp: "2024-01-02"}\n',
            "duplicate",
        ),
        ('  - {identifier: "a", datestamp: "2024-01-01", deleted: "no"}\n', "deleted"),
        ('  - {identifier: "a", datestamp: "2024-01-01", dc: {title: [{lang: en}]}}\n', "value"),
    ],
)
def test_yaml_repository_rejects_mistakes_with_their_place(tmp_path, records, message):
    path = _write(tmp_path, HEAD + records)
    with pytest.raises(ValueError, match=message) as info:
        ListRepository.from_yaml(path)
    assert str(path) in str(info.value)


def test_yaml_repository_accepts_unquoted_yaml_dates_and_scalars(tmp_path):
    path = _write(
        tmp_path,
        HEAD + "  - {identifier: a, datestamp: 2024-01-01T10:00:00Z, dc: {date: [2021-05-04], "
        "title: [1234]}}\n  - {identifier: b, datestamp: 2024-01-02}\n",
    )
    repo = ListRepository.from_yaml(path)
    a = repo.get("a")
    assert a is not None
    assert a.datestamp == utc("2024-01-01T10:00:00Z")
    assert a.dc["date"] == (("2021-05-04", None),)
    assert a.dc["title"] == (("1234", None),)
    b = repo.get("b")
    assert b is not None
    assert b.datestamp == utc("2024-01-02")
    assert repo.earliest_datestamp == a.datestamp


def test_load_demo_repositories_loads_every_shipped_file():
    repositories = load_demo_repositories()
    folder = Path(__file__).resolve().parents[3] / "harvester" / "demo" / "data"
    expected = sorted(p.name for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    assert len(repositories) == len(expected)
    for repo in repositories:
        assert repo.name
        assert repo.count(None, None, None) == len(repo.records)
    by_name = demo_repositories()
    assert sorted(by_name) == [name.rsplit(".", 1)[0] for name in expected]
    assert [r.name for r in by_name.values()] == [r.name for r in repositories]


def test_the_test_yaml_is_where_the_servers_module_says():
    assert SAMPLE_YAML.is_file()


# ---------------------------------------------------------------------- synthetic


def test_synthetic_is_deterministic():
    a = SyntheticRepository(5000, seed=7)
    b = SyntheticRepository(5000, seed=7)
    other = SyntheticRepository(5000, seed=8)
    assert list(a.slice(None, None, None, 100, 50)) == list(b.slice(None, None, None, 100, 50))
    ra, ro = a.record(4321), other.record(4321)
    assert ra.identifier == ro.identifier
    assert ra.datestamp == ro.datestamp
    assert any(a.record(i).dc != other.record(i).dc for i in range(20))


def test_synthetic_records_look_like_citizen_science_datasets():
    repo = SyntheticRepository(3000, sets=3, seed=1)
    records = list(repo.slice(None, None, None, 0, 3000))
    assert len(records) == 3000
    live = [r for r in records if not r.deleted]
    assert 0 < len(records) - len(live) < 60
    languages = {r.dc["language"][0][0] for r in live}
    assert {"en", "de", "fr", "nl", "es", "it"} <= languages
    for record in live[:500]:
        assert set(record.dc) <= set(DC_ELEMENTS)
        assert 1 <= len(record.dc["subject"]) <= 3
        assert record.dc["title"][0][0]
        assert record.dc["title"][0][1] == record.dc["language"][0][0]
        assert record.dc["creator"]
        assert any(v.startswith("https://") for v, _ in record.dc["identifier"])
        assert record.dc["type"] == (("Dataset", None),)
    assert len({r.dc["title"][0][0] for r in live}) > 500
    for record in records:
        if record.deleted:
            assert record.dc == {}
    stamps = [r.datestamp for r in records]
    assert stamps == sorted(stamps)
    assert stamps[0] == repo.earliest_datestamp
    assert stamps[-1] - stamps[0] > timedelta(days=3 * 365)
    assert [r.sets for r in records[:4]] == [
        ("biodiversity",),
        ("environment",),
        ("climate",),
        ("biodiversity",),
    ]


def _brute(
    records: list[SampleRecord],
    set_spec: str | None,
    from_: datetime | None,
    until: datetime | None,
) -> list[SampleRecord]:
    return [
        r
        for r in records
        if (set_spec is None or set_spec in r.sets)
        and (from_ is None or r.datestamp >= from_)
        and (until is None or r.datestamp <= until)
    ]


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_synthetic_count_and_slice_match_a_brute_force_scan(n):
    repo = SyntheticRepository(n, sets=3, seed=3)
    everything = [repo.record(i) for i in range(n)]
    rng = random.Random(n)
    start = repo.earliest_datestamp
    bounds: list[datetime | None] = [None, start, start - timedelta(days=1)]
    bounds += [start + timedelta(seconds=rng.randrange(4 * 365 * 86400)) for _ in range(4)]
    bounds += [start + timedelta(days=2000)]
    for set_spec in [None, "biodiversity", "climate", "unknown"]:
        for from_ in bounds:
            for until in bounds:
                expected = _brute(everything, set_spec, from_, until)
                assert repo.count(set_spec, from_, until) == len(expected)
                for offset, limit in [(0, 5), (3, 4), (len(expected) - 1, 10)]:
                    got = list(repo.slice(set_spec, from_, until, max(offset, 0), limit))
                    assert got == expected[max(offset, 0) : max(offset, 0) + limit]


def test_synthetic_until_bound_is_inclusive_to_the_second():
    repo = SyntheticRepository(1000)
    stamp = repo.datestamp_of(500)
    assert repo.record(500) in list(repo.slice(None, stamp, stamp, 0, 10))
    inside = list(repo.slice(None, None, stamp + timedelta(microseconds=999_999), 0, 10**6))
    assert inside[-1].datestamp == stamp


def test_synthetic_million_slice_far_in_is_fast_and_correct():
    repo = SyntheticRepository(1_000_000)
    began = time.perf_counter()
    page = list(repo.slice(None, None, None, 999_900, 100))
    assert repo.count(None, None, None) == 1_000_000
    assert repo.count("climate", None, None) == 333_333
    set_page = list(repo.slice("climate", None, None, 333_300, 100))
    elapsed = time.perf_counter() - began
    assert [r.identifier for r in page] == [repo.identifier_of(i) for i in range(999_900, 10**6)]
    assert len(set_page) == 33
    assert set_page[-1].identifier == repo.identifier_of(999_998)
    assert elapsed < 0.5


def test_synthetic_memory_stays_flat_while_streaming():
    repo = SyntheticRepository(1_000_000)
    tracemalloc.start()
    try:
        seen = 0
        for offset in range(0, 5_000, 100):
            for _record in repo.slice(None, None, None, offset, 100):
                seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 5_000
    assert peak < 1024 * 1024


def test_synthetic_get_round_trips_and_rejects_strangers():
    repo = SyntheticRepository(1000)
    record = repo.get(repo.identifier_of(999))
    assert record is not None
    assert record == repo.record(999)
    for identifier in [
        repo.identifier_of(999).replace("999", "1000"),
        "oai:synthetic.csfinder.example:ds-00001000",
        "oai:synthetic.csfinder.example:ds-12",
        "oai:synthetic.csfinder.example:ds-x000001",
        "oai:other:ds-0000001",
    ]:
        assert repo.get(identifier) is None


def test_synthetic_without_sets_and_with_many_sets():
    assert SyntheticRepository(10, sets=0).record(3).sets == ()
    assert dict(SyntheticRepository(10, sets=0).sets) == {}
    many = SyntheticRepository(100, sets=7)
    assert len(many.sets) == 7
    assert many.record(6).sets == ("set-6",)
