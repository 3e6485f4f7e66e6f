"""`medcourt import events`: an export moves a docket from one store to another and exports identically.

The source is always an SQLite demo docket (as a court starts out); the target is each store the
``settings`` fixture gives, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from domain.records import event_record
from domain.replay import revive
from projections.settings import Settings
from scripts.cli import main
from scripts.context import open_docket

TODAY = "2026-11-20"


@pytest.fixture
def sqlite_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """The export of a 60-case SQLite demo docket (built in a folder of its own)."""
    with monkeypatch.context() as source:
        source.setenv("MEDCOURT_VAR", str(tmp_path / "source-var"))
        source.delenv("MEDCOURT_DATABASE_URL", raising=False)
        assert main(["init"]) == 0
        assert main(["demo", "--cases", "60", "--seed", "5", "--today", TODAY, "--password", "medcourt-demo"]) == 0
        path = tmp_path / "source.jsonl"
        assert main(["export", "events", "--output", str(path)]) == 0
        chains = [getattr(event, "chain_hash", None) for _, event in open_docket().iter_log()]
    (tmp_path / "source-chains.json").write_text(json.dumps(chains))
    capsys.readouterr()
    return path


def _refusal(settings: Settings, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["import", "events", "--input", str(path)]) == 2
    # (A new store's first use also says where its encryption key was generated.)
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("medcourt: generated the encryption key")]
    assert len(lines) == 1
    return lines[0]


def test_an_sqlite_demo_docket_moves_to_each_store_and_exports_identically(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Load the export into the empty target store, which uses the source's key (documents' files are encrypted with it).
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "source-var" / "cipher.key", settings.var_dir / "cipher.key")
    assert main(["import", "events", "--input", str(sqlite_export), "--batch-size", "500"]) == 0
    assert "every event at its exported position" in capsys.readouterr().out

    # Its export is the same, byte for byte (positions and recording instants included).
    again = tmp_path / "again.jsonl"
    assert main(["export", "events", "--output", str(again)]) == 0
    assert again.read_bytes() == sqlite_export.read_bytes()

    # Documents' files are not events: they are copied with the folder (README), then verify finds nothing.
    shutil.copytree(tmp_path / "source-var" / "documents", settings.var_dir / "documents", dirs_exist_ok=True)

    # The hash chains were re-sealed to the very same hashes.
    chains = [getattr(event, "chain_hash", None) for _, event in open_docket().iter_log()]
    assert chains == json.loads((tmp_path / "source-chains.json").read_text())
    assert main(["verify"]) == 0
    assert "clean" in capsys.readouterr().out

    # The read models fill from the imported log as from any other.
    assert main(["projections", "run", "--until-caught-up"]) == 0
    filed = sum(1 for line in sqlite_export.read_text().splitlines() if json.loads(line)["type"] == "CaseFiled")
    from sqlalchemy import text

    from projections.db import views_engine

    with views_engine(settings).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == filed


def test_every_exported_record_revives_as_the_very_event_it_was(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "40", "--seed", "7", "--today", TODAY, "--password", "medcourt-demo"]) == 0
    capsys.readouterr()
    kinds = set()
    for position, event in open_docket().iter_log():
        revived = revive(event_record(event, position))
        original = {k: v for k, v in vars(event).items() if k != "chain_hash"}
        assert type(revived) is type(event)
        assert vars(revived) == original
        # Equal values of the same types: a date stays a date, money stays Decimal with its places.
        assert {k: type(v) for k, v in vars(revived).items()} == {k: type(v) for k, v in original.items()}
        kinds.add(type(event).__name__)
    assert {"CaseFiled", "RulingIssued", "HearingScheduled", "HearingSlotBooked", "JudgeCertified", "RulebookVersionAdopted"} <= kinds


def _rewrite(source: Path, target: Path, change) -> None:
    records = [json.loads(line) for line in source.read_text().splitlines()]
    records = change(records)
    target.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records))


def test_a_ruling_that_breaks_a_rule_is_refused_with_its_line(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A liability ruling whose finding is changed to 'incident' breaks R3 (liability only with malpractice).
    def forge(records: list[dict]) -> list[dict]:
        ruling = next(r for r in records if r["type"] == "RulingIssued" and r["data"]["disposition"] == "liability_found")
        ruling["data"]["finding"] = "incident"
        forge.line = records.index(ruling) + 1  # type: ignore[attr-defined]
        return records

    forged = tmp_path / "forged.jsonl"
    _rewrite(sqlite_export, forged, forge)
    err = _refusal(settings, forged, capsys)
    assert f"line {forge.line}:" in err and "RulingIssued" in err  # type: ignore[attr-defined]
    assert "R3" in err or "malpractice" in err


def test_a_missing_event_is_refused_as_a_broken_chain(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def drop(records: list[dict]) -> list[dict]:
        second = next(r for r in records if r["aggregate"] == "Case" and r["version"] == 2)
        return [r for r in records if r is not second]

    gap = tmp_path / "gap.jsonl"
    _rewrite(sqlite_export, gap, drop)
    assert "follows version 1" in _refusal(settings, gap, capsys)


def test_a_case_filed_under_a_number_never_issued_is_refused(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def unissue(records: list[dict]) -> list[dict]:
        issued = next(r for r in records if r["type"] == "DocketNumberIssued" and r["data"]["seq"] == 1)
        later = [r for r in records if r["aggregate_id"] == issued["aggregate_id"] and r["version"] > issued["version"]]
        return [r for r in records if r is not issued and not any(r is x for x in later)]

    unnumbered = tmp_path / "unnumbered.jsonl"
    _rewrite(sqlite_export, unnumbered, unissue)
    assert "R13" in _refusal(settings, unnumbered, capsys)


def test_import_refuses_a_store_that_holds_events_and_a_line_that_is_not_a_record(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text('{"not": "an event"}\n')
    assert "line 1: not an exported event" in _refusal(settings, garbage, capsys)
    # A field of the wrong type (a number where the event has text) is refused before anything is stored.
    mistyped = tmp_path / "mistyped.jsonl"
    _rewrite(sqlite_export, mistyped, lambda records: [*records[:2], {**records[2], "data": {**records[2]["data"], "name": 42}}])
    assert "line 3: the record cannot be read back" in _refusal(settings, mistyped, capsys)
    assert main(["init"]) == 0
    capsys.readouterr()
    assert "already holds" in _refusal(settings, sqlite_export, capsys)


def test_an_interrupted_import_resumes_where_it_stopped(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first 1,000 events arrive (the copy was cut short), then the whole export with --resume.
    lines = sqlite_export.read_text().splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:1000]))
    assert main(["import", "events", "--input", str(first), "--batch-size", "300"]) == 0
    assert main(["import", "events", "--input", str(sqlite_export), "--resume"]) == 0
    again = tmp_path / "again.jsonl"
    assert main(["export", "events", "--output", str(again)]) == 0
    assert again.read_bytes() == sqlite_export.read_bytes()

    # Resuming with another docket's export is refused: the stored events are not its first ones.
    other = tmp_path / "other.jsonl"
    _rewrite(sqlite_export, other, lambda records: [{**r, "recorded_at": r["recorded_at"].replace("Z", "1Z") if r["position"] == 3 else r["recorded_at"]} for r in records])
    capsys.readouterr()
    assert main(["import", "events", "--input", str(other), "--resume"]) == 2
    assert "already holds another event at position 3" in capsys.readouterr().err


def test_demo_fast_builds_through_import_the_same_docket_as_demo(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same arguments as the fixture's SQLite demo, built in memory and imported into this store.
    assert main(["init"]) == 0
    assert main(["demo", "--fast", "--cases", "60", "--seed", "5", "--today", TODAY, "--password", "medcourt-demo"]) == 0
    assert "Demo docket: 60 cases" in capsys.readouterr().out
    assert main(["verify"]) == 0
    assert "clean" in capsys.readouterr().out
    fast = tmp_path / "fast.jsonl"
    assert main(["export", "events", "--output", str(fast)]) == 0

    # Every line is the one the services wrote directly: ids, positions, data, and the instants of case events
    # (the rulebook and registries are recorded when init and the demo ran, so their instants differ).
    def comparable(path: Path) -> list[dict]:
        records = [json.loads(line) for line in path.read_text().splitlines()]
        return [r if r["aggregate"] == "Case" else {k: v for k, v in r.items() if k != "recorded_at"} for r in records]

    assert comparable(fast) == comparable(sqlite_export)


def test_a_batch_committed_before_the_connection_dropped_is_not_written_twice(
    settings: Settings, sqlite_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eventsourcing.persistence import IntegrityError

    from domain.replay import import_log
    from scripts.docket_commands import read_records

    # The second batch commits, then the library's retry after a lost connection meets its own rows.
    docket = open_docket(settings, create_tables=True)
    insert = docket.recorder.insert_events
    calls = []

    def committed_then_lost(events: list, **kwargs: object) -> object:
        calls.append(len(events))
        result = insert(events, **kwargs)
        if len(calls) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return result

    docket.recorder.insert_events = committed_then_lost  # type: ignore[method-assign]
    with sqlite_export.open() as lines:
        report = import_log(docket, read_records(lines), batch_size=500)
    assert len(calls) > 2 and report.events == len(sqlite_export.read_text().splitlines())
    again = tmp_path / "again.jsonl"
    assert main(["export", "events", "--output", str(again)]) == 0
    assert again.read_bytes() == sqlite_export.read_bytes()
