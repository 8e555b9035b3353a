"""The search contract: every backend answers the same queries the same way."""

from __future__ import annotations

import pytest

from harvester.index.base import SearchIndex, SearchResult
from harvester.index.query import QueryError, SearchQuery, build_query
from tests.harvester.index.corpus import corpus, doc, rid
from tests.support.elastic_gaps import GEO_SHAPE_QUERY


def search(
    index: SearchIndex, text: str = "", *pairs: tuple[str, str], **options: object
) -> SearchResult:
    return index.search(build_query(text, pairs, **options))  # type: ignore[arg-type]


def titles(result: SearchResult) -> list[str]:
    return [str(hit.summary["title"]) for hit in result.hits]


def counts(result: SearchResult, facet: str) -> dict[str, int]:
    return {c.value: c.count for c in result.facets[facet]}


def test_an_empty_query_lists_every_record_newest_first(loaded: SearchIndex) -> None:
    result = search(loaded, per_page=100)
    assert result.total == len(corpus())
    assert result.sort == "newest"
    assert titles(result)[0] == "Plankton <script>alert(1)</script> & friends"  # 2022
    assert loaded.count() == len(corpus())


def test_words_match_in_any_field_and_all_words_must_match(loaded: SearchIndex) -> None:
    assert set(titles(search(loaded, "hedgehogs"))) == {"Hedgehog Street"}
    assert set(titles(search(loaded, "plastikmüll"))) == {"Müll im Fluss"}
    assert set(titles(search(loaded, "garden birds"))) == {"Garden bird counts 2012-2020"}
    assert search(loaded, "hedgehogs plankton").total == 0


def test_diacritics_and_case_are_folded_both_ways(loaded: SearchIndex) -> None:
    assert titles(search(loaded, "MULL")) == ["Müll im Fluss"]
    assert titles(search(loaded, "evora")) == ["Calidad del aire en Évora y Sevilla"]
    assert titles(search(loaded, "Évora")) == ["Calidad del aire en Évora y Sevilla"]
    assert titles(search(loaded, "θαλασσια")) == ["Θαλάσσια απορρίμματα"]


def test_words_also_match_their_stems_in_the_records_language(loaded: SearchIndex) -> None:
    assert titles(search(loaded, "citizen")) == ["Noise maps by citizens"]
    assert titles(search(loaded, "hedgehog", lang="en")) == ["Hedgehog Street"]
    assert set(titles(search(loaded, "counting"))) == {
        "Counting stars at night",
        "Garden bird counts 2012-2020",  # "counts", "Counts"
        "Hedgehog Street",  # "Volunteers count hedgehogs"
    }
    assert titles(search(loaded, "strasse")) == titles(search(loaded, "straße"))


def test_exact_forms_rank_before_their_stems(loaded: SearchIndex) -> None:
    assert titles(search(loaded, "counting"))[0] == "Counting stars at night"
    assert titles(search(loaded, "counts"))[0] == "Garden bird counts 2012-2020"


def test_a_query_in_another_language_is_not_stemmed_as_english(loaded: SearchIndex) -> None:
    assert titles(search(loaded, "aire", lang="es")) == ["Calidad del aire en Évora y Sevilla"]
    assert set(titles(search(loaded, "air", lang="en"))) == {  # Spanish "aire" is not "air"
        "Noise maps by citizens",
        "Calidad del aire en Évora y Sevilla",  # through its keyword "air quality"
    }


def test_phrases_prefixes_and_exclusions_stay_exact(loaded: SearchIndex) -> None:
    assert search(loaded, '"citizen"').total == 0
    assert titles(search(loaded, '"citizens"')) == ["Noise maps by citizens"]
    assert search(loaded, "citize*").total == 1
    assert "Noise maps by citizens" in titles(search(loaded, "-citizen", per_page=100))
    assert "Noise maps by citizens" not in titles(search(loaded, "-citizens", per_page=100))


def test_phrases_need_the_words_together(loaded: SearchIndex) -> None:
    assert set(titles(search(loaded, '"water quality"'))) == {"Meet het water", "Müll im Fluss"}
    assert search(loaded, '"quality water"').total == 0
    assert search(loaded, '"light pollution').total == 1  # an unclosed quote runs to the end


