"""The answer models say what the code sends: the same columns, counts and facets."""

from __future__ import annotations

from typing import get_args

from harvester.index.query import FACETS, SORTS
from harvester.store import RUN_COUNTS
from portal.exports import COLUMNS
from portal.openapi.answers import ExportRecord, RunCounts, SearchResult
from portal.openapi.plugin import json_schema


def test_an_exported_record_has_the_csv_columns() -> None:
    assert tuple(ExportRecord.model_fields) == COLUMNS


def test_run_counts_are_the_stores() -> None:
    assert tuple(RunCounts.model_fields) == RUN_COUNTS


def test_facet_counts_are_keyed_by_the_facets_and_sorts_are_the_querys() -> None:
    properties = json_schema(SearchResult)["properties"]
    assert properties["facets"]["propertyNames"]["enum"] == list(FACETS)
    assert properties["sort"]["enum"] == list(SORTS)
    assert get_args(SearchResult.model_fields["sort"].annotation) == SORTS
