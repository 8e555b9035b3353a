"""A hostile repository: records a provider should never send, for audits and tests.

Every Dublin Core element of every record, and every identifier, carries an e-mail address
(each record writes it in another form: plain, ``mailto:``, percent-encoded, ``&#64;``,
full-width, "[at]"/"(at)"/spelled out); titles carry bidirectional overrides and other
control characters, one title is 100 KB long, and text fields carry markup and CSV
formulas. The addresses' local parts start with :data:`TOKEN`, so any output can be
searched for them: not one may come out of the portal.

``python -m harvester.sample_provider --hostile N`` serves such a repository.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from harvester.sample_provider.list_repository import ListRepository
from harvester.sample_provider.repository import DC_ELEMENTS, SampleRecord

TOKEN = "zqleak"  # noqa: S105 (a marker, not a password)
"""The start of every planted local part: a string no real record holds."""

ADDRESS_FORMS: tuple[Callable[[str], str], ...] = (
    lambda local: f"{local}@example.org",
    lambda local: f"mailto:{local}@example.org",
    lambda local: f"{local}%40example.org",
    lambda local: f"mailto:{local}%40example%2Eorg",
    lambda local: f"{local} [at] example [dot] org",
    lambda local: f"{local}(at)example.org",
    lambda local: f"{local} at example dot org",
    lambda local: f"{local}&#64;example.org",
    lambda local: f"{local}＠example.org",
    lambda local: f"<{local}@example.org>",
)
"""Ways an address is written; its local part is what must never come out."""

SPOOFS = (
    "Invoice \u202egpj.exe",
    "bell\x07 and del\x7f",
    "iso\u2066late\u2069d",
    "zero\u200bwidth",
)
"""Titles with control characters (each must come out without them)."""

LONG_TITLE = "Long title " * 9_300
"""About 100 KB: served cut to the model's cap, never whole."""

HOSTILE_MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'
"""Markup in text fields: escaped or dropped wherever it is shown."""

FORMULA = '=HYPERLINK("http://evil.example","click")'
"""A CSV formula: exports make it inert."""

_VALUES: dict[str, Callable[[int, str], str]] = {
    "title": lambda i, a: (SPOOFS[i % len(SPOOFS)] if i % 5 else LONG_TITLE) + f" {a}",
    "description": lambda i, a: f"<p>About the project. Contact {a}.</p>{HOSTILE_MARKUP}",
    "subject": lambda i, a: f"birds; kw {a}; {FORMULA}",
    "publisher": lambda i, a: f"Org of {a}",
    "identifier": lambda i, a: f"https://data.example.org/{i}?contact={a}",
    "relation": lambda i, a: f"mailto:{a}",
    "rights": lambda i, a: f"CC-BY-4.0; contact {a}",
    "date": lambda i, a: f"2021-0{1 + i % 9} {a}",
    "language": lambda i, a: f"en {a}",
    "coverage": lambda i, a: f"Germany {a}",
    "type": lambda i, a: f"Dataset {a}",
}


def hostile_repository(records: int = 10, token: str = TOKEN) -> ListRepository:
    """A repository of ``records`` hostile records (see the module docs)."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    made = []
    for i in range(records):
        planted = 0

        def address(i: int = i) -> str:
            nonlocal planted
            planted += 1
            form = ADDRESS_FORMS[(i + planted) % len(ADDRESS_FORMS)]
            return form(f"{token}{i}x{planted}")

        dc = {
            element: ((_VALUES.get(element, _other)(i, address()), None),)
            for element in DC_ELEMENTS
        }
        made.append(
            SampleRecord(
                identifier=f"oai:hostile.example:{i}:{address()}",
                datestamp=start + timedelta(days=i),
                dc=dc,
            )
        )
    return ListRepository("Hostile provider: planted addresses", made)


def _other(i: int, address: str) -> str:
    return f"value {i} {address}"
