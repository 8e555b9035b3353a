"""Match sets within a few columns: what ranks a large match set by its titles and keywords."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.index.sqlite.backend import SqliteIndex
from harvester.index.sqlite.cache import VersionedCache
from harvester.index.sqlite.matching import Matcher, fts_expression
from harvester.index.stemming import with_stems
from harvester.index.text import parse_text
from tests.harvester.index.corpus import doc, rid


@pytest.fixture
def index(tmp_path: Path) -> SqliteIndex:
    """Birds in a title, in keywords only, and as another form in a description only."""
    opened = SqliteIndex(tmp_path / "index")
    opened.upsert(
        [
            doc("title", "Garden Birds Watch", languages=["en"]),
            doc("keywords", "Winter Watch", keywords=["birds"], languages=["en"]),
            doc("stem", "Wetland Survey", description="Every bird is counted.", languages=["en"]),
            doc("none", "Hedgehog Street", description="Mammals only.", languages=["en"]),
        ]
    )
    return opened


@pytest.mark.parametrize("cache_bytes", [0, 1 << 20], ids=["uncached", "cached"])
def test_words_within_columns_match_those_columns_only_never_by_stems(
    index: SqliteIndex, cache_bytes: int
) -> None:
    text = with_stems(parse_text("birds"), ("en",))
    assert text.clauses[0][0].stems  # "birds" also matches the stem of "bird" elsewhere
    conn, state, version = index._reader()
    matcher = Matcher(VersionedCache(cache_bytes))
    ids = dict(conn.execute("SELECT rowid, id FROM docs").fetchall())

    def found(columns: str) -> set[str]:
        return {ids[r] for r in matcher.in_columns(conn, columns, text, version)}

    assert found("title alt_titles") == {rid("title")}
    assert found("keywords") == {rid("keywords")}
    _, everywhere = matcher.match(conn, text, state.live, version)
    assert {ids[r] for r in everywhere} == {rid("title"), rid("keywords"), rid("stem")}
    assert "stems" not in fts_expression(text.clauses, "title alt_titles")
