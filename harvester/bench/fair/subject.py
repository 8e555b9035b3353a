"""The page's main entity in the gathered RDF, and a metric's result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from harvester.bench.fair.evidence import Evidence
from harvester.bench.fair.vocab import SDO_HTTP, SDO_HTTPS

NOT_APPLICABLE: Final = "not applicable: a project has no data files"


@dataclass(frozen=True)
class Result:
    """One metric's outcome: points earned, points that apply (0: not applicable), why."""

    metric: str
    earned: float
    points: int
    reason: str


class Subject:
    """The page's main entity in the gathered RDF, with look-ups by property."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.graph: Graph = evidence.graph
        self.node: Node = main_node(self.graph, evidence.final_url or evidence.url)

    def values(self, *names: str) -> list[Node]:
        """The values of schema.org (http or https) or full-IRI properties."""
        found: list[Node] = []
        for name in names:
            predicates = [URIRef(name)] if ":" in name else [SDO_HTTPS[name], SDO_HTTP[name]]
            for predicate in predicates:
                found.extend(self.graph.objects(self.node, predicate))
        return found

    def types(self) -> set[str]:
        return {str(t) for t in self.graph.objects(self.node, RDF.type)}

    def is_project(self) -> bool:
        return any(t.endswith(("/ResearchProject", "/Project")) for t in self.types())

    def of(self, node: Node, *names: str) -> list[Node]:
        """Values of schema.org properties of another node."""
        return [
            value
            for name in names
            for predicate in (SDO_HTTPS[name], SDO_HTTP[name])
            for value in self.graph.objects(node, predicate)
        ]


def main_node(graph: Graph, page: str) -> Node:
    """The page's IRI when the RDF describes it, else the typed node no other node points
    to (the root of the description) with the most statements."""
    for candidate in (URIRef(page), URIRef(page.split("#")[0])):
        if (candidate, RDF.type, None) in graph:
            return candidate
    typed = set(graph.subjects(RDF.type, None))
    roots = [n for n in typed if not any(graph.subjects(None, n))] or list(typed)
    if not roots:
        return URIRef(page)
    return max(roots, key=lambda node: (len(list(graph.predicate_objects(node))), str(node)))


def tests(metric: str, parts: Iterable[tuple[bool, str]]) -> Result:
    """A metric of one point per test passed."""
    listed = list(parts)
    earned = sum(1 for ok, _ in listed if ok)
    return Result(metric, earned, len(listed), "; ".join(text for _, text in listed))
