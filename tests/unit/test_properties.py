"""Properties of the docket under random sequences of commands (hypothesis).

A session starts from a court with its people registered and five cases at different stages,
then runs commands drawn at random: filings, judge assignments and recusals, examinations and
reports, hearings, mediation, rulings, appeals, legal force, reopening, sealing, documents and
corrections, with plausible and implausible arguments, while the frozen clock moves forward.

1. No sequence leaves a case breaking a rule: a command either succeeds and every rule still
   holds, or is refused with a DomainError and nothing at all was recorded.
2. Replaying a case's stored events gives the live aggregate the commands built, and the one the
   repository returns (here from snapshots taken every few events).
3. ``case_at_version(d, N)`` is the replay of the case's first N events.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import clock
from domain.application import Docket
from domain.calendar import CourtCalendar, calendar_id
from domain.case import Case, case_id_for
from domain.docket_numbers import DocketSequence
from domain.errors import DomainError
from domain.vocabulary import (
    APPEAL_OUTCOMES,
    CAUSATION,
    COMPENSATION_HEADS,
    DISPOSITIONS,
    DOCUMENT_KINDS,
    EXAMINATION_KINDS,
    FINDINGS,
    HARMS,
    MEDIATION_OUTCOMES,
    REOPEN_REASONS,
    SEAL_REASONS,
    STANDARD_OF_CARE_MET,
    TRACKS,
)
from tests.unit import invariants
from tests.unit.conftest import CLERK, HOSPITAL, INSPECTORATE, JUDGE, NOW, PROSECUTOR, SURGEON, Court, filing, set_up_court

# Modest by default so the unit suite stays fast; MEDCOURT_PROPERTY_EXAMPLES=1000 for a thorough run.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("MEDCOURT_PROPERTY_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class RememberingDocket(Docket):
    """The docket, snapshotting every few events, remembering the last saved state of each
    aggregate (the live object a command built) so it can be compared with its replay."""

    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {Case: 3, CourtCalendar: 4, DocketSequence: 2}  # type: ignore[misc]

    def __init__(self) -> None:
        super().__init__(env={"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"})
        self.live: dict[UUID, Aggregate] = {}

    def save(self, *aggregates: Any, **kwargs: Any) -> Any:
        recordings = super().save(*aggregates, **kwargs)
        for aggregate in aggregates:
            if isinstance(aggregate, Aggregate):
                self.live[aggregate.id] = aggregate
        return recordings


# --- commands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    name: str
    args: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.args.items())
        return f"{self.name}({shown})"


def command(name: str, **args: st.SearchStrategy[Any]) -> tuple[str, st.SearchStrategy[Command]]:
    return name, st.fixed_dictionaries(args).map(lambda drawn: Command(name, drawn))


# Which case a command is about: 0-3 the case in focus (so that a hearing scheduled is later held,
# an appeal follows a ruling), higher numbers any case filed, which then comes into focus, as
# does a case just filed.
case_no = st.integers(0, 11)
# Which examination or hearing of the case: 0 its latest, otherwise EX1-EX3 or H1-H3.
item_no = st.integers(0, 3)
# How many days before today something happened: mostly today or lately, sometimes tomorrow
# (refused: in the future) or long ago.
days_ago = st.sampled_from([0, 0, 0, 1, 3, 10, 40, -1])
AMOUNTS = ["0", "1000", "199999.99", "400000", "500000", "500000.01", "1000000", "-1", "abc", "0.001", "1e6", "NaN", "1e30"]

sanction = st.fixed_dictionaries(
    {
        "respondent_id": st.sampled_from(["R1", "R2", "R9"]),
        "kind": st.sampled_from(["fine", "imprisonment", "certificate_withdrawal", "licence_suspension", "licence_revocation", "flogging"]),
        "amount_mci": st.sampled_from([None, 0, 50, 200, 201, 430, 431, "NaN", "x"]),
        "months": st.sampled_from([None, 0, 1, 6, 7, 36, 37, "two"]),
    }
)

# Drafts a judge might plausibly write for some track; whichever fits the case will pass.
plausible_draft = st.one_of(
    st.fixed_dictionaries({"disposition": st.sampled_from(["withdrawn", "terminated", "settled"])}),
    st.fixed_dictionaries(
        {
            "disposition": st.just("no_liability"),
            "finding": st.sampled_from(FINDINGS),
            "harm_found": st.sampled_from(HARMS),
            "insurer_compensation": st.sampled_from([None, "150000"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "disposition": st.just("liability_found"),
            "finding": st.just("malpractice"),
            "harm_found": st.sampled_from(HARMS),
            "liable_respondents": st.sampled_from([["R1"], ["R2"], ["R1", "R2"]]),
            "compensation": st.dictionaries(st.sampled_from(COMPENSATION_HEADS), st.sampled_from(["1000", "199999.99", "400000"]), max_size=2),
            "contributory_fault_pct": st.sampled_from([None, "10", "33.333"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "disposition": st.just("liability_found"),
            "finding": st.just("malpractice"),
            "harm_found": st.sampled_from(HARMS),
            "liable_respondents": st.just(["R1"]),
            "sanctions": st.lists(sanction.map(lambda s: {**s, "respondent_id": "R1"}), min_size=1, max_size=2),
        }
    ),
    st.fixed_dictionaries(
        {
            "disposition": st.just("transferred"),
            "harm_found": st.sampled_from([None, *HARMS]),
            "transferred_to_track": st.sampled_from(TRACKS),
        }
    ),
)

# Any one field of a draft set to something plausible or not.
draft_override = st.one_of(
    st.fixed_dictionaries({"disposition": st.sampled_from([*DISPOSITIONS, "dismissed"])}),
    st.fixed_dictionaries({"finding": st.sampled_from([None, *FINDINGS, "bad_luck"])}),
    st.fixed_dictionaries({"harm_found": st.sampled_from([None, *HARMS, "catastrophic"])}),
    st.fixed_dictionaries({"liable_respondents": st.sampled_from([[], ["R1"], ["R2"], ["R9"]])}),
    st.fixed_dictionaries({"sanctions": st.lists(sanction, max_size=2)}),
    st.fixed_dictionaries({"compensation": st.dictionaries(st.sampled_from([*COMPENSATION_HEADS, "punitive"]), st.sampled_from(AMOUNTS), max_size=3)}),
    st.fixed_dictionaries({"contributory_fault_pct": st.sampled_from(["0", "99.99", "100", "-5", "NaN", "Infinity", "much"])}),
    st.fixed_dictionaries({"insurer_compensation": st.sampled_from(["-1", "0.005", "abc"])}),
    st.fixed_dictionaries({"transferred_to_track": st.sampled_from([None, *TRACKS, "military"])}),
)

draft = st.one_of(
    plausible_draft,
    plausible_draft,
    st.tuples(plausible_draft, draft_override).map(lambda pair: {**pair[0], **pair[1]}),
)

COMMANDS = [
    command(
        "file",
        track=st.sampled_from(TRACKS),
        harm=st.sampled_from([None, None, *HARMS]),
        received_days_ago=st.one_of(st.integers(-2, 30), st.integers(300, 800)),
        incident_days_before=st.integers(-3, 700),
        respondents=st.sampled_from(["fitting", "both", "hospital", "surgeon", "none", "bad_bin"]),
        authority=st.sampled_from(["fitting", "fitting", "none", "prosecutor"]),
        claimed=st.sampled_from(["fitting", "fitting", "none", "civil", "fraction", "negative"]),
        court=st.sampled_from(["ALA", "ALA", "ALA", "AST", "XYZ"]),
    ),
    command("assign", case=case_no, judge=st.sampled_from(["judge", "judge", "other_judge", "expiring_judge", "bogus"])),
    command("recuse", case=case_no, reason=st.sampled_from(["conflict of interest", " "])),
    command(
        "order_examination",
        case=case_no,
        kind=st.sampled_from([*EXAMINATION_KINDS, "astrological"]),
        experts=st.sampled_from([("expert",), ("expert",), ("second_expert",), ("hospital_expert",), ("expert", "second_expert"), ("expert", "hospital_expert"), (), ("bogus",)]),
        questions=st.sampled_from([["Was the standard of care met?"]] * 3 + [[], ["  "]]),
        due_in_days=st.integers(-2, 90),
    ),
    command(
        "report",
        case=case_no,
        examination=item_no,
        received_days_ago=days_ago,
        met=st.sampled_from([*STANDARD_OF_CARE_MET, "maybe"]),
        causation=st.sampled_from(CAUSATION),
        harm=st.sampled_from(HARMS),
    ),
    command("withdraw_examination", case=case_no, examination=item_no),
    command(
        "schedule",
        case=case_no,
        hours_ahead=st.integers(-5, 24 * 30),
        courtroom=st.sampled_from(["101", "102", " 101 "]),
        minutes=st.sampled_from([15, 60, 90, 480, 600, 5]),
    ),
    command("reschedule", case=case_no, hearing=item_no, hours_ahead=st.integers(-5, 24 * 30)),
    command("hold", case=case_no, hearing=item_no),
    command("cancel", case=case_no, hearing=item_no),
    command("refer", case=case_no, mediator=st.sampled_from(["mediator", "mediator", "bogus"]), due_in_days=st.integers(-1, 60)),
    command("conclude", case=case_no, outcome=st.sampled_from([*MEDIATION_OUTCOMES, "agreed"]), days_ago=days_ago),
    command("rule", case=case_no, draft=draft, decided_days_ago=days_ago, by=st.sampled_from(["judge", "judge", "judge", "clerk"])),
    command("appeal", case=case_no, filed_days_ago=days_ago),
    command("decide_appeal", case=case_no, outcome=st.sampled_from(APPEAL_OUTCOMES), days_ago=days_ago),
    command("enter_into_force", case=case_no),
    command("reopen", case=case_no, reason=st.sampled_from([*REOPEN_REASONS, "whim"]), days_ago=days_ago),
    command("seal", case=case_no, reason=st.sampled_from([*SEAL_REASONS, "celebrity"])),
    command("unseal", case=case_no),
    command(
        "document",
        case=case_no,
        kind=st.sampled_from([*DOCUMENT_KINDS, "selfie"]),
        received_days_ago=days_ago,
        sha256=st.sampled_from(["ab" * 32, "xyz"]),
    ),
    command(
        "correct",
        case=case_no,
        version=st.integers(1, 12),
        corrections=st.sampled_from(
            [
                {"summary": "Corrected summary"},
                {"received_on": -1},
                {"received_on": 30},
                {"incident_date": 200},
                {"incident_date": -3},
                {"title": "Corrected title"},
                {"reasoning": "Corrected reasoning"},
                {"track": "civil"},
                {"kind": "other"},
                {},
            ]
        ),
    ),
    command("advance", hours=st.integers(1, 24 * 45)),
]
# How often each kind of command is drawn: the ones that move a case towards and past its
# ruling more often than the ones that only add to it.
WEIGHTS = {
    "file": 2, "assign": 2, "recuse": 1, "order_examination": 3, "report": 3, "withdraw_examination": 1,
    "schedule": 2, "reschedule": 1, "hold": 2, "cancel": 1, "refer": 2, "conclude": 2, "rule": 5,
    "appeal": 3, "decide_appeal": 3, "enter_into_force": 2, "reopen": 1, "seal": 1, "unseal": 1,
    "document": 1, "correct": 2, "advance": 4,
}

commands = st.one_of([strategy for name, strategy in COMMANDS for _ in range(WEIGHTS[name])])
command_lists = st.lists(commands, min_size=15, max_size=50)


# What a decided case still accepts (R8), and the event fields that date things that happened
# outside the system (never in the future, DOMAIN.md section 2).
AFTER_RULING = {"appeal", "decide_appeal", "enter_into_force", "reopen", "seal", "unseal", "document", "correct"}
OUTSIDE_DATES = {"received_on", "incident_date", "decided_on", "filed_on", "concluded_on", "reopened_on", "in_force_on", "referred_on", "ordered_on"}


# --- a session: the court, its clock and the cases filed so far ------------------------------------


class Session:
    """Runs commands against one docket, with the clock moving only when told to."""

    def __init__(self) -> None:
        self.app = RememberingDocket()
        self.court: Court = set_up_court(self.app)
        self.now: datetime = NOW
        self.dockets: list[str] = []
        with clock.frozen_at(self.now):
            # A head start, so that short sequences reach every stage: a case of each track with
            # its judge assigned (civil and criminal with a report in, civil with a hearing
            # tomorrow, administrative with its examination pending), a decided case and a case
            # under appeal. The session begins two days later.
            civil, criminal, administrative = (self.court.file_assigned(track) for track in TRACKS)
            for docket in (civil, criminal):
                self.court.report(docket, self.court.order_examination(docket), harm_found="serious")
            self.court.order_examination(administrative)
            self.app.schedule_hearing(civil, starts_at=NOW + timedelta(days=1), courtroom="101", purpose="preliminary", actor=CLERK)
            decided, appealed = self.court.decided("civil"), self.court.decided("civil")
            self.app.file_appeal(appealed, filed_on=self.today, appellant="the respondent", actor=CLERK)
            self.dockets = [civil, criminal, administrative, decided, appealed]
        self.now += timedelta(days=2)
        self.focus = self.dockets[0]

    @property
    def today(self) -> date:
        return clock.local_date(self.now)

    def docket(self, number: int) -> str:
        """The case a command refers to by number (see ``case_no``)."""
        return self.focus if number < 4 else self.dockets[number % len(self.dockets)]

    def run(self, cmd: Command, *, check: bool = True) -> None:
        if cmd.name == "advance":
            self.now += timedelta(hours=cmd.args["hours"])
            return
        with clock.frozen_at(self.now):
            target = self.docket(cmd.args["case"]) if "case" in cmd.args else None
            before = self.versions() if check else {}
            status_before = self.app.case(target).status if check and target in self.dockets else None
            head = self.app.log_head()
            try:
                getattr(self, f"do_{cmd.name}")(**cmd.args)
            except DomainError:
                assert self.app.log_head() == head, f"{cmd} was refused but recorded events"
                if check:
                    assert self.versions() == before, f"{cmd} was refused but changed a case"
                return
            if cmd.name == "file" or cmd.args.get("case", 0) >= 4:
                self.focus = self.dockets[-1] if cmd.name == "file" else str(target)
            if check:
                if status_before not in (None, "pending"):
                    assert cmd.name in AFTER_RULING, f"R8: a {status_before} case accepted {cmd}"
                self.check_recorded_dates(head)
                self.check_every_rule(cmd, target)

    def check_recorded_dates(self, head: int) -> None:
        """Dates of things that happened outside the system are never after the day they were recorded."""
        for _, recorded in self.app.iter_log(after=head):
            for name, value in vars(recorded).items():
                if name in OUTSIDE_DATES and value is not None:
                    assert value <= clock.local_date(recorded.timestamp), f"{type(recorded).__qualname__}.{name} = {value} is in the future"

    def versions(self) -> dict[str, int]:
        return {d: self.app.case(d).version for d in self.dockets}

    def check_every_rule(self, cmd: Command, target: str | None) -> None:
        cases = {d: self.app.case(d) for d in self.dockets}
        for case in cases.values():
            invariants.check_case(case)
        for court in {case.court for case in cases.values()}:
            if calendar_id(court) in self.app.repository:
                calendar: Aggregate = self.app.repository.get(calendar_id(court))
                assert isinstance(calendar, CourtCalendar)
                invariants.check_calendar(calendar, cases)
        invariants.check_numbering(self.dockets)
        if cmd.name == "rule" and target is not None:
            invariants.check_new_ruling(self.app, cases[target], self.today)
        if cmd.name == "order_examination" and target is not None:
            case = cases[target]
            invariants.check_new_examination(self.app, case, f"EX{len(case.examinations)}", self.today)

    def examination(self, case: int, number: int) -> str:
        return f"EX{number or len(self.app.case(self.docket(case)).examinations)}"

    def hearing(self, case: int, number: int) -> str:
        return f"H{number or len(self.app.case(self.docket(case)).hearings)}"

    # --- the commands, with arguments relative to the frozen clock ---------------------------------

    def days(self, n: int) -> date:
        return self.today - timedelta(days=n)

    def do_file(self, track: str, harm: str | None, received_days_ago: int, incident_days_before: int, respondents: str, authority: str, claimed: str, court: str) -> None:
        received_on = self.days(received_days_ago)
        arguments = filing(track, court=court, received_on=received_on, incident_date=received_on - timedelta(days=incident_days_before))
        if harm is not None:
            arguments["alleged_harm"] = harm
        arguments["respondents"] = {
            "fitting": arguments["respondents"],
            "both": [HOSPITAL, SURGEON],
            "hospital": [HOSPITAL],
            "surgeon": [SURGEON],
            "none": [],
            "bad_bin": [{**HOSPITAL, "bin": "12-34"}],
        }[respondents]
        arguments["authority"] = {"fitting": arguments["authority"], "none": None, "prosecutor": PROSECUTOR}.get(authority, INSPECTORATE)
        arguments["claimed"] = {
            "fitting": arguments["claimed"],
            "none": {},
            "civil": {"real_damage": "500000", "moral_harm": "250000.50"},
            "fraction": {"real_damage": "0.001"},
            "negative": {"lost_profit": "-10"},
        }[claimed]
        receipt = self.app.file_case(**arguments, actor=CLERK)
        self.dockets.append(receipt["docket_number"])

    def do_assign(self, case: int, judge: str) -> None:
        self.app.assign_judge(self.docket(case), getattr(self.court, judge, "bogus"), CLERK)

    def do_recuse(self, case: int, reason: str) -> None:
        self.app.recuse_judge(self.docket(case), reason, JUDGE)

    def do_order_examination(self, case: int, kind: str, experts: tuple[str, ...], questions: list[str], due_in_days: int) -> None:
        expert_ids = [getattr(self.court, e, e) for e in experts]
        self.app.order_examination(self.docket(case), kind=kind, questions=questions, expert_ids=expert_ids, due_on=self.days(-due_in_days), actor=JUDGE)

    def do_report(self, case: int, examination: int, received_days_ago: int, met: str, causation: str, harm: str) -> None:
        self.app.submit_expert_report(
            self.docket(case), examination_id=self.examination(case, examination), received_on=self.days(received_days_ago),
            standard_of_care_met=met, causation=causation, harm_found=harm, actor=CLERK,
        )

    def do_withdraw_examination(self, case: int, examination: int) -> None:
        self.app.withdraw_examination(self.docket(case), self.examination(case, examination), "conflict discovered", JUDGE)

    def do_schedule(self, case: int, hours_ahead: int, courtroom: str, minutes: int) -> None:
        starts_at = self.now + timedelta(hours=hours_ahead)
        self.app.schedule_hearing(self.docket(case), starts_at=starts_at, courtroom=courtroom, purpose="hearing", actor=CLERK, duration_minutes=minutes)

    def do_reschedule(self, case: int, hearing: int, hours_ahead: int) -> None:
        starts_at = self.now + timedelta(hours=hours_ahead)
        self.app.reschedule_hearing(self.docket(case), self.hearing(case, hearing), starts_at=starts_at, reason="expert unavailable", actor=CLERK)

    def do_hold(self, case: int, hearing: int) -> None:
        self.app.hold_hearing(self.docket(case), self.hearing(case, hearing), minutes_summary="The parties were heard", actor=CLERK)

    def do_cancel(self, case: int, hearing: int) -> None:
        self.app.cancel_hearing(self.docket(case), self.hearing(case, hearing), reason="claimant ill", actor=CLERK)

    def do_refer(self, case: int, mediator: str, due_in_days: int) -> None:
        mediator_id = self.court.mediator if mediator == "mediator" else mediator
        self.app.refer_to_mediation(self.docket(case), mediator_id=mediator_id, due_on=self.days(-due_in_days), actor=CLERK)

    def do_conclude(self, case: int, outcome: str, days_ago: int) -> None:
        self.app.conclude_mediation(self.docket(case), outcome=outcome, concluded_on=self.days(days_ago), actor=CLERK)

    def do_rule(self, case: int, draft: dict[str, Any], decided_days_ago: int, by: str) -> None:
        receipt = self.app.issue_ruling(self.docket(case), {**draft, "decided_on": self.days(decided_days_ago)}, JUDGE if by == "judge" else CLERK)
        if "transferred_to" in receipt:
            self.dockets.append(receipt["transferred_to"])

    def do_appeal(self, case: int, filed_days_ago: int) -> None:
        self.app.file_appeal(self.docket(case), filed_on=self.days(filed_days_ago), appellant="the respondent", actor=CLERK)

    def do_decide_appeal(self, case: int, outcome: str, days_ago: int) -> None:
        self.app.decide_appeal(self.docket(case), outcome=outcome, decided_on=self.days(days_ago), actor=CLERK)

    def do_enter_into_force(self, case: int) -> None:
        self.app.enter_into_force(self.docket(case))

    def do_reopen(self, case: int, reason: str, days_ago: int) -> None:
        self.app.reopen_case(self.docket(case), reopened_on=self.days(days_ago), reason=reason, actor=CLERK)

    def do_seal(self, case: int, reason: str) -> None:
        self.app.seal_case(self.docket(case), reason=reason, actor=CLERK)

    def do_unseal(self, case: int) -> None:
        self.app.unseal_case(self.docket(case), reason="no longer needed", actor=JUDGE)

    def do_document(self, case: int, kind: str, received_days_ago: int, sha256: str) -> None:
        self.app.file_document(
            self.docket(case), kind=kind, title="Filing", filed_by="claimant", received_on=self.days(received_days_ago),
            sha256=sha256, size=1024, media_type="application/pdf", actor=CLERK,
        )

    def do_correct(self, case: int, version: int, corrections: dict[str, Any]) -> None:
        values = {k: self.days(v).isoformat() if k in ("received_on", "incident_date") else v for k, v in corrections.items()}
        self.app.correct_entry(self.docket(case), corrects_version=version, reason="clerical error", corrections=values, actor=CLERK)


# --- replay ----------------------------------------------------------------------------------------


def state(aggregate: Aggregate | None) -> dict[str, Any]:
    """What an aggregate knows: its attributes, without events waiting to be saved."""
    assert aggregate is not None
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def replay(app: Docket, docket_number: str, upto: int | None = None) -> Case:
    """The case rebuilt by applying its stored events in order, with no snapshot."""
    case: Case | None = None
    for stored in app.events.get(case_id_for(docket_number), lte=upto):
        assert isinstance(stored, Case.Event)
        case = stored.mutate(case)
    assert isinstance(case, Case)
    return case


# --- the properties --------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(command_lists)
def test_no_sequence_of_commands_leaves_a_case_breaking_a_rule(sequence: list[Command]) -> None:
    session = Session()

    for cmd in sequence:
        session.run(cmd)


@PROPERTY_SETTINGS
@given(command_lists)
def test_replaying_the_stored_events_gives_the_live_case(sequence: list[Command]) -> None:
    session = Session()
    for cmd in sequence:
        session.run(cmd, check=False)

    for docket in session.dockets:
        live = session.app.live[case_id_for(docket)]
        replayed = replay(session.app, docket)
        assert state(replayed) == state(live)
        assert state(session.app.case(docket)) == state(live)  # read through snapshots


@PROPERTY_SETTINGS
@given(command_lists)
def test_a_case_at_version_n_is_the_replay_of_its_first_n_events(sequence: list[Command]) -> None:
    session = Session()
    for cmd in sequence:
        session.run(cmd, check=False)

    for docket in session.dockets:
        for version in range(1, session.app.case(docket).version + 1):
            assert state(session.app.case_at_version(docket, version)) == state(replay(session.app, docket, upto=version))
