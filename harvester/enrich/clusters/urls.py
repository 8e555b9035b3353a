"""Landing-page URLs in one comparable form: scheme, ``www.``, default ports, trailing
slashes, index pages, language segments, fragments and tracking parameters folded away;
hosts that moved (known redirects) replaced by where they lead.

``https://www.Example.org/en/about/?utm_source=x#top`` and ``example.org/about`` compare
equal. The host's *site* (``example.org`` for ``data.example.org``) and its *name* (the
label that names the project: ``darkskymeter`` for ``www.darkskymeter.com``) are what the
blocking keys and the pair scores use besides the whole address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|ref)$")
INDEX_PAGE = re.compile(r"/(index|default|home)\.(html?|php|aspx?)$")
OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)
LANGUAGE_SEGMENT = re.compile(r"^/[a-z]{2}(?:[-_][a-zA-Z]{2})?(?=/|$)")
SECOND_LEVEL = frozenset(("ac", "co", "com", "edu", "gov", "gv", "net", "or", "org", "ne", "go"))
KNOWN_REDIRECTS: dict[str, str] = {
    "waarneming.nl": "observation.org",
    "waarnemingen.be": "observation.org",
    "observado.org": "observation.org",
}
"""Hosts that answer with a permanent redirect to another one (checked by hand; the
harvest never follows links, so this table is the only way to know)."""
GENERIC_NAMES = frozenset(("www", "web", "app", "apps", "portal", "site", "data", "project"))


@dataclass(frozen=True)
class Address:
    """A landing page, folded: ``key`` compares equal for the same page."""

    key: str  # host + path (+ sorted query), folded
    host: str  # folded host, no www.
    site: str  # registrable part of the host: example.org, example.co.uk
    name: str  # the label naming the site: 'example'

    @property
    def is_root(self) -> bool:
        """True when the address is a site's home page."""
        return self.key == self.host


@lru_cache(maxsize=65_536)
def fold_url(url: str) -> Address | None:
    """The folded form of a URL (with or without its scheme), or None when it is not one."""
    text = url.strip().strip("<>\"'").strip()
    if not text or " " in text:
        return None
    if "://" not in text:
        if OTHER_SCHEME.match(text):  # mailto:, tel:, urn:, ...
            return None
        text = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".").lower()
        credentials = parts.username is not None or parts.password is not None
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or "." not in host or credentials:
        return None
    host = _idna(host).removeprefix("www.")
    host = KNOWN_REDIRECTS.get(host, host)
    path = INDEX_PAGE.sub("", re.sub(r"/{2,}", "/", parts.path)).rstrip("/").lower()
    path = LANGUAGE_SEGMENT.sub("", path)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k.lower()))
    key = host + path + ("?" + urlencode(query) if query else "")
    return Address(key=key, host=host, site=site_of(host), name=name_of(host))


def site_of(host: str) -> str:
    """The registrable part of a host: its last two labels, or three under a second-level
    domain such as ``ac.at`` or ``co.uk``."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def name_of(host: str) -> str:
    """The first label that names a site: ``darkskymeter`` in ``www.darkskymeter.com``,
    ``freshwaterwatch`` in ``freshwaterwatch.thewaterhub.org``, ``smartemission`` in
    ``data.smartemission.nl``; ``''`` when every label is generic."""
    labels = host.split(".")[:-1]
    for label in labels:
        name = re.sub(r"[^\w]", "", label)
        if name and name not in GENERIC_NAMES and label not in SECOND_LEVEL:
            return name
    return ""


def _idna(host: str) -> str:
    """A punycode host in Unicode (``xn--vadonles-8sb.hu`` → ``vadonleső.hu``)."""
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
