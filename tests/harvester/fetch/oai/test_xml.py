from pathlib import Path

import pytest

from harvester.core.errors import MalformedResponseError, UnsafeXMLError
from harvester.fetch.oai.xml import parse_xml

DECL = b'<?xml version="1.0" encoding="UTF-8"?>'


def test_well_formed_document_needs_no_repair() -> None:
    parsed = parse_xml(DECL + "<a>Zürich · ł</a>".encode())
    assert parsed.root.text == "Zürich · ł"
    assert parsed.repairs == []


def test_raw_control_characters_are_removed() -> None:
    parsed = parse_xml(DECL + b"<a>bird\x01 count\x0b ok\x1f</a>")
    assert parsed.root.text == "bird count ok"
    assert parsed.repairs == ["removed characters XML 1.0 does not allow"]


@pytest.mark.parametrize("reference", ["&#x1;", "&#1;", "&#x0B;", "&#31;", "&#xFFFE;"])
def test_illegal_character_references_are_removed(reference: str) -> None:
    parsed = parse_xml(DECL + f"<a>x{reference}y &#x9;&amp;</a>".encode())
    assert parsed.root.text == "xy \t&"


def test_latin1_body_declared_utf8_is_decoded_as_windows_1252() -> None:
    body = DECL + "<a>Société – Œuvre</a>".encode("cp1252")
    parsed = parse_xml(body)
    assert parsed.root.text == "Société – Œuvre"
    assert any("cp1252" in repair for repair in parsed.repairs)


def test_missing_declaration_uses_http_charset() -> None:
    body = "<a>Ærø</a>".encode("iso-8859-1")
    parsed = parse_xml(body, http_charset="ISO-8859-1")
    assert parsed.root.text == "Ærø"


def test_utf16_with_bom() -> None:
    assert parse_xml("<a>Łódź</a>".encode("utf-16")).root.text == "Łódź"


def test_declared_latin1_is_honoured_without_repair() -> None:
    body = b'<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9</a>'
    parsed = parse_xml(body)
    assert parsed.root.text == "café" and parsed.repairs == []


def test_truncated_document_names_line_and_column() -> None:
    with pytest.raises(MalformedResponseError, match=r"line 2, column \d+"):
        parse_xml(DECL + b"\n<a><b>cut here")


def test_empty_body_is_refused() -> None:
    with pytest.raises(MalformedResponseError, match="empty"):
        parse_xml(b"  \n")


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><a>&lol3;</a>'
    )
    with pytest.raises(UnsafeXMLError, match="never processed"):
        parse_xml(bomb)


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]><a>&x;</a>'
    ).encode()
    with pytest.raises(UnsafeXMLError) as caught:
        parse_xml(xxe)
    assert "TOP SECRET" not in str(caught.value)
