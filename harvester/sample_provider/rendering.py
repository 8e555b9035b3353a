"""OAI-PMH response documents as text: escaping, the envelope, errors, headers and
``oai_dc`` records.

Responses are built by string concatenation with one escaping function rather than with an
element tree: for 100-record pages that is three times faster than lxml (measured: 1.6 ms
against 4.4 ms a page), and the tests parse and schema-validate what it writes. Characters
XML 1.0 forbids are replaced by U+FFFD, so the output is always well-formed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

from harvester.fetch.oai.protocol import (
    DC_NS,
    ERROR_CODES,
    GRANULARITY_DAY,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_NS,
    OAI_SCHEMA,
    XSI_NS,
    format_datestamp,
)
from harvester.sample_provider.repository import DC_ELEMENTS, SampleRecord

# Characters XML 1.0 does not allow, as a positive class (three times faster to search than
# the complement of the allowed ranges).
_ILLEGAL_XML_CLASS: Final = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ILLEGAL_XML_RE: Final = re.compile(f"[{_ILLEGAL_XML_CLASS}]")
_NEEDS_ESCAPE_RE: Final = re.compile(f'[&<>"\r{_ILLEGAL_XML_CLASS}]')


def xml_escape(text: str) -> str:
    """Escape text for XML element content or a double-quoted attribute value.

    Characters that XML 1.0 does not allow are replaced with U+FFFD.
    """
    if _NEEDS_ESCAPE_RE.search(text) is None:
        return text
    text = _ILLEGAL_XML_RE.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )


def now_utc() -> datetime:
    """Return the current UTC time to the second (the default clock of the provider)."""
    return datetime.now(UTC).replace(microsecond=0)


def envelope_start(response_date: datetime, request_xml: str) -> str:
    """The XML declaration, the opening ``<OAI-PMH>``, ``responseDate`` and ``request``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{format_datestamp(response_date)}</responseDate>{request_xml}"
    )


def request_element(base_url: str, arguments: Mapping[str, str] | None) -> str:
    """The ``<request>`` element echoing the base URL and the request's arguments."""
    attributes = "".join(
        f' {name}="{xml_escape(value)}"' for name, value in sorted((arguments or {}).items())
    )
    return f"<request{attributes}>{xml_escape(base_url)}</request>"


def render_error(
    base_url: str,
    code: str,
    message: str = "",
    arguments: Mapping[str, str] | None = None,
    response_date: datetime | None = None,
) -> bytes:
    """Render a complete OAI-PMH error response.

    Args:
        base_url: the provider's base URL (content of ``<request>``).
        code: the OAI-PMH error code.
        message: human-readable explanation.
        arguments: the request's arguments to echo as ``<request>`` attributes; give ``None``
            for ``badVerb`` and ``badArgument``, where the spec wants none.
        response_date: defaults to now.

    Returns:
        The UTF-8 encoded document.
    """
    if code not in ERROR_CODES:
        raise ValueError(f"not an OAI-PMH error code: {code}")
    body = (
        envelope_start(response_date or now_utc(), request_element(base_url, arguments))
        + f'<error code="{code}">{xml_escape(message)}</error></OAI-PMH>'
    )
    return body.encode("utf-8")


def header_xml(record: SampleRecord, granularity: str) -> str:
    """The ``<header>`` of a record, its datestamp at the repository's ``granularity``."""
    status = ' status="deleted"' if record.deleted else ""
    sets = "".join([f"<setSpec>{xml_escape(spec)}</setSpec>" for spec in record.sets])
    stamp = record.datestamp
    if granularity == GRANULARITY_DAY or stamp.utcoffset():
        datestamp = format_datestamp(stamp, granularity)
    else:  # the common case, formatted without strftime (twice as fast)
        datestamp = (
            f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}"
            f"T{stamp.hour:02d}:{stamp.minute:02d}:{stamp.second:02d}Z"
        )
    return (
        f"<header{status}><identifier>{xml_escape(record.identifier)}</identifier>"
        f"<datestamp>{datestamp}</datestamp>{sets}</header>"
    )


def record_xml(record: SampleRecord, granularity: str) -> str:
    """A whole ``<record>``: header and ``oai_dc`` metadata (a deletion notice: header only)."""
    header = header_xml(record, granularity)
    if record.deleted:
        return f"<record>{header}</record>"
    parts = [
        f"<record>{header}<metadata>"
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" '
        f'xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}">'
    ]
    append = parts.append
    needs_escape = _NEEDS_ESCAPE_RE.search
    dc = record.dc
    for element in DC_ELEMENTS:
        for text, lang in dc.get(element, ()):
            if needs_escape(text) is not None:
                text = xml_escape(text)
            if lang:
                if needs_escape(lang) is not None:
                    lang = xml_escape(lang)
                append(f'<dc:{element} xml:lang="{lang}">{text}</dc:{element}>')
            else:
                append(f"<dc:{element}>{text}</dc:{element}>")
    append("</oai_dc:dc></metadata></record>")
    return "".join(parts)
