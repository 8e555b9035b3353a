"""The app factory: the portal for a data folder, with every surface's blueprint."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from harvester.core.settings import Settings, load_settings
from portal import (
    admin,
    api,
    catalog,
    curation,
    health,
    metrics,
    records,
    register,
    search,
    sources,
)
from portal.auth import csrf, init_auth
from portal.i18n import init_i18n
from portal.insights import views as insights
from portal.oai import endpoint as oai
from portal.public_url import init_public_url
from portal.request_checks import init_request_checks
from portal.security import init_security
from portal.services import Services


def create_app(settings: Settings | None = None, **config: Any) -> Flask:
    """Build the portal for a data folder (``CSFINDER_HOME``) and its configuration.

    Args:
        settings: where the store, index and source files are; read from the environment
            when not given.
        config: Flask configuration overrides (``TESTING``, ``EXPORT_LIMIT``, ...).
    """
    chosen = settings or load_settings()
    app = Flask(__name__)
    app.config.update(EXPORT_LIMIT=10_000)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep facet and field order
    app.config.update(config)
    app.extensions["csfinder"] = Services(chosen)
    init_request_checks(app)  # first: every later hook may read the parameters
    init_public_url(app, chosen.portal)
    init_i18n(app)
    init_security(app)
    init_auth(app, chosen.portal)
    blueprints = (
        search,
        insights,
        records,
        catalog,
        register,
        sources,
        admin,
        curation,
        api,
        health,
        oai,
    )
    for module in (*blueprints, metrics):
        app.register_blueprint(module.blueprint)
    for name in CSRF_EXEMPT:  # protocols other machines POST to, without a session
        if name in app.blueprints:
            csrf.exempt(app.blueprints[name])
    hops = chosen.portal.trusted_proxies
    if hops:  # the client address limits count is the one the outermost proxy saw
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


CSRF_EXEMPT = ("oai", "api")
