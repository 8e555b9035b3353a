"""Scrapy spiders for the protocols without OAI-PMH: ``json-api`` and ``sitemap-jsonld``.

Each crawl runs in a child process (Twisted's reactor cannot be restarted):
:mod:`~harvester.fetch.spiders.child` runs the spider there and sends pages of raw records back;
:mod:`~harvester.fetch.spiders.harvest` (the parent) stores them like the OAI-PMH path does.
"""
