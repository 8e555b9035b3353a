"""Rows of a CSV file as raw records, read as a stream (memory stays flat).

The encoding is UTF-8 (with or without a byte-order mark) when the whole file decodes as
UTF-8, else Windows-1252 (what spreadsheet programs on Windows save); the delimiter is
sniffed from the start of the file among ``, ; TAB |``. Either can be given instead.

Each row becomes one raw record whose payload is a JSON object of the row's cells by
column name, exactly as read (nothing trimmed: the crosswalk decides). The row's
identifier is:

- the value of ``id_column``, trimmed;
- the values of ``id_columns``, trimmed and joined by ``|``;
- with neither, ``row:`` and 16 hex digits of the SHA-1 of the row's identifying fields:
  its name or title columns (see :data:`NAME_COLUMNS`), else every cell. Before hashing,
  each value is put in Unicode NFKC form, stripped of invisible format characters (zero-width
  spaces, byte-order marks), its whitespace collapsed and case folded, so that an editor
  removing a trailing space or a stray zero-width space keeps the record's identity. Text
  garbled by a wrong encoding ("Amfibie√´n") is hashed as it is: a repair is a guess, and a
  guess must not decide identity.

A row that cannot be read (more or fewer cells than the header, no identifier, an
identifier used by an earlier row, a broken quote) becomes a :class:`RecordFailure` naming
its line and the reason; the rows after it are read on.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from harvester.core.records import RawRecord, RecordFailure
from harvester.core.source_options import CsvOptions

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
FIELD_LIMIT = 1024 * 1024
"""Longest cell read (characters): a quote left open swallows the file into one cell."""
NAME_COLUMNS = re.compile(
    r"^\s*(?:project[ _-]?)?(?:name|title|naam|titel|nom|titre|nombre|titulo|titolo|"
    r"nome|projektname|projekttitel|projectnaam)\s*$",
    re.IGNORECASE,
)
"""Header names of the columns that name a row (what identifies a row with no id column)."""
_CHUNK = 1024 * 1024


class CsvFileError(ValueError):
    """The file as a whole cannot be read as CSV (no header, unknown encoding)."""


@dataclass(frozen=True)
class CsvDialect:
    """How a file is read: its encoding and delimiter, given or sniffed."""

    encoding: str
    delimiter: str


def detect_encoding(stream: BinaryIO) -> str:
    """``utf-8-sig`` when the whole stream decodes as UTF-8 (BOM or not), else ``cp1252``.

    Reads the stream in chunks from where it is and seeks back to the start.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        found = "utf-8-sig"
    except UnicodeDecodeError:
        found = "cp1252"
    stream.seek(0)
    return found


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample among ``, ; TAB |`` (``,`` when unsure)."""
    lines = sample.splitlines()
    text = "\n".join(lines[:-1] if len(lines) > 1 else lines)  # the last line may be cut
    try:
        return csv.Sniffer().sniff(text, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def dialect_of(stream: BinaryIO, options: CsvOptions) -> CsvDialect:
    """The encoding and delimiter to read ``stream`` with (given, else sniffed).

    Raises:
        CsvFileError: the given encoding is unknown.
    """
    encoding = options.encoding or detect_encoding(stream)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CsvFileError(f"unknown encoding '{encoding}'") from None
    if options.delimiter:
        return CsvDialect(encoding, options.delimiter)
    stream.seek(0)
    sample = stream.read(SNIFF_BYTES).decode(encoding, errors="replace")
    stream.seek(0)
    return CsvDialect(encoding, sniff_delimiter(sample.lstrip("\ufeff")))


def identity_text(value: str) -> str:
    """A value as it counts for identity: NFKC, no format characters (zero-width spaces,
    BOMs), whitespace collapsed, case folded."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).casefold()


