"""Blocking: the few values a record shares with the records that may describe the same
thing, so that only those pairs are scored.

A record's keys: its persistent identifiers (``pid:``), its folded landing pages
(``url:``) and their hosts (``host:``), names (``word:``): the distinctive words of its
title, the title written without spaces, its acronyms and the names of its sites (so the
word ``invasoras`` meets the site ``invasoras.pt``), and its organisations (``org:``, the
first three words of each, run together). A key shared by more than
:data:`MAX_BLOCK` records identifies nothing (a platform's host, a common word) and yields
no pairs.

Keys are kept as 63-bit hashes (BLAKE2b), so that a million records' keys fit in arrays
and in an indexed table.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from harvester.enrich.clusters.features import GENERIC_WORDS, STOPWORDS, YEAR, Features

MAX_BLOCK = 40
"""Records sharing a key beyond which the key is too common to pair them."""
MAX_ORGANISATION_BLOCK = 12
"""The same for an organisation: one that runs more projects pairs none of them by itself."""
ORGANISATION_BIT = 1
"""Organisation keys are the odd hashes, every other key an even one (see :func:`key_hash`),
so that the limit of a block is known from its key alone."""
MIN_WORD = 4
"""Shorter title words are no blocking key (too many projects share them)."""
MIN_ORGANISATION = 6
"""An organisation is a key by its first three words run together, when that is this long."""


def keys_of(features: Features) -> set[str]:
    """The blocking keys of a record, as text (see :func:`key_hash`)."""
    keys: set[str] = {f"pid:{pid}" for pid in features.pids}
    for address in features.sites:
        keys.add(f"url:{address.key}")
        keys.add(f"host:{address.host}")
        if address.name:
            keys.add(f"word:{address.name}")
    if len(features.compact) >= MIN_WORD:
        keys.add(f"word:{features.compact}")
    for word in features.words:
        if len(word) >= MIN_WORD and word not in GENERIC_WORDS and not YEAR.match(word):
            keys.add(f"word:{word}")
    for acronym in features.acronyms:
        keys.add(f"word:{acronym}")
    for organisation in features.orgs:
        named = "".join(w for w in organisation.split()[:3] if w not in STOPWORDS)
        if len(named) >= MIN_ORGANISATION:
            keys.add(f"org:{named}")
    return keys - {f"word:{w}" for w in STOPWORDS}


def key_hash(key: str) -> int:
    """A key as a positive 63-bit number (fits a BIGINT column and an int64 array), odd for
    an organisation's key and even for any other."""
    number = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")
    number >>= 1
    return number | ORGANISATION_BIT if key.startswith("org:") else number & ~ORGANISATION_BIT


def block_limit(key: int) -> int:
    """The most records a key may pair."""
    return MAX_ORGANISATION_BLOCK if key & ORGANISATION_BIT else MAX_BLOCK


def hashed_keys(features: Features) -> list[int]:
    """The blocking keys of a record, hashed."""
    return sorted({key_hash(k) for k in keys_of(features)})


def candidate_pairs(
    keys: npt.NDArray[np.int64], members: npt.NDArray[np.int64], too_common: set[int] | None = None
) -> npt.NDArray[np.int64]:
    """The pairs of members sharing a key held by 2 to :func:`block_limit` members (one row
    per key and member), as an array of (lower, higher) member numbers without repeats.
    ``too_common`` names keys to skip whatever their count here (known to be common
    elsewhere)."""
    if len(keys) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((members, keys))
    keys, members = keys[order], members[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    limits = np.where(keys[starts] & ORGANISATION_BIT, MAX_ORGANISATION_BLOCK, MAX_BLOCK)
    found: list[npt.NDArray[np.int64]] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= limits)]):
        block_starts = starts[(sizes == size) & (size <= limits)]
        if too_common:
            block_starts = block_starts[[int(keys[s]) not in too_common for s in block_starts]]
        if len(block_starts) == 0:
            continue
        rows = members[block_starts[:, None] + np.arange(size)]
        first, second = np.triu_indices(int(size), 1)
        found.append(np.stack([rows[:, first].ravel(), rows[:, second].ravel()], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(np.sort(pairs, axis=1), axis=0)
