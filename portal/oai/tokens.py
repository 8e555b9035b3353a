"""Resumption tokens: the state of a list request, signed (HMAC-SHA256) and expiring.

A token carries the verb, metadataPrefix, set, the changed_at bounds of the list (the upper
one fixed when the list was first asked for, so pages stay stable while the store changes),
the keyset position (changed_at, record id) of the last record sent, the cursor and the
expiry time. Anything altered, expired or signed with another key is refused, and so is a
validly signed token holding what no token of ours holds (a non-finite or fractional number,
a negative cursor, a duplicate key, a date out of range): the payload is read strictly, by
a typed model, before any value is used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harvester.fetch.oai.protocol import OAIError

MAX_TIMESTAMP = 253402300799
"""9999-12-31T23:59:59Z: no expiry of ours is later."""


@dataclass(frozen=True)
class ListState:
    """Where a ListRecords/ListIdentifiers list stands."""

    verb: str
    metadata_prefix: str
    set_spec: str | None
    from_: datetime | None
    until: datetime
    after: tuple[datetime, str] | None
    cursor: int


class _Payload(BaseModel):
    """What a token of ours holds, exactly: strict types (no bool for a number, no float
    for an integer, so no NaN or Infinity), no other key."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    v: str
    p: str
    s: str | None
    f: str | None
    u: str | None
    k: tuple[str, str] | None
    c: int = Field(ge=0)
    x: int = Field(ge=0, le=MAX_TIMESTAMP)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _moment(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError("not a date-time")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("not an aware date-time")
    return value


def encode(state: ListState, key: bytes, expires: datetime) -> str:
    """The signed token for ``state``, valid until ``expires``."""
    payload = json.dumps(
        {
            "v": state.verb,
            "p": state.metadata_prefix,
            "s": state.set_spec,
            "f": _iso(state.from_),
            "u": _iso(state.until),
            "k": None if state.after is None else [_iso(state.after[0]), state.after[1]],
            "c": state.cursor,
            "x": int(expires.timestamp()),
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def decode(token: str, key: bytes, now: datetime) -> ListState:
    """Check and read a token made by :func:`encode`.

    Raises:
        OAIError: ``badResumptionToken`` when it is malformed, altered or expired.
    """
    bad = OAIError("badResumptionToken", "The resumptionToken is not valid.")
    body, _, signature = token.partition(".")
    try:
        payload, given = _unb64(body), _unb64(signature)
    except (ValueError, binascii.Error):
        raise bad from None
    if not hmac.compare_digest(given, hmac.new(key, payload, hashlib.sha256).digest()):
        raise bad
    try:
        data = _Payload.model_validate_json(payload)
        state = ListState(
            verb=data.v,
            metadata_prefix=data.p,
            set_spec=data.s,
            from_=_moment(data.f),
            until=_moment(data.u) or now,
            after=None if data.k is None else (_moment(data.k[0]) or now, data.k[1]),
            cursor=data.c,
        )
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise bad from None
    expires = data.x
    if expires < now.timestamp():
        raise OAIError("badResumptionToken", "The resumptionToken has expired.")
    return state