def row_hash(values: list[str]) -> str:
    """``row:`` and 16 hex digits of the SHA-1 of the values' identity texts."""
    joined = "\x1f".join(identity_text(value) for value in values)
    return "row:" + hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def unique_headers(cells: list[str]) -> list[str]:
    """Column names from a header row: trimmed, a blank one named by its position, a
    repeated one given its position too."""
    names: list[str] = []
    for position, cell in enumerate(cells, start=1):
        name = " ".join(cell.lstrip("\ufeff").split()) or f"column {position}"
        if name in names:
            name = f"{name} (column {position})"
        names.append(name)
    return names


class RowReader:
    """Reads a CSV stream's rows as raw records of one source, one row at a time."""

    def __init__(
        self, stream: BinaryIO, options: CsvOptions, source_id: str, metadata_format: str
    ) -> None:
        self.options = options
        self.source_id = source_id
        self.metadata_format = metadata_format
        self.dialect = dialect_of(stream, options)
        self._text = io.TextIOWrapper(
            stream, encoding=self.dialect.encoding, errors="replace", newline=""
        )
        self.headers: list[str] = []
        self.rows_read = 0
        self._seen: dict[str, int] = {}

    def __iter__(self) -> Iterator[tuple[int, RawRecord | RecordFailure]]:
        """Each data row's first line number, and its record or failure."""
        csv.field_size_limit(FIELD_LIMIT)
        reader = csv.reader(self._text, delimiter=self.dialect.delimiter, strict=False)
        line = 1
        try:
            header = next(reader)
        except StopIteration:
            raise CsvFileError("the file is empty: no header row") from None
        except csv.Error as exc:
            raise CsvFileError(f"line 1: the header row cannot be read ({exc})") from None
        self.headers = unique_headers(header)
        self._check_id_columns()
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, RecordFailure(None, f"line {line}: cannot be read ({exc})")
                line = reader.line_num + 1
                continue
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            self.rows_read += 1
            yield start, self._record(start, cells)

    def _check_id_columns(self) -> None:
        wanted = [self.options.id_column] if self.options.id_column else []
        missing = [c for c in [*wanted, *self.options.id_columns] if c not in self.headers]
        if missing:
            raise CsvFileError(
                f"no column {', '.join(repr(c) for c in missing)} in the header "
                f"(columns: {', '.join(self.headers)})"
            )

    def _record(self, line: int, cells: list[str]) -> RawRecord | RecordFailure:
        if len(cells) != len(self.headers):
            return RecordFailure(
                None,
                f"line {line}: {len(cells)} cells where the header has {len(self.headers)}",
            )
        row = dict(zip(self.headers, cells, strict=True))
        identifier = self._identifier(row)
        if not identifier:
            return RecordFailure(None, f"line {line}: no identifier ({self._id_rule()} empty)")
        first = self._seen.setdefault(identifier, line)
        if first != line:
            return RecordFailure(
                identifier, f"line {line}: identifier '{identifier}' already used on line {first}"
            )
        return RawRecord(
            source_id=self.source_id,
            identifier=identifier,
            datestamp=None,
            metadata_format=self.metadata_format,
            payload=json.dumps(row, ensure_ascii=False),
            media_type="application/json",
        )

    def _identifier(self, row: dict[str, str]) -> str:
        if self.options.id_column:
            return row[self.options.id_column].strip()
        if self.options.id_columns:
            values = [row[column].strip() for column in self.options.id_columns]
            return "|".join(values) if any(values) else ""
        named = [value for name, value in row.items() if NAME_COLUMNS.match(name)]
        values = named if any(value.strip() for value in named) else list(row.values())
        return row_hash(values) if any(value.strip() for value in values) else ""

    def _id_rule(self) -> str:
        if self.options.id_column:
            return f"column '{self.options.id_column}'"
        if self.options.id_columns:
            return f"columns {', '.join(self.options.id_columns)}"
        return "every identifying field"


def read_csv_file(
    path: Path, options: CsvOptions, source_id: str, metadata_format: str
) -> Iterator[RawRecord | RecordFailure]:
    """Every row of a CSV file as a raw record or a failure (for ``csfinder map`` and tests).

    Raises:
        CsvFileError: the file has no readable header, or lacks an id column.
    """
    with path.open("rb") as stream:
        for _line, item in RowReader(stream, options, source_id, metadata_format):
            yield item
