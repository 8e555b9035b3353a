"""Raw records from one page of a JSON web API, as a ``json-api`` source describes it.

Shared by the ``json-api`` spider and the registration's live check, so that the preview an
operator sees reads a page exactly as the harvest will.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import jmespath

from harvester.core.records import RawRecord, RecordFailure
from harvester.core.sources import SourceConfig


@dataclass
class JsonPage:
    """The records of one page, and the items that could not become one."""

    records: list[RawRecord] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)


class JsonRecordReader:
    """Reads pages with a source's ``records_path``, ``id_path`` and ``datestamp_path``."""

    def __init__(self, source: SourceConfig) -> None:
        options = source.json_api
        if options is None:
            raise ValueError(f"source {source.id!r} has no json_api options")
        self.source = source
        self.records_path_text = options.records_path
        self.id_path_text = options.id_path
        self.records_path = jmespath.compile(options.records_path)
        self.id_path = jmespath.compile(options.id_path)
        self.datestamp_path = (
            jmespath.compile(options.datestamp_path) if options.datestamp_path else None
        )

    def items(self, document: Any) -> list[Any] | None:
        """The page's record items (``None`` when ``records_path`` finds nothing)."""
        items = self.records_path.search(document)
        if items is None:
            return None
        return items if isinstance(items, list) else [items]

    def read(self, items: list[Any]) -> JsonPage:
        """One raw record per item with an identifier; a failure for each without."""
        page = JsonPage()
        for item in items:
            identifier = self.id_path.search(item)
            if isinstance(identifier, bool) or not isinstance(identifier, str | int):
                page.failures.append(RecordFailure(None, f"no identifier at '{self.id_path_text}'"))
                continue
            stamp = self.datestamp_path.search(item) if self.datestamp_path else None
            page.records.append(
                RawRecord(
                    source_id=self.source.id,
                    identifier=str(identifier),
                    datestamp=str(stamp) if stamp not in (None, "") else None,
                    metadata_format=self.source.crosswalk,
                    payload=json.dumps(item, ensure_ascii=False),
                    media_type="application/json",
                )
            )
        return page
