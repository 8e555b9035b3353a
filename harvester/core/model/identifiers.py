"""Identifiers of the described thing (DOI, Handle, ARK, ...): the forms each scheme accepts,
the resolver prefixes taken off a value, and the resolver URL put back on for links."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from harvester.core.model.checks import _web_url
from harvester.core.model.fields import Text, _Model

IdentifierScheme = Literal[
    "doi", "handle", "ark", "urn", "url", "isbn", "issn", "orcid", "ror", "other"
]

PERSISTENT_SCHEMES = ("doi", "handle", "ark", "urn")
"""Schemes of persistent identifiers: what "has a PID" means in facets and FAIR checks."""

_RESOLVERS: dict[str, tuple[str, ...]] = {
    "doi": ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/"),
    "handle": ("https://hdl.handle.net/", "http://hdl.handle.net/"),
    "ark": ("https://n2t.net/", "http://n2t.net/"),
    "orcid": ("https://orcid.org/", "http://orcid.org/"),
    "ror": ("https://ror.org/", "http://ror.org/"),
}
_URI_PREFIXES = {"doi": "doi:", "handle": "hdl:"}
_URL_BASES = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
    "orcid": "https://orcid.org/",
    "ror": "https://ror.org/",
}
_IDENTIFIER_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "doi": (re.compile(r"10\.\d{4,9}/\S+"), "a DOI such as '10.5281/zenodo.123'"),
    "handle": (re.compile(r"[^/\s]+/\S+"), "a Handle such as '11304/abc'"),
    "ark": (re.compile(r"ark:/?[0-9a-z]+/\S+", re.IGNORECASE), "an ARK such as 'ark:/12345/x'"),
    "urn": (re.compile(r"urn:[a-z0-9][a-z0-9-]{0,31}:\S+", re.IGNORECASE), "a URN"),
    "isbn": (
        re.compile(r"(?:\d[- ]?){9}[\dX]|(?:\d[- ]?){12}\d", re.IGNORECASE),
        "an ISBN-10 or ISBN-13",
    ),
    "issn": (re.compile(r"\d{4}-?\d{3}[\dX]", re.IGNORECASE), "an ISSN such as '1234-567X'"),
    "orcid": (re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"), "an ORCID iD"),
    "ror": (re.compile(r"0[a-z0-9]{6}\d{2}"), "a ROR id such as '03yrm5c26'"),
}


def _strip_resolver(scheme: str, value: str) -> str:
    """Remove a resolver URL or URI prefix ('https://doi.org/', 'doi:') from a bare id."""
    lowered = value.lower()
    prefixes = (*_RESOLVERS.get(scheme, ()), _URI_PREFIXES.get(scheme, "\0"))
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


class Identifier(_Model):
    """An identifier of the described thing, with its scheme (DataCite identifierType)."""

    scheme: IdentifierScheme = Field(
        description="Identifier scheme: doi, handle, ark, urn, url, isbn, issn, orcid, ror or "
        "other."
    )
    value: Text = Field(
        description="The identifier without resolver prefix (DOIs lower-cased, e.g. "
        "'10.5281/zenodo.123'); a full http(s) URL for scheme 'url'."
    )

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str, info: ValidationInfo) -> str:
        """Check the value against its scheme's form, bare of any resolver prefix."""
        scheme = info.data.get("scheme")
        if scheme is None or scheme == "other":
            return value
        if scheme == "url":
            return _web_url(value)
        bare = _strip_resolver(scheme, value).strip()
        if scheme == "doi":
            bare = bare.lower()
        pattern, expected = _IDENTIFIER_FORMS[scheme]
        if not pattern.fullmatch(bare):
            raise ValueError(f"'{value}' is not {expected}")
        return bare

    @property
    def url(self) -> str | None:
        """A resolvable https URL for the identifier, where its scheme has a resolver."""
        if self.scheme == "url":
            return self.value
        base = _URL_BASES.get(self.scheme)
        return f"{base}{self.value}" if base else None
