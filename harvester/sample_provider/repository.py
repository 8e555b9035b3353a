"""Record sources for the sample OAI-PMH provider.

A :class:`Repository` answers the few questions an OAI-PMH provider asks: how many records
match a set and a datestamp range, which ones are on a given page, and which record has a
given identifier. Two implementations ship:

* :class:`ListRepository`: a handful of hand-written records loaded from a YAML file (the
  demo providers in ``harvester/demo/data/*.yaml``);
* :class:`SyntheticRepository`: any number of realistic-looking citizen-science dataset
  records, generated from their index on demand, so a million-record provider costs no
  memory.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Final, Protocol

import yaml

from harvester.fetch.oai.protocol import GRANULARITIES as GRANULARITIES
from harvester.fetch.oai.protocol import GRANULARITY_DAY as GRANULARITY_DAY
from harvester.fetch.oai.protocol import GRANULARITY_SECONDS as GRANULARITY_SECONDS
from harvester.fetch.oai.protocol import format_datestamp as format_datestamp
from harvester.fetch.oai.protocol import parse_datestamp as parse_datestamp

DC_ELEMENTS: Final = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
"""The 15 Dublin Core elements, in the order ``oai_dc`` lists them."""

DcValue = tuple[str, str | None]
"""One Dublin Core value: ``(text, xml:lang or None)``."""


@dataclass(frozen=True, slots=True)
class SampleRecord:
    """One record of a sample repository.

    Attributes:
        identifier: the OAI identifier.
        datestamp: last change, an aware UTC datetime.
        sets: the set specs the record belongs to.
        deleted: the record is a deletion notice (no metadata is served).
        dc: Dublin Core element name to its values, each ``(text, xml:lang or None)``.
    """

    identifier: str
    datestamp: datetime
    sets: tuple[str, ...] = ()
    deleted: bool = False
    dc: Mapping[str, Sequence[DcValue]] = field(default_factory=dict)


class Repository(Protocol):
    """What the OAI-PMH provider needs from a record source.

    Datestamp bounds are inclusive and already expanded to the repository's granularity by
    the caller; ``None`` means unbounded. ``set_spec`` selects records in that set or in any
    of its subsets (``a`` includes ``a:b``). ``slice`` yields records in a stable order that
    is the same for every call with the same filter.
    """

    @property
    def name(self) -> str:
        """Human-readable repository name (Identify ``repositoryName``)."""
        ...

    @property
    def granularity(self) -> str:
        """``YYYY-MM-DDThh:mm:ssZ`` or ``YYYY-MM-DD``."""
        ...

    @property
    def earliest_datestamp(self) -> datetime:
        """The lower limit of all datestamps in the repository."""
        ...

    @property
    def sets(self) -> Mapping[str, str]:
        """Set spec to set name; empty when the repository has no set hierarchy."""
        ...

    def count(self, set_spec: str | None, from_: datetime | None, until: datetime | None) -> int:
        """Return how many records match the filter."""
        ...

    def slice(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        offset: int,
        limit: int,
    ) -> Iterator[SampleRecord]:
        """Yield at most ``limit`` matching records, skipping the first ``offset``."""
        ...

    def get(self, identifier: str) -> SampleRecord | None:
        """Return the record with this identifier, or ``None``."""
        ...


def in_set(record_sets: Iterable[str], set_spec: str) -> bool:
    """Tell whether a record listed in ``record_sets`` belongs to ``set_spec`` or a subset."""
    prefix = set_spec + ":"
    return any(s == set_spec or s.startswith(prefix) for s in record_sets)


# --------------------------------------------------------------------------- YAML repository


def _as_utc(value: object, where: str) -> datetime:
    """Turn a YAML datestamp (string, date or datetime) into an aware UTC datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_datestamp(value.strip())[0]
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    raise ValueError(f"{where}: expected a datestamp, got {value!r}")


