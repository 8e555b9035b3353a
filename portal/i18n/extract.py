"""A Babel extractor for the vocabulary tables (``mappings/vocabularies/*.yaml``): each
term's ``label``, with its vocabulary as context, for the ``vocabulary`` catalogue.

``babel-vocabulary.cfg`` names it and, per file, which sections hold terms and their context::

    [vocabulary: mappings/vocabularies/status.yaml]
    terms = status
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

Extracted = tuple[int, str, tuple[str, str], list[str]]


def _mapping(node: yaml.Node, key: str) -> yaml.MappingNode | None:
    """The mapping under ``key`` in a YAML mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value if isinstance(value, yaml.MappingNode) else None
    return None


def extract_vocabulary(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, str],
) -> Iterator[Extracted]:
    """Yield ``(line, "pgettext", (context, label), comments)`` for each term's label.

    Args:
        fileobj: The YAML file.
        keywords: Babel's keywords (unused: labels are found by structure, not by call).
        comment_tags: Unused.
        options: Section name in the file → context of its labels.
    """
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    for section, context in options.items():
        terms = _mapping(root, section) if root is not None else None
        if terms is None:
            raise ValueError(f"no '{section}' mapping of terms in the vocabulary file")
        for term_node, entry in terms.value:
            label = _mapping_scalar(entry, "label")
            if label is not None:
                line = label.start_mark.line + 1
                yield line, "pgettext", (context, label.value), [f"term: {term_node.value}"]


def _mapping_scalar(node: yaml.Node, key: str) -> yaml.ScalarNode | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value if isinstance(value, yaml.ScalarNode) else None
    return None
