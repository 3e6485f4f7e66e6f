"""The `medcourt` command line on SQLite and PostgreSQL: init, demo, case, export, verify."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from datetime import timedelta

import pytest

from projections.settings import Settings
from scripts.cli import main
from scripts.context import open_docket
from tests.court_clock import COURT_TODAY


@pytest.fixture
def demo(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Settings:
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "60", "--seed", "3", "--today", "2026-11-20"]) == 0
    capsys.readouterr()
    return settings


def exported(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["export", "events"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_init_is_idempotent(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    assert "rulebook adopted" in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "already in place" in capsys.readouterr().out


def test_demo_data_passes_verify_and_looks_like_the_seeds(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    assert "clean" in capsys.readouterr().out
    events = exported(capsys)
    kinds = Counter(e["type"] for e in events)
    rulings = [e["data"] for e in events if e["type"] == "RulingIssued"]
    merits = [r for r in rulings if r["disposition"] in ("liability_found", "no_liability")]
    liable = [r for r in merits if r["disposition"] == "liability_found"]
    assert kinds["CaseFiled"] >= 60
    assert merits and 0.05 <= len(liable) / len(merits) <= 0.45
    assert kinds["HearingRescheduled"] > 0 and kinds["ExpertReportSubmitted"] > 0
    filed = kinds["CaseFiled"]
    assert len({e["data"]["docket_number"] for e in events if e["type"] == "CaseFiled"}) == filed


def test_the_same_cases_seed_and_today_export_the_same_docket_on_either_store(
    demo: Settings, capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture's docket (SQLite or PostgreSQL) against a second one built on SQLite with the same arguments:
    # every line of the export is the same (ids, dates, docket numbers, positions), except when it was recorded.
    def without_recording_time(events: list[dict]) -> list[dict]:
        return [{key: value for key, value in event.items() if key != "recorded_at"} for event in events]

    first = exported(capsys)
    monkeypatch.setenv("MEDCOURT_VAR", str(tmp_path / "again"))
    monkeypatch.delenv("MEDCOURT_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    assert main(["demo", "--cases", "60", "--seed", "3", "--today", "2026-11-20"]) == 0
    capsys.readouterr()
    second = exported(capsys)
    assert len(first) == len(second) > 1000
    assert without_recording_time(first) == without_recording_time(second)
    case_events = [(a["recorded_at"], b["recorded_at"]) for a, b in zip(first, second, strict=True) if a["aggregate"] == "Case"]
    assert all(a == b for a, b in case_events), "case events are recorded at their simulated instants"


def test_demo_refuses_a_day_in_the_future(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    tomorrow = (COURT_TODAY + timedelta(days=1)).isoformat()
    assert main(["demo", "--cases", "5", "--today", tomorrow]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("medcourt demo: --today") and "future" in error and "\n" not in error


def test_export_lines_follow_the_documented_format(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    events = exported(capsys)
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    for event in events:
        assert set(event) == {"position", "aggregate", "aggregate_id", "version", "type", "recorded_at", "data"}
        assert event["recorded_at"].endswith("Z")
    filed = next(e for e in events if e["type"] == "CaseFiled")
    assert filed["aggregate"] == "Case"
    assert {"received_on", "track", "court", "specialty", "alleged_harm"} <= set(filed["data"])
    ruling = next(e["data"] for e in events if e["type"] == "RulingIssued" and e["data"]["compensation"])
    assert all(isinstance(v, str) and "." in v for v in ruling["compensation"].values())


def test_case_show_now_at_a_version_and_as_of_a_date(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    events = exported(capsys)
    filed = next(e for e in events if e["type"] == "CaseFiled")
    number = filed["data"]["docket_number"]
    assert main(["case", "show", number, "--format", "json"]) == 0
    now = json.loads(capsys.readouterr().out)
    assert now["docket_number"] == number and now["version"] > 2
    assert main(["case", "show", number, "--version", "1", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["version"] == 1 and first["status"] == "pending" and first["judge_id"] is None
    assert main(["case", "show", number, "--as-of", filed["data"]["received_on"]]) == 0
    assert number in capsys.readouterr().out
    assert main(["case", "history", number]) == 0
    history = capsys.readouterr().out.splitlines()
    assert history[0].split()[2] == "CaseFiled" and len(history) == now["version"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["case", "show", "NOT-A-NUMBER"], "is not a docket number"),
        (["case", "show", "ALA-2020-C-99999"], "No case ALA-2020-C-99999"),
        (["case", "show", "ALA-2020-C-00001", "--as-of", "yesterday"], "is not a date"),
        (["demo", "--cases", "-1"], "--cases must be zero or more"),
        (["no-such-command"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(settings: Settings, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    main(["init"])
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_export_streams_into_a_closed_pipe_quietly(demo: Settings) -> None:
    env = {**os.environ}
    result = subprocess.run(
        f"{sys.executable} -m scripts.cli export events | head -n 2",
        shell=True, capture_output=True, text=True, env=env, cwd=os.getcwd(), timeout=120,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["position"] == 1
    assert "Traceback" not in result.stderr


def test_verify_names_a_violation_and_exits_non_zero(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    # A ruling written straight to the store, bypassing the domain (no expert report, no judge).
    from datetime import date

    from domain.case import Case

    docket = open_docket()
    case = Case.file(docket_number="ULY-2019-C-00001", track="civil", court="ULY", received_on=date(2019, 1, 5), specialty="surgery",
                     alleged_harm="minor", incident_date=date(2018, 12, 1), claimant={"name": "P"},
                     respondents=[{"kind": "organization", "name": "Clinic", "bin": "000000000001"}], authority=None,
                     representatives=[], claimed={"moral_harm": "10"}, summary="", transferred_from=None,
                     actor={"user": "intruder", "role": "clerk"})
    case._ruling_issued(ruling_id="RU1", decided_on=date(2019, 2, 1), judge_id=None, disposition="liability_found", finding="incident",
                        harm_found="minor", liable_respondents=["R1"], sanctions=[], compensation={}, contributory_fault_pct=0,
                        payable={}, insurer_compensation=None, reasoning="", recommendation="", transferred_to_track=None,
                        transferred_to=None, actor={"user": "intruder", "role": "judge"})
    docket.save(case)
    assert main(["verify"]) == 1
    captured = capsys.readouterr()
    assert "ULY-2019-C-00001 v2 RulingIssued: R5" in captured.err
    assert "R13: docket number was never issued" in captured.err
    assert "violation(s)" in captured.out


def _stored_events_table(settings: Settings) -> str:
    return "stored_events" if settings.database_url is None else "docket_events"


def stored_id(settings: Settings, aggregate_id: str) -> object:
    """How the store keeps an aggregate id: hex text in SQLite, a uuid column in PostgreSQL."""
    return uuid.UUID(aggregate_id).hex if settings.database_url is None else uuid.UUID(aggregate_id)


def _execute(settings: Settings, sql: str, params: tuple = ()) -> list[tuple]:
    if settings.database_url is None:
        import sqlite3

        with sqlite3.connect(settings.events_path) as conn:
            rows = conn.execute(sql.replace("%s", "?"), params).fetchall()
            conn.commit()
            return rows
    import psycopg

    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _ruling_row(demo: Settings, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str, bytes]:
    events = exported(capsys)
    ruling = next(e for e in events if e["type"] == "RulingIssued" and e["data"]["compensation"])
    number = next(e["data"]["docket_number"] for e in events if e["type"] == "CaseFiled" and e["aggregate_id"] == ruling["aggregate_id"])
    [(state,)] = _execute(demo, f"SELECT state FROM {_stored_events_table(demo)} WHERE originator_id = %s AND originator_version = %s",
                          (stored_id(demo, ruling["aggregate_id"]), ruling["version"]))
    return ruling, number, bytes(state)


def _overwrite(demo: Settings, ruling: dict, state: bytes) -> None:
    _execute(demo, f"UPDATE {_stored_events_table(demo)} SET state = %s WHERE originator_id = %s AND originator_version = %s",
             (state, stored_id(demo, ruling["aggregate_id"]), ruling["version"]))


def test_event_payloads_are_encrypted_at_rest(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    ruling, _, state = _ruling_row(demo, capsys)
    assert b"compensation" not in state and ruling["data"]["disposition"].encode() not in state


def test_verify_catches_a_stored_event_forged_with_the_key(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    # Someone holding the key decrypts a ruling, raises its compensation and writes it back.
    ruling, number, state = _ruling_row(demo, capsys)
    mapper = open_docket().mapper
    assert mapper.cipher is not None and mapper.compressor is not None
    plain_json = mapper.compressor.decompress(mapper.cipher.decrypt(state))
    head = next(iter(ruling["data"]["compensation"].values()))
    forged = plain_json.replace(f'"{head}"'.encode(), f'"{int(float(head)) + 1}.00"'.encode(), 1)
    assert forged != plain_json
    _overwrite(demo, ruling, mapper.cipher.encrypt(mapper.compressor.compress(forged)))
    assert main(["verify"]) == 1
    assert f"{number} v{ruling['version']} RulingIssued: tamper: the stored event does not match its hash chain" in capsys.readouterr().err


def test_verify_catches_an_encrypted_event_altered_without_the_key(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    ruling, _, state = _ruling_row(demo, capsys)
    flipped = state[:40] + bytes([state[40] ^ 0x01]) + state[41:]
    _overwrite(demo, ruling, flipped)
    assert main(["verify"]) == 1
    err = capsys.readouterr().err
    assert f"v{ruling['version']} RulingIssued: tamper: the stored event cannot be decrypted" in err


def test_verify_catches_a_deleted_event(demo: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    ruling, number, _ = _ruling_row(demo, capsys)
    _execute(demo, f"DELETE FROM {_stored_events_table(demo)} WHERE originator_id = %s AND originator_version = %s",
             (stored_id(demo, ruling["aggregate_id"]), ruling["version"] - 1))
    assert main(["verify"]) == 1
    assert f"{number} v{ruling['version']} RulingIssued: tamper: event(s) missing or reordered" in capsys.readouterr().err


# --- R11 on the command line: a sealed case is read only --as a user who may see it, and the read is recorded ------------


def _sealed_case_and_accounts(settings: Settings) -> str:
    from datetime import date, datetime, time

    from domain import clock
    from projections.db import views_engine
    from web.accounts import AccountStore

    docket = open_docket()
    clerk = {"user": "clerk", "role": "clerk", "court": "ALA"}
    with clock.frozen_at(datetime.combine(date(2026, 3, 2), time(10), tzinfo=clock.COURT_TZ)):
        number = str(docket.file_case(
            track="civil", court="ALA", received_on=date(2026, 3, 2), specialty="surgery", alleged_harm="serious",
            incident_date=date(2026, 1, 5), claimant={"name": "Sealed Patient"},
            respondents=[{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}], claimed={"real_damage": "1000"},
            actor=clerk)["docket_number"])
        docket.seal_case(number, reason="minor", actor=clerk)
    store = AccountStore(views_engine(settings))
    store.create_user("clerk", "correct horse battery", "clerk", court="ALA", display_name="Clerk", language="en")
    store.create_user("clerk_ast", "correct horse battery", "clerk", court="AST", display_name="Clerk of Astana", language="en")
    return number


@pytest.mark.parametrize(("language", "message"), [
    ("en", "No case {number} is on the docket"),
    ("ru", "Дела {number} в реестре нет"),
    ("kk", "Тізілімде {number} ісі жоқ"),
])
def test_a_sealed_case_is_read_on_the_command_line_only_as_a_user_who_may_see_it(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, message: str,
) -> None:
    from projections.db import views_engine
    from web.accounts import AccountStore

    assert main(["init"]) == 0
    number = _sealed_case_and_accounts(settings)
    capsys.readouterr()
    monkeypatch.setenv("MEDCOURT_LANG", language)

    # Without --as, and as a clerk of another court: the same answer as for a case that does not exist.
    for argv in (["case", "show", number], ["case", "history", number], ["case", "show", number, "--as", "clerk_ast"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.strip() == f"medcourt: {message.format(number=number)}"
    # As the clerk of its court: shown, and the view recorded like a page view.
    assert main(["case", "show", number, "--as", "clerk"]) == 0
    assert number in capsys.readouterr().out
    assert main(["case", "history", number, "--as", "clerk"]) == 0
    views = AccountStore(views_engine(settings)).sealed_views(number)
    assert sorted((v.username, v.page) for v in views) == [("clerk", "cli:case history"), ("clerk", "cli:case show")]
    assert main(["case", "show", number, "--as", "nobody"]) == 2
    assert "no active account of that name" in capsys.readouterr().err


def test_an_export_is_recorded_as_a_view_of_every_sealed_case_it_writes(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    from projections.db import views_engine
    from web.accounts import AccountStore

    assert main(["init"]) == 0
    number = _sealed_case_and_accounts(settings)
    capsys.readouterr()
    events = exported(capsys)
    assert any(e["type"] == "CaseSealed" for e in events)
    views = AccountStore(views_engine(settings)).sealed_views(number)
    assert [(v.username, v.role, v.page) for v in views] == [("medcourt-cli", "operator", "cli:export events")]
