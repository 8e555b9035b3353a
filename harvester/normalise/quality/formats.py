"""File formats the FAIRsFAIR metric FsF-R1.3-02D counts as recommended for data: open,
long-term or community formats, by IANA media type or by the name a source gives them.

A format is recommended when its specification is open and readers for it are freely
available: plain text tables, structured text (JSON, XML, RDF), scientific containers
(NetCDF, HDF5, FITS), open image, audio and geo formats, and the archives that package them
(ZIP, tar, gzip: Darwin Core Archives are ZIP files).
"""

from __future__ import annotations

RECOMMENDED_MEDIA_TYPES = frozenset(
    [
        "text/csv",
        "text/tab-separated-values",
        "text/plain",
        "text/xml",
        "text/turtle",
        "text/html",
        "text/markdown",
        "application/json",
        "application/ld+json",
        "application/geo+json",
        "application/xml",
        "application/rdf+xml",
        "application/n-triples",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-bzip2",
        "application/x-7z-compressed",
        "application/netcdf",
        "application/x-netcdf",
        "application/x-hdf5",
        "application/x-hdf",
        "application/fits",
        "application/vnd.geo+json",
        "application/vnd.google-earth.kml+xml",
        "application/gml+xml",
        "application/geopackage+sqlite3",
        "application/vnd.sqlite3",
        "application/x-sqlite3",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-parquet",
        "application/vnd.apache.parquet",
        "image/png",
        "image/jpeg",
        "image/tiff",
        "image/svg+xml",
        "audio/flac",
        "audio/wav",
        "audio/x-wav",
        "audio/ogg",
        "video/mp4",
    ]
)
"""Media types of open, long-term or scientific formats."""

STRUCTURED_SUFFIXES = ("+xml", "+json")
"""Structured-syntax suffixes (RFC 6839): XML and JSON vocabularies such as TEI
(application/tei+xml) or GeoJSON are open text formats."""

RECOMMENDED_NAMES = frozenset(
    name.casefold()
    for name in [
        "CSV",
        "TSV",
        "TXT",
        "JSON",
        "JSON-LD",
        "GeoJSON",
        "XML",
        "RDF",
        "Turtle",
        "NetCDF",
        "HDF5",
        "FITS",
        "ZIP",
        "PDF",
        "DWC_ARCHIVE",
        "Darwin Core Archive",
        "EML",
        "GeoTIFF",
        "TIFF",
        "PNG",
        "JPEG",
        "Parquet",
        "ODS",
        "XLSX",
        "GPKG",
        "KML",
        "Shapefile",
        "SHP",
    ]
)
"""Format names (case-folded) sources use for such formats."""


def is_recommended(media_type: str | None, name: str | None) -> bool:
    """Tell whether a file's media type or format name is a recommended format."""
    if media_type and media_type.lower() in RECOMMENDED_MEDIA_TYPES:
        return True
    if media_type and media_type.lower().endswith(STRUCTURED_SUFFIXES):
        return True
    return bool(name) and str(name).strip().casefold() in RECOMMENDED_NAMES
