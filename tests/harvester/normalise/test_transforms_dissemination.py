"""The attribution and distribution transforms: creators and publishers as agents, files and
endpoints as distributions, DataCite formats and sizes; and the model parts they fill."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError

from harvester.core.model import Agent, Distribution
from harvester.normalise.transforms import REGISTRY, Issues
from harvester.normalise.transforms.dissemination import media_type_of, size_in_bytes
from harvester.normalise.values import XmlValue

K4 = "http://datacite.org/schema/kernel-4"


def run(name: str, values: list[Any], argument: Any = None) -> list[Any]:
    return REGISTRY[name].function(values, argument, Issues())


def elements(xml: str) -> list[XmlValue]:
    root = etree.fromstring(f'<wrap xmlns="{K4}">{xml}</wrap>')
    return [
        XmlValue(
            "".join(node.itertext()),
            None,
            {k.rpartition("}")[2]: v for k, v in node.attrib.items()},
            node,
        )
        for node in root
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (1234, 1234),
        ("1234", 1234),
        ("308724.0", 308724),
        ("15 MB", 15_000_000),
        ("2.5 GiB", int(2.5 * 1024**3)),
        ("107328 bytes", 107328),
        ("1,5 kB", 1500),
        ("3 files", None),
        ("13 datasets", None),
        (-1, None),
        (True, None),
    ],
)
def test_sizes_in_bytes(given: Any, expected: int | None) -> None:
    assert size_in_bytes(given) == expected


def test_media_types_from_iana_iris_and_nothing_else() -> None:
    assert media_type_of("https://www.iana.org/assignments/media-types/text/csv") == "text/csv"
    assert media_type_of("http://www.iana.org/assignments/media-types/text/csv") == "text/csv"
    assert media_type_of("Text/CSV; charset=utf-8") == "text/csv"
    assert media_type_of("CSV") is None


def test_agents_from_names_and_objects_without_email_or_placeholders() -> None:
    out = run(
        "agents",
        [
            "Lefèvre, Hélène",
            {"name": "Carberry, Josiah", "kind": "Person", "identifier": "0000-0002-1825-0097"},
            {
                "name": "Atelier Nature",
                "kind": "Organization",
                "identifier": "https://ror.org/03yrm5c26/",
            },
            "helene@example.org",
            "unknown",
            "Lefèvre, Hélène",
        ],
    )
    assert out == [
        {"name": "Lefèvre, Hélène", "kind": None, "identifier": None},
        {
            "name": "Carberry, Josiah",
            "kind": "person",
            "identifier": "https://orcid.org/0000-0002-1825-0097",
        },
        {
            "name": "Atelier Nature",
            "kind": "organisation",
            "identifier": "https://ror.org/03yrm5c26",
        },
    ]


def test_datacite_creators_and_publisher() -> None:
    values = elements(
        "<creator><creatorName nameType='Personal'>Miller, Elizabeth</creatorName>"
        "<nameIdentifier nameIdentifierScheme='ORCID'>https://orcid.org/0000-0001-5000-0007"
        "</nameIdentifier></creator>"
        "<creator><creatorName nameType='Organizational'>DataCite</creatorName></creator>"
        "<creator><givenName>Ada</givenName><familyName>Lovelace</familyName>"
        "<creatorName/></creator>"
        "<publisher publisherIdentifier='https://ror.org/04wxnsj81'>DataCite</publisher>"
    )
    out = run("datacite-agents", values)
    assert out == [
        {
            "name": "Miller, Elizabeth",
            "kind": "person",
            "identifier": "https://orcid.org/0000-0001-5000-0007",
        },
        {"name": "DataCite", "kind": "organisation", "identifier": None},
        {"name": "Lovelace, Ada", "kind": None, "identifier": None},
        {"name": "DataCite", "kind": "organisation", "identifier": "https://ror.org/04wxnsj81"},
    ]


def test_distributions_guess_types_only_for_downloadable_files() -> None:
    out = run(
        "distributions",
        [
            {"title": "counts.csv", "download_url": "https://x.org/counts.csv", "size": 12},
            {"title": "notes.csv", "access_url": "https://x.org/notes"},
            {"format": "http://publications.europa.eu/resource/authority/file-type/GML"},
            {"format": "DWC_ARCHIVE", "download_url": "https://x.org/dwca"},
            {"title": "nothing to say"},
        ],
    )
    assert [(d["media_type"], d["format"], d["size_bytes"]) for d in out] == [
        ("text/csv", None, 12),
        (None, None, None),
        (None, "GML", None),
        ("application/zip", "DWC_ARCHIVE", None),
    ]


def test_datacite_formats_and_sizes() -> None:
    one = run("formats-and-sizes", elements("<format>application/zip</format><size>2482693</size>"))
    assert [(d["media_type"], d["size_bytes"]) for d in one] == [("application/zip", 2482693)]
    many = run(
        "formats-and-sizes",
        elements("<format>text/csv</format><format>PDF</format><size>3 files</size>"),
    )
    assert [(d["media_type"], d["format"], d["size_text"]) for d in many] == [
        ("text/csv", None, None),
        (None, "PDF", None),
    ]


def test_dc_formats_keep_media_types_only() -> None:
    out = run("dc-formats", ["text/csv", "12 pages", "image/jpeg"])
    assert [d["media_type"] for d in out] == ["text/csv", "image/jpeg"]


def test_the_model_refuses_an_email_as_a_name_and_an_empty_distribution() -> None:
    with pytest.raises(ValidationError, match="e-mail"):
        Agent(name="Write to a.b@example.org")
    with pytest.raises(ValidationError, match="needs a URL, a format or a size"):
        Distribution(title="x")
    with pytest.raises(ValidationError):
        Distribution(media_type="not a media type")
    assert Distribution(access_url="https://x.org/api").url == "https://x.org/api"
