"""Reading a record's document as the store keeps it (``harvester.core.model.Record`` dumped):
what the metadata writers and the sets share."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from babel import Locale

from harvester.store import NormalisedRow

ACCESS_RIGHTS: Final = {
    "open": "info:eu-repo/semantics/openAccess",
    "embargoed": "info:eu-repo/semantics/embargoedAccess",
    "restricted": "info:eu-repo/semantics/restrictedAccess",
    "closed": "info:eu-repo/semantics/closedAccess",
}
"""Access rights as the info:eu-repo/semantics vocabulary."""

_NOT_CREATORS: Final = ("publisher", "funder", "sponsor")


def load(row: NormalisedRow) -> dict[str, Any]:
    """The record's document as a mapping (empty for most deleted records)."""
    found = json.loads(row.document or "{}")
    return found if isinstance(found, dict) else {}


def country_name(code: str) -> str:
    """An English country name for a set (the code when unknown)."""
    return str(Locale("en").territories.get(code.upper(), code))


def organisations_where(
    doc: Mapping[str, Any], keep: Callable[[str], bool]
) -> list[dict[str, Any]]:
    """The record's organisations whose role (lower case) ``keep`` accepts."""
    return [o for o in doc.get("organisations") or [] if keep(str(o.get("role") or "").lower())]


def is_creator(role: str) -> bool:
    """True for a role that makes an organisation a creator (not a publisher or funder)."""
    return not any(word in role for word in _NOT_CREATORS)
