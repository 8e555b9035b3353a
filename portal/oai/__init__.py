"""OAI-PMH 2.0 at ``/oai``: the aggregate re-exposed for other infrastructures to harvest.

Six verbs over GET and POST (form-encoded); ``oai_dc`` and ``oai_datacite`` (DataCite
kernel 4); sets by platform, source, kind and country; signed, expiring resumption tokens;
deleted records kept as deletion notices; protocol errors with HTTP 200.

The blueprint is :mod:`portal.oai.endpoint`; the protocol engine :mod:`portal.oai.provider`;
the metadata formats :mod:`portal.oai.formats`; configuration :mod:`portal.oai.config`.
"""