def test_prefix_exclusion_and_or(loaded: SearchIndex) -> None:
    assert set(titles(search(loaded, "hedge*"))) == {"Hedgehog Street"}
    assert set(titles(search(loaded, "oiseau*"))) == {"Oiseaux des jardins"}
    birds = {"Oiseaux des jardins", "Garden bird counts 2012-2020"}
    assert set(titles(search(loaded, "birds -volunteers"))) == birds - {
        "Garden bird counts 2012-2020"
    }
    assert set(titles(search(loaded, "hedgehogs OR plankton"))) == {
        "Hedgehog Street",
        "Plankton <script>alert(1)</script> & friends",
    }
    only_excluded = search(loaded, "-water", per_page=100)
    assert only_excluded.total == len(corpus()) - 4  # Water, Water, Meet het water, Müll (quality)


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"""',
        "-",
        "OR",
        "OR OR water OR",
        "*",
        "water*  *",
        "AND NOT ( ) : ^ ~ [ ] { } \\ /",
        "'; DROP TABLE docs; --",
        "title:water",
        "NEAR(water quality)",
        '"unbalanced phrase',
        '-""',
        "\x00\x02\x03",
        "a" * 5000,
        "🙂 emoji 🐝",
    ],
)
def test_whatever_is_typed_answers_without_error(loaded: SearchIndex, text: str) -> None:
    result = search(loaded, text)
    assert result.total >= 0
    assert all("<script>" not in hit.title_html for hit in result.hits)


def test_title_matches_rank_above_description_matches(loaded: SearchIndex) -> None:
    result = search(loaded, "water")
    ranked = [hit.id for hit in result.hits]
    in_title = {rid("thin-water"), rid("rich-water"), rid("water-nl")}
    assert set(ranked[:3]) == in_title
    assert ranked.index(rid("water-nl")) < ranked.index(rid("water-de", "second"))


def test_a_persistent_identifier_and_rich_metadata_win_a_tie(loaded: SearchIndex) -> None:
    ranked = [hit.id for hit in search(loaded, "water").hits]
    assert ranked.index(rid("rich-water")) < ranked.index(rid("thin-water"))


def test_values_of_one_facet_are_or_and_facets_are_and(loaded: SearchIndex) -> None:
    either = search(loaded, "", ("country", "NL"), ("country", "GB"))
    assert set(titles(either)) == {"Meet het water", "Hedgehog Street"}
    both = search(loaded, "", ("country", "DE"), ("license", "CC-BY-4.0"))
    assert set(titles(both)) == {"Müll im Fluss", "Counting stars at night"}
    assert search(loaded, "", ("country", "NL"), ("kind", "dataset")).total == 0


def test_a_facets_own_selection_does_not_shrink_its_counts(loaded: SearchIndex) -> None:
    result = search(loaded, "", ("country", "DE"), ("language", "de"))
    assert result.total == 2
    country = counts(result, "country")
    assert country["DE"] == 2 and country["AT"] == 1  # narrowed by language only
    language = counts(result, "language")
    assert language["de"] == 2 and language["en"] == 1  # narrowed by country only
    kind = counts(result, "kind")
    assert kind == {"project": 2}  # narrowed by both
    selected = {c.value for c in result.facets["country"] if c.selected}
    assert selected == {"DE"}


def test_a_selected_value_with_no_records_is_still_listed(loaded: SearchIndex) -> None:
    result = search(loaded, "", ("country", "JP"))
    assert result.total == 0
    assert [(c.value, c.count, c.selected) for c in result.facets["country"] if c.selected] == [
        ("JP", 0, True)
    ]


def test_every_filter_narrows_as_documented(loaded: SearchIndex) -> None:
    assert set(titles(search(loaded, "", ("sdg", "14")))) == {
        "Müll im Fluss",
        "Θαλάσσια απορρίμματα",
    }
    assert set(titles(search(loaded, "", ("topic", "1.3")))) == {"Counting stars at night"}
    assert set(titles(search(loaded, "", ("status", "paused")))) == {"Noise maps by citizens"}
    assert titles(search(loaded, "", ("access", "restricted"))) == [
        "Calidad del aire en Évora y Sevilla"
    ]
    assert search(loaded, "", ("license", "other")).total == 1
    assert search(loaded, "", ("platform", "otherplatform")).total == 2
    assert search(loaded, "", ("source", "second")).total == 2
    assert search(loaded, "", ("has_pid", "true")).total == 3
    assert search(loaded, "", ("year", "2016")).total == 1


def test_year_range(loaded: SearchIndex) -> None:
    ranged = search(loaded, "", ("year_from", "2018"), ("year_to", "2020"), per_page=50)
    assert set(titles(ranged)) == {
        "Müll im Fluss",
        "Calidad del aire en Évora y Sevilla",
        "Θαλάσσια απορρίμματα",
    }


@pytest.mark.es_feature(GEO_SHAPE_QUERY)
def test_bounding_box(loaded: SearchIndex) -> None:
    netherlands = search(loaded, "", ("bbox", "3,50,7,54"))
    assert set(titles(netherlands)) == {"Meet het water"}
    alps = search(loaded, "", ("bbox", "10,46,11,48"))  # inside the German-Austrian box
    assert set(titles(alps)) == {"Müll im Fluss"}
    assert search(loaded, "", ("bbox", "170,-10,-170,10")).total == 0  # across the antimeridian


def test_sorting_by_title_and_by_date(loaded: SearchIndex) -> None:
    by_title = titles(search(loaded, "", sort="title", per_page=100))
    assert by_title[:3] == [
        "Calidad del aire en Évora y Sevilla",
        "Counting stars at night",
        "Garden bird counts 2012-2020",
    ]
    dated = search(loaded, "water", sort="newest")
    assert [hit.id for hit in dated.hits][:2] == [rid("water-nl"), rid("water-de", "second")]
    assert dated.total == 4  # ends 2019-12-31, starts 2018-06-01, then the undated Water


def test_paging_is_stable_and_complete(loaded: SearchIndex) -> None:
    pages = [search(loaded, "", page=n, per_page=5) for n in (1, 2, 3)]
    ids = [hit.id for page in pages for hit in page.hits]
    assert len(ids) == len(corpus()) == len(set(ids))
    assert [hit.id for hit in search(loaded, "", page=2, per_page=5).hits] == ids[5:10]


def test_paging_past_the_window_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match="first 10,000"):
        SearchQuery(page=501, per_page=20)


def test_highlights_are_escaped_and_marked(loaded: SearchIndex) -> None:
    hit = search(loaded, "plankton").hits[0]
    assert "<mark>Plankton</mark>" in hit.title_html
    assert "&lt;script&gt;" in hit.title_html and "<script>" not in hit.title_html
    assert "&amp;" in hit.title_html
    assert "<mark>plankton</mark>" in hit.snippet_html
    assert "<b>" not in hit.snippet_html


def test_without_text_hits_show_their_escaped_title(loaded: SearchIndex) -> None:
    result = search(loaded, "", ("country", "GR"), ("language", "el"), ("year", "2022"))
    assert (
        result.hits[0].title_html == "Plankton &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"
    )


def test_title_suggestions_for_a_prefix(loaded: SearchIndex) -> None:
    found = [s.title for s in loaded.suggest("hedge")]
    assert found == ["Hedgehog Street"]
    assert "Garden bird counts 2012-2020" in [s.title for s in loaded.suggest("gard")]
    assert [s.title for s in loaded.suggest("meet het w")] == ["Meet het water"]
    assert loaded.suggest("") == []
    assert loaded.suggest('"*') == []


def test_updates_replace_and_deletions_disappear(loaded: SearchIndex) -> None:
    loaded.upsert([doc("hedgehogs", "Hedgehog Street revisited", countries=["IE"])])
    result = search(loaded, "hedgehog*")
    assert titles(result) == ["Hedgehog Street revisited"]
    assert counts(result, "country") == {"IE": 1}
    stats = loaded.delete([rid("hedgehogs"), "contract:0000000000000000"])
    assert stats.deleted == 1
    assert search(loaded, "hedgehog*").total == 0
    everything = search(loaded, "", per_page=100)
    assert everything.total == len(corpus()) - 1
    assert "IE" not in counts(everything, "country")


def test_rebuild_replaces_the_whole_index(loaded: SearchIndex) -> None:
    built = loaded.rebuild([doc("only", "The only record left", countries=["FI"])])
    assert built == 1
    result = search(loaded, "")
    assert titles(result) == ["The only record left"]
    assert counts(result, "country") == {"FI": 1}
    assert loaded.ping()
