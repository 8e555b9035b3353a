"""``csfinder bench fair``: an assessor of landing pages by the FAIRsFAIR data object
metrics, over HTTP, independent of how csfinder scores its own records.

- :mod:`~.evidence`: what the page and the links it offers machines say;
- :mod:`~.metrics`: the metrics' tests on that evidence;
- :mod:`~.command`: the command line.
"""
