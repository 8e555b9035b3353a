"""Choropleth classes: round limits, every count in one class, colours told apart by lightness."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.insights.classes import NONE_FILL, RAMP, classes_for, round_up


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ramp_darkens_steadily_so_any_reader_can_order_it() -> None:
    levels = [luminance(c) for c in RAMP]
    assert levels == sorted(levels, reverse=True)
    assert all(contrast(a, b) >= 1.4 for a, b in itertools.pairwise(RAMP))
    assert contrast(NONE_FILL, RAMP[0]) >= 1.3, "no records is never read as the first class"


def test_few_distinct_counts_get_a_class_each() -> None:
    found = classes_for([1, 3, 3, 7])
    assert [(c.low, c.high) for c in found.classes] == [(1, 1), (2, 3), (4, 7)]
    assert [c.colour for c in found.classes] == [RAMP[0], RAMP[2], RAMP[4]]
    assert found.colour(0) is None and found.index(0) == 0
    assert found.index(3) == 2 and found.colour(5) == RAMP[4]


def test_many_counts_get_round_limits() -> None:
    found = classes_for(range(1, 1001))
    highs = [c.high for c in found.classes]
    assert highs[-1] == 1000 and len(highs) <= len(RAMP)
    assert all(round_up(h) == h for h in highs[:-1])


@given(st.lists(st.integers(min_value=0, max_value=10**7), max_size=60))
def test_every_count_falls_in_exactly_one_class(counts: list[int]) -> None:
    found = classes_for(counts)
    for count in counts:
        holders = [c for c in found.classes if c.low <= count <= c.high]
        assert len(holders) == (1 if count > 0 else 0)
        if count > 0:
            assert found.colour(count) == holders[0].colour


@pytest.mark.parametrize(
    ("value", "rounded"), [(0, 0), (2, 2), (3, 5), (7, 10), (12, 20), (240, 250), (251, 500)]
)
def test_round_up(value: int, rounded: int) -> None:
    assert round_up(value) == rounded
