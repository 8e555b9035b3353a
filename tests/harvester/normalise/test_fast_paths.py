"""Every shortcut taken for speed gives what the long way gives, and caches change nothing.

Child-step paths against XPath are in ``normalise/test_xmlpaths.py``.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from harvester.core.model import LangText, Organisation, QualityIssue, contains_email
from harvester.core.model.checks import _checked_web_url, _key, _web_url
from harvester.normalise import vocab
from harvester.normalise.engine import query_value
from harvester.normalise.quality.landing_pages import (
    _ip_address,
    _plain_host,
    _split_host,
    landing_page_problem,
)
from harvester.normalise.transforms import identifier_of, kind_of
from harvester.normalise.transforms.elements import child_elements, local_name
from harvester.normalise.transforms.media_types import file_name, media_type_from_name
from harvester.normalise.transforms.text import _separator_pattern
from harvester.normalise.values import LANG, XmlValue, element_value
from harvester.normalise.vocab import text as text_module
from tests.support.xml_trees import trees

URL_ALPHABET = "htps:/wexamplorg.-_0123456789@%4[]?#:& \t\nHTMAILO~+é"
URL_LIKE = st.one_of(
    st.text(alphabet=URL_ALPHABET, max_size=40),
    st.tuples(
        st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "mailto:", "", "https:"]),
        st.text(alphabet=URL_ALPHABET, max_size=30),
    ).map("".join),
)


def _outcome(check: Callable[[str], Any], value: str) -> tuple[str, Any]:
    """What ``check`` returns, or the error it raises."""
    try:
        return "value", check(value)
    except ValueError as exc:
        return "error", str(exc)


# --- model -------------------------------------------------------------------------------


PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
"""The plain address form, as the model once looked for it: still found, in every text."""


@settings(max_examples=500)
@given(st.text(alphabet="ab.@%40x-_ \n%2", max_size=30))
def test_contains_email_finds_at_least_the_plain_form(text: str) -> None:
    plain = bool(PLAIN_ADDRESS.search(text) or PLAIN_ADDRESS.search(unquote(text)))
    assert contains_email(text) or not plain


@settings(max_examples=800)
@given(URL_LIKE)
def test_web_url_shortcut_and_cache_agree_with_every_check(value: str) -> None:
    assert _outcome(_web_url.__wrapped__, value) == _outcome(_checked_web_url, value)
    assert _outcome(_web_url, value) == _outcome(_checked_web_url, value)


TEXT_OR_NONE = st.one_of(st.none(), st.sampled_from(["a", "A", "a ", "null", "None", "é"]))


@settings(max_examples=300)
@given(
    st.sampled_from([LangText, Organisation, QualityIssue]),
    st.lists(st.tuples(TEXT_OR_NONE, TEXT_OR_NONE, TEXT_OR_NONE), min_size=2, max_size=2),
)
def test_text_only_models_are_keyed_as_their_json_would_key_them(
    model: Any, rows: list[tuple[str | None, ...]]
) -> None:
    built = []
    for first, second, third in rows:
        fields = {
            LangText: {"value": first or "v", "lang": "en" if second else None},
            Organisation: {"name": first or "n", "role": second, "identifier": third},
            QualityIssue: {"field": first or "f", "problem": "invalid", "detail": third or "d"},
        }[model]
        built.append(model.model_validate(fields))
    one, two = built
    same_json = one.model_dump_json() == two.model_dump_json()
    assert (_key(one) == _key(two)) == same_json


# --- quality ------------------------------------------------------------------------------


@settings(max_examples=800)
@given(URL_LIKE)
def test_plain_url_host_is_what_urlsplit_finds(url: str) -> None:
    plain = _plain_host(url)
    assert plain is None or plain == _split_host(url)


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(alphabet="0123456789.:abcdefx%", max_size=20),
        st.sampled_from(["127.0.0.1", "::1", "10.0.0.1", "fe80::1%eth0", "1.2.3", "example.org"]),
    )
)
def test_ip_address_fast_refusal_agrees_with_ipaddress(host: str) -> None:
    def standard(text: str) -> Any:
        return ipaddress.ip_address(text)

    assert _outcome(_ip_address, host)[0] == _outcome(standard, host)[0]
    if _outcome(standard, host)[0] == "value":
        assert _ip_address(host) == ipaddress.ip_address(host)


@settings(max_examples=300)
@given(URL_LIKE)
def test_cached_landing_page_problem_agrees_with_the_uncached(url: str) -> None:
    cached = _outcome(landing_page_problem, url)
    assert cached == _outcome(landing_page_problem.__wrapped__, url)


# --- transforms ---------------------------------------------------------------------------


def _file_name_the_long_way(url: str) -> str | None:
    """:func:`file_name` as it read every URL before its shortcut and cache."""
    if not re.match(r"^https?://[^/?#]+/", url, re.IGNORECASE):
        return None
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    guessed = media_type_from_name.__wrapped__(name) if "." in name else None
    return name if guessed and guessed not in ("text/html", "application/xhtml+xml") else None


FILE_URL_LIKE = st.one_of(
    URL_LIKE,
    st.tuples(
        st.sampled_from(["http://h/", "https://example.org/a/", "HTTP://x/[", "http://h/d?"]),
        st.text(alphabet="abc./%2E\t\n#?", max_size=12),
        st.sampled_from([".csv", ".CSV", ".html", ".csv.gz", "", "%2Ecsv", ".zip?x=1", "#a.csv"]),
    ).map("".join),
)


@settings(max_examples=800)
@given(FILE_URL_LIKE)
def test_file_name_shortcut_and_cache_agree_with_the_long_way(url: str) -> None:
    assert _outcome(file_name, url) == _outcome(_file_name_the_long_way, url)
    assert _outcome(file_name, url) == _outcome(_file_name_the_long_way, url)  # cached


# --- vocab --------------------------------------------------------------------------------


def _tidy_by_regex(text: str) -> str:
    """The tidying every substitution made, as before the shortcuts."""
    text = text_module._LINE_EDGES.sub("\n", text_module._SPACES.sub(" ", text))
    text = text_module._BREAKS.sub("\n\n", text)
    return text_module._EMPTY_ITEM.sub("- ", text).strip()


@settings(max_examples=800)
@given(st.text(alphabet="ab -\n\t\r\u00a0\u2028\u200b\x0b", max_size=30))
def test_tidy_shortcuts_change_nothing(text: str) -> None:
    assert text_module._tidy(text) == _tidy_by_regex(text)


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="<p>&lt;a@b.org [at] dot\n", max_size=40)))
def test_cached_clean_description_agrees_with_the_uncached(text: str) -> None:
    expected = text_module.scrub_emails(text_module.plain_text(text))
    assert vocab.clean_description(text) == expected
    assert vocab.clean_description(text) == expected  # from the cache


@pytest.mark.parametrize("value", [None, 3, ["<p>x</p>"], b"<p>x</p>"])
def test_clean_description_of_what_is_no_text_is_empty(value: Any) -> None:
    assert vocab.clean_description(value) == ""


def test_load_tables_may_be_called_again() -> None:
    vocab.load_tables()
    vocab.load_tables()
    assert vocab.country_codes("Germany") == ["DE"]


# --- engine and transforms ----------------------------------------------------------------


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=30), st.text(alphabet="oai:x/ %+&=?~._-é", max_size=30)))
def test_query_value_is_what_urlencode_writes(text: str) -> None:
    try:
        expected = quote_plus(text, "")
    except UnicodeEncodeError:  # lone surrogates: both refuse them
        with pytest.raises(UnicodeEncodeError):
            query_value(text)
        return
    assert query_value(text) == expected


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_cached_identifier_recognition_gives_fresh_equal_results(text: str) -> None:
    first, second = identifier_of(text), identifier_of(text)
    assert first == second
    if first is not None:
        assert first is not second  # callers may change their copy
        first["value"] = "changed"
        assert identifier_of(text) == second
    assert kind_of(text) == kind_of.__wrapped__(text)


@settings(max_examples=300)
@given(st.text(alphabet="a;|, .", max_size=20), st.text(alphabet=";|,.*", max_size=3))
def test_compiled_separators_split_as_the_pattern_text_did(text: str, separators: str) -> None:
    pattern = "|".join(re.escape(s) for s in separators)
    assert _separator_pattern(separators).split(text) == re.split(pattern, text)


CHILD_NAMES = ["t", "title", "", "a.b", "{urn:a}t", "*"]


@settings(max_examples=300)
@given(trees(), st.sampled_from(CHILD_NAMES))
def test_children_by_tag_filter_agree_with_the_loop(root: Any, name: str) -> None:
    assert child_elements(root, name) == [child for child in root if local_name(child) == name]


def _read_eagerly(node: Any) -> XmlValue:
    """An element's XmlValue read the long way, everything at once."""
    text = node.text if len(node) == 0 else "".join(node.itertext())
    items = node.items()
    lang = node.get(LANG) if items else None
    return XmlValue(text or "", lang, {k.rpartition("}")[2]: v for k, v in items}, node)


