"""Spoofing and size: control characters never reach a record, an over-long text is cut to the
model's cap with the cut recorded as a quality issue, and an invalid item of a list is
dropped alone (the rest of the list, and of the record, is kept)."""

from __future__ import annotations

from harvester.core.model import MAX_LONG_TEXT, MAX_TEXT, Record
from harvester.core.records import RawRecord
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.service import crosswalk_named

CONTEXT = SourceContext("demo", "Demo source", "Demo", "oai-pmh", "https://repo.example.org/oai")
DC = (
    'xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def mapped(body: str, identifier: str = "oai:repo.example.org:1") -> Record:
    payload = f"<oai_dc:dc {DC}>{body}</oai_dc:dc>"
    raw = RawRecord("demo", identifier, "2024-05-01T10:00:00Z", "oai_dc", payload)
    return normalise(raw, crosswalk_named("oai_dc"), CONTEXT, "2024-05-02T00:00:00Z")


def test_bidi_and_other_controls_are_removed_from_every_text() -> None:
    record = mapped(
        "<dc:title>Invoice \u202egpj.exe</dc:title>"
        "<dc:title xml:lang='en'>Other \u2066title\u2069</dc:title>"
        "<dc:subject>kw\u200b one; two&#x7f;</dc:subject>"
        "<dc:publisher>Org\u202d name</dc:publisher>"
        "<dc:rights>Some licence \u202e text</dc:rights>"
    )
    dumped = record.model_dump_json()
    for control in ("\u202e", "\u2066", "\u2069", "\u202d", "\u200b", "\x7f"):
        assert control not in dumped and control.encode("unicode_escape").decode() not in dumped
    assert record.title == "Invoice gpj.exe"
    assert record.keywords == ["kw one", "two"]
    assert [o.name for o in record.organisations] == ["Org name"]


def test_an_over_long_title_is_cut_and_the_cut_recorded() -> None:
    title = "Birds " * 20_000  # 120,000 characters
    record = mapped(f"<dc:title>{title}</dc:title><dc:subject>birds</dc:subject>")
    assert len(record.title) <= MAX_TEXT and record.title.endswith("…")
    assert record.title.startswith("Birds Birds")
    cut = [i for i in record.quality.issues if i.problem == "truncated"]
    assert [(i.field, i.detail) for i in cut] == [
        ("title", f"title: cut to {MAX_TEXT:,} of {len(title.strip()):,} characters")
    ]
    assert record.keywords == ["birds"]  # the rest is kept


def test_an_over_long_description_and_keyword_are_cut() -> None:
    description = "word " * 12_000
    keyword = "k" * (MAX_TEXT + 500)
    record = mapped(
        f"<dc:title>Birds</dc:title><dc:description>{description}</dc:description>"
        f"<dc:subject>short; {keyword}</dc:subject>"
    )
    assert record.description is not None and len(record.description) <= MAX_LONG_TEXT
    assert record.keywords[0] == "short" and len(record.keywords[1]) <= MAX_TEXT
    fields = sorted(i.field for i in record.quality.issues if i.problem == "truncated")
    assert fields == ["description", "keywords"]


def test_an_invalid_item_of_a_list_is_dropped_alone() -> None:
    record = mapped(
        "<dc:title>Birds</dc:title>"
        "<dc:relation>mailto:ivan@example.org</dc:relation>"
        "<dc:relation>https://doi.org/10.5281/zenodo.1</dc:relation>"
        "<dc:publisher>judy@example.org</dc:publisher>"
        "<dc:publisher>Bird Society</dc:publisher>"
    )
    assert [r.identifier for r in record.related] == ["https://doi.org/10.5281/zenodo.1"]
    assert [o.name for o in record.organisations] == ["Bird Society"]
    dropped = {i.field for i in record.quality.issues if i.problem == "invalid"}
    assert {"related", "organisations"} <= dropped
    assert "ivan" not in record.model_dump_json() and "judy" not in record.model_dump_json()
