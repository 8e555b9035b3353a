"""Reciprocal rank fusion of the words' and the meaning's orders."""

from __future__ import annotations

from harvester.index.fusion import fuse


def test_records_in_both_lists_come_first_then_by_rank() -> None:
    assert fuse(["a", "b", "c"], ["c", "d", "a"]) == ["a", "c", "b", "d"]


def test_equal_sums_keep_the_words_order_first() -> None:
    assert fuse(["a", "b"], ["x", "y"]) == ["a", "x", "b", "y"]


def test_weights_and_k_change_the_balance() -> None:
    assert fuse(["a"], ["x"], weights=(1.0, 2.0)) == ["x", "a"]
    assert fuse(["a", "b", "c"], ["c"], k=1)[0] == "c"  # 1/4 + 1/2 beats 1/2
    assert fuse([], []) == []
