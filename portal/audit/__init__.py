"""``csfinder audit URL``: probes a running portal as an attacker would, so that a regression
of what ``SECURITY.md`` promises shows in CI.

Each probe family is a module: :mod:`~.leaks` (no e-mail address, control character or
planted marker in any output), :mod:`~.queries` (hostile queries and requests answer 4xx
in the surface's shape, never 500), :mod:`~.ssrf` (registered URLs that point inside are
refused before any connection), :mod:`~.sessions` (CSRF, cookie flags, sessions revoked by
logout). Every probe talks HTTP to the portal (:mod:`~.target`); the report says what was
checked and what failed (:mod:`~.report`).
"""
