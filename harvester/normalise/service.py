"""Normalising one source's raw records into the rows the store keeps: crosswalks by name,
provenance of the source, and a record's row."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache

from harvester.core.errors import ConfigError
from harvester.core.model import Record, record_id
from harvester.core.records import RawRecord
from harvester.core.sources import SourceConfig
from harvester.normalise.crosswalk import CROSSWALK_DIR, Crosswalk, load_crosswalk
from harvester.normalise.engine import SourceContext, normalise
from harvester.store import NormalisedRow


@cache
def crosswalk_named(name: str) -> Crosswalk:
    """The crosswalk ``mappings/crosswalks/<name>.yaml``, loaded and checked once.

    Raises:
        ConfigError: no such crosswalk, or it is broken.
    """
    path = CROSSWALK_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in CROSSWALK_DIR.glob("*.yaml"))) or "none"
        raise ConfigError(f"no crosswalk '{name}' in {CROSSWALK_DIR} (known: {known})")
    return load_crosswalk(path)


def context_of(source: SourceConfig) -> SourceContext:
    """What the normaliser records as provenance for this source."""
    return SourceContext(source.id, source.name, source.platform, source.protocol, source.url)


class Normaliser:
    """Turns one source's stored raw records into normalised rows."""

    def __init__(self, source: SourceConfig, crosswalk: Crosswalk | None = None) -> None:
        self.source = source
        self.crosswalk = crosswalk or crosswalk_named(source.crosswalk)
        self.context = context_of(source)

    def record(self, raw: RawRecord, harvested_at: str) -> Record:
        """The record in the common model."""
        return normalise(raw, self.crosswalk, self.context, harvested_at)

    def row(self, raw: RawRecord, changed_at: datetime) -> NormalisedRow:
        """The row to store; ``harvested_at`` is when the payload last changed, so an
        unchanged payload gives an identical row."""
        return self.row_and_record(raw, changed_at)[0]

    def row_and_record(
        self, raw: RawRecord, changed_at: datetime
    ) -> tuple[NormalisedRow, Record | None]:
        """:meth:`row`, and the record it serialises (``None`` for a deletion)."""
        if raw.deleted:
            identifier = record_id(raw.source_id, raw.identifier)
            deleted = NormalisedRow(
                raw.source_id, raw.identifier, identifier, "resource", "{}", "deleted", 0, True
            )
            return deleted, None
        record = self.record(raw, changed_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        document = record.model_dump_json(exclude_none=False)
        row = NormalisedRow(
            source_id=raw.source_id,
            source_identifier=raw.identifier,
            id=record.id,
            kind=record.kind,
            document=document,
            content_hash=hashlib.sha256(document.encode("utf-8")).hexdigest(),
            score=record.quality.score,
        )
        return row, record
