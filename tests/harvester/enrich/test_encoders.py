"""The encoders behind one interface, their notices when absent or not chosen."""

from __future__ import annotations

from harvester.enrich.encoders import ENCODER_NAMES, encoder_notice, load_encoder


def test_e5_marks_queries_and_passages_and_ranks_the_translation_first() -> None:
    encoder = load_encoder("e5")
    assert encoder is not None and (encoder.name, encoder.dims) == ("e5", 384)
    query = encoder.query("water quality")
    passages = encoder.passages(["vízminőség a folyókban", "madárszámlálás"])  # hu
    assert passages.shape == (2, 384) and query.shape == (384,)
    assert float(passages[0] @ query) > float(passages[1] @ query)


def test_notices_say_why_search_is_by_words_only() -> None:
    assert encoder_notice("use") is None  # the test extra installs both
    assert encoder_notice("e5") is None
    assert load_encoder("none") is None
    assert encoder_notice("none") == "no encoder chosen (CSFINDER_ENCODER=none): search is lexical"
    assert "unknown encoder 'bert'" in (encoder_notice("bert") or "")
    assert ENCODER_NAMES == ("use", "e5", "none")
