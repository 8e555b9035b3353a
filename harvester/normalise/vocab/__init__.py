"""Controlled vocabularies: pure, fast normalisers from what providers write to what we index.

Every normaliser takes one string and returns the normalised value, an empty list, or None when
it cannot place the value; none raises, whatever it is given. Tables live in
``mappings/vocabularies/*.yaml`` (see :data:`VOCABULARY_DIR`) and are loaded once.
"""

from harvester.core.model import PPSR_STATUSES
from harvester.normalise.vocab._common import VOCABULARY_DIR
from harvester.normalise.vocab.countries import country_code, country_codes
from harvester.normalise.vocab.dates import date_range, iso_date
from harvester.normalise.vocab.eu_authorities import data_theme_topics, is_data_theme, nuts_code
from harvester.normalise.vocab.geo import countries_at, countries_in_box, countries_of_places
from harvester.normalise.vocab.languages import language_code
from harvester.normalise.vocab.licenses import ACCESS_RIGHTS, access_rights, spdx_ids, spdx_license
from harvester.normalise.vocab.sdgs import sdg_labels, sdg_numbers
from harvester.normalise.vocab.status import project_status
from harvester.normalise.vocab.text import (
    EMAIL_REMOVED,
    clean_description,
    markdown_text,
    plain_text,
    scrub_emails,
)
from harvester.normalise.vocab.topics import fields_of_science, topics


def load_tables() -> None:
    """Build every vocabulary's lookup tables now instead of at the first value that needs
    them (the language and country tables read pycountry's catalogues in two dozen
    languages: about half a second). Harmless to call again."""
    for probe in ("Germany", "English", "biology", "SDG 3", "CC BY 4.0", "open access"):
        country_codes(probe)
        language_code(probe)
        topics(probe)
        sdg_numbers(probe)
        spdx_license(probe)
        access_rights(probe)
        project_status(probe)
    iso_date("2020-01-01")


__all__ = [
    "ACCESS_RIGHTS",
    "EMAIL_REMOVED",
    "PPSR_STATUSES",
    "VOCABULARY_DIR",
    "access_rights",
    "clean_description",
    "countries_at",
    "countries_in_box",
    "countries_of_places",
    "country_code",
    "country_codes",
    "data_theme_topics",
    "date_range",
    "fields_of_science",
    "is_data_theme",
    "iso_date",
    "language_code",
    "load_tables",
    "markdown_text",
    "nuts_code",
    "plain_text",
    "project_status",
    "scrub_emails",
    "sdg_labels",
    "sdg_numbers",
    "spdx_ids",
    "spdx_license",
    "topics",
]
