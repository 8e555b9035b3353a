"""Licences to SPDX identifiers, and access rights to a small controlled list.

Licences are read from URLs (Creative Commons licence and public-domain URLs in any form:
http/https, with or without ``www.``, trailing slash, ``legalcode``, ``deed.de``; Open Data
Commons, opendefinition.org, spdx.org/licenses/ID and the URLs listed in
``mappings/vocabularies/licenses.yaml``) and from names and spellings ("CC BY 4.0",
"CC-BY-SA-4.0", "Creative Commons Attribution 4.0 International", "ODbL", "Apache 2.0").

Decisions:

* **A Creative Commons licence without a version gives None.** SPDX has no unversioned CC id
  and CC BY 2.0, 3.0 and 4.0 differ in law, so "CC BY", "cc-by" and
  ``https://opendefinition.org/licenses/cc-by`` are not guessed to be CC-BY-4.0. The record keeps
  the source's text. The same rule holds for any licence with several versions ("Apache",
  "GPL"); names of single-version licences map ("CC0" → CC0-1.0, "ODbL" → ODbL-1.0).
* A ported CC licence (``/licenses/by/3.0/de/``) maps to its SPDX port id where SPDX has one
  (CC-BY-3.0-DE) and to None otherwise: a port is a different legal text.
* "GPL-3.0" / "GPLv3" (deprecated SPDX ids) map to GPL-3.0-only; "or later" / "+" to -or-later.
* "Public Domain Dedication" alone is CC0-1.0; the Open Data Commons "Public Domain Dedication
  and License" is PDDL-1.0.
* Access statements such as ``info:eu-repo/semantics/openAccess`` are not licences: None.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harvester.normalise.vocab._common import (
    as_text,
    build_index,
    fold,
    load_vocabulary,
    strip_accents,
)

ACCESS_RIGHTS = ("open", "embargoed", "restricted", "closed", "metadata-only")
"""The values :func:`access_rights` returns."""

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_BARE_URL = re.compile(r"^[\w-]+(?:\.[\w-]+)+/\S*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_URL_TAIL = re.compile(
    r"/(?:legalcode|deed|summary|rdf)(?:\.[a-z_-]+)?$|\.(?:html?|txt|php|json|md)$"
)
_CC_URL = re.compile(
    r"^creativecommons\.org/licenses/(by(?:-nc|-nd|-sa|-nc-sa|-nc-nd|-nd-nc)?)/(\d\.\d)(?:/([a-z]+))?$"
)
_SPDX_URL = re.compile(r"^spdx\.org/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?$", re.IGNORECASE)
_PORTS = {"scotland": "SCOTLAND"}
_PARENS = re.compile(r"\(([^()]*)\)")

_REWRITES = [
    (re.compile(r"\bor (?:any )?later(?: version)?\b|\band later\b|\+"), " plus "),
    (re.compile(r"\bcreative\s*commons\b"), " cc "),
    (re.compile(r"\battribution\b"), " by "),
    (re.compile(r"\bshare\W*alike\b"), " sa "),
    (re.compile(r"\bnon\W*commercial\b"), " nc "),
    (re.compile(r"\bno\W*deriv(?:ative)?s?\b"), " nd "),
    (re.compile(r"(?<!\d)\.|\.(?!\d)"), " "),
    (re.compile(r"[^\w.]+|_"), " "),
    (re.compile(r"\bv\s*(?=\d)"), " "),
]
_NOISE = frozenset(
    [
        "license",
        "licence",
        "licenses",
        "licences",
        "lizenz",
        "licencia",
        "licenza",
        "international",
        "unported",
        "generic",
        "version",
        "the",
        "legalcode",
        "deed",
        "universal",
    ]
)
_SINGLE_DIGIT = re.compile(r"^\d$")


def license_key(text: str) -> str:
    """Return the lookup key for a licence name: lower case, long CC words shortened, no noise.

    "Creative Commons Attribution-ShareAlike 4.0 International License", "CC BY-SA 4.0" and
    "cc-by-sa-4.0" all give "cc by sa 4.0".
    """
    key = strip_accents(text)
    for pattern, replacement in _REWRITES:
        key = pattern.sub(replacement, key)
    words = [w + ".0" if _SINGLE_DIGIT.match(w) else w for w in key.split() if w not in _NOISE]
    return " ".join(words)


def _url_key(url: str) -> str:
    key = _SCHEME.sub("", url.strip(" <>\"'").lower())
    key = key.removeprefix("www.")
    key = re.split(r"[?#]", key, maxsplit=1)[0].rstrip("/")
    for _ in range(2):
        key = _URL_TAIL.sub("", key).rstrip("/")
    return key


@lru_cache(maxsize=1)
def _license_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Build (names, urls, ids by lower case) once."""
    terms = load_vocabulary("licenses")["terms"]
    names: list[tuple[str, str]] = []
    urls: list[tuple[str, str]] = []
    for spdx_id, entry in terms.items():
        entry = entry or {}
        names.append((str(spdx_id), str(spdx_id)))
        names.extend((str(word), str(spdx_id)) for word in [entry.get("label", "")])
        names.extend((str(word), str(spdx_id)) for word in entry.get("synonyms", []))
        urls.extend((str(url), str(spdx_id)) for url in entry.get("urls", []))
    by_id = {str(spdx_id).lower(): str(spdx_id) for spdx_id in terms}
    return (
        build_index(names, "licenses.yaml", license_key),
        build_index(urls, "licenses.yaml", _url_key),
        by_id,
    )


