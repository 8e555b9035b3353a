"""What a source will look like before anyone approves it: a live check of its endpoint.

For OAI-PMH: Identify, metadata formats and sets, then the first page of records; for a JSON
API or a page with JSON-LD: the first page; for a CSV file: its encoding, delimiter, columns
and first rows. A few records are mapped with the chosen
crosswalk and returned with their quality issues. Nothing is stored.
"""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from harvester.core.errors import CsfinderError
from harvester.core.model import Record
from harvester.core.records import RawRecord, RecordFailure
from harvester.core.sources import SourceConfig, file_path
from harvester.fetch.csv.reader import CsvFileError, RowReader
from harvester.fetch.http import HttpClient
from harvester.fetch.json_records import JsonRecordReader
from harvester.fetch.oai.check import check_oai_endpoint
from harvester.normalise.files import Origin, raw_records_from_body
from harvester.normalise.service import Normaliser, crosswalk_named

SAMPLE = 5
OAI_ROOT = b"http://www.openarchives.org/OAI/2.0/"


@dataclass
class Preview:
    """What the endpoint answered and how its first records map."""

    url: str
    protocol: str | None = None
    identify: dict[str, object] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    sets: list[tuple[str, str]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when records were mapped and nothing is wrong."""
        return bool(self.records) and not self.problems


def detect_protocol(url: str, http: HttpClient) -> str | None:
    """``oai-pmh`` when Identify answers, ``json-api`` for JSON, ``sitemap-jsonld`` for a
    sitemap or an HTML page; None when the endpoint says nothing usable."""
    identify = http.get(url, {"verb": "Identify"})
    if identify.status < 400 and OAI_ROOT in identify.content[:4000]:
        return "oai-pmh"
    page = http.get(url)
    if page.status >= 400:
        return None
    head = page.content[:4000].lstrip()
    if head[:1] in (b"{", b"["):
        return "json-api"
    if b"<urlset" in head or b"<sitemapindex" in head or b"<html" in head.lower():
        return "sitemap-jsonld"
    return None


def preview_source(source: SourceConfig, http: HttpClient, limit: int = SAMPLE) -> Preview:
    """Ask the endpoint and map its first records; every failure becomes a problem."""
    preview = Preview(source.url, source.protocol)
    try:
        normaliser = Normaliser(source, crosswalk_named(source.crosswalk))
    except CsfinderError as exc:
        preview.problems.append(str(exc))
        return preview
    try:
        if source.protocol == "oai-pmh":
            raws = _oai_sample(source, http, preview)
        elif source.protocol == "csv":
            raws = _csv_sample(source, http, preview, limit)
        else:
            raws = _page_sample(source, http, normaliser, preview)
    except CsfinderError as exc:
        preview.problems.append(str(exc))
        return preview
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    preview.records = [normaliser.record(raw, now) for raw in raws[:limit]]
    if not preview.records and not preview.problems:
        preview.problems.append("the first page holds no records this crosswalk can read")
    return preview


def _oai_sample(source: SourceConfig, http: HttpClient, preview: Preview) -> list[RawRecord]:
    report = check_oai_endpoint(source.id, source.url, source.metadata_prefix, source.sets, http)
    preview.identify, preview.formats, preview.sets = report.identify, report.formats, report.sets
    preview.problems += report.problems
    if not report.identify:
        return []
    params = {"verb": "ListRecords", "metadataPrefix": source.metadata_prefix or "oai_dc"}
    if source.sets:
        params["set"] = source.sets[0]
    page = http.get(f"{source.url}?{urlencode(params)}")
    crosswalk = crosswalk_named(source.crosswalk)
    origin = Origin("ListRecords", source.url)
    return [
        item
        for item in raw_records_from_body(page.content, origin, crosswalk, source.id)
        if isinstance(item, RawRecord)
    ]


def _page_sample(
    source: SourceConfig, http: HttpClient, normaliser: Normaliser, preview: Preview
) -> list[RawRecord]:
    page = http.get(source.url)
    if page.status >= 400:
        preview.problems.append(f"the endpoint answered HTTP {page.status}")
        return []
    if source.protocol == "json-api" and source.json_api is not None:
        return _json_api_sample(source, page.content, preview)
    origin = Origin(source.url, source.url)
    items = raw_records_from_body(page.content, origin, normaliser.crosswalk, source.id)
    return [item for item in items if isinstance(item, RawRecord)]


def _csv_sample(
    source: SourceConfig, http: HttpClient, preview: Preview, limit: int
) -> list[RawRecord]:
    """The first rows of the file, read as the ``csv`` harvest reads them."""
    if source.is_file:
        try:
            body = file_path(source.url).read_bytes()
        except OSError as exc:
            preview.problems.append(f"cannot read {source.url}: {exc.strerror or exc}")
            return []
    else:
        page = http.get(source.url)
        if page.status >= 400:
            preview.problems.append(f"the endpoint answered HTTP {page.status}")
            return []
        body = page.content
    try:
        reader = RowReader(io.BytesIO(body), source.csv_options, source.id, source.crosswalk)
        rows = list(itertools.islice(reader, limit * 4))
    except CsvFileError as exc:
        preview.problems.append(str(exc))
        return []
    preview.identify = {
        "encoding": reader.dialect.encoding,
        "delimiter": reader.dialect.delimiter,
        "columns": f"{len(reader.headers)}: " + " | ".join(reader.headers),
    }
    preview.problems += [item.reason for _, item in rows if isinstance(item, RecordFailure)][:3]
    return [item for _, item in rows if isinstance(item, RawRecord)]


def _json_api_sample(source: SourceConfig, content: bytes, preview: Preview) -> list[RawRecord]:
    """The first page read with the source's own paths, as the ``json-api`` harvest reads it."""
    try:
        document = json.loads(content)
    except ValueError:
        preview.problems.append("the endpoint did not answer with JSON")
        return []
    reader = JsonRecordReader(source)
    items = reader.items(document)
    if items is None:
        preview.problems.append(f"no records at '{reader.records_path_text}' in the first page")
        return []
    read = reader.read(items)
    if read.failures and not read.records:
        preview.problems.append(read.failures[0].reason)
    return read.records
