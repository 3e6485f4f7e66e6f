"""The court's clock, job by job, on hand-made cases with the clock at the edges: the day before a
deadline, on the day, and after it. Runs on SQLite and PostgreSQL (the ``settings`` fixture)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from domain import clock
from domain.errors import AppealNotAllowed
from domain.vocabulary import SYSTEM
from projections import store_tables
from projections.settings import Settings
from scripts import worker_store as store
from tests.integration.worker_support import CLERK, D0, JUDGE, Court, at, events_of_type, inbox_of, make_court, notice_count, run


@pytest.fixture
def court(settings: Settings) -> Iterator[Court]:
    built = make_court(settings)
    yield built
    built.docket.close()
    built.engine.dispose()


def test_an_expert_report_is_reminded_before_its_due_date_and_flagged_overdue_the_day_after(court: Court) -> None:
    # An examination ordered on D0, due ten days later.
    number = court.file()
    due = D0 + timedelta(days=10)
    with clock.frozen_at(at(D0, 11)):
        examination = court.docket.order_examination(number, kind="forensic_medical", questions=["Was the standard of care met?"],
                                                     expert_ids=[court.expert_id], due_on=due, actor=JUDGE)["id"]

    # The day before the reminder period (three days) begins: nothing yet.
    assert run(court, at(due - timedelta(days=4)), "examinations")["examinations"].counts["notices"] == 0

    # The reminder period begins: the judge and the Almaty clerk are reminded, not Astana's clerk.
    report = run(court, at(due - timedelta(days=3)), "examinations")["examinations"]
    assert report.counts["examination_due_soon"] == 1 and report.counts["notices"] == 2
    assert inbox_of(court, "judge") == inbox_of(court, "clerk") == [("examination_due_soon", number, examination, due)]
    assert inbox_of(court, "clerk_ast") == [] and inbox_of(court, "judge2") == []

    # On the due date: still only the reminder, once.
    assert run(court, at(due, 18), "examinations")["examinations"].counts["notices"] == 0

    # The day after: overdue, told once however often the worker looks.
    assert run(court, at(due + timedelta(days=1), 7), "examinations")["examinations"].counts["notices"] == 2
    assert run(court, at(due + timedelta(days=2), 7), "examinations")["examinations"].counts["notices"] == 0
    assert inbox_of(court, "judge") == [("examination_due_soon", number, examination, due), ("examination_overdue", number, examination, due)]

    # The report comes in: nothing more is said about it, even weeks later.
    with clock.frozen_at(at(due + timedelta(days=3))):
        court.docket.submit_expert_report(number, examination_id=examination, received_on=due + timedelta(days=3), standard_of_care_met="yes",
                                          causation="no", harm_found="serious", actor=CLERK)
    report = run(court, at(due + timedelta(days=30)), "examinations")["examinations"]
    assert report.counts["examination_overdue"] == 0 and report.counts["notices"] == 0


def test_a_hearing_is_reminded_the_day_before_and_one_without_outcome_is_flagged_to_the_clerks(court: Court) -> None:
    number, other = court.file(), court.file(judge_id=court.judge2_id)
    hearing_day = D0 + timedelta(days=5)
    with clock.frozen_at(at(D0, 12)):
        hearing = court.docket.schedule_hearing(number, starts_at=at(hearing_day, 10), courtroom="1", purpose="preliminary hearing", actor=CLERK)["id"]
        held = court.docket.schedule_hearing(other, starts_at=at(hearing_day, 10), courtroom="2", purpose="main hearing", actor=CLERK)["id"]

    # Two days before: nothing. The day before: a reminder to each judge and the clerk.
    assert run(court, at(hearing_day - timedelta(days=2), 18), "hearings")["hearings"].counts["notices"] == 0
    report = run(court, at(hearing_day - timedelta(days=1), 9), "hearings")["hearings"]
    assert report.counts["hearing_reminder"] == 2 and report.counts["notices"] == 4
    assert inbox_of(court, "judge") == [("hearing_reminder", number, hearing, hearing_day)]
    assert inbox_of(court, "judge2") == [("hearing_reminder", other, held, hearing_day)]

    # On the day, while the hearings are on (10:00-11:00): nothing is late yet.
    assert run(court, at(hearing_day, 10, 30), "hearings")["hearings"].counts["notices"] == 0

    # One is recorded as held; the other's time passes with no outcome: the clerks are told, the judges are not.
    with clock.frozen_at(at(hearing_day, 11)):
        court.docket.hold_hearing(other, held, minutes_summary="Parties heard.", actor=CLERK)
    report = run(court, at(hearing_day, 11, 5), "hearings")["hearings"]
    assert report.counts == {"hearing_no_outcome": 1, "notices": 1}
    assert ("hearing_no_outcome", number, hearing, hearing_day) in inbox_of(court, "clerk")
    assert all(kind == "hearing_reminder" for kind, *_ in inbox_of(court, "judge"))
    assert run(court, at(hearing_day + timedelta(days=1)), "hearings")["hearings"].counts["notices"] == 0


def test_a_ruling_enters_into_force_the_day_after_its_appeal_window_closes_and_later_appeals_are_refused(court: Court) -> None:
    # Administrative rulings may be appealed for ten days: decided on D0, the last day is D0 + 10.
    number = court.decided("administrative", decided_on=D0)
    appealed = court.decided("administrative", decided_on=D0)
    last_day = D0 + timedelta(days=10)
    with clock.frozen_at(at(D0 + timedelta(days=3))):
        court.docket.file_appeal(appealed, filed_on=D0 + timedelta(days=3), appellant="claimant", actor=CLERK)

    # On the last day of the window: still open.
    assert run(court, at(last_day, 23, 30), "legal_force")["legal_force"].counts["recorded"] == 0
    assert court.docket.case(number).status == "decided"

    # Just after midnight: in force, recorded by the worker; the judge and the clerk are told.
    report = run(court, at(last_day + timedelta(days=1), 0, 10), "legal_force")["legal_force"]
    assert report.counts == {"due": 1, "recorded": 1, "notices": 2}
    case = court.docket.case(number)
    assert (case.status, case.in_force_on) == ("in_force", last_day + timedelta(days=1))
    last = court.docket.case_history(number)[-1]
    assert last["type"] == "RulingEnteredIntoForce" and last["data"]["actor"] == dict(SYSTEM)
    assert inbox_of(court, "judge") == inbox_of(court, "clerk") == [("ruling_in_force", number, "RU1", last_day)]
    assert court.docket.case(appealed).status == "appealed"

    # Later runs record nothing more.
    assert run(court, at(last_day + timedelta(days=2)), "legal_force")["legal_force"].counts["recorded"] == 0
    assert events_of_type(court.docket, number, "RulingEnteredIntoForce") == 1

    # An appeal filed after the window is refused.
    with clock.frozen_at(at(last_day + timedelta(days=2))), pytest.raises(AppealNotAllowed, match="can no longer be appealed"):
        court.docket.file_appeal(number, filed_on=last_day + timedelta(days=2), appellant="claimant", actor=CLERK)


def test_civil_appeal_windows_follow_the_rulebook_month(court: Court) -> None:
    number = court.decided("civil", decided_on=D0)  # one month: the last day to appeal is 2026-04-02
    assert run(court, at(D0 + timedelta(days=31), 23), "legal_force")["legal_force"].counts["recorded"] == 0
    assert run(court, at(D0 + timedelta(days=32), 0, 10), "legal_force")["legal_force"].counts["recorded"] == 1
    assert court.docket.case(number).in_force_on == D0 + timedelta(days=32)


def test_an_interrupted_action_is_finished_by_the_next_run_without_recording_it_twice(court: Court) -> None:
    # A worker wrote the action down and recorded the event, then was killed before its notices.
    number = court.decided("administrative", decided_on=D0)
    after = at(D0 + timedelta(days=11))
    with clock.frozen_at(after):
        case = court.docket.case(number)
        with court.engine.begin() as conn:
            conn.execute(insert(store_tables.deadline_actions).values(
                case_id=str(case.id), kind="ruling_in_force", subject="RU1", deadline_on=D0 + timedelta(days=10), docket_number=number,
                status="pending", details={"court": "ALA", "judge_id": court.judge_id, "in_force_on": str(D0 + timedelta(days=11))},
                attempts=0, created_at=after.replace(tzinfo=None),
            ))
        court.docket.enter_into_force(number, SYSTEM)

    report = run(court, after, "legal_force")["legal_force"]

    assert report.counts == {"due": 0, "already_done": 1, "notices": 2}
    assert events_of_type(court.docket, number, "RulingEnteredIntoForce") == 1
    assert inbox_of(court, "judge") == [("ruling_in_force", number, "RU1", D0 + timedelta(days=10))]
    with court.engine.connect() as conn:
        assert conn.execute(select(store_tables.deadline_actions.c.status, store_tables.deadline_actions.c.outcome)).all() == [("done", "already_done")]


def test_an_action_that_no_longer_applies_is_closed_without_notices(court: Court) -> None:
    # The read models saw the ruling awaiting force, but an appeal was filed on the last day.
    number = court.decided("administrative", decided_on=D0)
    run(court, at(D0 + timedelta(days=5)), "legal_force")
    with clock.frozen_at(at(D0 + timedelta(days=10), 17)):
        court.docket.file_appeal(number, filed_on=D0 + timedelta(days=10), appellant="respondent", actor=CLERK)
        case = court.docket.case(number)
    with court.engine.begin() as conn:
        conn.execute(insert(store_tables.deadline_actions).values(
            case_id=str(case.id), kind="ruling_in_force", subject="RU1", deadline_on=D0 + timedelta(days=10), docket_number=number,
            status="pending", details={"court": "ALA", "judge_id": court.judge_id}, attempts=0, created_at=at(D0).replace(tzinfo=None),
        ))

    report = run(court, at(D0 + timedelta(days=11)), "legal_force")["legal_force"]

    assert report.counts == {"due": 0, "not_applicable": 1}
    assert court.docket.case(number).status == "appealed" and notice_count(court) == 0


def test_an_action_written_down_ahead_of_its_day_waits_for_it(court: Court) -> None:
    # A run as of a later time (``--run-once --now`` in the future) wrote the action down and was killed.
    number = court.decided("administrative", decided_on=D0)
    run(court, at(D0 + timedelta(days=20)), "statistics")  # projects the case
    with court.engine.begin() as conn:
        conn.execute(insert(store_tables.deadline_actions).values(
            case_id=str(court.docket.case(number).id), kind="ruling_in_force", subject="RU1", deadline_on=D0 + timedelta(days=10),
            docket_number=number, status="pending", details={"court": "ALA", "judge_id": court.judge_id}, attempts=0,
            created_at=at(D0 + timedelta(days=20)).replace(tzinfo=None),
        ))

    # A worker on today's clock leaves it alone while the window is open, and takes it when it closes.
    assert run(court, at(D0 + timedelta(days=10)), "legal_force")["legal_force"].counts == {"due": 0}
    assert court.docket.case(number).status == "decided"
    assert run(court, at(D0 + timedelta(days=11)), "legal_force")["legal_force"].counts == {"due": 1, "recorded": 1, "notices": 2}


def test_a_mediation_is_reminded_before_its_due_date_and_flagged_when_it_runs_over(court: Court) -> None:
    number = court.file()
    due = D0 + timedelta(days=14)
    with clock.frozen_at(at(D0, 12)):
        mediation = court.docket.refer_to_mediation(number, mediator_id=court.mediator_id, due_on=due, actor=JUDGE)["id"]

    assert run(court, at(due - timedelta(days=4)), "mediations")["mediations"].counts["notices"] == 0
    assert run(court, at(due - timedelta(days=3)), "mediations")["mediations"].counts["notices"] == 2
    assert run(court, at(due), "mediations")["mediations"].counts["notices"] == 0
    assert run(court, at(due + timedelta(days=1)), "mediations")["mediations"].counts["notices"] == 2
    assert inbox_of(court, "judge") == [("mediation_due_soon", number, mediation, due), ("mediation_overdue", number, mediation, due)]


def test_a_civil_case_pending_past_the_statutory_term_is_flagged_to_its_judge(court: Court) -> None:
    # Civil: two months from receipt (the Rulebook). Received on D0 = 2026-03-02, two months end on Saturday
    # 2026-05-02, so the term ends on the next working day, Monday 2026-05-04 (R17).
    number = court.file("civil", received_on=D0)
    unassigned = court.file("civil", received_on=D0, assign=False)
    court.file("administrative", received_on=D0)  # no statutory term of ours for other tracks
    term_end = date(2026, 5, 4)

    assert run(court, at(term_end, 18), "consideration_terms")["consideration_terms"].counts["notices"] == 0
    report = run(court, at(term_end + timedelta(days=1)), "consideration_terms")["consideration_terms"]
    assert report.counts == {"consideration_term_exceeded": 2, "notices": 2}
    assert inbox_of(court, "judge") == [("consideration_term_exceeded", number, "", term_end)]
    # With no judge assigned, the clerks are told instead.
    assert inbox_of(court, "clerk") == [("consideration_term_exceeded", unassigned, "", term_end)]
    assert run(court, at(term_end + timedelta(days=20)), "consideration_terms")["consideration_terms"].counts["notices"] == 0


def test_the_statistics_snapshot_is_kept_once_a_day_for_trend_charts(court: Court) -> None:
    court.file()
    court.decided("administrative", decided_on=D0)
    run(court, at(D0 + timedelta(days=1), 23, 45), "statistics")
    run(court, at(D0 + timedelta(days=1), 23, 50), "statistics")  # a second run the same day replaces its figures
    run(court, at(D0 + timedelta(days=2), 23, 45), "statistics")

    with court.engine.connect() as conn:
        series = store.snapshot_series(conn, "pending", D0, D0 + timedelta(days=5))
        deadlines = store.snapshot_series(conn, "deadlines", D0, D0 + timedelta(days=5))
    assert [s["taken_on"] for s in series] == [D0 + timedelta(days=1), D0 + timedelta(days=2)]
    assert series[0]["data"]["groups"][0]["pending"] == 1
    assert deadlines[-1]["data"]["rulings_awaiting_force_past_window"] == 0


def test_every_job_runs_as_of_the_injected_time_and_a_second_run_records_nothing_new(court: Court) -> None:
    number = court.decided("criminal", decided_on=D0)  # fifteen days
    court.file()
    first = run(court, at(D0 + timedelta(days=90)))
    assert first["legal_force"].counts["recorded"] == 1 and first["consideration_terms"].counts["notices"] == 1
    assert court.docket.case_history(number)[-1]["recorded_at"].startswith(str(D0 + timedelta(days=90)))  # 09:00 Almaty is 04:00 UTC
    second = run(court, at(D0 + timedelta(days=90)))
    assert sum(r.counts["recorded"] + r.counts["notices"] for r in second.values()) == 0


def test_the_command_runs_once_as_of_the_given_court_time_and_logs_json_lines(court: Court, capsys: pytest.CaptureFixture[str]) -> None:
    number = court.decided("administrative", decided_on=D0)
    from scripts.cli import main

    assert main(["worker", "--run-once", "--now", f"{D0 + timedelta(days=11)}T00:30", "--job", "legal_force"]) == 0
    out, err = capsys.readouterr()
    assert "ran as of 2026-03-13 00:30 (Asia/Almaty)" in out and "legal_force: due=1 notices=2 recorded=1" in out
    assert "total: events_recorded=1 notices_created=2" in out
    lines = [json.loads(line) for line in err.splitlines()]
    entered = next(line for line in lines if line["event"] == "ruling_entered_into_force")
    assert entered["docket_number"] == number and entered["as_of"] == "2026-03-12T19:30:00+00:00" and entered["outcome"] == "recorded"

    assert main(["worker", "--now", "2026-03-13T00:30"]) == 2  # --now is for --run-once: the scheduler keeps real time
    assert "--now and --job go with --run-once" in capsys.readouterr().err