@settings(max_examples=200)
@given(trees(), st.sampled_from([None, "en", ""]), st.booleans())
def test_element_value_reads_lazily_what_the_long_way_reads(
    root: Any, lang: str | None, text_first: bool
) -> None:
    if lang is not None:
        root.set(LANG, lang)
    for node in root.iter(etree.Element):
        lazy, eager = element_value(node), _read_eagerly(node)
        retexted = lazy.with_text("other")  # before anything is read
        if text_first:
            assert lazy.text == eager.text
        assert retexted == XmlValue("other", eager.lang, eager.attrs, None)
        assert retexted.node is None
        assert lazy == eager and repr(lazy) == repr(eager)
        assert (lazy.text, lazy.lang, lazy.attrs, lazy.node) == (
            eager.text,
            eager.lang,
            eager.attrs,
            node,
        )
        assert lazy.with_text("other") == retexted  # after everything is read
        with pytest.raises(dataclasses.FrozenInstanceError):
            lazy.text = "other"  # type: ignore[misc]


def test_xml_value_defaults_and_comparisons() -> None:
    value = XmlValue("a")
    assert (value.text, value.lang, value.attrs, value.node) == ("a", None, {}, None)
    assert value == XmlValue("a", None, {}, etree.Element("e"))  # the node is not compared
    assert value != XmlValue("a", "en") and value != "a"
    assert str(value) == "a" and repr(value) == "XmlValue(text='a', lang=None, attrs={})"
    with pytest.raises(TypeError):
        hash(value)  # as a frozen dataclass with a dict field


def test_plain_patterns_are_anchored_by_fullmatch() -> None:
    # the shortcuts use fullmatch: a plain URL followed by anything else is not plain
    assert _plain_host("https://example.org x") is None
    assert re.fullmatch(r"\S*", "a b") is None
