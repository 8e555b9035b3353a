"""The attribution and distribution transforms: creators and publishers as agents, files and
endpoints as distributions, DataCite formats and sizes; and the model parts they fill."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from pydantic import ValidationError

from harvester.core.model import Agent, Distribution
from harvester.normalise.transforms import REGISTRY, Issues
from harvester.normalise.transforms.dissemination import exact_bytes, media_type_of, size_in_bytes
from harvester.normalise.transforms.files import format_size_objects
from harvester.normalise.transforms.media_types import file_name, media_type_from_name
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


def dublin_core(**values: list[str]) -> list[XmlValue]:
    """Dublin Core elements as the crosswalk engine hands them to a transform."""
    dc = "http://purl.org/dc/elements/1.1/"
    body = "".join(
        f"<dc:{tag}>{text}</dc:{tag}>" for tag, texts in values.items() for text in texts
    )
    root = etree.fromstring(f'<wrap xmlns:dc="{dc}">{body}</wrap>')
    return [XmlValue("".join(node.itertext()), None, {}, node) for node in root]


def test_dublin_core_file_urls_formats_and_extents_make_distributions() -> None:
    out = run(
        "dc-files",
        dublin_core(
            identifier=[
                "https://doi.org/10.82345/demo.0001",
                "https://data.example.org/ds-1/counts.csv",
                "https://data.example.org/ds-1/tracks.geojson",
                "https://data.example.org/ds-1/index.html",
            ],
            format=["text/csv", "image/jpeg", "2481920 bytes", "1.5 MB", "12 pages"],
        ),
    )
    assert [
        (d["title"], d["media_type"], d["media_type_from_name"], d["size_bytes"], d["size_text"])
        for d in out
    ] == [
        ("counts.csv", "text/csv", False, 2481920, None),  # the stated type its name stands for
        ("tracks.geojson", "application/geo+json", True, None, "1.5 MB"),  # read from the name
        (None, "image/jpeg", False, None, None),  # a stated type no file has
    ]
    tei = run(
        "dc-files",
        dublin_core(identifier=["https://x.org/letters.xml"], format=["application/tei+xml"]),
    )
    assert [(d["media_type"], d["media_type_from_name"]) for d in tei] == [
        ("application/tei+xml", False)  # a .xml file can be TEI: the stated type is kept
    ]


def test_extents_are_not_guessed_onto_files_when_they_do_not_pair() -> None:
    out = run(
        "dc-files",
        dublin_core(identifier=["https://x.org/a.csv", "https://x.org/b.csv"], format=["12 kB"]),
    )
    assert [(d["title"], d["size_bytes"]) for d in out] == [("a.csv", None), ("b.csv", None)]
    alone = run("dc-files", dublin_core(format=["application/zip", "2 MB"]))
    assert [(d["media_type"], d["size_text"]) for d in alone] == [("application/zip", "2 MB")]


@pytest.mark.parametrize(
    ("given", "expected"),
    [(1234, 1234), ("1234", 1234), ("1234 bytes", 1234), ("1234 B", 1234), ("33kB", None)],
)
def test_only_exact_byte_counts_are_sizes_in_bytes(given: Any, expected: int | None) -> None:
    assert exact_bytes(given) == expected


def test_datacite_lists_of_formats_and_sizes() -> None:
    named = format_size_objects(
        ["a.dat - text/plain", "b.docx - application/pdf"], ["a.dat - 33kB", "b.docx - 945kB"]
    )
    assert named == [
        {"title": "a.dat", "format": "text/plain", "size": "33kB"},
        {"title": "b.docx", "format": "application/pdf", "size": "945kB"},
    ]
    assert format_size_objects(["PDF"], ["4 pages", "1.236 MB"]) == [
        {"format": "PDF", "size": "1.236 MB"}  # the size of the data, not its pages
    ]
    assert format_size_objects(["media types: application/x-gzip, text/xml"], []) == [
        {"format": "application/x-gzip"},
        {"format": "text/xml"},
    ]
    assert format_size_objects([], ["87 variables", "472 cases"]) == [{"size": "87 variables"}]
    assert format_size_objects(["XML", "JSON"], ["12 KB"]) == [
        {"format": "XML"},
        {"format": "JSON"},
        {"size": "12 KB"},  # the data's size, which no one format can take
    ]
    out = run(
        "format-size-lists",
        [{"formats": ["text/csv"], "sizes": ["2048"], "urls": ["https://x.org/a.csv"]}],
    )
    assert [(d["download_url"], d["media_type"], d["size_bytes"]) for d in out] == [
        ("https://x.org/a.csv", "text/csv", 2048)
    ]


def test_a_format_name_given_as_encoding_format_is_kept_and_the_url_names_the_file() -> None:
    out = run(
        "distributions", [{"download_url": "https://x.org/files/Data.zip", "media_type": "zip"}]
    )
    assert [(d["format"], d["media_type"], d["media_type_from_name"]) for d in out] == [
        ("zip", "application/zip", True)
    ]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://x.org/data/counts%20all.csv?download=1", "counts all.csv"),
        ("https://x.org/data/archive.tar.gz", "archive.tar.gz"),
        ("https://x.org/record/42", None),
        ("https://x.org/page.html", None),
        ("https://doi.org/10.1234/abc.5", None),  # ".5" names no media type
        ("ftp://x.org/a.csv", None),
    ],
)
def test_file_names_of_urls(url: str, name: str | None) -> None:
    assert file_name(url) == name


def test_compressed_files_have_their_compression_type() -> None:
    assert media_type_from_name("counts.tsv.gz") == "application/gzip"
    assert media_type_from_name("counts.tsv") == "text/tab-separated-values"
    assert media_type_from_name("full_dataset.tsv.gz.part-aa") is None


def test_the_model_refuses_an_email_as_a_name_and_an_empty_distribution() -> None:
    with pytest.raises(ValidationError, match="e-mail"):
        Agent(name="Write to a.b@example.org")
    with pytest.raises(ValidationError, match="needs a URL, a format or a size"):
        Distribution(title="x")
    with pytest.raises(ValidationError):
        Distribution(media_type="not a media type")
    assert Distribution(access_url="https://x.org/api").url == "https://x.org/api"
