"""Resumption tokens of the sample provider: the list request and the offset reached,
as opaque text with a checksum, so a garbled or edited token is answered with
``badResumptionToken`` instead of a wrong page."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from harvester.fetch.oai.protocol import OAIError


@dataclass(frozen=True, slots=True)
class ListRequest:
    """What a ListRecords/ListIdentifiers resumption token encodes."""

    verb: str
    metadata_prefix: str
    set_spec: str | None
    from_text: str | None
    until_text: str | None
    offset: int


def _token_digest(payload: bytes) -> str:
    """A short hash of a token's payload (it detects changes; it is no signature)."""
    return hashlib.blake2s(payload, digest_size=6, person=b"csfoai").hexdigest()


def encode_token(request: ListRequest) -> str:
    """Encode a list request and its offset as an opaque, checksummed resumption token."""
    payload = json.dumps(
        [
            request.verb,
            request.metadata_prefix,
            request.set_spec,
            request.from_text,
            request.until_text,
            request.offset,
        ],
        separators=(",", ":"),
    ).encode("utf-8")
    encoded = base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")
    return f"{encoded}.{_token_digest(payload)}"


def decode_token(token: str) -> ListRequest:
    """Decode a resumption token made by :func:`encode_token`.

    Raises:
        OAIError: ``badResumptionToken`` if the token is malformed or was altered.
    """
    bad = OAIError("badResumptionToken", "The value of the resumptionToken argument is invalid.")
    encoded, _, digest = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        raise bad from None
    if not digest or _token_digest(payload) != digest:
        raise bad
    try:
        verb, prefix, set_spec, from_text, until_text, offset = json.loads(payload)
    except (ValueError, TypeError):
        raise bad from None
    if not isinstance(offset, int) or offset < 0:
        raise bad
    return ListRequest(verb, prefix, set_spec, from_text, until_text, offset)
