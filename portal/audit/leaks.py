"""Nothing leaks: every output of the portal is read as a reader sees it (HTML entities and
JSON escapes undone) and searched for e-mail addresses in any form, control characters
that spoof text, and, when the audit is told one, a marker planted in the records of a
hostile provider that the portal harvested (``python -m harvester.sample_provider
--hostile N`` plants ``zqleak``).

The outputs: the search page and API (snippets included), suggestions, each record found
(its page, JSON and JSON-LD, and the API's copy), both exports, OAI-PMH lists in both
formats, the sources pages and their runs. OAI-PMH's ``adminEmail`` is a role address the
operator configures, not harvested text, and is left out of the search.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from harvester.core.model import contains_email
from portal.audit.report import Report
from portal.audit.target import Answer, Target

FAMILY = "leaks"
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ADMIN_EMAIL = re.compile(r"<adminEmail>[^<]*</adminEmail>")
RECORDS = 25


def probe(target: Target, report: Report, planted: str | None = None) -> None:
    """Read every output and report what any of them shows."""
    for where, body in outputs(target, report):
        shown = readable(body)
        problem = None
        if planted and planted in shown:
            at = shown.index(planted)
            problem = f"the planted marker is served: {shown[max(0, at - 60) : at + 30]!r}"
        elif contains_email(shown):
            problem = "an e-mail address is served"
        elif CONTROLS.search(shown):
            problem = f"a control character is served: {CONTROLS.findall(shown)[:3]!r}"
        report.check(FAMILY, where, problem)


def outputs(target: Target, report: Report) -> Iterator[tuple[str, str]]:
    """(where, body) of every output; an answer that is not 200 is a finding itself."""
    fixed = [
        "/",
        "/?q=contact",
        "/api/v1/search?per_page=50",
        "/api/v1/search?q=contact&per_page=50",
        "/api/v1/search?q=example&per_page=50",
        "/suggest?q=a",
        "/api/v1/suggest?q=a",
        "/export.csv",
        "/export.json",
        "/sources",
        "/api/v1/sources",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListRecords&metadataPrefix=oai_datacite",
        "/oai?verb=Identify",
    ]
    for path in fixed:
        body = _body(target, report, path)
        if body is not None:
            yield path, body
    for source in _source_ids(target):
        for path in (f"/sources/{source}", f"/api/v1/sources/{source}/runs"):
            body = _body(target, report, path)
            if body is not None:
                yield path, body
    for record in _record_ids(target):
        for accept in ("text/html", "application/json", "application/ld+json"):
            path = f"/records/{record}"
            body = _body(target, report, path, accept)
            if body is not None:
                yield f"{path} ({accept})", body
        body = _body(target, report, f"/api/v1/records/{record}")
        if body is not None:
            yield f"/api/v1/records/{record}", body


def readable(body: str) -> str:
    """The body as a reader sees it: entities and JSON escapes undone, and the OAI-PMH
    administrator's role address left out."""
    body = ADMIN_EMAIL.sub("", body)
    text = html.unescape(body)
    escaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return text if escaped == text else text + "\n" + escaped


def _body(target: Target, report: Report, path: str, accept: str | None = None) -> str | None:
    answer = target.get(path, {"Accept": accept} if accept else None)
    if answer.status != 200:
        report.check(FAMILY, path, f"answered {answer.status}, not 200")
        return None
    return answer.text


def _record_ids(target: Target) -> list[str]:
    answer = target.get(f"/api/v1/search?per_page={RECORDS}")
    if answer.status != 200:
        return []
    hits = answer_json(answer).get("hits", [])
    return [str(hit["id"]) for hit in hits if isinstance(hit, dict) and "id" in hit]


def _source_ids(target: Target) -> list[str]:
    answer = target.get("/api/v1/sources")
    if answer.status != 200:
        return []
    return [str(s["id"]) for s in answer_json(answer).get("sources", []) if "id" in s]


def answer_json(answer: Answer) -> dict[str, Any]:
    """An answer's JSON body, or an empty mapping."""
    try:
        found = json.loads(answer.body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
