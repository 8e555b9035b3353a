"""The :class:`Store`: one object over one database, composed of one mixin per table family.

Each family (raw records, normalised records, runs, leases, the OAI-PMH provider's changes,
administrators' sessions, clusters and curators' decisions) lives in its own module; all of
them share the engine that :class:`StoreBase` opens.
"""

from __future__ import annotations

from harvester.store.changes import Changes
from harvester.store.clusters import Clusters
from harvester.store.decisions import Decisions
from harvester.store.leases import Leases
from harvester.store.normalised import NormalisedRecords
from harvester.store.raw import RawRecords
from harvester.store.runs import Runs
from harvester.store.sessions import AdminSessions
from harvester.store.vectors import Vectors


class Store(
    RawRecords,
    NormalisedRecords,
    Runs,
    Leases,
    Changes,
    AdminSessions,
    Clusters,
    Decisions,
    Vectors,
):
    """Raw records and harvest runs in one relational database.

    A page of records and the run's checkpoint are written in one transaction: a harvest
    killed at any moment resumes with nothing lost or doubled.
    """
