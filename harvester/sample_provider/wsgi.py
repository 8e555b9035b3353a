"""The OAI-PMH 2.0 data provider as a WSGI application.

Everything the protocol asks of a provider that serves ``oai_dc`` is here: the six verbs,
``from``/``until`` in both granularities, sets (hierarchical), resumption tokens with
``cursor`` and ``completeListSize``, deletion notices, and every error condition answered with
HTTP 200 and ``<error code="...">``. The documents are written by
:mod:`~harvester.sample_provider.rendering`, the tokens by
:mod:`~harvester.sample_provider.tokens`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs

from harvester.fetch.oai.protocol import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    VERBS,
    OAIError,
    check_arguments,
    date_bounds,
    format_datestamp,
)
from harvester.sample_provider.rendering import (
    envelope_start,
    header_xml,
    now_utc,
    record_xml,
    render_error,
    request_element,
    xml_escape,
)
from harvester.sample_provider.repository import Repository
from harvester.sample_provider.tokens import ListRequest, decode_token, encode_token

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

CONTENT_TYPE: Final = "text/xml; charset=utf-8"


class OAIProvider:
    """A WSGI application serving a :class:`Repository` over OAI-PMH 2.0 (``oai_dc`` only).

    Example::

        app = OAIProvider(SyntheticRepository(1000), page_size=50)
        with serve(app) as server:
            requests.get(server.url, params={"verb": "Identify"})
    """

    def __init__(
        self,
        repository: Repository,
        page_size: int = 100,
        base_url_path: str = "/oai",
        *,
        admin_email: str = "oai-admin@csfinder.example",
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        """Create the application.

        Args:
            repository: where the records come from.
            page_size: records or headers per ListRecords/ListIdentifiers page.
            base_url_path: the path the provider answers on; other paths get HTTP 404.
            admin_email: Identify ``adminEmail`` (a role address, never a person's).
            clock: returns the current UTC time (``responseDate``); replaceable in tests.
        """
        if page_size < 1:
            raise ValueError("page_size must be positive")
        self.repository = repository
        self.page_size = page_size
        self.base_url_path = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
        self.admin_email = admin_email
        self.clock = clock

    # ------------------------------------------------------------------------------ WSGI

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request."""
        path = environ.get("PATH_INFO", "") or ""
        if path.rstrip("/") != self.base_url_path:
            return _plain(start_response, "404 Not Found", b"not found\n")
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method in ("GET", "HEAD"):
            query = environ.get("QUERY_STRING", "") or ""
        elif method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            query = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length else ""
        else:
            return _plain(
                start_response, "405 Method Not Allowed", b"GET or POST\n", [("Allow", "GET, POST")]
            )
        params = parse_qs(query, keep_blank_values=True)
        body = self.render(params, self.base_url(environ))
        start_response(
            "200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))]
        )
        return [] if method == "HEAD" else [body]

    def base_url(self, environ: WSGIEnvironment) -> str:
        """Return the provider's base URL as seen by the client of this request."""
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST")
        if not host:
            host = environ.get("SERVER_NAME", "localhost")
            port = str(environ.get("SERVER_PORT", ""))
            if port and port != {"http": "80", "https": "443"}.get(scheme):
                host = f"{host}:{port}"
        return f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}{self.base_url_path}"

    # ---------------------------------------------------------------------- protocol

    def render(self, params: Mapping[str, Sequence[str]], base_url: str) -> bytes:
        """Answer one OAI-PMH request given its parsed arguments.

        Args:
            params: argument name to the list of values given (as from ``parse_qs``).
            base_url: the base URL to echo in ``<request>`` and Identify.

        Returns:
            The UTF-8 encoded response document (always sent with HTTP 200).
        """
        response_date = self.clock()
        verbs = params.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in VERBS:
            message = "Illegal OAI verb" if len(verbs) <= 1 else "The verb argument is repeated."
            return render_error(base_url, "badVerb", message, None, response_date)
        verb = verbs[0]
        try:
            arguments = self._check_arguments(verb, params)
        except OAIError as error:
            return render_error(base_url, error.code, error.message, None, response_date)
        echo = {"verb": verb, **arguments}
        try:
            content = self._dispatch(verb, arguments, base_url)
        except OAIError as error:
            return render_error(base_url, error.code, error.message, echo, response_date)
        head = envelope_start(response_date, request_element(base_url, echo))
        return (head + content + "</OAI-PMH>").encode("utf-8")

    def _check_arguments(self, verb: str, params: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """The arguments of one request, checked against what ``verb`` allows."""
        return check_arguments(verb, params, self.repository.granularity)

    def _date_bounds(
        self, from_text: str | None, until_text: str | None
    ) -> tuple[datetime | None, datetime | None]:
        """Parse from/until into inclusive datetime bounds; badArgument when invalid."""
        return date_bounds(from_text, until_text, self.repository.granularity)

    def _dispatch(self, verb: str, arguments: dict[str, str], base_url: str) -> str:
        """The content of the response to a valid request (OAIError for an error)."""
        if verb == "Identify":
            return self._identify(base_url)
        if verb == "ListMetadataFormats":
            return self._list_metadata_formats(arguments.get("identifier"))
        if verb == "ListSets":
            return self._list_sets(arguments.get("resumptionToken"))
        if verb == "GetRecord":
            return self._get_record(arguments["identifier"], arguments["metadataPrefix"])
        return self._list(verb, arguments)

    def _identify(self, base_url: str) -> str:
        """Identify: the repository's name, base URL, granularity and policies."""
        repository = self.repository
        return (
            "<Identify>"
            f"<repositoryName>{xml_escape(repository.name)}</repositoryName>"
            f"<baseURL>{xml_escape(base_url)}</baseURL>"
            "<protocolVersion>2.0</protocolVersion>"
            f"<adminEmail>{xml_escape(self.admin_email)}</adminEmail>"
            "<earliestDatestamp>"
            f"{format_datestamp(repository.earliest_datestamp, repository.granularity)}"
            "</earliestDatestamp>"
            "<deletedRecord>persistent</deletedRecord>"
            f"<granularity>{repository.granularity}</granularity>"
            "</Identify>"
        )

    def _list_metadata_formats(self, identifier: str | None) -> str:
        """ListMetadataFormats: ``oai_dc`` only, for any record or for all."""
        if identifier is not None and self.repository.get(identifier) is None:
            raise OAIError("idDoesNotExist", f"No record with identifier {identifier}.")
        return (
            "<ListMetadataFormats><metadataFormat>"
            "<metadataPrefix>oai_dc</metadataPrefix>"
            f"<schema>{OAI_DC_SCHEMA}</schema>"
            f"<metadataNamespace>{OAI_DC_NS}</metadataNamespace>"
            "</metadataFormat></ListMetadataFormats>"
        )

    def _list_sets(self, token: str | None) -> str:
        """ListSets: every set in one response."""
        if token is not None:
            raise OAIError("badResumptionToken", "ListSets is never split; no token is valid.")
        sets = self.repository.sets
        if not sets:
            raise OAIError("noSetHierarchy", "This repository does not support sets.")
        items = "".join(
            f"<set><setSpec>{xml_escape(spec)}</setSpec><setName>{xml_escape(name)}</setName></set>"
            for spec, name in sets.items()
        )
        return f"<ListSets>{items}</ListSets>"

    def _get_record(self, identifier: str, prefix: str) -> str:
        """GetRecord: one record by identifier."""
        record = self.repository.get(identifier)
        if record is None:
            raise OAIError("idDoesNotExist", f"No record with identifier {identifier}.")
        if prefix != "oai_dc":
            raise OAIError("cannotDisseminateFormat", f"Unsupported metadataPrefix {prefix}.")
        return f"<GetRecord>{record_xml(record, self.repository.granularity)}</GetRecord>"

    def _list(self, verb: str, arguments: dict[str, str]) -> str:
        """ListRecords or ListIdentifiers: one page, with a resumption token when more follow."""
        token = arguments.get("resumptionToken")
        if token is not None:
            request = decode_token(token)
            if request.verb != verb:
                raise OAIError("badResumptionToken", f"This token does not belong to {verb}.")
        else:
            request = ListRequest(
                verb,
                arguments["metadataPrefix"],
                arguments.get("set"),
                arguments.get("from"),
                arguments.get("until"),
                0,
            )
        if request.metadata_prefix != "oai_dc":
            raise OAIError(
                "cannotDisseminateFormat", f"Unsupported metadataPrefix {request.metadata_prefix}."
            )
        repository = self.repository
        if request.set_spec is not None and not repository.sets:
            raise OAIError("noSetHierarchy", "This repository does not support sets.")
        from_, until = self._date_bounds(request.from_text, request.until_text)
        total = repository.count(request.set_spec, from_, until)
        if total == 0:
            raise OAIError("noRecordsMatch", "No records match the request.")
        offset = request.offset
        if offset >= total:
            raise OAIError("badResumptionToken", "The list has changed; harvest again.")
        records = list(repository.slice(request.set_spec, from_, until, offset, self.page_size))
        if not records:
            raise OAIError("badResumptionToken", "The list has changed; harvest again.")
        granularity = repository.granularity
        if verb == "ListRecords":
            items = "".join([record_xml(record, granularity) for record in records])
        else:
            items = "".join([header_xml(record, granularity) for record in records])
        next_offset = offset + len(records)
        if next_offset < total:
            next_token = encode_token(
                ListRequest(
                    verb,
                    request.metadata_prefix,
                    request.set_spec,
                    request.from_text,
                    request.until_text,
                    next_offset,
                )
            )
            items += (
                f'<resumptionToken completeListSize="{total}" cursor="{offset}">'
                f"{next_token}</resumptionToken>"
            )
        elif token is not None:
            items += f'<resumptionToken completeListSize="{total}" cursor="{offset}"/>'
        return f"<{verb}>{items}</{verb}>"


def _plain(
    start_response: StartResponse,
    status: str,
    body: bytes,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    """Answer with a plain-text body (errors outside the protocol: wrong path or method)."""
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        + (extra or []),
    )
    return [body]
