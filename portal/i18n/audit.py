"""Do the catalogues agree with the code? What the test command checks, and what
``scripts/translations todo`` lists: the strings extracted from the code, templates and
vocabularies against each ``.pot``; each language's ``.po`` against its ``.pot``; entries
untranslated, fuzzy or with broken placeholders; and the plural rule of each language."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from portal.i18n.catalogues import OFFICIAL, SOURCE_LANGUAGE, TRANSLATIONS

ROOT = TRANSLATIONS.parents[1]
DOMAINS = {"messages": ROOT / "babel.cfg", "vocabulary": ROOT / "babel-vocabulary.cfg"}
"""Each catalogue's domain and the extraction configuration that lists its sources."""
SEARCHED = ("harvester", "mappings", "portal")
"""The top-level folders extraction looks in."""

Key = tuple[str | None, str]
"""An entry: its context and its message id (the singular, for plural entries)."""


def key_of(message: Message) -> Key:
    """The entry's context and message id."""
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return message.context, str(msgid)


def shown(key: Key) -> str:
    """An entry as a person reads it: ``"id"`` or ``[context] "id"``."""
    context, msgid = key
    return f'[{context}] "{msgid}"' if context else f'"{msgid}"'


def extracted(domain: str) -> dict[Key, list[str]]:
    """The entries the code, templates and vocabularies hold for ``domain``, each with the
    files it is in."""
    with DOMAINS[domain].open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            config, filename=str(DOMAINS[domain])
        )

    def searched(path: str) -> bool:
        relative = Path(path).relative_to(ROOT).parts
        hidden = any(part.startswith((".", "_")) for part in relative)
        return not hidden and (not relative or relative[0] in SEARCHED)

    found: dict[Key, list[str]] = {}
    for filename, _line, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        directory_filter=searched,
    ):
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            found.setdefault((context, str(msgid)), []).append(filename.replace(os.sep, "/"))
    return found


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    """A ``.po`` or ``.pot`` file as a Babel catalogue."""
    with path.open("rb") as source:
        return read_po(source, locale=language)


def entries(catalogue: Catalog) -> dict[Key, Message]:
    """The catalogue's entries (not its header, nor obsolete entries)."""
    return {key_of(m): m for m in catalogue if m.id}


def is_translated(message: Message) -> bool:
    """Every form of the entry has a translation."""
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


@dataclass
class CatalogueReport:
    """What is wrong with one language's catalogue of one domain."""

    language: str
    domain: str
    missing: list[Key] = field(default_factory=list)
    extra: list[Key] = field(default_factory=list)
    untranslated: list[Key] = field(default_factory=list)
    fuzzy: list[Key] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    plural_forms: str | None = None

    @property
    def clean(self) -> bool:
        """Nothing to do."""
        return not (
            self.missing
            or self.extra
            or self.untranslated
            or self.fuzzy
            or self.broken
            or self.plural_forms
        )


def languages_of(domain: str) -> list[str]:
    """The languages with a catalogue of ``domain``."""
    return sorted(p.parents[1].name for p in TRANSLATIONS.glob(f"*/LC_MESSAGES/{domain}.po"))


def check_catalogue(language: str, domain: str) -> CatalogueReport:
    """Compare ``language``'s ``domain`` catalogue with the template, and check each entry."""
    report = CatalogueReport(language, domain)
    template = entries(read_catalogue(TRANSLATIONS / f"{domain}.pot"))
    path = TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"
    catalogue = read_catalogue(path, language)
    found = entries(catalogue)
    report.missing = sorted(set(template) - set(found), key=str)
    report.extra = sorted(set(found) - set(template), key=str)
    for key, message in found.items():
        if message.fuzzy:
            report.fuzzy.append(key)
        elif not is_translated(message):
            report.untranslated.append(key)
    for message, errors in catalogue.check():
        report.broken += [f"{shown(key_of(message))}: {error}" for error in errors]
    expected = get_plural(language)
    if (catalogue.num_plurals, catalogue.plural_expr) != (
        expected.num_plurals,
        expected.plural_expr,
    ):
        report.plural_forms = (
            f"Plural-Forms says nplurals={catalogue.num_plurals}; plural={catalogue.plural_expr}, "
            f"Babel's rule for {language} is {expected.plural_forms}"
        )
    return report


def all_reports() -> Iterator[CatalogueReport]:
    """A report for every catalogue there is."""
    for domain in DOMAINS:
        for language in languages_of(domain):
            yield check_catalogue(language, domain)


def languages_without_vocabulary() -> list[str]:
    """Official languages whose vocabulary catalogue is missing (every one must have it)."""
    have = set(languages_of("vocabulary"))
    return [code for code in OFFICIAL if code != SOURCE_LANGUAGE and code not in have]
