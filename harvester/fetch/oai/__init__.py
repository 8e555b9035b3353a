"""OAI-PMH harvesting: Sickle, wrapped so that it survives real providers."""
