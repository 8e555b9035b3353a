"""Clusters: the same project (or dataset) listed on several platforms, found and kept.

Bottom to top: :mod:`~.urls` (landing pages folded), :mod:`~.features` (what a record is
compared by), :mod:`~.blocking` (which records are compared), :mod:`~.scoring` (the
evidence about a pair), :mod:`~.grouping` (pairs to clusters, checked against chaining),
:mod:`~.identity` (stable cluster ids, the representative listing), and the runs over the
store: :mod:`~.rebuild` (everything) and :mod:`~.incremental` (what changed).
"""
