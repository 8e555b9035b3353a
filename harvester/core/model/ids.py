"""Source ids and record ids: their patterns, the source id check, and :func:`record_id`."""

from __future__ import annotations

import hashlib
import re

SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
RECORD_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}:[0-9a-f]{16}$"

_SOURCE_ID = re.compile(SOURCE_ID_PATTERN)


def _source_id(value: str) -> str:
    """Check a source id: the same rule as source configuration files."""
    if not _SOURCE_ID.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a source id (lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit, at most 64 characters)"
        )
    return value


def record_id(source_id: str, source_identifier: str) -> str:
    """Return the stable id of a source's record.

    The id is ``"<source_id>:<first 16 hex digits of SHA-1(source_identifier, UTF-8)>"``.
    The source id cannot contain ':', so ids of different sources never collide; within a
    source, 64 bits of hash make a collision negligible (about 3 in a million for a source
    of 10 million records). The identifier is hashed exactly as given (OAI identifiers are
    case-sensitive). The result is URL-safe and never changes for the same inputs.

    Args:
        source_id: The configured source's id (``[a-z0-9][a-z0-9_-]{0,63}``).
        source_identifier: The source's own identifier of the record.

    Raises:
        ValueError: The source id is malformed or the identifier empty.
    """
    _source_id(source_id)
    if not source_identifier:
        raise ValueError("a record needs its source's identifier to get an id")
    digest = hashlib.sha1(source_identifier.encode("utf-8"), usedforsecurity=False)
    return f"{source_id}:{digest.hexdigest()[:16]}"
