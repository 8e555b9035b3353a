"""A WSGI app that replays real recorded OAI-PMH responses from ``shared/fixtures/oai-pmh``.

The recorded files are read at request time from the shared fixtures folder (never copied into
the project). :data:`SHARED_FIXTURES` is ``None`` where that folder is absent; tests using this
module should skip then.

Profiles (``FixtureProvider(profile, **options)``):

* ``zenodo``: Zenodo's InvenioRDM endpoint as recorded in ``zenodo-2026-08/`` and
  ``zenodo-2026-04/``. ``cassette-index.json`` maps each recorded request (verb and arguments)
  to its file, HTTP status (including the **422** of OAI errors) and content type. A request
  matches a recording when its arguments are equal; a resumption token also matches when one
  of the two is a prefix of the other (the cassettes shortened some tokens). Unmatched requests
  fall back like Zenodo would: an unknown token gets the recorded ``badResumptionToken`` file
  of that verb, an unknown identifier ``idDoesNotExist``, an unknown metadataPrefix
  ``badArgument``, an unknown set ``noRecordsMatch`` (all with their recorded 422); anything
  else gets HTTP 404 with a plain-text note.
* ``sickle``: Sickle's sample data. Each verb gets its file; resumption tokens are file names
  (``ListRecords2.xml``; ``ListRecords3.xml`` points at a file that does not exist, answered with
  ``badResumptionToken.xml``). A metadataPrefix other than ``oai_dc`` gets
  ``cannotDisseminateFormat.xml``, a set ``noRecordsMatch.xml``, an invalid from/until
  ``badArgument.xml``; ListSets, which has no recording, gets a generated ``noSetHierarchy``.
* ``dspace``: DSpace at Erasmus (OAICat, 2003): one file per verb, arguments ignored. With
  ``malformed_identify=True`` Identify answers the not well-formed ``fake3_00001.xml``.
* ``b2find``: the single ``<record>`` elements of ``b2find-records/``, wrapped at request time
  in ListRecords / ListIdentifiers / GetRecord envelopes built with lxml. metadataPrefix selects
  records by their payload: ``oai_dc``, ``datacite`` (kernel-3/4 ``resource``) or
  ``oai_datacite``; ``any_prefix=True`` serves every record for any prefix. Pages hold
  ``page_size`` (5) records; tokens are ``b2find:<prefix>:<offset>``. The file that is already a
  full OAI-PMH response is left out of lists and served as is by GetRecord for its identifier.

Every request is logged in :attr:`FixtureProvider.log` as ``(params, HTTP status)``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from lxml import etree

from harvester.fetch.oai.protocol import OAI_NS, XSI_NS, parse_datestamp
from harvester.sample_provider.rendering import render_error

StartResponse = Callable[..., Any]


def _find_shared_fixtures() -> Path | None:
    candidate = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
    return candidate if (candidate / "oai-pmh").is_dir() else None


SHARED_FIXTURES: Path | None = _find_shared_fixtures()
"""``shared/fixtures`` beside the repository, or ``None`` when it is absent."""

PROFILES = ("zenodo", "sickle", "dspace", "b2find")

_DEFAULT_TYPE = "text/xml; charset=utf-8"
_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
_OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.0/"
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


@dataclass(frozen=True)
class Reply:
    """One answer: HTTP status, content type and body."""

    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Recording:
    """One entry of ``cassette-index.json``."""

    path: Path
    params: dict[str, str]
    status: int
    content_type: str

    def reply(self) -> Reply:
        """Read the recorded body."""
        return Reply(self.status, self.content_type, self.path.read_bytes())


def load_index(fixtures: Path) -> list[Recording]:
    """Read ``oai-pmh/cassette-index.json`` into recordings."""
    entries = json.loads((fixtures / "oai-pmh" / "cassette-index.json").read_text("utf-8"))
    return [
        Recording(
            path=fixtures / entry["file"],
            params=dict(parse_qsl(urlsplit(entry["request"]).query, keep_blank_values=True)),
            status=int(entry["http_status"]),
            content_type=str(entry.get("content_type") or _DEFAULT_TYPE),
        )
        for entry in entries
    ]


def _status_line(code: int) -> str:
    reasons = {200: "OK", 404: "Not Found", 422: "Unprocessable Entity"}
    return f"{code} {reasons.get(code, 'Status')}"


class FixtureProvider:
    """Replay recorded OAI-PMH responses for one profile (see the module docs).

    Attributes:
        profile: the profile name.
        log: ``(params, HTTP status)`` per request, in arrival order.
    """

    def __init__(self, profile: str, fixtures: Path | None = None, **options: Any) -> None:
        """Create the app.

        Args:
            profile: ``zenodo``, ``sickle``, ``dspace`` or ``b2find``.
            fixtures: the ``shared/fixtures`` folder (default :data:`SHARED_FIXTURES`).
            **options: ``malformed_identify`` (dspace); ``page_size``, ``any_prefix``
                (b2find).

        Raises:
            ValueError: unknown profile, or option not taken by it.
            FileNotFoundError: no fixtures folder.
        """
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; known: {PROFILES}")
        allowed = {
            "zenodo": set(),
            "sickle": set(),
            "dspace": {"malformed_identify"},
            "b2find": {"page_size", "any_prefix"},
        }[profile]
        if set(options) - allowed:
            raise ValueError(f"{profile} does not take options {sorted(set(options) - allowed)}")
        root = fixtures or SHARED_FIXTURES
        if root is None:
            raise FileNotFoundError("shared/fixtures is not available")
        self.profile = profile
        self.fixtures = root
        self.options = options
        self.log: list[tuple[dict[str, str], int]] = []
        self._lock = threading.Lock()
        self._answer: Callable[[dict[str, str], str], Reply]
        if profile == "zenodo":
            self._recordings = [
                r for r in load_index(root) if r.path.parent.name.startswith("zenodo-")
            ]
            self._answer = self._zenodo
        elif profile == "sickle":
            self._answer = self._sickle
        elif profile == "dspace":
            self._answer = self._dspace
        else:
            self._b2find_records = _load_b2find(root / "oai-pmh" / "b2find-records")
            self._answer = self._b2find

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request from the recordings."""
        query = environ.get("QUERY_STRING", "") or ""
        if environ.get("REQUEST_METHOD", "GET").upper() == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            query = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else ""
        multi = parse_qs(query, keep_blank_values=True)
        params = {k: v[0] for k, v in multi.items()}
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
        base_url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO')}"
        reply = self._answer(params, base_url)
        with self._lock:
            self.log.append((params, reply.status))
        start_response(
            _status_line(reply.status),
            [("Content-Type", reply.content_type), ("Content-Length", str(len(reply.body)))],
        )
        return [reply.body]

    # ------------------------------------------------------------------------ zenodo

    def _zenodo_file(self, name: str) -> Reply | None:
        for recording in self._recordings:
            if recording.path.name == name:
                return recording.reply()
        return None

    def _zenodo(self, params: dict[str, str], base_url: str) -> Reply:
        for recording in self._recordings:
            if recording.params == params:
                return recording.reply()
        token = params.get("resumptionToken")
        verb = params.get("verb", "")
        if token is not None:
            for recording in self._recordings:
                recorded = recording.params.get("resumptionToken")
                if (
                    recorded
                    and recording.params.get("verb") == verb
                    and len(params) == 2
                    and min(len(recorded), len(token)) >= 16
                    and (recorded.startswith(token) or token.startswith(recorded))
                ):
                    return recording.reply()
            fallback = self._zenodo_file(f"{verb}_badResumptionToken.xml")
            return fallback or self._zenodo_file("ListRecords_badResumptionToken.xml") or _missing()
        if verb in ("GetRecord", "ListMetadataFormats") and "identifier" in params:
            known = {r.params.get("identifier") for r in self._recordings}
            if params["identifier"] not in known:
                name = f"{verb}_idDoesNotExist.xml"
                return self._zenodo_file(name) or _missing()
        prefix = params.get("metadataPrefix")
        if prefix is not None and prefix not in ("oai_dc", "datacite"):
            name = "GetRecord" if verb == "GetRecord" else "ListRecords"
            return self._zenodo_file(f"{name}_badArgument_metadataPrefix.xml") or _missing()
        if "set" in params and verb in ("ListRecords", "ListIdentifiers"):
            return self._zenodo_file("ListRecords_noRecordsMatch_unknownSet.xml") or _missing()
        return _missing()

    # ------------------------------------------------------------------------ sickle

    def _sickle(self, params: dict[str, str], base_url: str) -> Reply:
        folder = self.fixtures / "oai-pmh" / "sickle-sample-data"

        def file(name: str) -> Reply:
            return Reply(200, _DEFAULT_TYPE, (folder / name).read_bytes())

        verb = params.get("verb", "")
        if verb not in (
            "Identify",
            "ListMetadataFormats",
            "ListSets",
            "GetRecord",
            "ListIdentifiers",
            "ListRecords",
        ):
            return Reply(200, _DEFAULT_TYPE, render_error(base_url, "badVerb", "Illegal verb"))
        token = params.get("resumptionToken")
        if token is not None:
            candidate = folder / token
            if (
                "/" not in token
                and "\\" not in token
                and token.startswith(verb)
                and token.endswith(".xml")
                and candidate.is_file()
            ):
                return file(token)
            return file("badResumptionToken.xml")
        if verb == "ListSets":
            return Reply(
                200,
                _DEFAULT_TYPE,
                render_error(base_url, "noSetHierarchy", "No sets.", {"verb": verb}),
            )
        for name in ("from", "until"):
            if name in params:
                try:
                    parse_datestamp(params[name])
                except ValueError:
                    return file("badArgument.xml")
        prefix = params.get("metadataPrefix")
        if prefix is not None and prefix != "oai_dc":
            return file("cannotDisseminateFormat.xml")
        if "set" in params:
            return file("noRecordsMatch.xml")
        return file(f"{verb}.xml")

    # ------------------------------------------------------------------------ dspace

    def _dspace(self, params: dict[str, str], base_url: str) -> Reply:
        folder = self.fixtures / "oai-pmh" / "pyoai-dspace-erasmus"
        files = {
            "ListSets": "fake1_00000.xml",
            "Identify": "fake1_00001.xml",
            "ListMetadataFormats": "fake1_00002.xml",
            "ListIdentifiers": "fake1_00003.xml",
            "GetRecord": "fake1_00004.xml",
            "ListRecords": "fake1_00005.xml",
        }
        verb = params.get("verb", "")
        if verb == "Identify" and self.options.get("malformed_identify"):
            return Reply(200, _DEFAULT_TYPE, (folder / "fake3_00001.xml").read_bytes())
        if verb not in files:
            return Reply(200, _DEFAULT_TYPE, render_error(base_url, "badVerb", "Illegal verb"))
        return Reply(200, _DEFAULT_TYPE, (folder / files[verb]).read_bytes())

    # ------------------------------------------------------------------------ b2find

    def _b2find(self, params: dict[str, str], base_url: str) -> Reply:
        verb = params.get("verb", "")
        records = [r for r in self._b2find_records if not r.full_response]
        formats = sorted({r.prefix for r in records})

        def error(code: str, message: str) -> Reply:
            echo = None if code in ("badVerb", "badArgument") else params
            return Reply(200, _DEFAULT_TYPE, render_error(base_url, code, message, echo))

        if verb == "Identify":
            return _envelope(base_url, params, _b2find_identify(base_url, records))
        if verb == "ListMetadataFormats":
            element = etree.Element(f"{{{OAI_NS}}}ListMetadataFormats")
            for prefix in formats:
                item = etree.SubElement(element, f"{{{OAI_NS}}}metadataFormat")
                etree.SubElement(item, f"{{{OAI_NS}}}metadataPrefix").text = prefix
                etree.SubElement(item, f"{{{OAI_NS}}}schema").text = _SCHEMAS[prefix][0]
                etree.SubElement(item, f"{{{OAI_NS}}}metadataNamespace").text = _SCHEMAS[prefix][1]
            return _envelope(base_url, params, element)
        if verb == "ListSets":
            return error("noSetHierarchy", "This replay has no sets.")
        if verb == "GetRecord":
            identifier = params.get("identifier")
            if identifier is None or "metadataPrefix" not in params:
                return error("badArgument", "identifier and metadataPrefix are required.")
            for record in self._b2find_records:
                if record.identifier == identifier:
                    if record.full_response:
                        return Reply(200, _DEFAULT_TYPE, record.path.read_bytes())
                    if not self._prefix_ok(record, params["metadataPrefix"]):
                        return error("cannotDisseminateFormat", "Not in that format.")
                    element = etree.Element(f"{{{OAI_NS}}}GetRecord")
                    element.append(record.element())
                    return _envelope(base_url, params, element)
            return error("idDoesNotExist", f"No record {identifier}.")
        if verb in ("ListRecords", "ListIdentifiers"):
            token = params.get("resumptionToken")
            offset = 0
            if token is not None:
                parts = token.split(":")
                if len(parts) != 3 or parts[0] != "b2find" or not parts[2].isdigit():
                    return error("badResumptionToken", "Unknown token.")
                prefix, offset = parts[1], int(parts[2])
            elif "metadataPrefix" in params:
                prefix = params["metadataPrefix"]
            else:
                return error("badArgument", "metadataPrefix is required.")
            if not self.options.get("any_prefix") and prefix not in formats:
                return error("cannotDisseminateFormat", f"No records in {prefix}.")
            if "set" in params:
                return error("noSetHierarchy", "This replay has no sets.")
            selected = [r for r in records if self._prefix_ok(r, prefix)]
            if offset >= len(selected):
                return error("badResumptionToken" if token else "noRecordsMatch", "Nothing here.")
            size = int(self.options.get("page_size", 5))
            page = selected[offset : offset + size]
            element = etree.Element(f"{{{OAI_NS}}}{verb}")
            for record in page:
                entry: etree._Element | None = record.element()
                if verb == "ListIdentifiers" and entry is not None:
                    entry = entry.find(f"{{{OAI_NS}}}header")
                if entry is not None:
                    element.append(entry)
            following = offset + len(page)
            if following < len(selected) or token is not None:
                rt = etree.SubElement(element, f"{{{OAI_NS}}}resumptionToken")
                rt.set("completeListSize", str(len(selected)))
                rt.set("cursor", str(offset))
                if following < len(selected):
                    rt.text = f"b2find:{prefix}:{following}"
            return _envelope(base_url, params, element)
        return error("badVerb", "Illegal verb")

    def _prefix_ok(self, record: _B2findRecord, prefix: str) -> bool:
        return bool(self.options.get("any_prefix")) or record.prefix == prefix


