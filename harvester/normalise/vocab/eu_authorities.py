"""The EU Vocabularies' authority tables that DCAT-AP records point to by IRI: data themes
(``.../authority/data-theme/ENVI``) to fields of science, NUTS regions
(``http://data.europa.eu/nuts/code/DE21``) to their codes. Country IRIs
(``.../authority/country/DEU``) need no table: their last part is an ISO 3166-1 alpha-3 code,
which :func:`~harvester.normalise.vocab.countries.country_codes` reads.
"""

from __future__ import annotations

import re
from functools import cache

from harvester.normalise.vocab._common import term_synonyms

_THEME = re.compile(
    r"^https?://publications\.europa\.eu/resource/authority/data-theme/([A-Z_]+)/?$",
    re.IGNORECASE,
)
_NUTS = re.compile(
    r"^https?://data\.europa\.eu/nuts/code/([A-Z]{2}[0-9A-Z]{0,3})/?$", re.IGNORECASE
)


@cache
def _themes() -> dict[str, str]:
    """``{theme code: FOS id}`` from the table (FOS ids are its keys, codes its synonyms)."""
    return {
        code.upper(): field
        for field, words in term_synonyms("eu_data_themes").items()
        for code in words[1:]
    }


def is_data_theme(text: str) -> bool:
    """Whether ``text`` is an IRI of the EU data-theme authority table."""
    return _THEME.match(text.strip()) is not None


def data_theme_topics(text: str) -> list[str]:
    """The field of science an EU data-theme IRI stands for (none for an unknown theme).

    Examples:
        >>> data_theme_topics("http://publications.europa.eu/resource/authority/data-theme/ENVI")
        ['1.5']
    """
    match = _THEME.match(text.strip())
    if match is None:
        return []
    field = _themes().get(match.group(1).upper())
    return [str(field)] if field else []


def nuts_code(text: str) -> str | None:
    """The NUTS code of a NUTS region IRI (``DE21``), else None."""
    match = _NUTS.match(text.strip())
    return match.group(1).upper() if match else None
