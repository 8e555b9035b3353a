"""Realistic synthetic records for search benchmarks.

Text comes from the real project corpora in ``../shared/fixtures/corpus`` (JRC inventory
descriptions in English, Dutch project names) when that folder is present, otherwise from
the project's own vocabularies; facet values come from the vocabularies with skewed
frequencies, as in real catalogues (a few countries, licences and platforms dominate).
The generator is seeded: the same N gives the same records.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from typing import Any

from harvester.core import paths
from harvester.normalise.vocab._common import load_vocabulary

CORPUS_DIR = paths.SHARED_FIXTURES_DIR / "corpus"
SENTENCE = re.compile(r"(?<=[.!?])\s+")
COUNTRIES = [
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "BE",
    "AT",
    "PT",
    "PL",
    "SE",
    "DK",
    "FI",
    "IE",
    "GR",
    "CZ",
    "HU",
    "RO",
    "BG",
    "HR",
    "SI",
    "SK",
    "LT",
    "LV",
    "EE",
    "LU",
    "MT",
    "CY",
    "GB",
    "NO",
    "CH",
    "IS",
    "US",
    "CA",
    "BR",
    "KE",
    "ZA",
    "IN",
    "AU",
]
LICENCES = ("CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "ODbL-1.0", "MIT", "other")
ACCESS = ("open", "open", "open", "restricted", "embargoed", "closed", "metadata-only")
PLATFORMS = [
    "zenodo",
    "eu-citizen.science",
    "scistarter",
    "zooniverse",
    "inaturalist",
    "gbif",
    "ckan",
    "datacite",
    "buergerschaffenwissen",
    "iedereen-wetenschapper",
]
KINDS = ("project", "dataset", "dataset", "publication", "resource")
STATUSES = ("active", "active", "completed", "not-yet-started", "paused", "cancelled")
TASKS = [
    "Observation",
    "Data collection",
    "Classification or tagging",
    "Photography",
    "Transcription",
    "Data analysis",
    "Sample collection",
    "Species identification",
    "Measurement",
    "Mapping",
    "Reporting",
    "Cleaning up",
]
POLICY_PHASES = (
    "Problem definition",
    "Early-warning",
    "Policy implementation or monitoring",
    "Policy evaluation",
    "Compliance assurance",
)
FUNDERS = [
    "European Commission",
    "Deutsche Forschungsgemeinschaft",
    "Agence nationale de la recherche",
    "Dutch Research Council",
    "Fundação para a Ciência e a Tecnologia",
    "Agencia Estatal de Investigación",
    "National Science Foundation",
    "UK Research and Innovation",
    "Swiss National Science Foundation",
    "Research Council of Norway",
    "Wellcome Trust",
    "European Environment Agency",
] + [f"Regional fund {n}" for n in range(1, 31)]
FAIR_METRICS = (
    ("FsF-F1-01D", False, 1.0),
    ("FsF-F1-02D", False, 0.4),
    ("FsF-F2-01M", False, 0.7),
    ("FsF-F3-01M", True, 0.5),
    ("FsF-F4-01M", False, 1.0),
    ("FsF-A1-01M", True, 0.6),
    ("FsF-A1-02M", False, 1.0),
    ("FsF-A1-03D", True, 0.5),
    ("FsF-I1-01M", False, 1.0),
    ("FsF-I2-01M", False, 0.6),
    ("FsF-I3-01M", False, 0.3),
    ("FsF-R1-01MD", False, 0.3),
    ("FsF-R1.1-01M", False, 0.7),
    ("FsF-R1.2-01M", False, 1.0),
    ("FsF-R1.3-01M", False, 1.0),
    ("FsF-R1.3-02D", True, 0.4),
)
"""FAIRsFAIR metric ids, whether they concern data files (not applicable to projects), and
how often a synthetic record passes them."""


@cache
def corpus_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(titles, sentences) from the real corpora, or from the vocabularies without them."""
    titles: list[str] = []
    sentences: list[str] = []
    for path in sorted(CORPUS_DIR.glob("*/*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for key, value in row.items():
                    if not key or not value:
                        continue
                    lowered = key.lower()
                    if lowered in ("name", "project name", "title"):
                        titles.append(" ".join(value.split()))
                    elif "description" in lowered:
                        sentences += [s for s in SENTENCE.split(" ".join(value.split())) if s]
    if not titles or not sentences:
        labels = _vocabulary_phrases()
        titles = titles or [f"{a} and {b}" for a, b in itertools.pairwise(labels)]
        sentences = sentences or [
            f"Volunteers record {a.lower()} and share {b.lower()} observations."
            for a, b in zip(labels, reversed(labels), strict=False)
        ]
    return tuple(titles), tuple(sentences)


def _vocabulary_phrases() -> list[str]:
    terms = load_vocabulary("fields_of_science")["terms"]
    phrases: list[str] = []
    for term in terms.values():
        phrases.append(str(term["label"]))
        phrases += [str(s) for s in term.get("synonyms", [])]
    return phrases


@cache
def topic_codes() -> tuple[str, ...]:
    """The fields-of-science codes."""
    return tuple(str(k) for k in load_vocabulary("fields_of_science")["terms"])


def synthetic_records(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` records in the common model's JSON shape."""
    rng = random.Random(seed)
    extra = random.Random(seed + 1)  # a second stream: the fields above draw as they did
    titles, sentences = corpus_texts()
    topics = topic_codes()
    keyword_pool = [w for w in _vocabulary_phrases() if len(w) < 30]
    for n in range(count):
        record = _record(n, rng, titles, sentences, topics, keyword_pool)
        yield _with_policy_fields(record, extra)


def _with_policy_fields(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The fields policy users filter and insights count: participation, policy, funders,
    an end date for completed projects, the FAIR indicators."""
    project = record["kind"] == "project"
    if project:
        tasks = sorted({_skewed(rng, TASKS) for _ in range(rng.choice((1, 1, 2, 3)))})
        schools = rng.random()
        record["participation"] = {
            "tasks": tasks,
            "for_schools": True if schools < 0.15 else (False if schools < 0.25 else None),
        }
        if rng.random() < 0.3:
            phases = rng.sample(POLICY_PHASES, rng.choice((0, 1, 1, 2)))
            record["policy"] = {"aims": rng.random() < 0.7, "relevance": sorted(phases)}
    if rng.random() < 0.3:
        record["organisations"].append({"name": _skewed(rng, FUNDERS), "role": "Sponsor/funder"})
    if record["status"] == "completed":
        start = date.fromisoformat(record["start_date"])
        record["end_date"] = (start + timedelta(days=rng.randrange(365, 6 * 365))).isoformat()
    record["quality"]["indicators"] = [
        {"id": metric, "applicable": not (data and project), "passed": rng.random() < share}
        for metric, data, share in FAIR_METRICS
    ]
    return record


def _skewed(rng: random.Random, values: tuple[str, ...] | list[str]) -> str:
    """A value with a long-tailed frequency: the first ones are much more common."""
    index = min(int(rng.paretovariate(1.2)) - 1, len(values) - 1)
    return values[index]


def _record(
    n: int,
    rng: random.Random,
    titles: tuple[str, ...],
    sentences: tuple[str, ...],
    topics: tuple[str, ...],
    keyword_pool: list[str],
) -> dict[str, Any]:
    platform = _skewed(rng, PLATFORMS)
    source = f"{platform}-{_skewed(rng, [str(i) for i in range(40)])}"
    start = date(2000, 1, 1) + timedelta(days=rng.randrange(9500))
    countries = sorted({_skewed(rng, COUNTRIES) for _ in range(rng.choice((1, 1, 1, 2, 3)))})
    if rng.random() < 0.01:
        countries = sorted(COUNTRIES[:27])  # EU-wide projects list every member state
    has_doi = rng.random() < 0.4
    geo = None
    if rng.random() < 0.3:
        lon, lat = rng.uniform(-10, 30), rng.uniform(36, 65)
        geo = {
            "points": [],
            "boxes": [{"west": lon, "south": lat, "east": lon + 1, "north": lat + 1}],
        }
    title = rng.choice(titles)
    if rng.random() < 0.5:
        title = f"{title} {rng.choice(('survey', 'monitoring', 'observations', 'data', 'atlas'))}"
    return {
        "id": f"synthetic-{n:08d}",
        "kind": rng.choice(KINDS),
        "title": title,
        "description": " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 5))),
        "alternate_titles": [],
        "keywords": rng.sample(keyword_pool, rng.randint(0, 5)),
        "topics": sorted({rng.choice(topics) for _ in range(rng.randint(0, 3))}),
        "sdgs": sorted({rng.randint(1, 17) for _ in range(rng.choice((0, 0, 1, 2)))}),
        "status": rng.choice(STATUSES),
        "start_date": start.isoformat(),
        "end_date": None,
        "date_modified": (start + timedelta(days=rng.randrange(900))).isoformat(),
        "countries": countries,
        "languages": sorted({_skewed(rng, ["en", "de", "fr", "nl", "es", "it", "pl", "sv"])}),
        "geo": geo,
        "organisations": [{"name": f"{rng.choice(titles)[:40]} Foundation"}],
        "regions": [],
        "url": f"https://{platform}.example.org/records/{n}",
        "identifiers": [{"scheme": "doi", "value": f"10.5555/synthetic.{n}"}] if has_doi else [],
        "license": {"spdx": rng.choice(LICENCES[:-1])} if rng.random() < 0.7 else None,
        "access_rights": rng.choice(ACCESS),
        "provenance": {"source_id": source, "source_name": source, "platform": platform},
        "quality": {"score": rng.randint(20, 100)},
    }
