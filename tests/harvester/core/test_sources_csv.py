"""Source files of the csv protocol: a file path only for csv, resolved beside the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.core.errors import SourceConfigError
from harvester.core.sources import load_source_file


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = "name: Inventory\nplatform: test\ncrosswalk: jrc_citsci\n"


def test_a_relative_file_path_is_read_beside_the_source_file(tmp_path: Path) -> None:
    source = load_source_file(
        write(tmp_path, "inv", BASE + "protocol: csv\nurl: data/list.csv\ncsv: {id_column: UID}\n")
    )
    assert source.is_file and source.url == str(tmp_path / "data" / "list.csv")
    assert source.csv_options.id_column == "UID"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("protocol: oai-pmh\nmetadata_prefix: oai_dc\nurl: /data/list.csv\n", "url"),
        ("protocol: csv\nurl: https://x.org/a.csv\ncsv: {id_column: A, id_columns: [B]}\n", "csv"),
        ("protocol: csv\nurl: https://x.org/a.csv\ncsv: {encoding: klingon}\n", "csv.encoding"),
        ("protocol: json-api\nurl: https://x.org/a\ncsv: {id_column: A}\n", "-"),
    ],
)
def test_what_a_csv_source_file_cannot_say(tmp_path: Path, extra: str, field: str) -> None:
    with pytest.raises(SourceConfigError) as raised:
        load_source_file(write(tmp_path, "bad", BASE + extra))
    assert raised.value.field.startswith(field) or field == "-"
