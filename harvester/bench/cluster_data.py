"""Synthetic listings with known duplicates, for ``csfinder bench clusters --records N``.

Each made-up project has a distinctive name (syllables, as real project names are brands),
a site, an organisation, countries and a start year; one project in five is listed on two
to four platforms, each listing re-cased, renamed (generic words added or dropped, the name
in brackets), its URL varied (scheme, ``www.``, trailing slash, tracking parameters,
language path) or its title translated (the brand kept, the rest in another language).
Hard negatives are made on purpose: yearly editions and national chapters of a project
(other projects, same brand), and generic titles (``BioBlitz`` and a city) shared by
unrelated projects. Seeded: the same N gives the same listings.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SYLLABLES = (
    *("ka", "lo", "mi", "ra", "ve", "to", "su", "ne", "fi", "da", "go", "pe", "zu", "bri"),
    *("sta", "mon", "tek", "vor", "lin", "qua", "dro", "ser", "pla", "nov", "ter", "gal"),
)
THEMES = {
    "en": ("Bird Count", "Water Watch", "Air Quality Network", "Butterfly Monitoring"),
    "nl": ("Vogeltelling", "Waterwacht", "Luchtkwaliteitsnetwerk", "Vlindermonitoring"),
    "de": ("Vogelzählung", "Wasserwacht", "Luftqualitätsnetz", "Schmetterlingsmonitoring"),
    "es": ("Censo de Aves", "Vigilancia del Agua", "Red de Calidad del Aire", "Mariposas"),
}
CITIES = ("Bristol", "Copenhagen", "Lyon", "Graz", "Porto", "Gdansk", "Utrecht", "Turin")
COUNTRY_NAMES = {"DE": "Germany", "FR": "France", "ES": "Spain", "IT": "Italy", "PL": "Poland"}
PLATFORMS = ("eu-citizen-science", "jrc-inventory", "scistarter", "zooniverse", "cs-nl")
COUNTRIES = ("NL", "DE", "FR", "ES", "IT", "GB", "PL", "BE", "AT", "PT")
DUPLICATED = 0.2


@dataclass(frozen=True)
class Listing:
    """A synthetic record and the project it truly describes."""

    record: dict[str, Any]
    project: int


def _name(rng: random.Random, number: int | None = None) -> str:
    """A made-up name; unique when ``number`` is given (its digits in syllables)."""
    if number is None:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    parts = [rng.choice(SYLLABLES)]
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
        if not number:
            break
    return "".join(parts).capitalize()


def listings(count: int, seed: int = 17) -> Iterator[Listing]:
    """``count`` listings of made-up projects, some listed several times."""
    rng = random.Random(seed)
    made = 0
    project = 0
    while made < count:
        project += 1
        base = _project(rng, project)
        copies = rng.randint(2, 4) if rng.random() < DUPLICATED else 1
        platforms = rng.sample(PLATFORMS, copies)
        for copy, platform in enumerate(platforms):
            if made >= count:
                return
            yield Listing(_listing(rng, base, platform, made, varied=copy > 0), project)
            made += 1
        if rng.random() < 0.03 and made < count:  # a hard negative: another project, same brand
            project += 1
            yield Listing(_relative(rng, base, project, made), project)
            made += 1


def _project(rng: random.Random, number: int) -> dict[str, Any]:
    name = _name(rng, number)
    theme = rng.randrange(len(THEMES["en"]))
    generic = rng.random() < 0.05
    return {
        "number": number,
        "name": name,
        "theme": theme,
        "title": f"BioBlitz {rng.choice(CITIES)}" if generic else f"{name} {THEMES['en'][theme]}",
        "site": name.lower() + rng.choice(("", "-project", "app")) + rng.choice((".org", ".eu")),
        "organisation": f"{_name(rng)} {rng.choice(('Foundation', 'Institute', 'University'))}",
        "countries": sorted({rng.choice(COUNTRIES) for _ in range(rng.choice((1, 1, 2)))}),
        "year": rng.randint(1995, 2024),
        "description": f"Volunteers help {name} record {THEMES['en'][theme].lower()} data.",
    }


def _listing(
    rng: random.Random, base: dict[str, Any], platform: str, n: int, *, varied: bool
) -> dict[str, Any]:
    title = str(base["title"])
    url = f"https://{base['site']}/"
    if varied:
        title, url = _vary_title(rng, base, title), _vary_url(rng, url)
    return _record(n, platform, title, url, base, rng)


def _vary_title(rng: random.Random, base: dict[str, Any], title: str) -> str:
    change = rng.random()
    if change < 0.25:
        return title.upper() if rng.random() < 0.5 else title.lower()
    if change < 0.45:
        return f"The {title} Project"
    if change < 0.6 and not title.startswith("BioBlitz"):
        language = rng.choice(("nl", "de", "es"))
        return f"{base['name']} {THEMES[language][base['theme']]}"
    if change < 0.7:
        return f"{title} ({base['name'].upper()[:4]})"
    return title


def _vary_url(rng: random.Random, url: str) -> str:
    change = rng.random()
    if change < 0.2:
        return url.replace("https://", "http://www.")
    if change < 0.4:
        return url.rstrip("/") + "?utm_source=newsletter"
    if change < 0.55:
        return url + rng.choice(("en/", "nl/about", "about-us"))
    if change < 0.65:
        return url.replace("https://", "")
    return url


def _relative(rng: random.Random, base: dict[str, Any], number: int, n: int) -> dict[str, Any]:
    """Another project sharing the brand: a yearly edition or a national chapter."""
    if rng.random() < 0.5:
        year = rng.randint(2010, 2024)
        title, url = f"{base['title']} {year}", f"https://{base['site']}/{year}"
    else:
        code, country = rng.choice(sorted(COUNTRY_NAMES.items()))
        title, url = f"{base['title']} - {country}", f"https://{code.lower()}.{base['site']}/"
    other = {**base, "number": number, "description": f"A part of {base['name']}."}
    return _record(n, rng.choice(PLATFORMS), title, url, other, rng)


def _record(
    n: int, platform: str, title: str, url: str, base: dict[str, Any], rng: random.Random
) -> dict[str, Any]:
    source = f"{platform}-{rng.randint(1, 3)}"
    identifier = f"listing-{n:08d}"
    return {
        "id": f"{source}:{n:016x}",
        "kind": "project",
        "title": title,
        "description": base["description"],
        "countries": base["countries"] if rng.random() < 0.8 else [],
        "start_date": str(base["year"]) if rng.random() < 0.8 else None,
        "organisations": [{"name": base["organisation"]}] if rng.random() < 0.7 else [],
        "url": url,
        "identifiers": [],
        "alternate_titles": [],
        "provenance": {
            "source_id": source,
            "source_name": source,
            "platform": platform,
            "source_identifier": identifier,
        },
        "quality": {"score": rng.randint(20, 100)},
    }
