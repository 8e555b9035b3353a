"""Property tests: no normaliser raises, and every output is valid."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.normalise import vocab
from harvester.normalise.vocab.dates import ISO_DATE
from harvester.normalise.vocab.topics import fields_of_science

TEXT = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.text(alphabet="0123456789-/.:T+Z ", max_size=30),
    st.text(alphabet="<>/&;amplgtp#[]()@. \n", max_size=60),
    st.sampled_from(["Germany", "CC BY 4.0", "2021-05", "SDG 3", "<p>x</p>", "Active"]).flatmap(
        lambda seed: st.text(max_size=10).map(lambda extra: seed + extra)
    ),
)
NOT_TEXT = st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text(max_size=3)))
COUNTRIES = {c.alpha_2 for c in pycountry.countries}
LANGUAGE = re.compile(r"^[a-z]{2}$")
TAG = re.compile(r"<[A-Za-z!?/]")


@settings(max_examples=300, deadline=None)  # the first call loads the vocabularies
@given(TEXT)
def test_outputs_are_valid(text: str) -> None:
    assert all(code in COUNTRIES for code in vocab.country_codes(text))
    code = vocab.country_code(text)
    assert code is None or code in COUNTRIES
    language = vocab.language_code(text)
    assert language is None or LANGUAGE.match(language)
    spdx = vocab.spdx_license(text)
    assert spdx is None or spdx in vocab.spdx_ids()
    access = vocab.access_rights(text)
    assert access is None or access in vocab.ACCESS_RIGHTS
    date = vocab.iso_date(text)
    assert date is None or ISO_DATE.match(date)
    start, end = vocab.date_range(text)
    assert all(d is None or ISO_DATE.match(d) for d in (start, end))
    status = vocab.project_status(text)
    assert status is None or status in vocab.PPSR_STATUSES
    assert all(t in fields_of_science() for t in vocab.topics(text))
    assert all(1 <= goal <= 17 for goal in vocab.sdg_numbers(text))


@settings(max_examples=300, deadline=None)  # the first call loads the vocabularies
@given(TEXT)
def test_text_has_no_markup_and_no_addresses(text: str) -> None:
    plain = vocab.plain_text(text)
    assert isinstance(plain, str)
    assert not TAG.search(plain)
    assert plain == plain.strip()
    cleaned = vocab.clean_description(text)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[A-Za-z]{2,}\b", cleaned)


@given(st.from_regex(r"[a-z]{1,10}@[a-z]{1,10}\.(org|com|eu|de)", fullmatch=True), st.text())
def test_every_address_is_removed(address: str, around: str) -> None:
    assert address not in vocab.scrub_emails(f"{around} {address} {around}")


@given(NOT_TEXT)
def test_non_strings_do_not_crash(value: Any) -> None:
    assert vocab.country_codes(value) == []
    assert vocab.country_code(value) is None
    assert vocab.language_code(value) is None
    assert vocab.spdx_license(value) is None
    assert vocab.access_rights(value) is None
    assert vocab.iso_date(value) is None
    assert vocab.date_range(value) == (None, None)
    assert vocab.project_status(value) is None
    assert vocab.topics(value) == []
    assert vocab.sdg_numbers(value) == []
    assert vocab.plain_text(value) == ""
    assert vocab.scrub_emails(value) == ""
    assert vocab.clean_description(value) == ""


@given(
    st.integers(min_value=1000, max_value=2100),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
def test_day_first_round_trip(year: int, month: int, day: int) -> None:
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    assert vocab.iso_date(f"{day:02d}.{month:02d}.{year}") == iso
    assert vocab.iso_date(f"{day}/{month}/{year}") == iso
    assert vocab.iso_date(iso) == iso


def test_huge_inputs_are_fast() -> None:
    huge = "Germany, " * 50_000 + "<p>" * 10_000 + "a@" * 50_000 + "x [at] y " * 10_000
    for function in (
        vocab.country_codes,
        vocab.language_code,
        vocab.spdx_license,
        vocab.access_rights,
        vocab.iso_date,
        vocab.project_status,
        vocab.topics,
        vocab.sdg_numbers,
        vocab.clean_description,
    ):
        function(huge)  # must return, and quickly (the suite has no timeout; see the benchmark)


def test_speed() -> None:
    """Field normalisers manage tens of thousands of calls a second (cached or not)."""
    import time

    values = [f"Region {i}, Germany" for i in range(2000)] + ["CC BY 4.0", "14.09.2021"] * 1000
    started = time.perf_counter()
    for value in values:
        vocab.country_codes(value)
        vocab.spdx_license(value)
        vocab.iso_date(value)
    elapsed = time.perf_counter() - started
    assert len(values) * 3 / elapsed > 20_000
