"""Licence and access-rights transforms: licence URLs, names and DataCite rights to
``{spdx, text, url}`` (SPDX id where known), and COAR / eu-repo access terms to the model's
access rights."""

from __future__ import annotations

import re
from typing import Any

from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts, vocabulary_lookup
from harvester.normalise.transforms.identifiers import WEB_URL
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import XmlValue, as_text


@transform("spdx-license")
def _spdx_license(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Licence URLs, names and spellings to ``{spdx, text, url}`` (SPDX id where known)."""
    out: Values = []
    for text in as_texts(values):
        if text.lower().startswith("info:eu-repo/semantics/"):
            continue  # access rights, not a licence
        url = text if re.match(r"https?://", text) else None
        out.append({"spdx": vocab.spdx_license(text), "text": None if url else text, "url": url})
    return out


@transform("access-rights")
def _access_rights(values: Values, _arg: Any, issues: Issues) -> Values:
    """COAR / eu-repo access terms and words to open, embargoed, restricted, closed..."""
    return vocabulary_lookup(values, issues, "access rights", vocab.access_rights)


@transform("find-access-rights")
def _find_access_rights(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Access terms among mixed values (licences beside them are fine)."""
    return vocabulary_lookup(values, None, "access rights", vocab.access_rights)


def _is_access_term(text: str) -> bool:
    """Tell whether ``text`` names access rights rather than a licence."""
    return text.lower().startswith("info:eu-repo/semantics/") or (
        vocab.access_rights(text) is not None and vocab.spdx_license(text) is None
    )


@transform("datacite-license")
def _datacite_license(values: Values, _arg: Any, _issues: Issues) -> Values:
    """DataCite rights to ``{spdx, text, url}``, licences with a known SPDX id first. The SPDX
    id comes from ``rightsURI``, else ``rightsIdentifier``, else the text (where the URI and
    the identifier disagree, the URI is what a reader follows). Access terms
    ("info:eu-repo/semantics/...", "Open Access") are not licences."""
    found: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        attrs = value.attrs if isinstance(value, XmlValue) else {}
        uri = attrs.get("rightsURI", "").strip()
        given = attrs.get("rightsIdentifier", "").strip()
        if not given and all(_is_access_term(t) for t in (uri, text) if t):
            continue
        spdx = next((s for s in map(vocab.spdx_license, (uri, given, text)) if s), None)
        url = uri if WEB_URL.match(uri) else None
        shown = text or given or None
        if spdx or shown or url:
            found.append({"spdx": spdx, "text": shown, "url": url})
    return sorted(found, key=lambda licence: licence["spdx"] is None)
