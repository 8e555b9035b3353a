"""Why a FAIR metric passed or failed, as data: a code and its parameters, so that the portal
can say it in the reader's language (the English text records keep is one rendering of it).

Each code's English sentence is marked with :func:`N_` for the message extraction of the
portal's ``vocabulary`` catalogue (``babel-vocabulary.cfg``); so are the FAIR indicator names
(in :mod:`~.fair`) and the words a sentence lists (:data:`TERMS`). Parameters are texts or
numbers shown as they are, or lists of :data:`TERMS` (joined, and translated in the portal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple


def N_(message: str) -> str:
    """Mark ``message`` for translation (gettext tools look for this name), unchanged."""
    return message


ParamValue = str | int | list[str]

REASONS: dict[str, str] = {
    # FsF-F1-01D
    "page-iri": N_("the record page's URL is a unique IRI"),
    "page-iri-also": N_("the record page's URL is a unique IRI; the source also gives %(schemes)s"),
    # FsF-F1-02D
    "pid": N_("persistent identifier: %(scheme)s %(value)s"),
    "no-identifiers": N_("no identifiers; a DOI, Handle, ARK or URN is needed"),
    "no-pid": N_("no DOI, Handle, ARK or URN among the identifiers (%(schemes)s)"),
    # FsF-F2-01M
    "metadata-embedded": N_("metadata embedded in the page and by content negotiation"),
    "citation-complete": N_(
        "citation metadata complete (creator, title, identifier, publication date, publisher, type)"
    ),
    "citation-lacks": N_("citation metadata lacks %(fields)s"),
    "descriptive-complete": N_("summary and keywords present"),
    "descriptive-lacks": N_("descriptive metadata lacks %(fields)s"),
    # data metrics on a project
    "not-applicable-project": N_("not applicable to a project: it has no data files"),
    # FsF-F3-01M
    "data-at": N_("data at %(url)s"),
    "data-at-more": N_("data at %(url)s (and %(count)s more)"),
    "data-described-no-url": N_(
        "the source describes its data (format or size) but names no data URL"
    ),
    "no-data-url": N_("the source names no data file or endpoint URL"),
    # FsF-F4-01M
    "json-ld-embedded": N_("the page embeds schema.org JSON-LD, as search engines read it"),
    "doi-registered": N_(
        "DOI %(doi)s: its metadata is registered with the DOI (DataCite's registry is not "
        "queried here)"
    ),
    "no-doi-registry": N_(
        "no DOI, so no metadata registered in a research data registry (DataCite)"
    ),
    # FsF-A1-01M
    "access-stated": N_("access level stated: %(access)s"),
    "no-access": N_("the source states no access level"),
    # FsF-A1-02M
    "served-over-http": N_("the record page and its metadata are served over HTTP(S)"),
    # FsF-A1-03D
    "data-protocol": N_("data reachable over %(protocol)s"),
    "no-data-protocol": N_("no data URL with a standard protocol"),
    # FsF-I1-01M
    "rdf-offered": N_(
        "JSON-LD embedded in the page; JSON-LD, Turtle and RDF/XML by content negotiation"
    ),
    # FsF-I2-01M
    "vocabularies-used": N_("terms from %(vocabularies)s"),
    # FsF-I3-01M
    "related": N_("%(count)s related, e.g. %(relation)s %(identifier)s"),
    "based-on-source": N_("based on the source's record %(source)s"),
    "no-related": N_("no related resources stated, and no link to the source's record"),
    # FsF-R1-01MD
    "resource-type": N_("resource type: %(kind)s"),
    "a-file-described": N_("a file states its format and size"),
    "data-formats-size": N_("the data's formats and size are stated"),
    "variables": N_("%(count)s measured variables"),
    "a-file-described-variables": N_(
        "a file states its format and size and %(count)s measured variables"
    ),
    "data-formats-size-variables": N_(
        "the data's formats and size are stated and %(count)s measured variables"
    ),
    "no-descriptors": N_("no file states both format and size, and no variables"),
    "file-verifiable": N_("%(file)s declares its media type and size in bytes"),
    "no-file-verifiable": N_(
        "no data file with a URL declares both its media type and its size in bytes"
    ),
    "variables-in-data": N_("%(count)s measured variables (to be found in the data)"),
    "no-variables": N_("measured variables are not stated"),
    # FsF-R1.1-01M
    "no-licence": N_("no licence stated"),
    "spdx-licence": N_("licence %(licence)s, published as its SPDX IRI"),
    "other-licence": N_("licence stated as '%(licence)s', not as a known SPDX licence"),
    # FsF-R1.2-01M
    "provenance-elements": N_("provenance elements: %(elements)s"),
    "provenance-none": N_("provenance elements: none"),
    "prov-derived": N_(
        "PROV: derived from %(identifier)s at source '%(source)s', harvested %(harvested_at)s"
    ),
    # FsF-R1.3-01M
    "multidisciplinary-standards": N_(
        "DataCite XML, DCAT-AP and schema.org are multidisciplinary standards (no point in "
        "FAIRsFAIR v0.5); no disciplinary metadata standard is offered"
    ),
    # FsF-R1.3-02D
    "recommended-format": N_("recommended format: %(format)s"),
    "format-not-recommended": N_("format %(format)s is not among the recommended ones"),
    "no-format": N_("the source states no file format"),
}
"""Every reason code with its English sentence (``%(name)s`` for its parameters)."""

TERMS: dict[str, str] = {
    # metadata elements a record lacks or has
    "creator": N_("creator"),
    "title": N_("title"),
    "publication date": N_("publication date"),
    "publisher": N_("publisher"),
    "summary": N_("summary"),
    "keywords": N_("keywords"),
    "creation or publication date": N_("creation or publication date"),
    # what is described
    "project": N_("project"),
    "dataset": N_("dataset"),
    "publication": N_("publication"),
    "resource": N_("resource"),
    # access levels (COAR access rights)
    "open": N_("open"),
    "embargoed": N_("embargoed"),
    "restricted": N_("restricted"),
    "closed": N_("closed"),
    "metadata-only": N_("metadata-only"),
    # vocabularies the published metadata uses
    "PROV-O": N_("PROV-O"),
    "DCMI terms": N_("DCMI terms"),
    "DCAT": N_("DCAT"),
    "COAR access rights": N_("COAR access rights"),
    "SPDX licences": N_("SPDX licences"),
    "EU Vocabularies (countries, languages)": N_("EU Vocabularies (countries, languages)"),
}
"""Words a reason lists (its list parameters), each translated in the portal."""

TIME_SUFFIX = "_at"
"""A parameter whose name ends so is a UTC time (ISO 8601), shown in the reader's format."""


class Reason(NamedTuple):
    """One test's result said as data: a code of :data:`REASONS` and its parameters."""

    code: str
    params: Mapping[str, ParamValue] = {}

    def text(self) -> str:
        """The reason in English (lists joined with commas)."""
        if not self.params:
            return REASONS[self.code]
        values = {
            name: ", ".join(value) if isinstance(value, list) else value
            for name, value in self.params.items()
        }
        return REASONS[self.code] % values if values else REASONS[self.code]


def reason(code: str, **params: ParamValue) -> Reason:
    """A :class:`Reason`, checked: a known code, and list parameters made of :data:`TERMS`.

    Raises:
        KeyError: an unknown code or term (a programming error, caught by the tests).
    """
    if code not in REASONS:
        raise KeyError(f"unknown reason code {code!r}")
    for name, value in params.items():
        if isinstance(value, list):
            unknown = [term for term in value if term not in TERMS]
            if unknown:
                raise KeyError(f"reason {code!r}: {name} lists unknown terms {unknown}")
    return Reason(code, params)


def joined(reasons: Sequence[Reason]) -> str:
    """The English text of several reasons, as one sentence."""
    if len(reasons) == 1:
        return reasons[0].text()
    return "; ".join([r.text() for r in reasons])
