"""csfinder's harvester: sources, protocols, store, normalise, index, scheduler and CLI."""

__version__ = "0.1.0"
