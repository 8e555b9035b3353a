"""Hostile queries and requests: each answers 4xx in its surface's own shape, never 500.

Bytes that are not UTF-8 in a query string (the API and exports in JSON, OAI-PMH as
``badArgument``, pages as pages), values the OpenAPI document does not allow, a request
line and headers over the limits (414 and 431 in JSON, not gunicorn's HTML), a resumption
token that was tampered with, and a Host header naming another site, which is refused or,
on a portal without a public URL, at least not written into the OAI-PMH baseURL.
"""

from __future__ import annotations

from portal.audit.report import Report
from portal.audit.target import Answer, Target
from portal.limits import MAX_HEADER_FIELDS, MAX_REQUEST_LINE

FAMILY = "queries"
RAW_BYTES = b"q=\xff\xfe"
JSON_PATHS = (b"/api/v1/search", b"/api/v1/suggest", b"/export.csv", b"/export.json")
PAGES = (b"/", b"/sources")
BAD_PARAMETERS = (
    "sort=",
    "access=",
    "has_pid=",
    "year=",
    "kind=PROJECT",
    "year_from=2020&year_to=2010",
    "sdg=99",
    "bbox=1,2,3",
    "page=0",
    "colour=red",
    "&".join(["country=NL"] * 60),
)


def probe(target: Target, report: Report) -> None:
    """Every hostile request, each one check."""
    for path in JSON_PATHS:
        answer = target.raw_get(path + b"?" + RAW_BYTES)
        report.check(FAMILY, f"{path.decode()}?\\xff", _json_error(answer, 400))
    for path in PAGES:
        answer = target.raw_get(path + b"?" + RAW_BYTES)
        problem = None
        if answer.status != 400 or answer.media_type != "text/html":
            problem = f"answered {answer.status} {answer.media_type}, not a 400 page"
        report.check(FAMILY, f"{path.decode()}?\\xff", problem)
    oai = target.raw_get(b"/oai?verb=" + b"\xff")
    report.check(FAMILY, "/oai?verb=\\xff", _oai_error(oai, "badArgument"))
    for query in BAD_PARAMETERS:
        for api_path in ("/api/v1/search", "/export.json"):
            answer = target.get(f"{api_path}?{query}")
            report.check(FAMILY, f"{api_path}?{query[:40]}", _json_error(answer, 400))
    _limits(target, report)
    _tokens(target, report)
    _host(target, report)


def _limits(target: Target, report: Report) -> None:
    long_line = b"/api/v1/search?q=" + b"a" * MAX_REQUEST_LINE
    report.check(FAMILY, "request line over the limit", _json_error(target.raw_get(long_line), 414))
    many = [f"X-Audit-{n}: x".encode() for n in range(MAX_HEADER_FIELDS + 5)]
    report.check(
        FAMILY, "too many header fields", _json_error(target.raw_get(b"/api/v1/sources", many), 431)
    )


def _tokens(target: Target, report: Report) -> None:
    for token in ("x.y", "e30.AAAA", "eyJ4IjogSW5maW5pdHl9.AAAA", "." * 40):
        answer = target.get(f"/oai?verb=ListRecords&resumptionToken={token}")
        report.check(FAMILY, f"resumptionToken={token}", _oai_error(answer, "badResumptionToken"))


def _host(target: Target, report: Report) -> None:
    answer = target.get("/oai?verb=Identify", {"Host": "evil.example"})
    problem = None
    if answer.status == 200 and "evil.example" in answer.text:
        problem = "the Host header is written into absolute URLs (set CSFINDER_PUBLIC_URL)"
    elif answer.status not in (200, 400):
        problem = f"answered {answer.status}"
    report.check(FAMILY, "Host: evil.example", problem)


def _json_error(answer: Answer, status: int) -> str | None:
    """None when ``answer`` is the API's error shape with ``status``, else what it is."""
    if answer.status != status:
        return f"answered {answer.status}, not {status}"
    if answer.media_type != "application/json" or b'"error"' not in answer.body:
        return f"answered {status} as {answer.media_type or 'nothing'}, not the API's JSON error"
    return None


def _oai_error(answer: Answer, code: str) -> str | None:
    if answer.status != 200:
        return f"answered {answer.status}, not 200 with an OAI-PMH error"
    if f'code="{code}"'.encode() not in answer.body:
        return f"no OAI-PMH {code} error in the answer"
    return None
