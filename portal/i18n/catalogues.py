"""The message catalogues: ``portal/translations/<lang>/LC_MESSAGES/<domain>.po``, read and
compiled in memory (Babel's own compiler) the first time a process needs a language, so that
no compiled ``.mo`` file is kept in git or has to be built before the portal runs.

Two domains: ``messages`` (the interface: templates and portal code) and ``vocabulary`` (the
labels of the controlled vocabularies, FAIR metric names and reasons). A language is offered
once it has a ``messages.po``; adding a language is adding its two ``.po`` files.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask_babel import Domain, get_locale

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
"""Where the catalogues are: ``<lang>/LC_MESSAGES/messages.po`` and ``vocabulary.po``."""

SOURCE_LANGUAGE = "en"
"""The language the messages are written in; it needs no catalogue."""

OFFICIAL = (
    "bg", "es", "cs", "da", "de", "et", "el", "en", "fr", "ga", "hr", "it",
    "lv", "lt", "hu", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "fi", "sv",
)  # fmt: skip
"""The 24 official languages of the EU, in the order EU sites list them (by their own
names: български, español, čeština, ...)."""


def catalogue_path(language: str, domain: str, directory: Path = TRANSLATIONS) -> Path:
    """Where ``language``'s catalogue of ``domain`` is."""
    return directory / language / "LC_MESSAGES" / f"{domain}.po"


@cache
def available_languages(directory: Path = TRANSLATIONS) -> tuple[str, ...]:
    """The languages the interface is offered in: English and every language with a
    ``messages.po``, official languages first in the EU's order, others after by code."""
    found = {
        path.parents[1].name
        for path in directory.glob("*/LC_MESSAGES/messages.po")
        if _is_locale(path.parents[1].name)
    }
    found.add(SOURCE_LANGUAGE)
    return tuple(
        sorted(found, key=lambda code: (OFFICIAL.index(code) if code in OFFICIAL else 99, code))
    )


def _is_locale(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, TypeError):
        return False
    return True


@cache
def compiled(language: str, domain: str, directory: Path = TRANSLATIONS) -> NullTranslations:
    """The translations of ``language``'s ``domain`` catalogue, compiled in memory once per
    process; no translation (the English messages) where there is no catalogue.

    Fuzzy entries are left out, as ``pybabel compile`` leaves them out.
    """
    path = catalogue_path(language, domain, directory)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalogue = read_po(source, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


class CatalogueDomain(Domain):  # type: ignore[misc]  # flask_babel is untyped
    """A Flask-Babel domain whose translations come from the ``.po`` catalogues."""

    def __init__(self, domain: str, directory: Path = TRANSLATIONS) -> None:
        super().__init__(translation_directories=[str(directory)], domain=domain)
        self.name = domain
        self.directory = directory

    def get_translations(self) -> NullTranslations:
        """The translations of the request's language (none outside a request)."""
        locale = get_locale()
        if locale is None:
            return NullTranslations()
        return compiled(str(locale), self.name, self.directory)


MESSAGES = CatalogueDomain("messages")
"""The interface's messages (what templates' ``_()`` and ``gettext`` translate)."""

VOCABULARY = CatalogueDomain("vocabulary")
"""Vocabulary labels, FAIR metric names and reasons."""
