"""Transforms of texts given in several languages (``xml:lang``, ``{"lang", "value"}``): the
language a text declares, the texts in the first text's language (the main version; texts
that declare no language belong to it), and the other languages' versions, one per language.
"""

from __future__ import annotations

from typing import Any

from harvester.normalise import vocab
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import as_text, lang_of


def _language(value: Any) -> str | None:
    """The ISO 639-1 code of the language a value declares, if it declares a known one."""
    declared = lang_of(value)
    return vocab.language_code(declared) if declared else None


def _texts(values: Values) -> Values:
    return [value for value in values if as_text(value).strip()]


def _main_language(values: Values) -> str | None:
    return _language(values[0]) if values else None


@transform("lang")
def _lang(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The language each value declares (ISO 639-1); values that declare none give none."""
    return [code for code in (_language(value) for value in values) if code]


@transform("in-first-language")
def _in_first_language(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The values in the first value's language, and those that declare no language."""
    texts = _texts(values)
    main = _main_language(texts)
    return [v for v in texts if _language(v) in (None, main)]


@transform("other-languages")
def _other_languages(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The values in a language other than the first value's (each declaring it)."""
    texts = _texts(values)
    main = _main_language(texts)
    return [v for v in texts if _language(v) not in (None, main)]


@transform("by-language", argument=True)
def _by_language(values: Values, separator: Any, _issues: Issues) -> Values:
    """One ``{value, lang}`` per language, its texts joined with the given separator, in the
    order the languages first appear."""
    grouped: dict[str | None, list[str]] = {}
    for value in values:
        text = as_text(value).strip()
        if text:
            grouped.setdefault(_language(value), []).append(text)
    return [{"value": str(separator).join(t), "lang": code} for code, t in grouped.items()]
