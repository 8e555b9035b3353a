"""The message catalogues agree with the code and are complete.

When one of these fails after strings were added or changed, the fix is mechanical:
``scripts/translations update`` (extract, then merge into every .po), translate the entries
it lists (``scripts/translations todo``), then ``scripts/translations check``.
"""

from __future__ import annotations

import gettext

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from harvester.normalise.quality import INDICATORS, REASONS, TERMS
from portal.i18n.audit import (
    DOMAINS,
    Key,
    check_catalogue,
    entries,
    extracted,
    languages_of,
    languages_without_vocabulary,
    read_catalogue,
    shown,
)
from portal.i18n.catalogues import OFFICIAL, TRANSLATIONS, available_languages, compiled
from portal.i18n.labels import VOCABULARIES, vocabulary_labels
from portal.i18n.todo import describe

FIX = (
    "run `scripts/translations update` (pybabel extract with babel.cfg and "
    "babel-vocabulary.cfg, then pybabel update), translate what `scripts/translations todo` "
    "lists, and check with `scripts/translations check`"
)
INTERFACE_LANGUAGES = (
    "bg", "es", "cs", "da", "de", "et", "el", "fr", "ga", "hr", "it",
    "lv", "lt", "hu", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "fi", "sv",
)  # fmt: skip
"""Languages whose whole interface is translated: every official language but English."""


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_the_templates_hold_exactly_the_strings_of_the_code(domain: str) -> None:
    found = extracted(domain)
    template = entries(read_catalogue(TRANSLATIONS / f"{domain}.pot"))
    new = sorted(set(found) - set(template), key=str)
    gone = sorted(set(template) - set(found), key=str)
    lines = [f"  new in the code ({', '.join(found[key])}): {shown(key)}" for key in new]
    lines += [f"  no longer in the code: {shown(key)}" for key in gone]
    assert not lines, (
        f"portal/translations/{domain}.pot is out of date with the code; {FIX}:\n"
        + "\n".join(lines)
    )


@pytest.mark.parametrize(
    ("domain", "language"),
    [(domain, language) for domain in sorted(DOMAINS) for language in languages_of(domain)],
)
def test_every_catalogue_is_complete(domain: str, language: str) -> None:
    report = check_catalogue(language, domain)
    assert report.clean, f"{FIX}:\n" + "\n".join(describe(report))


def test_every_official_language_has_its_vocabulary() -> None:
    missing = languages_without_vocabulary()
    assert not missing, f"no vocabulary.po for {missing}: run `scripts/translations init LANG`"


def test_the_interface_is_offered_in_the_translated_languages() -> None:
    offered = available_languages()
    assert set(INTERFACE_LANGUAGES) == set(OFFICIAL) - {"en"}
    assert set(INTERFACE_LANGUAGES) <= set(offered)
    assert offered[0] != "en" and offered.index("bg") < offered.index("en"), (
        "the EU's order, by the languages' own names"
    )
    assert set(offered) <= set(OFFICIAL) | set(languages_of("messages"))


@pytest.mark.parametrize("language", [code for code in OFFICIAL if code != "en"])
def test_plural_forms_follow_cldr_for_whole_numbers(language: str) -> None:
    """The gettext rule Babel writes in each catalogue's header (its index for a number) and
    CLDR's plural categories part the whole numbers the same way, one form per category."""
    rule = get_plural(language)
    index_of = gettext.c2py(rule.plural_expr)  # how gettext itself reads the header's rule
    cldr = Locale.parse(language).plural_form
    numbers = [*range(0, 2000), 1_000_000, 2_000_000, 10**9]
    seen: dict[int, set[str]] = {}
    for n in numbers:
        seen.setdefault(index_of(n), set()).add(cldr(n))
    assert all(len(categories) == 1 for categories in seen.values()), seen
    assert sorted(seen) == list(range(rule.num_plurals)), (seen, rule.plural_forms)


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_catalogues_compile_and_translate(language: str) -> None:
    messages = compiled(language, "messages")
    vocabulary = compiled(language, "vocabulary")
    assert messages.gettext("Skip to content") != "Skip to content"
    assert vocabulary.pgettext("status", "Completed") != "Completed"
    counts = {messages.ngettext("%(num)s result", "%(num)s results", n) for n in (1, 2, 5, 11)}
    assert all("%(num)s" in text for text in counts)


def test_every_vocabulary_label_is_in_the_vocabulary_template() -> None:
    template = set(entries(read_catalogue(TRANSLATIONS / "vocabulary.pot")))
    wanted: set[Key] = {
        (context, label)
        for (name, section), context in VOCABULARIES.items()
        for label in vocabulary_labels(name, section).values()
    }
    wanted |= {(None, text) for text in [*REASONS.values(), *TERMS.values()]}
    wanted |= {(None, spec.label) for spec in INDICATORS}
    missing = sorted(wanted - template, key=str)
    assert not missing, f"{FIX}; not in vocabulary.pot: {[shown(key) for key in missing]}"
