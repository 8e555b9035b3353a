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
    titles, sentences = corpus_texts()
    topics = topic_codes()
    keyword_pool = [w for w in _vocabulary_phrases() if len(w) < 30]
    for n in range(count):
        yield _record(n, rng, titles, sentences, topics, keyword_pool)


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
