"""One audit of a real portal over hostile records, for tests: ``python -m
tests.support.audit_run HOME`` harvests the hostile sample provider into HOME (on
loopback), serves the portal (``csfinder serve``, two workers) and prints the report of
``csfinder audit`` as one JSON line. CI runs it inside a network namespace with loopback only
(``unshare -n``), so that a regression of the URL guard cannot reach any other address.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from werkzeug.security import generate_password_hash

from harvester.core.settings import load_settings
from harvester.core.sources import SourceConfig
from harvester.index.service import open_index
from harvester.pipeline.harvest import harvest_source
from harvester.sample_provider import OAIProvider, serve
from harvester.sample_provider.hostile import TOKEN, hostile_repository
from harvester.store import Store
from portal.audit.cli import run_audit
from tests.support.engines import free_port
from tests.support.portal_server import serve_portal

PASSWORD = "audit password, not a real one"


def harvest_hostile(home: Path, records: int = 10) -> dict[str, str]:
    """Harvest the hostile provider into ``home``; the environment that serves it."""
    env = {"CSFINDER_HOME": str(home / "var"), "CSFINDER_CONFIG": str(home / "config")}
    (home / "config" / "sources").mkdir(parents=True, exist_ok=True)
    settings = load_settings(env)
    settings.home.mkdir(parents=True, exist_ok=True)
    with serve(OAIProvider(hostile_repository(records), page_size=5)) as server:
        source = SourceConfig(
            id="hostile",
            name="Hostile provider",
            platform="test",
            protocol="oai-pmh",
            url=server.url,
            metadata_prefix="oai_dc",
            crosswalk="oai_dc",
        )
        store = Store(settings.database_url)
        try:
            harvest_source(source, store, settings.harvest, index=open_index(settings))
        finally:
            store.close()
    return env


def main(home: Path, *extra: str) -> int:
    env = harvest_hostile(home)
    env.update(
        CSFINDER_ADMIN_PASSWORD_HASH=generate_password_hash(PASSWORD),
        CSFINDER_SECURE_COOKIES="0",
    )
    for setting in extra:  # NAME=VALUE: CSFINDER_ALLOW_PRIVATE_URLS=1 for a control run, ...
        name, _, value = setting.partition("=")
        env[name] = value
    port = free_port()
    env.setdefault("CSFINDER_PUBLIC_URL", f"http://127.0.0.1:{port}")  # as in production
    with serve_portal(env, workers=2, port=port) as portal:
        report = run_audit(portal.url, planted=TOKEN, user="admin", password=PASSWORD)
    print(json.dumps(report.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), *sys.argv[2:]))
