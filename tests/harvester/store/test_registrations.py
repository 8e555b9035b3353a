"""Registered sources: pending until reviewed, merged with the files once approved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harvester.store import Store
from harvester.store.registrations import (
    RegistrationError,
    export_yaml,
    get,
    load_all_sources,
    registrations,
    review,
    set_schedule,
    source_from_form,
    submit,
)


def a_source(source_id: str = "birds") -> dict[str, str]:
    return {
        "id": source_id,
        "name": "Bird atlas",
        "platform": "Atlas",
        "protocol": "oai-pmh",
        "url": "https://atlas.example.org/oai",
        "metadata_prefix": "oai_dc",
        "crosswalk": "oai_dc",
    }


def test_a_registration_waits_until_approved(store: Store, tmp_path: Path) -> None:
    submit(store, source_from_form(a_source()), "ops@atlas.example.org", "CC0-1.0")
    assert [r.status for r in registrations(store)] == ["pending"]
    assert "birds" not in load_all_sources(tmp_path, store).sources
    review(store, "birds", "approve", "admin")
    loaded = load_all_sources(tmp_path, store)
    assert loaded.sources["birds"].url == "https://atlas.example.org/oai"
    review(store, "birds", "disable", "admin")
    assert "birds" not in load_all_sources(tmp_path, store).sources
    found = get(store, "birds")
    assert found is not None and found.status == "disabled" and found.reviewer == "admin"


def test_a_file_wins_over_a_registration_with_its_id(store: Store, tmp_path: Path) -> None:
    (tmp_path / "birds.yaml").write_text(
        yaml.safe_dump({k: v for k, v in a_source().items() if k != "id"} | {"name": "From file"})
    )
    submit(store, source_from_form(a_source()), "ops@atlas.example.org", "CC0-1.0")
    review(store, "birds", "approve", "admin")
    loaded = load_all_sources(tmp_path, store)
    assert loaded.sources["birds"].name == "From file"
    assert any("also a config file" in str(e) for e in loaded.errors)


def test_bad_registrations_are_refused_with_a_reason(store: Store) -> None:
    with pytest.raises(RegistrationError, match="url"):
        source_from_form(a_source() | {"url": "ftp://x"})
    with pytest.raises(RegistrationError, match="metadata_prefix"):
        source_from_form(a_source() | {"metadata_prefix": ""})
    source = source_from_form(a_source())
    with pytest.raises(RegistrationError, match="contact"):
        submit(store, source, " ", "CC0-1.0")
    with pytest.raises(RegistrationError, match="licence"):
        submit(store, source, "ops@x.org", "")
    submit(store, source, "ops@x.org", "CC0-1.0")
    with pytest.raises(RegistrationError, match="already registered"):
        submit(store, source, "ops@x.org", "CC0-1.0")
    with pytest.raises(RegistrationError, match="unknown action"):
        review(store, "birds", "explode", "admin")
    with pytest.raises(RegistrationError, match="no registered source"):
        review(store, "nobody", "approve", "admin")


def test_schedules_are_checked_cron(store: Store) -> None:
    submit(store, source_from_form(a_source()), "ops@x.org", "CC0-1.0")
    assert set_schedule(store, "birds", "15 4 * * *", "admin").source.schedule == "15 4 * * *"
    with pytest.raises(RegistrationError, match="cron"):
        set_schedule(store, "birds", "every day", "admin")
    assert set_schedule(store, "birds", "", "admin").source.schedule is None


def test_export_writes_a_source_file_without_the_contact(store: Store, tmp_path: Path) -> None:
    registration = submit(store, source_from_form(a_source()), "ops@atlas.example.org", "CC0-1.0")
    text = export_yaml(registration)
    assert "ops@atlas.example.org" not in text and "CC0-1.0" in text
    (tmp_path / "birds.yaml").write_text(text)
    loaded = load_all_sources(tmp_path, store)
    assert loaded.sources["birds"] == registration.source


def test_a_registered_csv_source_must_be_on_the_web(store: Store) -> None:
    # a file path is for sources from config files: an operator's form never reads the disk
    csv = a_source() | {"protocol": "csv", "metadata_prefix": "", "crosswalk": "jrc_citsci"}
    with pytest.raises(RegistrationError, match="url: must be an http"):
        source_from_form(csv | {"url": "/etc/passwd"})
    with pytest.raises(RegistrationError, match="url: must be an http"):
        source_from_form(csv | {"url": "file:///etc/passwd"})
    assert source_from_form(csv | {"url": "https://x.example.org/list.csv"}).protocol == "csv"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Bird atlas, write to jo@example.org"),
        ("name", "Bird atlas \u202eslaes"),
        ("platform", "Atlas (jo [at] example [dot] org)"),
    ],
)
def test_a_registered_name_shown_publicly_holds_no_address_or_control(
    field: str, value: str
) -> None:
    with pytest.raises(RegistrationError, match=f"{field}: holds an e-mail address"):
        source_from_form(a_source() | {field: value})
