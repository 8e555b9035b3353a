"""The csfinder portal: a Flask app factory (``portal.app.create_app``) and one blueprint per
surface. The package itself imports nothing, so that the command line can load its plugins
(``portal.cli``, ``portal.bench``) without loading the app."""
