"""The ``csfinder`` command line (``harvester.cli.main:main``): one module of commands per
stage, sharing :mod:`harvester.cli.app`."""
