"""Projection ``statistics``: the outcome figures of DOMAIN.md section 4, pre-aggregated by day.

``stat_outcomes`` counts, per court-local day, court, track, specialty, judge, disposition,
finding and (first rulings) days from receipt to ruling, five kinds of fact:

- ``filed``: a case received that day; ``reopened``: a (re)opening dated that day;
- ``ruling``: a ruling decided that day (by the judge who gave it, with its disposition and finding);
- ``first``: a case's first ruling, with its days to disposition, so medians and percentiles
  stay exact (they are read off the counts of each number of days);
- ``pending``: +1 on the day a case becomes pending, -1 on the day it stops being pending, so
  the caseload pending at the end of D is the sum of the changes dated up to D.

Filings, reopenings and the pending caseload count for the case's current judge (as the
statistics attribute them); when a judge is assigned or recused, or a correction moves the
date of receipt or the specialty, the case's facts move with it. To make that exact, each
case keeps in ``stat_cases`` what the figures need of it and the facts it contributes; a
batch of events recomputes the facts of each case it changed once, at its end, and only the
difference is added to ``stat_outcomes`` (and, for the other sections, ``stat_sections``:
projections/section_facts.py), in the same transaction as the projection's tracking
position. Each fact is added at several grains (all its dimensions, none, or one: see
projections/tables.py), and each grain of ``stat_outcomes`` again by calendar month, so a
statistics query reads the coarsest rows that answer it.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import singledispatchmethod
from typing import Any

from sqlalchemy import Connection, TextClause, and_, bindparam, delete, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.case import Case
from projections.base import Projection, local_day, tiyn
from projections.section_facts import SECTION_COLUMNS, SectionFact, section_facts
from projections.tables import (
    FULL_GRAIN,
    HEADS,
    KEPT_BY_MONTH,
    MONTHLY,
    OUTCOME_DIMENSIONS,
    ROLLED_UP,
    SECTION_DIMENSIONS,
    TOTAL_GRAIN,
    stat_cases,
    stat_outcomes,
    stat_sections,
)

Fact = tuple[str, str, str, str, str, str, str, str, int]
"""(day, kind, court, track, specialty, judge_id, disposition, finding, days): the key of a ``stat_outcomes`` row."""

FACT_COLUMNS = ("day", "kind", "court", "track", "specialty", "judge_id", "disposition", "finding", "days")
NONE = ""  # no judge, not a ruling, no finding


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def case_facts(state: dict[str, Any]) -> Counter[Fact]:
    """What one case adds to ``stat_outcomes``, from its state (dates as ISO strings)."""
    facts: Counter[Fact] = Counter()
    court, track, specialty = state["court"], state["track"], state["specialty"]
    judge = state["judge"] or NONE
    received = state["received_on"]

    def add(day: str, kind: str, judge_id: str = judge, disposition: str = NONE, finding: str = NONE, days: int = 0, n: int = 1) -> None:
        facts[(day, kind, court, track, specialty, judge_id, disposition, finding, days)] += n

    add(received, "filed")
    for _version, reopened_on in state["reopenings"]:
        add(reopened_on, "reopened")
    rulings = state["rulings"]
    for index, (_version, decided_on, disposition, finding, ruling_judge, *_details) in enumerate(rulings):
        add(decided_on, "ruling", ruling_judge or NONE, disposition, finding or NONE)
        if index == 0:
            days = (date.fromisoformat(decided_on) - date.fromisoformat(received)).days
            add(decided_on, "first", ruling_judge or NONE, NONE, finding or NONE, days)
    # Pending at the end of a day: received by then, and no ruling dated by then recorded after
    # the latest (re)opening dated by then. It can only change on the case's own dates.
    was_pending = False
    for day in sorted({received, *(r[1] for r in rulings), *(o[1] for o in state["reopenings"])}):
        if day < received:
            continue
        opening = max((version for version, on in state["reopenings"] if on <= day), default=1)
        is_pending = not any(on <= day and version > opening for version, on, *_rest in rulings)
        if is_pending != was_pending:
            add(day, "pending", n=1 if is_pending else -1)
            was_pending = is_pending
    return facts


class OutcomeFactsProjection(Projection):
    name = "statistics"

    def __init__(self) -> None:
        super().__init__()
        self.deltas: Counter[Fact] = Counter()
        self.section_deltas: Counter[SectionFact] = Counter()
        self.touched: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}

    def project(self, session: Session, events: Sequence[tuple[int, Any]]) -> None:
        self.deltas = Counter()
        self.section_deltas = Counter()
        self.touched = {}
        super().project(session, events)
        self._add_deltas(session, stat_outcomes, FACT_COLUMNS, OUTCOME_DIMENSIONS, self.deltas)
        self._add_deltas(session, stat_sections, SECTION_COLUMNS, SECTION_DIMENSIONS, self.section_deltas)

    def prepare(self, events: Sequence[tuple[int, Any]]) -> None:
        created = {str(e.originator_id) for _, e in events if isinstance(e, Case.CaseFiled)}
        wanted = {str(e.originator_id) for _, e in events if isinstance(e, _SHOWN)} - created
        buffer = self.buffer(stat_cases)
        for case_id in created:
            buffer.mark_new(case_id)
        buffer.load(self.db, wanted)

    # --- the case's state and facts ------------------------------------------------------------------

    def _change(self, event: Any, change: Any) -> None:
        """Apply ``change`` to the case's state as the batch has it; its facts are recomputed once, at the end of the batch."""
        case_id = str(event.originator_id)
        if case_id not in self.touched:
            row = self.buffer(stat_cases).get(self.db, case_id)
            if row is None:
                raise LookupError(f"Event {type(event).__qualname__} for a case the projection never saw filed ({event.originator_id})")
            # A deep copy (through JSON's types): the stored facts are those of the state as it was before the batch.
            self.touched[case_id] = (row, json.loads(json.dumps(row["state"])))
        change(self.touched[case_id][1])

    def finish(self) -> None:
        """Each case the batch changed: the difference of its facts, before and after the batch, goes to the fact tables."""
        for row, state in self.touched.values():
            self._store(row, state)

    def _store(self, row: dict[str, Any], state: dict[str, Any]) -> None:
        old = Counter({tuple(fact[:-1]): fact[-1] for fact in row["state"].get("facts", [])})
        old_sections = Counter({tuple(fact[:-1]): fact[-1] for fact in row["state"].get("section_facts", [])})
        state.pop("facts", None)
        state.pop("section_facts", None)
        new = case_facts(state)
        new_sections = section_facts(state, HEADS)
        self.deltas.update(new)
        self.deltas.subtract(old)
        self.section_deltas.update(new_sections)
        self.section_deltas.subtract(old_sections)
        state["facts"] = [[*fact, n] for fact, n in sorted(new.items())]
        state["section_facts"] = [[*fact, n] for fact, n in sorted(new_sections.items()) if n]
        self.buffer(stat_cases).update(row, state=state)

    @staticmethod
    def _add_deltas(session: Session, table: Any, columns: Sequence[str], dimensions: Sequence[str], deltas: Counter[Any]) -> None:
        """Add the batch's differences to ``table`` at every grain (one upsert), then drop rows that came to zero."""
        grained: Counter[tuple[Any, ...]] = Counter()
        rolled = [columns.index(name) for name in dimensions]
        for fact, n in deltas.items():
            if not n:
                continue
            grained[(FULL_GRAIN, *fact)] += n
            grained[(TOTAL_GRAIN, *(ROLLED_UP if i in rolled else v for i, v in enumerate(fact)))] += n
            for kept in rolled:
                grained[(columns[kept], *(ROLLED_UP if i in rolled and i != kept else v for i, v in enumerate(fact)))] += n
        if table.name in KEPT_BY_MONTH:
            # Each grain again by calendar month: the same difference, on the row dated the month's first day.
            day = columns.index("day") + 1
            for fact, n in list(grained.items()):
                grained[(MONTHLY + fact[0], *(f"{v[:8]}01" if i == day else v for i, v in enumerate(fact) if i))] += n
        keys = ("grain", *columns)
        changed: list[dict[str, Any]] = [dict(zip(keys, fact, strict=True), n=n) for fact, n in sorted(grained.items()) if n]
        if not changed:
            return
        for row in changed:
            row["day"] = date.fromisoformat(row["day"])
        connection = session.connection()
        # A change may have come to zero from either side (-1 then +1 on the same day and dimensions).
        maybe_zero = _upsert(connection, table, keys, changed)
        if maybe_zero:
            where = and_(*(table.c[name] == bindparam(f"k_{name}") for name in keys), table.c.n == 0)
            connection.execute(delete(table).where(where), [{f"k_{name}": value for name, value in zip(keys, row, strict=True)} for row in maybe_zero])

    # --- events ------------------------------------------------------------------------------------------

    @singledispatchmethod
    def process_event(self, domain_event: Any, position: int) -> None:
        """Events that change no outcome figure."""

    @process_event.register
    def _filed(self, event: Case.CaseFiled, position: int) -> None:
        state = {
            "court": event.court, "track": event.track, "specialty": event.specialty, "received_on": _iso(event.received_on),
            "judge": None, "rulings": [], "reopenings": [],
            "claimed": {head: tiyn(event.claimed.get(head)) or 0 for head in HEADS}, "exams": {}, "hearings": {}, "mediations": {}, "appeals": {},
        }
        row = self.buffer(stat_cases).insert(case_id=str(event.originator_id), state={"facts": []})
        self.touched[str(event.originator_id)] = (row, state)

    @process_event.register
    def _corrected(self, event: Case.DocketEntryCorrected, position: int) -> None:
        corrections = event.corrections
        if event.entry_type == "ExpertReportSubmitted" and "received_on" in corrections:
            def report(state: dict[str, Any]) -> None:
                for exam in state["exams"].values():
                    if exam["reported_version"] == event.corrects_version:
                        exam["received_on"] = _iso(corrections["received_on"])

            self._change(event, report)
            return
        if event.entry_type != "CaseFiled" or not {"received_on", "specialty"} & set(corrections):
            return

        def change(state: dict[str, Any]) -> None:
            if "received_on" in corrections:
                state["received_on"] = _iso(corrections["received_on"])
            if "specialty" in corrections:
                state["specialty"] = corrections["specialty"]

        self._change(event, change)

    @process_event.register
    def _judge_assigned(self, event: Case.JudgeAssigned, position: int) -> None:
        self._change(event, lambda state: state.update(judge=event.judge_id))

    @process_event.register
    def _judge_recused(self, event: Case.JudgeRecused, position: int) -> None:
        self._change(event, lambda state: state.update(judge=None))

    @process_event.register
    def _ruling_issued(self, event: Case.RulingIssued, position: int) -> None:
        details = {
            "id": event.ruling_id, "awarded": {head: tiyn(event.compensation.get(head)) or 0 for head in HEADS},
            "payable": {head: tiyn(event.payable.get(head)) or 0 for head in HEADS}, "insurer": tiyn(event.insurer_compensation) or 0,
        }
        ruling = [event.originator_version, _iso(event.decided_on), event.disposition, event.finding, event.judge_id, details]
        self._change(event, lambda state: state["rulings"].append(ruling))

    @process_event.register
    def _examination_ordered(self, event: Case.ExpertExaminationOrdered, position: int) -> None:
        def change(state: dict[str, Any]) -> None:
            state["exams"][event.examination_id] = {
                "ordered_on": _iso(event.ordered_on), "due_on": _iso(event.due_on), "judge": state["judge"],
                "experts": [expert["id"] for expert in event.experts], "status": "ordered", "received_on": None, "withdrawn_on": None,
                "reported_version": None, "care": None,
            }

        self._change(event, change)

    @process_event.register
    def _report_submitted(self, event: Case.ExpertReportSubmitted, position: int) -> None:
        def change(state: dict[str, Any]) -> None:
            state["exams"][event.examination_id].update(
                status="reported", received_on=_iso(event.received_on), reported_version=event.originator_version, care=event.standard_of_care_met,
            )

        self._change(event, change)

    @process_event.register
    def _examination_withdrawn(self, event: Case.ExpertExaminationWithdrawn, position: int) -> None:
        # The event states no date: the day it was recorded at the court is the day of withdrawal (as the case file has it).
        withdrawn_on = local_day(event.timestamp).isoformat()
        self._change(event, lambda state: state["exams"][event.examination_id].update(status="withdrawn", withdrawn_on=withdrawn_on))

    @process_event.register
    def _hearing_scheduled(self, event: Case.HearingScheduled, position: int) -> None:
        def change(state: dict[str, Any]) -> None:
            state["hearings"][event.hearing_id] = {
                "starts_on": local_day(event.starts_at).isoformat(), "judge": state["judge"], "reschedulings": 0, "status": "scheduled",
            }

        self._change(event, change)

    @process_event.register
    def _hearing_rescheduled(self, event: Case.HearingRescheduled, position: int) -> None:
        def change(state: dict[str, Any]) -> None:
            hearing = state["hearings"][event.hearing_id]
            hearing.update(starts_on=local_day(event.starts_at).isoformat(), reschedulings=hearing["reschedulings"] + 1)

        self._change(event, change)

    @process_event.register
    def _hearing_held(self, event: Case.HearingHeld, position: int) -> None:
        self._change(event, lambda state: state["hearings"][event.hearing_id].update(status="held"))

    @process_event.register
    def _hearing_cancelled(self, event: Case.HearingCancelled, position: int) -> None:
        self._change(event, lambda state: state["hearings"][event.hearing_id].update(status="cancelled"))

    @process_event.register
    def _mediation_referred(self, event: Case.MediationReferred, position: int) -> None:
        mediation = {"mediator": event.mediator_id, "referred_on": _iso(event.referred_on), "concluded_on": None, "outcome": None}
        self._change(event, lambda state: state["mediations"].update({event.mediation_id: mediation}))

    @process_event.register
    def _mediation_concluded(self, event: Case.MediationConcluded, position: int) -> None:
        self._change(event, lambda state: state["mediations"][event.mediation_id].update(outcome=event.outcome, concluded_on=_iso(event.concluded_on)))

    @process_event.register
    def _appeal_filed(self, event: Case.AppealFiled, position: int) -> None:
        def change(state: dict[str, Any]) -> None:
            # Against the case's latest ruling, as the case file records it.
            latest = state["rulings"][-1][5]["id"] if state["rulings"] else None
            state["appeals"][event.appeal_id] = {"ruling": latest, "filed_on": _iso(event.filed_on), "decided_on": None, "outcome": None}

        self._change(event, change)

    @process_event.register
    def _appeal_decided(self, event: Case.AppealDecided, position: int) -> None:
        self._change(event, lambda state: state["appeals"][event.appeal_id].update(outcome=event.outcome, decided_on=_iso(event.decided_on)))

    @process_event.register
    def _reopened(self, event: Case.CaseReopened, position: int) -> None:
        self._change(event, lambda state: state["reopenings"].append([event.originator_version, _iso(event.reopened_on)]))


