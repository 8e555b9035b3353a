"""Raw records: what every protocol adapter yields, before any crosswalk touches it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as the source sent it.

    Attributes:
        source_id: the configured source it came from.
        identifier: the source's own identifier (OAI identifier, API id, page URL).
        datestamp: the source's last-modified stamp, as sent (``None`` if none).
        metadata_format: the metadata prefix or media format of the payload.
        payload: the record's metadata, serialised (``None`` for a deletion notice).
        deleted: the source says the record is gone.
        sets: the sets (collections) the source lists it in.
        media_type: how to read ``payload``.
    """

    source_id: str
    identifier: str
    datestamp: str | None
    metadata_format: str
    payload: str | None
    deleted: bool = False
    sets: tuple[str, ...] = field(default=())
    media_type: str = "application/xml"

    @property
    def content_hash(self) -> str:
        """SHA-256 of the payload: equal hashes mean nothing to rewrite."""
        return hashlib.sha256((self.payload or "").encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RecordFailure:
    """A record that could not be taken, and why; the run goes on without it."""

    identifier: str | None
    reason: str
