"""``csfinder demo``: sample OAI-PMH providers on loopback, harvested end to end."""
