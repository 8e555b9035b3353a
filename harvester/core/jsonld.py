"""schema.org JSON-LD as sources embed it: keys without prefixes, nodes of wanted types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SCHEMA_PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/")


def schema_key(key: str) -> str:
    """``schema:name`` / ``https://schema.org/name`` → ``name``."""
    for prefix in SCHEMA_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        out = {schema_key(k): _plain(v) for k, v in node.items()}
        kind = out.get("@type")
        if isinstance(kind, str):
            out["@type"] = schema_key(kind)
        elif isinstance(kind, list):
            out["@type"] = [schema_key(k) if isinstance(k, str) else k for k in kind]
        return out
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


def jsonld_nodes(document: Any, types: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every node of a wanted type, in document order, through lists, ``@graph`` and nesting."""
    wanted = {schema_key(t) for t in types}
    yield from _walk(_plain(document), wanted, 0)


def _walk(node: Any, wanted: set[str], depth: int) -> Iterator[dict[str, Any]]:
    if depth > 20:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, wanted, depth + 1)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = {kind} if isinstance(kind, str) else {k for k in kind or [] if isinstance(k, str)}
        if kinds & wanted:
            yield node
            return
        for value in node.values():
            yield from _walk(value, wanted, depth + 1)
