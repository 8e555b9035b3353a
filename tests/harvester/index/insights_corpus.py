"""Records written for the insights contract: projects and datasets carrying every dimension
insights count (policy, participation, funders, schools, SDG impacts, dates, statuses), each
a real model record with its FAIR indicators assessed by the real metrics."""

from __future__ import annotations

from typing import Any

from harvester.core.model import Record, record_id
from harvester.index.documents import IndexDocument, document_from_record
from harvester.normalise.quality.fair import indicators

HARVESTED = "2026-03-01T00:00:00Z"


def record(key: str, title: str, **fields: Any) -> dict[str, Any]:
    """A valid record with its FAIR indicators, as the store keeps it."""
    source = str(fields.pop("source", "policy"))
    platform = str(fields.pop("platform", "policyplatform"))
    data: dict[str, Any] = {
        "id": record_id(source, key),
        "kind": "project",
        "title": title,
        **fields,
        "provenance": {
            "source_id": source,
            "source_name": f"Source {source}",
            "platform": platform,
            "protocol": "json-api",
            "endpoint": "https://example.org/api",
            "metadata_format": "application/json",
            "source_identifier": key,
            "harvested_at": HARVESTED,
        },
    }
    model = Record.model_validate(data)
    assessed = indicators(model)
    quality = {"issues": [], "indicators": [i.model_dump(mode="json") for i in assessed]}
    return Record.model_validate({**data, "quality": quality}).model_dump(mode="json")


def funder(name: str, role: str = "Sponsor/funder") -> dict[str, str]:
    """An organisation funding the project."""
    return {"name": name, "role": role}


def records() -> list[dict[str, Any]]:
    """Eleven records; the tests compute what they expect from these, never by hand."""
    doi = [{"scheme": "doi", "value": "10.5281/zenodo.424242"}]
    return [
        record(
            "air-es",
            "Aire limpio en la escuela",
            description="Schools measure nitrogen dioxide with diffusion tubes.",
            countries=["ES"],
            topics=["1.5"],
            sdg_impacts=[{"goal": 3, "impact": "direct"}, {"goal": 11, "impact": "indirect"}],
            status="Active",
            start_date="2018-09-01",
            participation={"tasks": ["Observation", "Data analysis"], "for_schools": True},
            policy={"aims": True, "relevance": ["Problem definition", "Early-warning"]},
            organisations=[funder("European Commission"), {"name": "Escuela Uno"}],
            license={"spdx": "CC-BY-4.0"},
            url="https://example.org/aire",
        ),
        record(
            "air-pt",
            "Ar das escolas",
            description="Air quality sensors in Portuguese and Spanish classrooms.",
            countries=["PT", "ES"],
            topics=["1.5"],
            sdgs=[3],
            status="Completed",
            start_date="2015-01-10",
            end_date="2019-06-30",
            participation={"tasks": ["Observation"], "for_schools": True},
            policy={"aims": True, "relevance": ["Policy implementation or monitoring"]},
            organisations=[funder("Fundação Ciência", "Funder")],
        ),
        record(
            "birds-de",
            "Vögel im Winter",
            description="Garden bird counts every January.",
            countries=["DE"],
            topics=["1.6"],
            sdgs=[15],
            status="Active",
            start_date="2012-01-05",
            participation={"tasks": ["Observation", "Classification or tagging"]},
            policy={"aims": False},
            organisations=[funder("European Commission", "funder")],
        ),
        record(
            "birds-de-data",
            "Winter bird counts 2012-2024",
            kind="dataset",
            description="Counts of garden birds, one row a feeder and species.",
            countries=["DE"],
            topics=["1.6"],
            start_date="2012-01-01",
            end_date="2024-12-31",
            identifiers=doi,
            license={"spdx": "CC0-1.0"},
            access_rights="open",
            distributions=[
                {
                    "download_url": "https://example.org/files/birds.csv",
                    "media_type": "text/csv",
                    "size_bytes": 1024,
                }
            ],
        ),
        record(
            "noise-it",
            "Rumore in città",
            description="Residents record street noise with a phone app.",
            countries=["IT"],
            topics=["2.2"],
            sdgs=[11],
            status="Abandoned",
            start_date="2016-04-01",
            participation={"tasks": ["Data collection"]},
            platform="otherplatform",
            source="other",
        ),
        record(
            "water-nl",
            "Meet het slootwater",
            description="Citizens measure nitrate in ditches.",
            countries=["NL"],
            topics=["1.5"],
            sdg_impacts=[{"goal": 6, "impact": "direct"}],
            status="Periodically active",
            start_date="2020-03-01",
            participation={"tasks": ["Observation"], "for_schools": False},
            policy={"aims": True, "relevance": ["Policy implementation or monitoring"]},
            organisations=[funder("Waterschap Delta"), funder("European Commission")],
        ),
        record(
            "litter-gr",
            "Θαλάσσια απορρίμματα",
            description="Beach litter surveys.",
            countries=["GR", "CY"],
            sdgs=[14],
            status="Active",
            start_date="2021-05-01",
            participation={"tasks": ["Observation", "Cleaning up"]},
            platform="otherplatform",
            source="other",
        ),
        record(
            "stars",
            "Sterne zählen",
            description="Light pollution measured by counting stars.",
            countries=["DE", "AT"],
            topics=["1.3"],
            status="Not yet started",
            start_date="2027-01-01",
            participation={"tasks": ["Classification or tagging"]},
        ),
        record(
            "history",
            "Letters from the front",
            description="Volunteers transcribe letters.",
            countries=["GB"],
            topics=["6.1"],
            status="Completed",
            start_date="2014-08-04",
            participation={"tasks": ["Transcription"], "for_schools": True},
        ),
        record(
            "undated",
            "Pollinator photos",
            description="Photograph pollinators on balconies.",
            countries=["FR"],
            topics=["1.6"],
            sdgs=[15],
            participation={"tasks": ["Photography"]},
            platform="otherplatform",
            source="other",
        ),
        record(
            "report",
            "Citizen science for air policy: a review",
            kind="publication",
            description="A review of air quality projects and policy uptake.",
            countries=["BE"],
            topics=["5.4"],
            sdgs=[3],
            date_modified="2023-02-01",
            identifiers=[{"scheme": "doi", "value": "10.5281/zenodo.777"}],
        ),
    ]


def documents() -> list[IndexDocument]:
    """The index documents of :func:`records`."""
    return [document_from_record(r) for r in records()]
