"""Search: one query model, the embedded SQLite FTS5 backend and the Elasticsearch one."""
