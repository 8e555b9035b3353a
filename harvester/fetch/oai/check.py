"""``csfinder sources check``: is this really an OAI-PMH endpoint serving what we expect?"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harvester.core.errors import CsfinderError, OAIProtocolError
from harvester.fetch.http import HttpClient
from harvester.fetch.oai.client import OAIClient

_OAI = "{http://www.openarchives.org/OAI/2.0/}"
MAX_SET_PAGES = 20


@dataclass
class CheckReport:
    """What the endpoint said, and what is wrong with it for this source."""

    source_id: str
    url: str
    identify: dict[str, Any] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    sets: list[tuple[str, str]] = field(default_factory=list)
    sets_complete: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing stands in the way of harvesting."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "source": self.source_id,
            "url": self.url,
            "ok": self.ok,
            "identify": self.identify,
            "metadata_formats": self.formats,
            "sets": [{"spec": spec, "name": name} for spec, name in self.sets],
            "sets_complete": self.sets_complete,
            "problems": self.problems,
        }


def check_oai_endpoint(
    source_id: str, url: str, prefix: str | None, sets: tuple[str, ...], http: HttpClient
) -> CheckReport:
    """Ask Identify, ListMetadataFormats and ListSets; say plainly what does not fit."""
    report = CheckReport(source_id, url)
    client = OAIClient(url, http, malformed_retries=0)
    try:
        info = client.identify()
    except CsfinderError as exc:
        report.problems.append(f"Identify failed, is this an OAI-PMH endpoint? {exc}")
        return report
    report.identify = {
        "repository_name": info.repository_name,
        "protocol_version": info.protocol_version,
        "granularity": info.granularity,
        "earliest_datestamp": info.earliest_datestamp,
        "deleted_record": info.deleted_record,
    }
    if info.protocol_version != "2.0":
        report.problems.append(f"protocol version is '{info.protocol_version}', not 2.0")
    try:
        response = client.harvest(verb="ListMetadataFormats")
        report.formats = [
            (element.findtext(_OAI + "metadataPrefix") or "").strip()
            for element in response.xml.iter(_OAI + "metadataFormat")
        ]
    except CsfinderError as exc:
        report.problems.append(f"ListMetadataFormats failed: {exc}")
    if prefix and report.formats and prefix not in report.formats:
        offered = ", ".join(report.formats)
        report.problems.append(f"metadata_prefix '{prefix}' is not offered (offered: {offered})")
    _list_sets(client, report)
    known = {spec for spec, _ in report.sets}
    if report.sets_complete:
        missing = [spec for spec in sets if spec not in known]
        if missing:
            report.problems.append(f"configured sets not offered: {', '.join(missing)}")
    return report


def _list_sets(client: OAIClient, report: CheckReport) -> None:
    try:
        for number, page in enumerate(client.list_pages("ListSets")):
            for element in page.items:
                spec = (element.findtext(_OAI + "setSpec") or "").strip()
                name = " ".join((element.findtext(_OAI + "setName") or "").split())
                report.sets.append((spec, name))
            if number + 1 >= MAX_SET_PAGES and page.token:
                report.sets_complete = False
                return
    except OAIProtocolError as exc:
        if exc.code != "noSetHierarchy":
            report.problems.append(f"ListSets failed: {exc}")
            report.sets_complete = False
    except CsfinderError as exc:
        report.problems.append(f"ListSets failed: {exc}")
        report.sets_complete = False
