"""``csfinder bench``: measured figures of every stage, never timed tests."""
