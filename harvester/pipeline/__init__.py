"""A harvest run: pages from a fetch adapter through the store, the normaliser and the index,
with checkpoints; and re-normalising stored records."""
