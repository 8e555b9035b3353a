"""Enriching normalised records across sources: clusters of the same project or dataset
listed on several platforms, and multilingual vectors. Runs after normalising, before
indexing."""
