"""A large repository of citizen-science dataset records, generated on demand.

Record ``i`` is computed from the seed and ``i`` alone by a tiny deterministic random
stream, its words drawn from :mod:`~harvester.sample_provider.vocabulary`; nothing is
kept, so a provider of a million records costs no memory, and counting or paging any
filter is arithmetic on indices, since the datestamp grows with ``i``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from harvester.fetch.oai.protocol import GRANULARITY_SECONDS
from harvester.sample_provider.repository import DcValue, SampleRecord
from harvester.sample_provider.vocabulary import (
    DESCRIPTION_TEMPLATES,
    FORMATS,
    LANG_WEIGHTS,
    LANGS,
    LICENCES,
    ORGS,
    PLACES,
    SET_NAMES,
    TITLE_TEMPLATES,
    TOPICS,
)

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
        """Start the stream of record ``index`` under ``seed``."""
        self._state = _mix((seed * 0x100000001B3) ^ index)
        self._pool = self._state

    def below(self, n: int) -> int:
        """A number in ``range(n)``."""
        if self._pool < n << 16:
            self._state = _mix(self._state)
            self._pool = (self._pool << 64) | self._state
        self._pool, value = divmod(self._pool, n)
        return value

    def pick(self, items: Sequence[Any]) -> Any:
        """One of ``items``."""
        return items[self.below(len(items))]


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
            SET_NAMES[k] if k < len(SET_NAMES) else (f"set-{k}", f"Synthetic set {k}")
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
        """Seconds from the start to the datestamp of record ``i``."""
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
        """The Dublin Core values of record ``i``."""
        draw = _Draw(self.seed, i)
        lang: str = draw.pick(LANG_WEIGHTS)
        li = LANGS.index(lang)
        phrases, keywords = draw.pick(TOPICS)
        place, country = draw.pick(PLACES)
        org: str = draw.pick(ORGS)
        y2 = datestamp.year - draw.below(2)
        y1 = y2 - draw.below(4)
        year = str(y2) if y1 == y2 else f"{y1}–{y2}"
        observations = 50 + draw.below(20000)

        titles: list[DcValue] = [
            (TITLE_TEMPLATES[lang].format(topic=phrases[li], place=place, year=year), lang)
        ]
        descriptions: list[DcValue] = [
            (
                DESCRIPTION_TEMPLATES[lang].format(
                    org=org, n=observations, place=place, y1=y1, y2=y2
                ),
                lang,
            )
        ]
        if lang != "en":
            english = TITLE_TEMPLATES["en"].format(topic=phrases[0], place=place, year=year)
            titles.append((english, "en"))
            if draw.below(2):
                descriptions.append(
                    (
                        DESCRIPTION_TEMPLATES["en"].format(
                            org=org, n=observations, place=place, y1=y1, y2=y2
                        ),
                        "en",
                    )
                )
        n_subjects = 1 + draw.below(3)
        subjects: list[DcValue] = [(kw, "en") for kw in keywords[:n_subjects]]
        creators: list[DcValue] = [(org, None)]
        if draw.below(3) == 0:
            creators.append((draw.pick(ORGS), None))
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
            "format": ((draw.pick(FORMATS), None),),
            "identifier": (
                (f"https://doi.org/10.5072/csfinder-synth.{self.seed}.{number}", None),
                (f"https://data.synthetic.csfinder.example/datasets/{number}", None),
            ),
            "language": ((lang, None),),
            "coverage": ((f"{place} ({country})", None),),
            "rights": ((draw.pick(LICENCES), None),),
        }
        if draw.below(3) == 0:
            slug = keywords[0].replace(" ", "-")
            dc["relation"] = ((f"https://projects.synthetic.csfinder.example/{slug}", None),)
        return dc
