"""The registered vocabularies record metadata is published with: EU Vocabularies (country,
language and access-right authority tables), COAR access rights and SPDX licences, as IRIs
built from the model's codes."""

from __future__ import annotations

import re
from typing import Final

import pycountry

EU: Final = "http://publications.europa.eu/resource/authority/"
SPDX_BASE: Final = "http://spdx.org/licenses/"
COAR_ACCESS_RIGHTS: Final = {
    "open": ("http://purl.org/coar/access_right/c_abf2", "open access"),
    "embargoed": ("http://purl.org/coar/access_right/c_f1cf", "embargoed access"),
    "restricted": ("http://purl.org/coar/access_right/c_16ec", "restricted access"),
    "closed": ("http://purl.org/coar/access_right/c_14cb", "metadata only access"),
    "metadata-only": ("http://purl.org/coar/access_right/c_14cb", "metadata only access"),
}
"""Access rights as COAR access-right IRIs, with their English labels."""
EU_ACCESS: Final = {
    "open": "PUBLIC",
    "embargoed": "NON_PUBLIC",
    "restricted": "RESTRICTED",
    "closed": "NON_PUBLIC",
    "metadata-only": "NON_PUBLIC",
}
"""The model's access rights as EU access-right authority codes."""

_IRI: Final = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
"""An http(s) IRI with none of the characters RDF serialisations cannot carry."""


def eu_country(code: str) -> str | None:
    """An ISO 3166-1 alpha-2 code as the EU country authority's IRI (alpha-3 based)."""
    country = pycountry.countries.get(alpha_2=code.upper())
    return f"{EU}country/{country.alpha_3}" if country else None


def eu_language(code: str) -> str | None:
    """An ISO 639-1 code as the EU language authority's IRI (ISO 639-3 based)."""
    language = pycountry.languages.get(alpha_2=code.lower())
    return f"{EU}language/{language.alpha_3.upper()}" if language else None


def safe_iri(value: str) -> str | None:
    """``value`` when it is an http(s) IRI an RDF serialisation can carry, else None."""
    return value if _IRI.fullmatch(value) else None
