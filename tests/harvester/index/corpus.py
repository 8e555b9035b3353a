"""A small corpus written for the search contract: every record a real model record."""

from __future__ import annotations

from typing import Any

from harvester.core.model import Record, record_id
from harvester.index.documents import IndexDocument, document_from_record


def record(key: str, title: str, **fields: Any) -> dict[str, Any]:
    """A valid record (checked by the model) as the store keeps it."""
    source = str(fields.pop("source", "contract"))
    platform = str(fields.pop("platform", "testplatform"))
    score = int(fields.pop("score", 50))
    data: dict[str, Any] = {
        "id": record_id(source, key),
        "kind": "project",
        "title": title,
        **fields,
        "provenance": {
            "source_id": source,
            "source_name": f"Source {source}",
            "platform": platform,
            "protocol": "oai-pmh",
            "endpoint": "https://example.org/oai",
            "metadata_format": "oai_dc",
            "source_identifier": key,
            "harvested_at": "2026-01-01T00:00:00Z",
        },
        "quality": {"issues": [], "indicators": [], "score": score},
    }
    return Record.model_validate(data).model_dump(mode="json")


def rid(key: str, source: str = "contract") -> str:
    """The record id of a corpus record."""
    return record_id(source, key)


def doc(key: str, title: str, **fields: Any) -> IndexDocument:
    """The index document of :func:`record`."""
    return document_from_record(record(key, title, **fields))


def corpus_records() -> list[dict[str, Any]]:
    """Twelve records covering languages, diacritics, facets, dates, places and identifiers."""
    doi = [{"scheme": "doi", "value": "10.5281/zenodo.1234"}]
    return [
        record(
            "hedgehogs",
            "Hedgehog Street",
            description="Volunteers count hedgehogs in gardens across Britain.",
            keywords=["mammals", "gardens"],
            countries=["GB"],
            languages=["en"],
            topics=["1.6"],
            status="active",
            start_date="2011-05-01",
            license={"spdx": "CC-BY-4.0"},
            access_rights="open",
            identifiers=doi,
            score=90,
        ),
        record(
            "water-nl",
            "Meet het water",
            description="Burgers meten de waterkwaliteit van sloten en vijvers.",
            keywords=["water quality", "nitraat"],
            countries=["NL"],
            languages=["nl"],
            topics=["1.5"],
            sdgs=[6],
            status="completed",
            start_date="2016-03-01",
            end_date="2019-12-31",
            geo={"points": [{"lat": 52.1, "lon": 5.1}], "boxes": []},
            license={"spdx": "CC0-1.0"},
            access_rights="open",
        ),
        record(
            "water-de",
            "Müll im Fluss",
            description="Schüler sammeln Plastikmüll an Flussufern und messen die Wasserqualität.",
            keywords=["Plastik", "water quality"],
            countries=["DE", "AT"],
            languages=["de"],
            topics=["1.5"],
            sdgs=[6, 14],
            status="active",
            start_date="2018-06-01",
            geo={"points": [], "boxes": [{"west": 9, "south": 47, "east": 17, "north": 55}]},
            license={"spdx": "CC-BY-4.0"},
            access_rights="open",
            platform="otherplatform",
            source="second",
        ),
        record(
            "birds-fr",
            "Oiseaux des jardins",
            description="Comptage des oiseaux des jardins; les observations aident la science.",
            keywords=["birds", "oiseaux"],
            countries=["FR"],
            languages=["fr"],
            topics=["1.6"],
            status="active",
            start_date="2012-01-01",
            license={"spdx": "CC-BY-SA-4.0"},
            access_rights="open",
        ),
        record(
            "birds-data",
            "Garden bird counts 2012-2020",
            kind="dataset",
            description="Counts of garden birds reported by volunteers.",
            keywords=["birds"],
            countries=["FR", "BE"],
            languages=["en", "fr"],
            topics=["1.6"],
            date_modified="2021-02-03",
            license={"spdx": "CC0-1.0"},
            access_rights="open",
            identifiers=doi,
            score=80,
        ),
        record(
            "air-es",
            "Calidad del aire en Évora y Sevilla",
            description="Ciudadanos miden la calidad del aire con sensores de bajo coste.",
            keywords=["air quality", "sensores"],
            countries=["ES", "PT"],
            languages=["es"],
            topics=["1.5"],
            sdgs=[3, 11],
            status="active",
            start_date="2020-09-15",
            license={"text": "Free to reuse with attribution"},
            access_rights="restricted",
        ),
        record(
            "noise",
            "Noise maps by citizens",
            description="People record street noise with a phone app; the air is full of sound.",
            keywords=["noise"],
            countries=["IT"],
            languages=["en", "it"],
            status="paused",
            start_date="2015-01-01",
            access_rights="open",
        ),
        record(
            "stars",
            "Counting stars at night",
            description="Light pollution measured by counting stars.",
            keywords=["light pollution", "astronomy"],
            countries=["DE"],
            languages=["de", "en"],
            topics=["1.3"],
            start_date="2006-01-01",
            license={"spdx": "CC-BY-4.0"},
            access_rights="open",
            platform="otherplatform",
            source="second",
        ),
        record(
            "thin-water",
            "Water",
            kind="resource",
            description="Water.",
            score=10,
        ),
        record(
            "rich-water",
            "Water",
            kind="dataset",
            description="Water.",
            identifiers=[{"scheme": "doi", "value": "10.1234/rich.water"}],
            score=95,
        ),
        record(
            "markup",
            "Plankton <script>alert(1)</script> & friends",
            description="Tags like <b>bold</b> stay text; plankton samples from the sea.",
            keywords=["plankton"],
            countries=["GR"],
            languages=["el"],
            start_date="2022-07-01",
        ),
        record(
            "greek",
            "Θαλάσσια απορρίμματα",
            description="Πολίτες καταγράφουν απορρίμματα στις παραλίες.",
            keywords=["marine litter"],
            countries=["GR", "CY"],
            languages=["el"],
            sdgs=[14],
            start_date="2019-04-01",
            geo={"points": [{"lat": 35.0, "lon": 33.0}], "boxes": []},
        ),
    ]


def corpus() -> list[IndexDocument]:
    """The index documents of :func:`corpus_records`."""
    return [document_from_record(r) for r in corpus_records()]
