"""Fetching: HTTP that survives real providers, the URL guard, and one adapter per protocol
(``oai/``, ``spiders/``). Each adapter lists a source into a page sink as raw records and
touches neither the normalised records nor the index."""
