"""The CSV row reader against the real inventories (JRC, Dutch list) and small files the
tests write: encodings, delimiters, identifiers, and rows that cannot be read."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from harvester.core.records import RawRecord, RecordFailure
from harvester.core.source_options import CsvOptions
from harvester.fetch.csv.reader import (
    CsvFileError,
    RowReader,
    identity_text,
    read_csv_file,
    row_hash,
    sniff_delimiter,
)
from tests.support.fixture_provider import SHARED_FIXTURES

needs_shared = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def rows(data: bytes, **options: object) -> list[RawRecord | RecordFailure]:
    reader = RowReader(io.BytesIO(data), CsvOptions.model_validate(options), "s", "cw")
    return [item for _line, item in reader]


def jrc(n: int) -> Path:
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES / "corpus" / "jrc-citsci-inventory" / f"{n}-projects-citsci.csv"


def dutch() -> Path:
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES / "corpus" / "citizen-science-nl" / "citizen-science-projects-nl.csv"


@needs_shared
def test_jrc_uids_are_unique_across_the_three_source_files() -> None:
    uids: dict[int, set[str]] = {}
    for n in (1, 2, 3):
        items = list(read_csv_file(jrc(n), CsvOptions(id_column="UID"), "jrc", "jrc_citsci"))
        records = [item for item in items if isinstance(item, RawRecord)]
        assert len(records) == len(items)
        uids[n] = {item.identifier for item in records}
    assert [len(uids[n]) for n in (1, 2, 3)] == [336, 6, 2]
    assert not (uids[1] & uids[2] or uids[1] & uids[3] or uids[2] & uids[3])
    assert {int(u) for u in uids[2]} <= set(range(547, 558))
    assert {int(u) for u in uids[3]} <= set(range(547, 558))


@needs_shared
def test_a_row_payload_keeps_every_cell_as_written() -> None:
    first = next(read_csv_file(jrc(1), CsvOptions(id_column="UID"), "jrc", "jrc_citsci"))
    assert isinstance(first, RawRecord)
    row = json.loads(first.payload or "")
    assert row["UID"] == "1" and row["Name"] == "Hedgehogstreet"
    assert (
        len(row) == 37
        and row[
            "SDG 15 - Terrestrial biodiversity conservation, sustainable "
            "forest management and land use management"
        ]
        == "2"
    )


@needs_shared
def test_dutch_rows_are_identified_by_their_name_whatever_its_whitespace() -> None:
    items = list(read_csv_file(dutch(), CsvOptions(), "nl", "cs_nl"))
    records = [item for item in items if isinstance(item, RawRecord)]
    assert len(records) == len(items) == 154
    by_name = {json.loads(item.payload or "")["name"]: item.identifier for item in records}
    assert len(set(by_name.values())) == 154
    # the name as given stays in the payload; its identity ignores the trailing space and
    # the zero-width space an editor might remove
    assert by_name["Wadertrack "] == row_hash(["Wadertrack"])
    assert by_name["Geluid-\u200b en luchtkwaliteit"] == row_hash(["Geluid- en luchtkwaliteit"])
    assert by_name["Ja -  ik wil!"] == row_hash(["ja - ik wil!"])
    # garbled text is hashed as it is: no repair decides identity
    assert by_name["Avondtelling Amfibie√´n"] != row_hash(["Avondtelling Amfibieën"])


def test_identity_text_folds_what_an_editor_would_not_call_a_change() -> None:
    assert identity_text(" Schone\u00a0Rivieren\u200b ") == "schone rivieren"
    assert identity_text("\ufeffＡＢＣ") == "abc"  # BOM dropped, full-width letters NFKC-folded
    assert row_hash(["River Watch"]) != row_hash(["River Watch 2"])
    assert row_hash(["a", "b"]) != row_hash(["ab"])


def test_semicolons_tabs_and_a_byte_order_mark() -> None:
    semicolon = "\ufeffid;name\n1;Eén\n2;Twee\n".encode()
    found = rows(semicolon, id_column="id")
    assert [r.identifier for r in found] == ["1", "2"]
    assert json.loads(found[0].payload or "")["name"] == "Eén"  # type: ignore[union-attr]
    tabbed = b"id\tname\n7\tSeven\n"
    assert [r.identifier for r in rows(tabbed, id_column="id")] == ["7"]
    assert sniff_delimiter("a|b|c\n1|2|3\n") == "|"


def test_windows_1252_is_read_when_the_file_is_not_utf8() -> None:
    text = "id,name\n1,Vogeltelling in België – voorjaar\n2,Müggenatlas\n"
    found = rows(text.encode("cp1252"), id_column="id")
    names = [json.loads(r.payload or "")["name"] for r in found]  # type: ignore[union-attr]
    assert names == ["Vogeltelling in België – voorjaar", "Müggenatlas"]


def test_rows_that_cannot_be_read_are_failures_with_their_line() -> None:
    data = (
        b"id,name,place\n"
        b"1,One,Here\n"
        b"2,Two\n"  # a cell short
        b'3,"Three, with a comma",There\n'
        b"\n"  # a blank line: skipped
        b",No id,Nowhere\n"
        b"1,One again,Elsewhere\n"
        b'4,"Four\non two lines",Far\n'
        b"5,Five,Near,extra\n"
    )
    found = rows(data, id_column="id")
    kept = [item.identifier for item in found if isinstance(item, RawRecord)]
    assert kept == ["1", "3", "4"]
    reasons = [item.reason for item in found if isinstance(item, RecordFailure)]
    assert reasons == [
        "line 3: 2 cells where the header has 3",
        "line 6: no identifier (column 'id' empty)",
        "line 7: identifier '1' already used on line 2",
        "line 10: 4 cells where the header has 3",
    ]


def test_composite_ids_and_missing_id_columns() -> None:
    data = b"country,code,name\nNL,1,A\nBE,1,B\n"
    assert [r.identifier for r in rows(data, id_columns=["country", "code"])] == ["NL|1", "BE|1"]
    with pytest.raises(CsvFileError, match="no column 'UID'"):
        rows(data, id_column="UID")
    with pytest.raises(CsvFileError, match="no header row"):
        rows(b"")


def test_without_a_name_column_the_whole_row_identifies_it() -> None:
    data = b"a,b\n1,2\n1,3\n"
    first, second = rows(data)
    assert first.identifier == row_hash(["1", "2"]) != second.identifier
