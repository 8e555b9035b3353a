"""The Elasticsearch search backend: same query semantics as the embedded one, on a cluster."""

from harvester.index.elastic.backend import ElasticIndex

__all__ = ["ElasticIndex"]
