"""How large a request may be, in one place: gunicorn enforces the request line and the
headers (:mod:`portal.cli`), the app the body (:mod:`portal.request_checks`); the OpenAPI
document states them with the errors that answer a request over them."""

from __future__ import annotations

MAX_REQUEST_LINE = 8190
"""Bytes of the request line (method, path, query string, version): gunicorn's largest
setting, twice its default, room for every filter the search takes. Longer: 414."""
MAX_HEADER_FIELDS = 100
"""Header fields a request may carry (gunicorn's default). More: 431."""
MAX_HEADER_FIELD_BYTES = 8190
"""Bytes of one header field (gunicorn's default). Longer: 431."""
MAX_BODY_BYTES = 64 * 1024
"""Bytes of a request body: the portal's forms need far less, the API none. Larger: 413."""
