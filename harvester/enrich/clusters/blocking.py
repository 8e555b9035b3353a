"""Blocking: the few values a record shares with the records that may describe the same
thing, so that only those pairs are scored.

A record's keys: its persistent identifiers, its folded landing pages, their hosts and
site names, its folded title written without spaces, the distinctive words of its title
(a word also matches a site named by it: ``invasoras`` and ``invasoras.pt``) and its
acronyms. A key shared by more than :data:`MAX_BLOCK` records identifies nothing (a
platform's host, a common word) and yields no pairs.

Keys are kept as 63-bit hashes (BLAKE2b), so that a million records' keys fit in arrays
and in an indexed table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from harvester.enrich.clusters.features import GENERIC_WORDS, STOPWORDS, YEAR, Features

MAX_BLOCK = 40
"""Records sharing a key beyond which the key is too common to pair them."""
MIN_WORD = 4
"""Shorter title words are no blocking key (too many projects share them)."""


def keys_of(features: Features) -> set[str]:
    """The blocking keys of a record, as text (see :func:`key_hash`)."""
    keys: set[str] = {f"pid:{pid}" for pid in features.pids}
    for address in features.addresses:
        keys.add(f"url:{address.key}")
        keys.add(f"host:{address.host}")
        if address.name:
            keys.add(f"name:{address.name}")
    if len(features.compact) >= MIN_WORD:
        keys.add(f"title:{features.compact}")
        keys.add(f"name:{features.compact}")
    for word in features.words:
        if len(word) >= MIN_WORD and word not in GENERIC_WORDS and not YEAR.match(word):
            keys.add(f"word:{word}")
            keys.add(f"name:{word}")
    for acronym in features.acronyms:
        keys.add(f"word:{acronym}")
    return keys - {f"word:{w}" for w in STOPWORDS}


def key_hash(key: str) -> int:
    """A key as a signed 63-bit number (fits a BIGINT column and an int64 array)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def hashed_keys(features: Features) -> list[int]:
    """The blocking keys of a record, hashed."""
    return sorted({key_hash(k) for k in keys_of(features)})


def pairs_in_blocks(blocks: Iterable[list[int]]) -> Iterator[tuple[int, int]]:
    """Every pair of members of each block small enough (members given as numbers), lower
    number first; a pair in several blocks comes once per block."""
    for members in blocks:
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        ordered = sorted(set(members))
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                yield first, second
