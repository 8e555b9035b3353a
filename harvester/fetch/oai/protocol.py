"""The OAI-PMH 2.0 protocol rules every data provider of csfinder shares.

The sample provider (``harvester.sample_provider``) and the portal's provider (``portal.oai``)
both answer requests with these: the verbs and their arguments, UTC datestamps in two
granularities, the error codes, and the checks that turn a request into arguments or an
:class:`OAIError`. How a response is written (strings or an element tree) is each
provider's own affair.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

OAI_NS: Final = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS: Final = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS: Final = "http://purl.org/dc/elements/1.1/"
XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

GRANULARITY_SECONDS: Final = "YYYY-MM-DDThh:mm:ssZ"
"""OAI-PMH granularity of datestamps given to the second."""

GRANULARITY_DAY: Final = "YYYY-MM-DD"
"""OAI-PMH granularity of datestamps given to the day."""

GRANULARITIES: Final = (GRANULARITY_SECONDS, GRANULARITY_DAY)

ERROR_CODES: Final = frozenset(
    {
        "badArgument",
        "badResumptionToken",
        "badVerb",
        "cannotDisseminateFormat",
        "idDoesNotExist",
        "noRecordsMatch",
        "noMetadataFormats",
        "noSetHierarchy",
    }
)

VERBS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
}
"""Verb to (required arguments, optional arguments); ``resumptionToken`` is exclusive."""

PREFIX_RE: Final = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
SETSPEC_RE: Final = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")

_SECONDS_RE: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")
_DAY_RE: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class OAIError(Exception):
    """An OAI-PMH error condition, answered as ``<error code="...">``."""

    def __init__(self, code: str, message: str) -> None:
        """Create the error; ``code`` is one of the protocol's error codes."""
        if code not in ERROR_CODES:
            raise ValueError(f"not an OAI-PMH error code: {code}")
        super().__init__(message)
        self.code = code
        self.message = message


def parse_datestamp(text: str) -> tuple[datetime, str]:
    """Parse an OAI-PMH UTC datestamp.

    Args:
        text: ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``.

    Returns:
        The aware UTC datetime (midnight for a day) and the granularity it was given in.

    Raises:
        ValueError: the text is not a valid datestamp in either granularity.
    """
    match = _SECONDS_RE.match(text)
    if match:
        parts = [int(p) for p in match.groups()]
        year, month, day, hour, minute, second = parts
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC), GRANULARITY_SECONDS
    match = _DAY_RE.match(text)
    if match:
        year, month, day = (int(p) for p in match.groups())
        return datetime(year, month, day, tzinfo=UTC), GRANULARITY_DAY
    raise ValueError(f"not an OAI-PMH datestamp: {text!r}")


def format_datestamp(moment: datetime, granularity: str = GRANULARITY_SECONDS) -> str:
    """Format an aware datetime as an OAI-PMH UTC datestamp at the given granularity."""
    moment = moment.astimezone(UTC)
    if granularity == GRANULARITY_DAY:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_arguments(
    verb: str, params: Mapping[str, Sequence[str]], granularity: str
) -> dict[str, str]:
    """Check the arguments of a request for a known ``verb``.

    Args:
        verb: one of :data:`VERBS`.
        params: argument name to the values given (as from ``parse_qs``), ``verb`` included.
        granularity: the repository's finest datestamp granularity.

    Returns:
        Argument name to its single value, ``verb`` left out.

    Raises:
        OAIError: ``badArgument`` for an illegal, repeated, empty or missing argument, a
            resumptionToken with other arguments, an invalid prefix, setSpec or datestamp.
    """
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required and name not in optional:
            raise OAIError("badArgument", f"Illegal argument for {verb}: {name}")
        if len(values) != 1:
            raise OAIError("badArgument", f"Repeated argument: {name}")
        if not values[0]:
            raise OAIError("badArgument", f"Empty argument: {name}")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return arguments
    missing = sorted(required - arguments.keys())
    if missing:
        raise OAIError("badArgument", f"Missing required argument: {', '.join(missing)}")
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and not PREFIX_RE.match(prefix):
        raise OAIError("badArgument", "metadataPrefix is not a valid prefix.")
    set_spec = arguments.get("set")
    if set_spec is not None and not SETSPEC_RE.match(set_spec):
        raise OAIError("badArgument", "set is not a valid setSpec.")
    date_bounds(arguments.get("from"), arguments.get("until"), granularity)
    return arguments


def date_bounds(
    from_text: str | None, until_text: str | None, granularity: str
) -> tuple[datetime | None, datetime | None]:
    """Parse ``from``/``until`` into inclusive bounds (``until`` to its last microsecond).

    Raises:
        OAIError: ``badArgument`` when a value is invalid, finer than ``granularity``, the
            two differ in granularity, or ``from`` is later than ``until``.
    """
    parsed: dict[str, tuple[datetime, str]] = {}
    for name, text in (("from", from_text), ("until", until_text)):
        if text is None:
            continue
        try:
            parsed[name] = parse_datestamp(text)
        except ValueError:
            raise OAIError("badArgument", f"Invalid {name} datestamp: {text}") from None
        if parsed[name][1] == GRANULARITY_SECONDS and granularity == GRANULARITY_DAY:
            raise OAIError(
                "badArgument", f"{name} is finer than the repository granularity (days)."
            )
    if len(parsed) == 2:
        if parsed["from"][1] != parsed["until"][1]:
            raise OAIError("badArgument", "from and until have different granularities.")
        if parsed["from"][0] > parsed["until"][0]:
            raise OAIError("badArgument", "from is later than until.")
    from_ = parsed["from"][0] if "from" in parsed else None
    until: datetime | None = None
    if "until" in parsed:
        moment, given = parsed["until"]
        step = timedelta(days=1) if given == GRANULARITY_DAY else timedelta(seconds=1)
        until = moment + step - timedelta(microseconds=1)
    return from_, until
