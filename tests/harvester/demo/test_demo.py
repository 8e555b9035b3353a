"""``csfinder demo`` end to end: sample providers on loopback, harvested into a fresh store."""

from pathlib import Path

import yaml
from click.testing import CliRunner

from harvester.cli.main import main
from harvester.store import Store
from tests.conftest import CliEnv

DATA = Path(__file__).parents[3] / "harvester" / "demo" / "data"


def test_demo_harvests_every_shipped_record(cli_env: CliEnv, tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    result = CliRunner().invoke(
        main, ["demo", "--home", str(home), "--no-serve"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    store = Store(f"sqlite:///{(home / 'csfinder.sqlite3').resolve()}")
    counts = store.record_counts()
    files = sorted(DATA.glob("*.yaml"))
    assert len(files) >= 2
    for path in files:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))["records"]
        source_id = f"demo-{path.stem}"
        deleted = sum(1 for r in records if r.get("deleted"))
        withdrawn = deleted + 1
        assert counts[source_id] == {"records": len(records), "deleted": withdrawn}
        full, incremental = sorted(store.runs(source_id), key=lambda r: r.id)
        assert full.status == incremental.status == "succeeded"
        assert full.counts.added == len(records) - deleted
        assert incremental.from_date == full.response_date
        counted = incremental.counts
        assert (counted.added, counted.updated, counted.deleted, counted.failed) == (0, 1, 1, 0)
        assert counted.seen == 2 + counted.unchanged, "a record listed in two sets is seen twice"
        assert f"stored: {len(records)} records, {withdrawn} of them deleted" in result.stdout
    assert "records from" in result.stdout and "csfinder runs" in result.stdout


def test_demo_records_are_multilingual_and_well_formed() -> None:
    languages: set[str] = set()
    for path in DATA.glob("*.yaml"):
        for record in yaml.safe_load(path.read_text(encoding="utf-8"))["records"]:
            for element in record.get("dc", {}).values():
                languages.update(v["lang"] for v in element if isinstance(v, dict) and "lang" in v)
    assert len(languages) >= 6, languages