def _upsert(connection: Connection, table: Any, keys: tuple[str, ...], changed: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Add each changed row's ``n`` to its row of ``table`` (inserted when new); returns the keys of the rows
    that may have come to zero. PostgreSQL: one statement for the whole batch, its rows as arrays (executemany
    sent one statement per row, and a rebuild spent four fifths of its time on those round trips), which
    says which rows are at zero. SQLite runs executemany in process: every changed key may be."""
    if connection.dialect.name == "postgresql":
        columns_of = {name: [row[name] for row in changed] for name in (*keys, "n")}
        return [tuple(row[:-1]) for row in connection.execute(_bulk_upsert(table, keys), columns_of) if row[-1] == 0]
    statement = sqlite.insert(table)
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_={"n": table.c.n + statement.excluded.n}), changed)
    return [tuple(row[name] for name in keys) for row in changed]


@functools.cache
def _bulk_upsert(table: Any, keys: tuple[str, ...]) -> TextClause:
    """``INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE SET n = n + excluded.n RETURNING keys, n``
    for PostgreSQL: one statement (and one prepared plan) whatever the number of rows."""
    dialect = postgresql.dialect()
    names = (*keys, "n")
    arrays = ", ".join(f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])" for name in names)
    quoted = ", ".join(f'"{name}"' for name in names)
    conflict = ", ".join(f'"{name}"' for name in keys)
    returning = ", ".join(f'"{table.name}"."{name}"' for name in names)
    return text(
        f'INSERT INTO "{table.name}" ({quoted}) SELECT * FROM unnest({arrays}) '
        f'ON CONFLICT ({conflict}) DO UPDATE SET "n" = "{table.name}"."n" + excluded."n" RETURNING {returning}'
    )


_SHOWN = (
    Case.DocketEntryCorrected, Case.JudgeAssigned, Case.JudgeRecused, Case.RulingIssued, Case.CaseReopened, Case.ExpertExaminationOrdered,
    Case.ExpertReportSubmitted, Case.ExpertExaminationWithdrawn, Case.HearingScheduled, Case.HearingRescheduled, Case.HearingHeld,
    Case.HearingCancelled, Case.MediationReferred, Case.MediationConcluded, Case.AppealFiled, Case.AppealDecided,
)