_SCHEMAS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", _DC_NS),
    "datacite": (
        "http://schema.datacite.org/meta/kernel-4/metadata.xsd",
        "http://datacite.org/schema/kernel-4",
    ),
    "oai_datacite": ("http://schema.datacite.org/oai/oai-1.0/oai.xsd", _OAI_DATACITE_NS),
    "other": ("http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd", "urn:csfinder:unknown"),
}


@dataclass(frozen=True)
class _B2findRecord:
    path: Path
    identifier: str
    prefix: str
    full_response: bool

    def element(self) -> etree._Element:
        """A fresh copy of the recorded ``<record>`` element."""
        return etree.parse(str(self.path), _SAFE_PARSER).getroot()


def _load_b2find(folder: Path) -> list[_B2findRecord]:
    records = []
    for path in sorted(folder.glob("*.xml")):
        root = etree.parse(str(path), _SAFE_PARSER).getroot()
        full = root.tag == f"{{{OAI_NS}}}OAI-PMH"
        identifier = root.findtext(f".//{{{OAI_NS}}}header/{{{OAI_NS}}}identifier") or ""
        metadata = root.find(f".//{{{OAI_NS}}}metadata")
        payload = metadata[0] if metadata is not None and len(metadata) else None
        namespace = etree.QName(payload).namespace if payload is not None else None
        if namespace == _DC_NS:
            prefix = "oai_dc"
        elif namespace and namespace.startswith("http://datacite.org/schema/kernel-"):
            prefix = "datacite"
        elif namespace == _OAI_DATACITE_NS:
            prefix = "oai_datacite"
        else:
            prefix = "other"
        records.append(_B2findRecord(path, identifier.strip(), prefix, full))
    return records


def _b2find_identify(base_url: str, records: list[_B2findRecord]) -> etree._Element:
    element = etree.Element(f"{{{OAI_NS}}}Identify")
    for name, text in (
        ("repositoryName", "B2FIND recorded records (csfinder test replay)"),
        ("baseURL", base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", "oai-admin@csfinder.example"),
        ("earliestDatestamp", "1970-01-01T00:00:00Z"),
        ("deletedRecord", "no"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        etree.SubElement(element, f"{{{OAI_NS}}}{name}").text = text
    return element


def _envelope(base_url: str, params: dict[str, str], content: etree._Element) -> Reply:
    """Build a complete OAI-PMH response around ``content`` with lxml."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(
        f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = datetime.now(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    request = etree.SubElement(root, f"{{{OAI_NS}}}request")
    request.text = base_url
    for name, value in sorted(params.items()):
        try:
            request.set(name, value)
        except ValueError:  # names or values XML cannot carry: echo none
            request.attrib.clear()
            break
    root.append(content)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Reply(200, _DEFAULT_TYPE, body)


def _missing() -> Reply:
    return Reply(404, "text/plain; charset=utf-8", b"no recorded response for this request\n")