def _dc_text(value: object, where: str) -> str:
    """Turn a scalar YAML value into Dublin Core text."""
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise ValueError(f"{where}: expected text, got {value!r}")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _parse_dc(raw: object, where: str) -> dict[str, tuple[DcValue, ...]]:
    """Read the ``dc`` mapping of one YAML record."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: 'dc' must be a mapping")
    dc: dict[str, tuple[DcValue, ...]] = {}
    for element, items in raw.items():
        if element not in DC_ELEMENTS:
            raise ValueError(f"{where}: unknown Dublin Core element {element!r}")
        if not isinstance(items, list):
            items = [items]
        values: list[DcValue] = []
        for item in items:
            if isinstance(item, dict):
                unknown = set(item) - {"value", "lang"}
                if unknown or "value" not in item:
                    raise ValueError(f"{where}: dc.{element} items take 'value' and 'lang'")
                lang = item.get("lang")
                text = _dc_text(item["value"], f"{where}: dc.{element}")
                values.append((text, None if lang is None else str(lang)))
            else:
                values.append((_dc_text(item, f"{where}: dc.{element}"), None))
        dc[element] = tuple(values)
    return dc


class ListRepository:
    """A small in-memory repository, usually loaded from a YAML file.

    Records are kept sorted by (datestamp, identifier); filtering is a linear scan, which is
    fine for the few hundred records of a demo provider.
    """

    def __init__(
        self,
        name: str,
        records: Iterable[SampleRecord],
        sets: Mapping[str, str] | None = None,
        granularity: str = GRANULARITY_SECONDS,
        earliest_datestamp: datetime | None = None,
    ) -> None:
        """Build a repository from records.

        Args:
            name: the repository name.
            records: the records; identifiers must be unique.
            sets: set spec to set name.
            granularity: ``YYYY-MM-DDThh:mm:ssZ`` or ``YYYY-MM-DD``.
            earliest_datestamp: defaults to the oldest record's datestamp.

        Raises:
            ValueError: duplicate identifiers, unknown granularity or undeclared sets.
        """
        if granularity not in GRANULARITIES:
            raise ValueError(f"unknown granularity {granularity!r}")
        self._name = name
        self._granularity = granularity
        self._sets: dict[str, str] = dict(sets or {})
        ordered = sorted(records, key=lambda r: (r.datestamp, r.identifier))
        self._records: tuple[SampleRecord, ...] = tuple(ordered)
        self._by_id: dict[str, SampleRecord] = {}
        for record in self._records:
            if record.identifier in self._by_id:
                raise ValueError(f"duplicate identifier {record.identifier!r}")
            undeclared = [s for s in record.sets if s not in self._sets]
            if undeclared:
                raise ValueError(f"{record.identifier}: undeclared sets {undeclared}")
            self._by_id[record.identifier] = record
        if earliest_datestamp is None:
            earliest_datestamp = (
                self._records[0].datestamp if self._records else datetime(1970, 1, 1, tzinfo=UTC)
            )
        self._earliest = earliest_datestamp

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> ListRepository:
        """Load a repository from a YAML file (see the module docs for the format).

        Raises:
            ValueError: the file does not follow the format; the message names the place.
        """
        text = Path(path).read_text(encoding="utf-8")
        return cls.from_yaml_text(text, source=str(path))

    @classmethod
    def from_yaml_text(cls, text: str, source: str = "<yaml>") -> ListRepository:
        """Load a repository from YAML text; ``source`` names it in error messages."""
        data = yaml.safe_load(text)
        if not isinstance(data, dict):
            raise ValueError(f"{source}: expected a mapping at the top level")
        name = data.get("repository_name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{source}: 'repository_name' is required")
        granularity = data.get("granularity", GRANULARITY_SECONDS)
        sets: dict[str, str] = {}
        for i, item in enumerate(data.get("sets") or []):
            if not isinstance(item, dict) or "spec" not in item:
                raise ValueError(f"{source}: sets[{i}] needs a 'spec'")
            spec = str(item["spec"])
            sets[spec] = str(item.get("name", spec))
        records: list[SampleRecord] = []
        for i, item in enumerate(data.get("records") or []):
            where = f"{source}: records[{i}]"
            if not isinstance(item, dict):
                raise ValueError(f"{where}: expected a mapping")
            identifier = item.get("identifier")
            if not isinstance(identifier, str) or not identifier:
                raise ValueError(f"{where}: 'identifier' is required")
            if "datestamp" not in item:
                raise ValueError(f"{where}: 'datestamp' is required")
            deleted = item.get("deleted", False)
            if not isinstance(deleted, bool):
                raise ValueError(f"{where}: 'deleted' must be true or false")
            raw_sets = item.get("sets") or []
            if not isinstance(raw_sets, list):
                raise ValueError(f"{where}: 'sets' must be a list")
            records.append(
                SampleRecord(
                    identifier=identifier,
                    datestamp=_as_utc(item["datestamp"], f"{where}: datestamp"),
                    sets=tuple(str(s) for s in raw_sets),
                    deleted=deleted,
                    dc=_parse_dc(item.get("dc"), where),
                )
            )
        earliest = data.get("earliest_datestamp")
        try:
            return cls(
                name,
                records,
                sets,
                granularity=str(granularity),
                earliest_datestamp=(
                    None if earliest is None else _as_utc(earliest, f"{source}: earliest_datestamp")
                ),
            )
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None

    @property
    def name(self) -> str:
        """Repository name."""
        return self._name

    @property
    def granularity(self) -> str:
        """Datestamp granularity."""
        return self._granularity

    @property
    def earliest_datestamp(self) -> datetime:
        """Earliest datestamp."""
        return self._earliest

    @property
    def sets(self) -> Mapping[str, str]:
        """Set spec to set name."""
        return self._sets

    @property
    def records(self) -> tuple[SampleRecord, ...]:
        """All records in the stable order."""
        return self._records

    def _matching(
        self, set_spec: str | None, from_: datetime | None, until: datetime | None
    ) -> Iterator[SampleRecord]:
        for record in self._records:
            if from_ is not None and record.datestamp < from_:
                continue
            if until is not None and record.datestamp > until:
                continue
            if set_spec is not None and not in_set(record.sets, set_spec):
                continue
            yield record

    def count(self, set_spec: str | None, from_: datetime | None, until: datetime | None) -> int:
        """Return how many records match."""
        return sum(1 for _ in self._matching(set_spec, from_, until))

    def slice(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        offset: int,
        limit: int,
    ) -> Iterator[SampleRecord]:
        """Yield one page of matching records."""
        for i, record in enumerate(self._matching(set_spec, from_, until)):
            if i >= offset + limit:
                return
            if i >= offset:
                yield record

    def get(self, identifier: str) -> SampleRecord | None:
        """Return the record with this identifier, or ``None``."""
        return self._by_id.get(identifier)


def demo_repositories() -> dict[str, ListRepository]:
    """Load every shipped ``harvester/demo/data/*.yaml`` file, keyed by file stem, sorted."""
    folder = resources.files("harvester").joinpath("demo", "data")
    if not folder.is_dir():
        return {}
    repositories: dict[str, ListRepository] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
            stem = entry.name.rsplit(".", 1)[0]
            repositories[stem] = ListRepository.from_yaml_text(
                entry.read_text(encoding="utf-8"), source=f"harvester/demo/data/{entry.name}"
            )
    return repositories


def load_demo_repositories() -> list[ListRepository]:
    """Load every shipped ``harvester/demo/data/*.yaml`` file, in file-name order."""
    return list(demo_repositories().values())


# ---------------------------------------------------------------------- synthetic repository

_MASK64: Final = (1 << 64) - 1


def _mix(x: int) -> int:
    """SplitMix64 finaliser: a fast, well-spread 64-bit hash of ``x``."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class _Draw:
    """A tiny deterministic random stream for one record.

    One 64-bit hash supplies several small choices: each draw takes ``value % n`` and keeps
    ``value // n``, and the pool is refilled from the hash chain when it runs low.
    """

    __slots__ = ("_pool", "_state")

    def __init__(self, seed: int, index: int) -> None:
        self._state = _mix((seed * 0x100000001B3) ^ index)
        self._pool = self._state

    def below(self, n: int) -> int:
        if self._pool < n << 16:
            self._state = _mix(self._state)
            self._pool = (self._pool << 64) | self._state
        self._pool, value = divmod(self._pool, n)
        return value

    def pick(self, items: Sequence[Any]) -> Any:
        return items[self.below(len(items))]


_LANGS: Final = ("en", "de", "fr", "nl", "es", "it")
# Languages weighted towards English, as in real aggregators.
_LANG_WEIGHTS: Final = ("en", "en", "en", "de", "fr", "nl", "es", "it", "en", "de")

# One phrase per topic in each of _LANGS, with the English subject keywords it implies.
_TOPICS: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = (
    (
        (
            "Garden bird counts",
            "Gartenvogelzählung",
            "Comptage des oiseaux des jardins",
            "Tuinvogeltelling",
            "Censo de aves de jardín",
            "Censimento degli uccelli da giardino",
        ),
        ("birds", "ornithology", "biodiversity"),
    ),
    (
        (
            "Bees & hoverflies on urban flowers",
            "Bienen & Schwebfliegen auf Stadtblumen",
            "Abeilles & syrphes des fleurs urbaines",
            "Bijen & zweefvliegen op stadsbloemen",
            "Abejas y sírfidos en flores urbanas",
            "Api e sirfidi sui fiori urbani",
        ),
        ("pollinators", "insects", "urban ecology"),
    ),
    (
        (
            "Street-level NO₂ measurements",
            "NO₂-Messungen auf Straßenniveau",
            "Mesures de NO₂ au niveau de la rue",
            "NO₂-metingen op straatniveau",
            "Mediciones de NO₂ a pie de calle",
            "Misure di NO₂ a livello stradale",
        ),
        ("air quality", "nitrogen dioxide", "environmental monitoring"),
    ),
    (
        (
            "Fine dust (PM2.5) sensor network",
            "Feinstaub-Sensornetz (PM2,5)",
            "Réseau de capteurs de particules fines (PM2,5)",
            "Fijnstof-sensornetwerk (PM2,5)",
            "Red de sensores de partículas finas (PM2,5)",
            "Rete di sensori di polveri sottili (PM2,5)",
        ),
        ("air quality", "particulate matter", "low-cost sensors"),
    ),
    (
        (
            "Freshwater quality sampling",
            "Gewässergüte-Probenahme",
            "Prélèvements de qualité de l'eau douce",
            "Bemonstering van zoetwaterkwaliteit",
            "Muestreo de la calidad del agua dulce",
            "Campionamento della qualità dell'acqua dolce",
        ),
        ("water quality", "rivers", "nitrate"),
    ),
    (
        (
            "Night sky brightness survey",
            "Erhebung der Nachthimmelshelligkeit",
            "Relevé de la luminosité du ciel nocturne",
            "Meting van de hemelhelderheid 's nachts",
            "Estudio del brillo del cielo nocturno",
            "Indagine sulla luminosità del cielo notturno",
        ),
        ("light pollution", "astronomy", "night sky"),
    ),
    (
        (
            "Invasive plant sightings",
            "Sichtungen invasiver Pflanzen",
            "Observations de plantes invasives",
            "Waarnemingen van invasieve planten",
            "Avistamientos de plantas invasoras",
            "Avvistamenti di piante invasive",
        ),
        ("invasive species", "botany", "biodiversity"),
    ),
    (
        (
            "Marine litter on beaches",
            "Meeresmüll an Stränden",
            "Déchets marins sur les plages",
            "Zwerfafval op stranden",
            "Basura marina en playas",
            "Rifiuti marini sulle spiagge",
        ),
        ("marine litter", "plastics", "coasts"),
    ),
    (
        (
            "Urban noise recordings",
            "Lärmaufzeichnungen in der Stadt",
            "Enregistrements du bruit urbain",
            "Geluidsopnames in de stad",
            "Grabaciones de ruido urbano",
            "Registrazioni del rumore urbano",
        ),
        ("noise", "soundscape", "public health"),
    ),
    (
        (
            "Butterfly transect walks",
            "Tagfalter-Transektbegehungen",
            "Transects de papillons",
            "Vlindertransecttellingen",
            "Transectos de mariposas",
            "Transetti di farfalle",
        ),
        ("butterflies", "insects", "biodiversity"),
    ),
    (
        (
            "Rainfall and hail reports",
            "Niederschlags- und Hagelmeldungen",
            "Signalements de pluie et de grêle",
            "Meldingen van regen en hagel",
            "Informes de lluvia y granizo",
            "Segnalazioni di pioggia e grandine",
        ),
        ("weather", "precipitation", "climate"),
    ),
    (
        (
            "Roadkill observations",
            "Beobachtungen von Verkehrsopfern unter Wildtieren",
            "Observations de la faune tuée sur les routes",
            "Waarnemingen van verkeersslachtoffers",
            "Observaciones de atropellos de fauna",
            "Osservazioni di fauna investita",
        ),
        ("wildlife", "roads", "mammals"),
    ),
)

_TITLE_TEMPLATES: Final = {
    "en": "{topic} in {place}, {year}",
    "de": "{topic} in {place}, {year}",
    "fr": "{topic} à {place}, {year}",
    "nl": "{topic} in {place}, {year}",
    "es": "{topic} en {place}, {year}",
    "it": "{topic} a {place}, {year}",
}

_DESCRIPTION_TEMPLATES: Final = {
    "en": "Volunteers of {org} collected {n} observations around {place} between {y1} and {y2}. "
    "Records were checked by the project team before publication.",
    "de": "Ehrenamtliche von {org} sammelten zwischen {y1} und {y2} {n} Beobachtungen "
    "rund um {place}. Die Daten wurden vor der Veröffentlichung geprüft.",
    "fr": "Les bénévoles de {org} ont réuni {n} observations autour de {place} entre {y1} et "
    "{y2}. Les données ont été vérifiées avant leur publication.",
    "nl": "Vrijwilligers van {org} verzamelden tussen {y1} en {y2} {n} waarnemingen rond "
    "{place}. De gegevens zijn vóór publicatie gecontroleerd.",
    "es": "Los voluntarios de {org} reunieron {n} observaciones en {place} entre {y1} y {y2}. "
    "Los datos se revisaron antes de su publicación.",
    "it": "I volontari di {org} hanno raccolto {n} osservazioni intorno a {place} tra il {y1} "
    "e il {y2}. I dati sono stati controllati prima della pubblicazione.",
}

_PLACES: Final = (
    ("Zürich", "CH"),
    ("Kraków", "PL"),
    ("Ghent", "BE"),
    ("Malmö", "SE"),
    ("Besançon", "FR"),
    ("Córdoba", "ES"),
    ("Utrecht", "NL"),
    ("Graz", "AT"),
    ("Bologna", "IT"),
    ("Tartu", "EE"),
    ("Porto", "PT"),
    ("Cork", "IE"),
    ("Ljubljana", "SI"),
    ("Brno", "CZ"),
    ("Tampere", "FI"),
    ("Aarhus", "DK"),
    ("Münster", "DE"),
    ("Thessaloniki", "GR"),
    ("Cluj-Napoca", "RO"),
    ("Lyon", "FR"),
    ("the Wadden Sea coast", "NL"),
    ("the Black Forest", "DE"),
)

_ORGS: Final = (
    "Natuurpunt Werkgroep Stadsnatuur",
    "Naturschutzbund Ortsgruppe Süd",
    "Observatoire citoyen de l'environnement",
    "Asociación Ciencia Ciudadana del Sur",
    "Citizen Sensing Lab",
    "Museo Civico di Storia Naturale",
    "Open Air Quality Collective",
    "River Keepers Network",
    "Dark Sky Friends",
    "Coastal Clean-up Volunteers",
    "Stadtlabor für Bürgerwissenschaft",
    "University Citizen Science Office",
)

_FORMATS: Final = (
    "text/csv",
    "application/json",
    "application/geo+json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

_LICENCES: Final = (
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/publicdomain/zero/1.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/licenses/by-nc/4.0/",
    "Open Data Commons Open Database License (ODbL) v1.0",
)

_SET_NAMES: Final = (
    ("biodiversity", "Biodiversity and nature"),
    ("environment", "Air, water and noise"),
    ("climate", "Weather and climate"),
    ("astronomy", "Sky and astronomy"),
    ("health", "Health and society"),
)

_SPAN_SECONDS: Final = 4 * 365 * 86400


class SyntheticRepository:
    """A large, lazily generated repository of citizen-science dataset records.

    Record ``i`` (0-based) is computed from ``(seed, i)`` alone: identifier
    ``oai:synthetic.csfinder.example:ds-{i:07d}``, a datestamp that grows with ``i`` over four
    years from 2020-01-01, set ``sets[i % len(sets)]``, and a deletion notice for every
    ``i % 97 == 13``. Nothing is materialised: ``count`` and ``slice`` are O(1) and O(page) for
    every filter, because the datestamp is monotonic in ``i``.
    """

    def __init__(
        self,
        n: int,
        sets: int = 3,
        seed: int = 0,
        *,
        name: str | None = None,
        start: datetime = datetime(2020, 1, 1, tzinfo=UTC),
        deleted_every: int = 97,
    ) -> None:
        """Describe the repository.

        Args:
            n: number of records.
            sets: number of sets (0 for no set hierarchy).
            seed: varies the generated content; the same seed gives the same records.
            name: repository name (a default names n and seed).
            start: datestamp of record 0 (and the earliest datestamp).
            deleted_every: one record in this many is a deletion notice (0 for none).
        """
        if n < 0 or sets < 0:
            raise ValueError("n and sets must not be negative")
        self.n = n
        self.seed = seed
        self.deleted_every = deleted_every
        self._name = name or f"csfinder synthetic citizen-science datasets (n={n}, seed={seed})"
        self._start = start.astimezone(UTC).replace(microsecond=0)
        specs = [
            _SET_NAMES[k] if k < len(_SET_NAMES) else (f"set-{k}", f"Synthetic set {k}")
            for k in range(sets)
        ]
        self._set_specs: tuple[str, ...] = tuple(spec for spec, _ in specs)
        self._sets: dict[str, str] = dict(specs)
        self._set_index = {spec: k for k, spec in enumerate(self._set_specs)}
        self._prefix = "oai:synthetic.csfinder.example:ds-"

    @property
    def name(self) -> str:
        """Repository name."""
        return self._name

    @property
    def granularity(self) -> str:
        """Always second granularity."""
        return GRANULARITY_SECONDS

    @property
    def earliest_datestamp(self) -> datetime:
        """Datestamp of record 0."""
        return self._start

    @property
    def sets(self) -> Mapping[str, str]:
        """Set spec to set name."""
        return self._sets

    # -- index arithmetic

    def _offset_seconds(self, i: int) -> int:
        return i * _SPAN_SECONDS // self.n if self.n else 0

    def datestamp_of(self, i: int) -> datetime:
        """Return the datestamp of record ``i``."""
        return self._start + timedelta(seconds=self._offset_seconds(i))

    def identifier_of(self, i: int) -> str:
        """Return the OAI identifier of record ``i``."""
        return f"{self._prefix}{i:07d}"

    def _index_range(self, from_: datetime | None, until: datetime | None) -> tuple[int, int]:
        """Half-open index range of the records whose datestamp is within the bounds."""
        lo, hi = 0, self.n
        if self.n == 0:
            return 0, 0
        if from_ is not None:
            s = math.ceil((from_ - self._start).total_seconds())
            # smallest i with i*S//n >= s  <=>  i*S >= s*n
            lo = max(lo, -((-s * self.n) // _SPAN_SECONDS)) if s > 0 else lo
        if until is not None:
            u = math.floor((until - self._start).total_seconds())
            if u < 0:
                return 0, 0
            # largest i with i*S//n <= u  <=>  i*S < (u+1)*n
            hi = min(hi, -((-(u + 1) * self.n) // _SPAN_SECONDS))
        return lo, max(lo, hi)

    def _selection(
        self, set_spec: str | None, from_: datetime | None, until: datetime | None
    ) -> tuple[int, int, int] | None:
        """(first index, step, count) of the matching records, or None when none can match."""
        lo, hi = self._index_range(from_, until)
        if set_spec is None:
            return lo, 1, hi - lo
        k = self._set_index.get(set_spec)
        if k is None:
            return None
        m = len(self._set_specs)
        first = lo + ((k - lo) % m)
        if first >= hi:
            return first, m, 0
        return first, m, (hi - 1 - first) // m + 1

    def count(self, set_spec: str | None, from_: datetime | None, until: datetime | None) -> int:
        """Return how many records match, in O(1)."""
        selection = self._selection(set_spec, from_, until)
        return 0 if selection is None else selection[2]

    def slice(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        offset: int,
        limit: int,
    ) -> Iterator[SampleRecord]:
        """Yield one page of matching records, in O(page)."""
        selection = self._selection(set_spec, from_, until)
        if selection is None:
            return
        first, step, total = selection
        for j in range(max(offset, 0), min(total, offset + limit)):
            yield self.record(first + j * step)

    def get(self, identifier: str) -> SampleRecord | None:
        """Return the record with this identifier, or ``None``."""
        if not identifier.startswith(self._prefix):
            return None
        digits = identifier[len(self._prefix) :]
        if not digits.isdigit() or len(digits) < 7 or (len(digits) > 7 and digits[0] == "0"):
            return None
        i = int(digits)
        if i >= self.n or self.identifier_of(i) != identifier:
            return None
        return self.record(i)

    # -- content

    def record(self, i: int) -> SampleRecord:
        """Generate record ``i`` (0 <= i < n)."""
        if not 0 <= i < self.n:
            raise IndexError(i)
        identifier = self.identifier_of(i)
        datestamp = self.datestamp_of(i)
        record_sets = (self._set_specs[i % len(self._set_specs)],) if self._set_specs else ()
        if self.deleted_every and i % self.deleted_every == 13 % self.deleted_every:
            return SampleRecord(identifier, datestamp, record_sets, True, {})
        return SampleRecord(identifier, datestamp, record_sets, False, self._dc(i, datestamp))

    def _dc(self, i: int, datestamp: datetime) -> dict[str, tuple[DcValue, ...]]:
        draw = _Draw(self.seed, i)
        lang: str = draw.pick(_LANG_WEIGHTS)
        li = _LANGS.index(lang)
        phrases, keywords = draw.pick(_TOPICS)
        place, country = draw.pick(_PLACES)
        org: str = draw.pick(_ORGS)
        y2 = datestamp.year - draw.below(2)
        y1 = y2 - draw.below(4)
        year = str(y2) if y1 == y2 else f"{y1}–{y2}"
        observations = 50 + draw.below(20000)

        titles: list[DcValue] = [
            (_TITLE_TEMPLATES[lang].format(topic=phrases[li], place=place, year=year), lang)
        ]
        descriptions: list[DcValue] = [
            (
                _DESCRIPTION_TEMPLATES[lang].format(
                    org=org, n=observations, place=place, y1=y1, y2=y2
                ),
                lang,
            )
        ]
        if lang != "en":
            english = _TITLE_TEMPLATES["en"].format(topic=phrases[0], place=place, year=year)
            titles.append((english, "en"))
            if draw.below(2):
                descriptions.append(
                    (
                        _DESCRIPTION_TEMPLATES["en"].format(
                            org=org, n=observations, place=place, y1=y1, y2=y2
                        ),
                        "en",
                    )
                )
        n_subjects = 1 + draw.below(3)
        subjects: list[DcValue] = [(kw, "en") for kw in keywords[:n_subjects]]
        creators: list[DcValue] = [(org, None)]
        if draw.below(3) == 0:
            creators.append((draw.pick(_ORGS), None))
        if draw.below(4) == 0:
            creators.append((f"Volunteer observers of {place}", "en"))
        number = f"{i:07d}"
        dc: dict[str, tuple[DcValue, ...]] = {
            "title": tuple(titles),
            "creator": tuple(creators),
            "subject": tuple(subjects),
            "description": tuple(descriptions),
            "publisher": (("csfinder synthetic data portal", None),),
            "date": ((f"{y1}-{1 + draw.below(12):02d}-{1 + draw.below(28):02d}", None),),
            "type": (("Dataset", None),),
            "format": ((draw.pick(_FORMATS), None),),
            "identifier": (
                (f"https://doi.org/10.5072/csfinder-synth.{self.seed}.{number}", None),
                (f"https://data.synthetic.csfinder.example/datasets/{number}", None),
            ),
            "language": ((lang, None),),
            "coverage": ((f"{place} ({country})", None),),
            "rights": ((draw.pick(_LICENCES), None),),
        }
        if draw.below(3) == 0:
            slug = keywords[0].replace(" ", "-")
            dc["relation"] = ((f"https://projects.synthetic.csfinder.example/{slug}", None),)
        return dc