def spdx_ids() -> frozenset[str]:
    """Return every SPDX id :func:`spdx_license` can return."""
    return frozenset(_license_tables()[2].values())


def _from_url(url: str) -> str | None:
    _names, urls, by_id = _license_tables()
    key = _url_key(url)
    if key in urls:
        return urls[key]
    match = _CC_URL.match(key)
    if match:
        variant, version, port = match.groups()
        variant = variant.replace("by-nd-nc", "by-nc-nd")
        spdx = f"cc-{variant}-{version}" + (f"-{_PORTS.get(port, port)}" if port else "")
        return by_id.get(spdx.lower())
    match = _SPDX_URL.match(key)
    if match:
        return by_id.get(match.group(1).lower())
    return None


@lru_cache(maxsize=16384)
def _lookup(text: str) -> str | None:
    if _URL.match(text) or _BARE_URL.match(text):
        return _from_url(text)
    names = _license_tables()[0]
    candidates = [text, _PARENS.sub(" ", text), *_PARENS.findall(text)]
    for candidate in candidates:
        key = license_key(candidate)
        if key in names:
            return names[key]
    return None


def spdx_license(text: str) -> str | None:
    """Return the SPDX id of the licence ``text`` names or links to, or None.

    Args:
        text: A licence URL, SPDX id, name or abbreviation.

    Returns:
        An SPDX licence id from ``mappings/vocabularies/licenses.yaml``, or None when unknown,
        ambiguous (no version given for a multi-version licence) or not a licence.

    Examples:
        >>> spdx_license("https://creativecommons.org/licenses/by/4.0/deed.de")
        'CC-BY-4.0'
        >>> spdx_license("cc-by") is None
        True
    """
    value = as_text(text, 500)
    if value is None:
        return None
    return _lookup(value)


def _access_key(text: str) -> str:
    return fold(_SCHEME.sub("", text.strip().lower()).removeprefix("www.").rstrip("/"))


@lru_cache(maxsize=1)
def _access_table() -> dict[str, str]:
    terms = load_vocabulary("access_rights")["terms"]
    pairs = [(str(word), str(target)) for target, e in terms.items() for word in e["synonyms"]]
    pairs.extend((str(target), str(target)) for target in terms)
    return build_index(pairs, "access_rights.yaml", _access_key)


@lru_cache(maxsize=4096)
def _access(text: str) -> str | None:
    table = _access_table()
    key = _access_key(text)
    if key in table:
        return table[key]
    for part in re.split(r"[;,()|]+", text):
        key = _access_key(part)
        if key in table:
            return table[key]
    return None


def access_rights(text: str) -> str | None:
    """Return the access rights ``text`` states: open, embargoed, restricted, closed, metadata-only.

    Args:
        text: A COAR or info:eu-repo URI, an EU access-right URI, or words ("Open Access").

    Returns:
        One of :data:`ACCESS_RIGHTS`, or None.
    """
    value = as_text(text, 500)
    if value is None:
        return None
    return _access(value)
