"""Where the project's data folders are: ``mappings/`` is read from the source tree."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAPPINGS_DIR = PROJECT_ROOT / "mappings"
CROSSWALK_DIR = MAPPINGS_DIR / "crosswalks"
VOCABULARY_DIR = MAPPINGS_DIR / "vocabularies"
RECORD_SCHEMA_PATH = MAPPINGS_DIR / "record.schema.json"
ELASTICSEARCH_DIR = MAPPINGS_DIR / "elasticsearch"
GEO_DIR = MAPPINGS_DIR / "geo"
"""Natural Earth admin-0 country boundaries (world-atlas TopoJSON), see its README."""
SHARED_FIXTURES_DIR = PROJECT_ROOT.parent / "shared" / "fixtures"
