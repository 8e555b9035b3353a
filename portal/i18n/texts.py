"""A record's texts given in several languages (its title and alternate titles, its
description and its language versions), the one in the page's language first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from portal.i18n.locales import page_language


class Version(NamedTuple):
    """A text with the language it is written in (None: not known)."""

    value: str
    lang: str | None


def language_versions(
    main: str | None, main_lang: str | None, others: Iterable[Mapping[str, Any] | Any] = ()
) -> list[Version]:
    """The main text and its other versions (``{value, lang}``), the one written in the
    page's language first, the others in the source's order; empty texts left out."""
    versions = [Version(main, main_lang)] if main else []
    for other in others:
        value = other.get("value") if isinstance(other, Mapping) else getattr(other, "value", "")
        lang = other.get("lang") if isinstance(other, Mapping) else getattr(other, "lang", None)
        if value:
            versions.append(Version(str(value), str(lang) if lang else None))
    reader = page_language()
    return sorted(versions, key=lambda version: version.lang != reader)
