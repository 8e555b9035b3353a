"""The OAI-PMH 2.0 provider over the store's normalised records.

Protocol rules (verbs, arguments, datestamps, error codes) come from
:mod:`harvester.fetch.oai.protocol`, shared with the sample provider; this module answers the
verbs from the store and writes the responses as lxml element trees.

Identifiers are ``oai:<namespace>:<record id>``; datestamps are the records' ``changed_at`` to
the second; deleted records stay listed (``deletedRecord`` persistent). Lists are paged by
keyset on (changed_at, record id) below an upper bound fixed at the first request, so a page
never skips or repeats a record while harvests write to the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Final

from lxml import etree

from harvester.fetch.oai.protocol import (
    GRANULARITY_SECONDS,
    OAI_NS,
    OAI_SCHEMA,
    VERBS,
    XSI_NS,
    OAIError,
    check_arguments,
    date_bounds,
    format_datestamp,
)
from harvester.store import NormalisedRow, Store
from portal.oai.config import OAIConfig
from portal.oai.document import load
from portal.oai.formats import FORMATS
from portal.oai.provenance import provenance
from portal.oai.sets import SET_GROUPS, sets_of
from portal.oai.tokens import ListState, decode, encode
from portal.oai.xml import sub

OAI_IDENTIFIER_NS: Final = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
_REPOSITORY_ID: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


def _o(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


@dataclass(frozen=True)
class Request:
    """One OAI-PMH request as the provider sees it."""

    params: Mapping[str, Sequence[str]]
    base_url: str
    host: str
    now: datetime
    record_url: Callable[[str], str]
    """The portal page of a record id."""


class Provider:
    """Answers OAI-PMH requests from a store."""

    def __init__(self, store: Store, config: OAIConfig) -> None:
        """Serve ``store`` with ``config``."""
        self.store = store
        self.config = config

    # ----------------------------------------------------------------- envelope and errors

    def answer(self, request: Request) -> bytes:
        """The complete response document (always sent with HTTP 200)."""
        verbs = request.params.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in VERBS:
            message = "Illegal OAI verb" if len(verbs) <= 1 else "The verb argument is repeated."
            return self._error(request, "badVerb", message, None)
        verb = verbs[0]
        try:
            arguments = check_arguments(verb, request.params, GRANULARITY_SECONDS)
        except OAIError as error:
            return self._error(request, error.code, error.message, None)
        echo = {"verb": verb, **arguments}
        try:
            root = self._envelope(request, echo)
            root.append(self._dispatch(verb, arguments, request))
        except OAIError as error:
            return self._error(request, error.code, error.message, echo)
        return _serialise(root)

    def error(self, request: Request, code: str, message: str) -> bytes:
        """A response holding one OAI-PMH error, for a request that could not be read."""
        return self._error(request, code, message, None)

    def _envelope(self, request: Request, echo: Mapping[str, str] | None) -> etree._Element:
        root = etree.Element(_o("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        sub(root, _o("responseDate"), format_datestamp(request.now))
        sub(root, _o("request"), request.base_url, **dict(sorted((echo or {}).items())))
        return root

    def _error(
        self, request: Request, code: str, message: str, echo: Mapping[str, str] | None
    ) -> bytes:
        root = self._envelope(request, echo)
        sub(root, _o("error"), message, code=code)
        return _serialise(root)

    def _dispatch(self, verb: str, arguments: dict[str, str], request: Request) -> etree._Element:
        if verb == "Identify":
            return self._identify(request)
        if verb == "ListMetadataFormats":
            return self._list_metadata_formats(arguments.get("identifier"), request)
        if verb == "ListSets":
            return self._list_sets(arguments.get("resumptionToken"))
        if verb == "GetRecord":
            return self._get_record(arguments["identifier"], arguments["metadataPrefix"], request)
        return self._list(verb, arguments, request)

    # ---------------------------------------------------------------------- identifiers

    def namespace(self, request: Request) -> str:
        """The namespace part of the OAI identifiers."""
        return self.config.namespace or request.host

    def oai_identifier(self, record_id: str, request: Request) -> str:
        """``oai:<namespace>:<record id>``."""
        return f"oai:{self.namespace(request)}:{record_id}"

    def _find(self, identifier: str, request: Request) -> tuple[NormalisedRow, datetime]:
        prefix = f"oai:{self.namespace(request)}:"
        found = None
        if identifier.startswith(prefix):
            found = self.store.normalised_change(identifier[len(prefix) :])
        if found is None:
            raise OAIError("idDoesNotExist", f"No record with identifier {identifier}.")
        return found

    # ---------------------------------------------------------------------------- verbs

    def _identify(self, request: Request) -> etree._Element:
        element = etree.Element(_o("Identify"))
        earliest = self.store.earliest_change() or request.now
        sub(element, _o("repositoryName"), self.config.repository_name)
        sub(element, _o("baseURL"), request.base_url)
        sub(element, _o("protocolVersion"), "2.0")
        sub(element, _o("adminEmail"), self.config.admin_email)
        sub(element, _o("earliestDatestamp"), format_datestamp(earliest))
        sub(element, _o("deletedRecord"), "persistent")
        sub(element, _o("granularity"), GRANULARITY_SECONDS)
        namespace = self.namespace(request)
        if _REPOSITORY_ID.match(namespace):
            description = sub(element, _o("description"))
            ident = etree.SubElement(
                description,
                f"{{{OAI_IDENTIFIER_NS}}}oai-identifier",
                nsmap={None: OAI_IDENTIFIER_NS},
            )
            ident.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
            for name, text in (
                ("scheme", "oai"),
                ("repositoryIdentifier", namespace),
                ("delimiter", ":"),
                ("sampleIdentifier", f"oai:{namespace}:source-id:0123456789abcdef"),
            ):
                sub(ident, f"{{{OAI_IDENTIFIER_NS}}}{name}", text)
        return element

    def _list_metadata_formats(self, identifier: str | None, request: Request) -> etree._Element:
        if identifier is not None:
            self._find(identifier, request)
        element = etree.Element(_o("ListMetadataFormats"))
        for prefix, (schema, namespace, _) in FORMATS.items():
            item = sub(element, _o("metadataFormat"))
            sub(item, _o("metadataPrefix"), prefix)
            sub(item, _o("schema"), schema)
            sub(item, _o("metadataNamespace"), namespace)
        return element

    def _list_sets(self, token: str | None) -> etree._Element:
        if token is not None:
            raise OAIError("badResumptionToken", "ListSets is never split; no token is valid.")
        self.store.sync_record_sets(sets_of)
        element = etree.Element(_o("ListSets"))
        for spec, name in [*SET_GROUPS.items(), *self.store.record_set_names()]:
            item = sub(element, _o("set"))
            sub(item, _o("setSpec"), spec)
            sub(item, _o("setName"), name or spec.partition(":")[2])
        return element

    def _get_record(self, identifier: str, prefix: str, request: Request) -> etree._Element:
        row, changed_at = self._find(identifier, request)
        self._format(prefix)
        self.store.sync_record_sets(sets_of)
        specs = self.store.record_set_specs([row.id]).get(row.id, [])
        element = etree.Element(_o("GetRecord"))
        element.append(self._record(row, changed_at, specs, prefix, request, headers_only=False))
        return element

    def _list(self, verb: str, arguments: dict[str, str], request: Request) -> etree._Element:
        token = arguments.get("resumptionToken")
        if token is not None:
            state = decode(token, self.config.key, request.now)
            if state.verb != verb:
                raise OAIError("badResumptionToken", f"This token does not belong to {verb}.")
        else:
            self._format(arguments["metadataPrefix"])
            from_, until = date_bounds(
                arguments.get("from"), arguments.get("until"), GRANULARITY_SECONDS
            )
            upper = request.now if until is None else min(until, request.now)
            state = ListState(
                verb, arguments["metadataPrefix"], arguments.get("set"), from_, upper, None, 0
            )
        self._format(state.metadata_prefix)
        store = self.store
        store.sync_record_sets(sets_of)
        if state.from_ is not None and state.from_ > state.until:
            raise OAIError("noRecordsMatch", "No records match the request.")
        total = store.count_changes(state.set_spec, state.from_, state.until)
        size = self.config.page_size
        page = store.list_changes(state.set_spec, state.from_, state.until, state.after, size + 1)
        if total == 0 or not page:
            raise OAIError("noRecordsMatch", "No records match the request.")
        more, page = len(page) > size, page[:size]
        specs = store.record_set_specs([row.id for row, _ in page])
        element = etree.Element(_o(verb))
        for row, changed_at in page:
            element.append(
                self._record(
                    row,
                    changed_at,
                    specs.get(row.id, []),
                    state.metadata_prefix,
                    request,
                    headers_only=verb == "ListIdentifiers",
                )
            )
        if more or token is not None:
            expires = request.now + timedelta(seconds=self.config.token_ttl)
            last_row, last_changed = page[-1]
            text = None
            attributes = {
                "completeListSize": str(max(total, state.cursor + len(page))),
                "cursor": str(state.cursor),
            }
            if more:
                following = replace(
                    state, after=(last_changed, last_row.id), cursor=state.cursor + len(page)
                )
                text = encode(following, self.config.key, expires)
                attributes["expirationDate"] = format_datestamp(expires)
            sub(element, _o("resumptionToken"), text, **attributes)
        return element

    # -------------------------------------------------------------------------- records

    @staticmethod
    def _format(prefix: str) -> None:
        if prefix not in FORMATS:
            raise OAIError(
                "cannotDisseminateFormat", f"The metadata format {prefix} is not supported."
            )

    def _record(
        self,
        row: NormalisedRow,
        changed_at: datetime,
        specs: Sequence[str],
        prefix: str,
        request: Request,
        *,
        headers_only: bool,
    ) -> etree._Element:
        header = etree.Element(_o("header"))
        if row.deleted:
            header.set("status", "deleted")
        sub(header, _o("identifier"), self.oai_identifier(row.id, request))
        sub(header, _o("datestamp"), format_datestamp(changed_at))
        for spec in specs:
            sub(header, _o("setSpec"), spec)
        if headers_only:
            return header
        record = etree.Element(_o("record"))
        record.append(header)
        if row.deleted:
            return record
        document = load(row)
        build = FORMATS[prefix][2]
        metadata = sub(record, _o("metadata"))
        metadata.append(build(document, request.record_url(row.id)))
        origin = provenance(document)
        if origin is not None:
            sub(record, _o("about")).append(origin)
        return record


def _serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def utc_now() -> datetime:
    """The current time in UTC (microseconds kept: the upper bound of a new list)."""
    return datetime.now(UTC)
