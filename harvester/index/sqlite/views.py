"""Collapsed or not: the rows a search may show (see :mod:`harvester.index.collapse`)."""

from __future__ import annotations

from pyroaring import BitMap

from harvester.index.collapse import VIEW, hidden_view
from harvester.index.sqlite.facets import FacetState


def visible(state: FacetState, collapse: bool) -> BitMap:
    """The live rows of the view: without listings of clusters when collapsed, without
    cluster documents otherwise."""
    hidden = state.values.get(VIEW, {}).get(hidden_view(collapse))
    return state.live - hidden if hidden else state.live
