"""What the web UI and the API read: docket search, case timelines, judge dashboards, the court
calendar, the registries, the public docket, and read-your-writes waiting.

Every function takes an open SQLAlchemy ``Connection`` to the read models (see
``projections.db.views_engine``) and returns plain values: dicts and lists of str, int,
bool, ``date``, and timezone-aware ``datetime`` in the court's zone (Asia/Almaty).
Sealed cases (R11) are filtered here by the viewer's role, court and judge id, with
``domain.rules.may_see_sealed_case`` as the final word; recording that a sealed case was
viewed is the caller's job (it knows who viewed it and through which page).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, exists, false, func, or_, select, true

from domain import clock
from domain.application import Docket
from domain.rules import may_see_sealed_case
from projections import tables as t
from projections.search import text_match
from projections.statistics import AGE_BANDS, age_band, money

APPLICATION_NAME = Docket.name  # whose event log the tracking rows follow
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role (clerk, judge, analyst, admin), their court and, for a judge, their judge id."""

    role: str
    court: str | None = None
    judge_id: str | None = None


@dataclass
class Page:
    """One page of results: ``items``, the ``total`` across all pages, ``page`` (from 1) and ``per_page``."""

    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def _local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) instant as an aware datetime at the court."""
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(clock.COURT_TZ)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


LAST_PAGE = 100_000  # far beyond any docket; keeps OFFSET within a 64-bit integer


def _paging(page: int, per_page: int) -> tuple[int, int]:
    return min(max(1, page), LAST_PAGE), min(max(1, per_page), PER_PAGE_MAX)


# --- who sees sealed cases ------------------------------------------------------------------------------------------


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """SQL for "this case row may be shown to ``viewer``": unsealed, or R11 lets them see it.
    Mirrors ``domain.rules.may_see_sealed_case``, which every row is checked against again."""
    unsealed = t.cases.c.sealed == false()
    if viewer.role == "admin":
        return true()
    if viewer.role == "clerk" and viewer.court:
        return or_(unsealed, t.cases.c.court == viewer.court)
    if viewer.role == "judge" and viewer.judge_id:
        return or_(unsealed, t.cases.c.judge_id == viewer.judge_id)
    return unsealed


def may_see(row: Any, viewer: Viewer) -> bool:
    return not row["sealed"] or may_see_sealed_case(row["court"], row["judge_id"], viewer.role, viewer.court, viewer.judge_id)


# --- docket search --------------------------------------------------------------------------------------------------


def _case_filters(court: str | None, track: str | None, status: str | None, judge_id: str | None) -> list[ColumnElement[bool]]:
    where = []
    if court:
        where.append(t.cases.c.court == court)
    if track:
        where.append(t.cases.c.track == track)
    if status:
        where.append(t.cases.c.status == status)
    if judge_id:
        where.append(t.cases.c.judge_id == judge_id)
    return where


def _parties_of(conn: Connection, case_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    parties: dict[str, list[dict[str, Any]]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        query = select(t.case_parties).where(t.case_parties.c.case_id.in_(case_ids)).order_by(t.case_parties.c.case_id, t.case_parties.c.position)
        for row in conn.execute(query).mappings():
            parties[row["case_id"]].append(dict(row))
    return parties


def _case_item(row: Any) -> dict[str, Any]:
    return {
        "docket_number": row["docket_number"], "track": row["track"], "court": row["court"], "specialty": row["specialty"],
        "status": row["status"], "sealed": row["sealed"], "judge_id": row["judge_id"], "judge_name": row["judge_name"],
        "received_on": row["received_on"], "claimant_name": row["claimant_name"], "decided_on": row["decided_on"],
        "disposition": row["disposition"], "finding": row["finding"], "version": row["version"],
    }


def search_cases(
    conn: Connection,
    viewer: Viewer,
    *,
    text: str | None = None,
    court: str | None = None,
    track: str | None = None,
    status: str | None = None,
    judge_id: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """The docket search: cases matching every filter given, newest receipt first, one page.

    ``text`` is words: a case matches when its docket number, its parties' (claimant's,
    respondent's, authority's, representative's) names, certificate numbers and BINs, and its
    summary contain every one of them, in any case and any alphabet (``projections.search``, an index, no scan). Each item has
    docket_number, track, court, specialty, status, sealed, judge_id, judge_name, received_on,
    claimant_name, decided_on, disposition, finding, version and ``respondents`` (name, kind,
    certificate_no, bin). Sealed cases appear only for viewers R11 allows.
    """
    page, per_page = _paging(page, per_page)
    where = [visible_to(viewer), *_case_filters(court, track, status, judge_id)]
    if text:
        matching = text_match(conn.dialect.name, text)
        if matching is not None:
            where.append(matching)
    total = conn.execute(select(func.count()).select_from(t.cases).where(*where)).scalar_one()
    query = (
        select(t.cases).where(*where)
        .order_by(t.cases.c.received_on.desc(), t.cases.c.docket_number.desc())
        .limit(per_page).offset((page - 1) * per_page)
    )
    rows = [row for row in conn.execute(query).mappings() if may_see(row, viewer)]
    parties = _parties_of(conn, [row["case_id"] for row in rows])
    items = []
    for row in rows:
        item = _case_item(row)
        item["respondents"] = [
            {"id": p["party_ref"], "name": p["name"], "kind": p["kind"], "certificate_no": p["certificate_no"], "bin": p["bin"]}
            for p in parties[row["case_id"]] if p["role"] == "respondent"
        ]
        items.append(item)
    return Page(items, total, page, per_page)


def get_case(conn: Connection, docket_number: str, viewer: Viewer) -> dict[str, Any] | None:
    """One case's row as the search shows it, with all its ``parties`` (role, kind, name,
    certificate_no, bin, party_ref), claimed amounts (``claimed``: head -> KZT string) and
    counts of its examinations, hearings and mediations; None if there is no such case or the
    viewer may not see it."""
    row = conn.execute(select(t.cases).where(t.cases.c.docket_number == docket_number.strip().upper())).mappings().first()
    if row is None or not may_see(row, viewer):
        return None
    item = _case_item(row)
    item.update(
        incident_date=row["incident_date"], alleged_harm=row["alleged_harm"], summary=row["summary"],
        claimant_relation=row["claimant_relation"], transferred_from=row["transferred_from"], transferred_to=row["transferred_to"],
        in_force_on=row["in_force_on"], rulings_count=row["rulings_count"], reopenings_count=row["reopenings_count"],
        seal_reason=row["seal_reason"], claimed={head: money(row[f"claimed_{head}"]) for head in t.HEADS if row[f"claimed_{head}"]},
    )
    item["parties"] = [
        {k: p[k] for k in ("role", "kind", "name", "certificate_no", "bin", "party_ref")}
        for p in _parties_of(conn, [row["case_id"]])[row["case_id"]]
    ]
    for name, table in (("examinations", t.examinations), ("hearings", t.hearings), ("mediations", t.mediations)):
        item[f"{name}_count"] = conn.execute(select(func.count()).select_from(table).where(table.c.case_id == row["case_id"])).scalar_one()
    return item


# --- timeline -------------------------------------------------------------------------------------------------------


def case_timeline(conn: Connection, docket_number: str, viewer: Viewer, *, types: Iterable[str] | None = None) -> list[dict[str, Any]] | None:
    """Every event of the case, oldest first (only those of ``types``, if given), or None if there
    is no such case or the viewer may not see it. Each entry has version, position, type,
    actor (user, role), recorded_at, event_date (the date the event states), due_on,
    starts_at, corrects_version (for a correction), ``corrected_by`` (the versions of later
    corrections of this entry) and ``data`` (the event's fields as exported)."""
    case = conn.execute(select(t.cases.c.case_id, t.cases.c.court, t.cases.c.judge_id, t.cases.c.sealed)
                        .where(t.cases.c.docket_number == docket_number.strip().upper())).mappings().first()
    if case is None or not may_see(case, viewer):
        return None
    e = t.case_events
    corrected_by: dict[int, list[int]] = {}
    corrections = select(e.c.version, e.c.corrects_version).where(e.c.case_id == case["case_id"], e.c.corrects_version.is_not(None))
    for version, corrects in conn.execute(corrections.order_by(e.c.version)):
        corrected_by.setdefault(corrects, []).append(version)
    query = select(e).where(e.c.case_id == case["case_id"]).order_by(e.c.version)
    wanted = list(types or [])
    if wanted:
        query = query.where(e.c.type.in_(wanted))
    return [
        {
            "version": row["version"], "position": row["position"], "type": row["type"],
            "actor": {"user": row["actor_user"], "role": row["actor_role"]}, "recorded_at": _local(row["recorded_at"]),
            "event_date": row["event_date"], "due_on": row["due_on"], "starts_at": _local(row["starts_at"]),
            "corrects_version": row["corrects_version"], "corrected_by": corrected_by.get(row["version"], []), "data": row["data"],
        }
        for row in conn.execute(query).mappings()
    ]


# --- judge dashboard ------------------------------------------------------------------------------------------------


def _hearing_item(row: Any) -> dict[str, Any]:
    starts_at = _local(row["starts_at"])
    assert starts_at is not None
    return {
        "docket_number": row["docket_number"], "hearing_id": row["hearing_id"], "court": row["court"],
        "judge_id": row["judge_id"], "judge_name": row["judge_name"], "courtroom": row["courtroom"], "purpose": row["purpose"],
        "starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=row["duration_minutes"]),
        "duration_minutes": row["duration_minutes"], "status": row["status"], "reschedule_count": row["reschedule_count"],
    }


def judge_dashboard(
    conn: Connection, judge_id: str, today: date, *, hearing_days: int = 14, due_within_days: int = 7, page: int = 1, per_page: int = 50,
    list_limit: int = 50,
) -> dict[str, Any]:
    """A judge's day, as of court-local ``today``, read as bounded pages of indexed rows (however large the
    caseload, each list holds at most ``per_page`` or ``list_limit`` rows, and each figure is counted from an index):

    - ``pending``: a ``Page`` of their pending cases, oldest first (docket_number, track, received_on,
      age_days, age_band, claimant_name, sealed), and ``age_bands`` (band -> count, of all of them);
    - ``hearings``: their scheduled hearings from today through the next ``hearing_days`` days;
    - ``examinations``: ordered examinations in their pending cases that are overdue or due
      within ``due_within_days`` days (docket_number, examination_id, kind, due_on,
      ``days_overdue`` (negative: days left), experts), the first ``list_limit`` by due date;
      ``examinations_due`` and ``examinations_overdue`` count all of them;
    - ``ready_for_ruling``: pending cases with at least one expert report and no examination
      still awaited (R5), oldest first, the first ``list_limit``; ``ready_total`` counts them all;
    - ``open_mediations``: mediations of their pending cases not yet concluded (with ``overdue``), by due date,
      the first ``list_limit``; ``open_mediations_total`` counts them all.

    The open cases and age bands are read from ``judge_caseload`` (pending cases per judge and day of receipt,
    kept by the projection); the figures the projection keeps on each case row (``reports_awaited``,
    ``next_report_due``, ``mediation_due_on``, ``ready_for_ruling``) and the composite indexes on (judge, status,
    ...) make every other statement a range of one index (tests/integration/test_projections_queries.py checks
    the plans).
    """
    page, per_page = _paging(page, per_page)
    limit = min(max(1, list_limit), PER_PAGE_MAX)
    c = t.cases
    mine = [c.c.judge_id == judge_id, c.c.status == "pending"]

    # The open cases and their age bands: pre-counted by day of receipt (judge_caseload), one row per day.
    bands = {band: 0 for band, _, _ in AGE_BANDS}
    k = t.judge_caseload
    for received_on, count in conn.execute(select(k.c.received_on, k.c.pending).where(k.c.judge_id == judge_id, k.c.pending != 0)):
        bands[age_band(max((today - received_on).days, 0))] += count
    total = sum(bands.values())
    pending_rows = conn.execute(
        select(c.c.docket_number, c.c.track, c.c.specialty, c.c.received_on, c.c.claimant_name, c.c.sealed)
        .where(*mine).order_by(c.c.received_on, c.c.docket_number).limit(per_page).offset((page - 1) * per_page)
    ).mappings().all()
    pending_items = []
    for row in pending_rows:
        age = (today - row["received_on"]).days
        pending_items.append({
            "docket_number": row["docket_number"], "track": row["track"], "specialty": row["specialty"], "received_on": row["received_on"],
            "age_days": age, "age_band": age_band(max(age, 0)), "claimant_name": row["claimant_name"], "sealed": row["sealed"],
        })

    start = _naive_utc(clock.start_of_local_day(today))
    stop = _naive_utc(clock.end_of_local_day(today + timedelta(days=hearing_days - 1)))
    h = t.hearings
    hearing_rows = conn.execute(
        select(h).where(h.c.judge_id == judge_id, h.c.status == "scheduled", h.c.starts_at >= start, h.c.starts_at < stop).order_by(h.c.starts_at)
    ).mappings()

    # Examinations due: the cases whose earliest awaited report is due by then (ix_cases_judge_report_due), then
    # their examinations by key. The first ``limit`` examinations by due date lie within the first ``limit`` cases.
    x = t.examinations
    soon = today + timedelta(days=due_within_days)
    due_cases = [*mine, c.c.next_report_due <= soon]
    due_case_rows = conn.execute(
        select(c.c.case_id, c.c.docket_number).where(*due_cases).order_by(c.c.next_report_due, c.c.docket_number).limit(limit)
    ).all()
    numbers = dict(due_case_rows)
    exam_rows = sorted(
        conn.execute(select(x).where(x.c.case_id.in_(list(numbers)), x.c.status == "ordered", x.c.due_on <= soon)).mappings().all(),
        key=lambda row: (row["due_on"], numbers[row["case_id"]]),
    )[:limit] if numbers else []
    experts = _experts_of(conn, [(row["case_id"], row["examination_id"]) for row in exam_rows])
    examinations_due = [
        {
            "docket_number": numbers[row["case_id"]], "examination_id": row["examination_id"], "kind": row["kind"],
            "ordered_on": row["ordered_on"], "due_on": row["due_on"], "days_overdue": (today - row["due_on"]).days,
            "overdue": row["due_on"] < today, "experts": experts.get((row["case_id"], row["examination_id"]), []),
        }
        for row in exam_rows
    ]
    due_counts = select(func.count(), func.count().filter(x.c.due_on < today)).select_from(x.join(c, x.c.case_id == c.c.case_id)).where(
        *due_cases, x.c.status == "ordered", x.c.due_on <= soon,
    )
    due_total, overdue_total = conn.execute(due_counts).one()

    ready_where = [*mine, c.c.ready_for_ruling == true()]
    ready = conn.execute(
        select(c.c.docket_number, c.c.received_on, c.c.track).where(*ready_where).order_by(c.c.received_on, c.c.docket_number).limit(limit)
    ).mappings().all()
    ready_total = conn.execute(select(func.count()).select_from(c).where(*ready_where)).scalar_one()

    m = t.mediations
    mediating = [*mine, c.c.mediation_due_on.is_not(None)]
    mediation_rows = conn.execute(
        select(m, c.c.docket_number).select_from(c.join(m, m.c.case_id == c.c.case_id))
        .where(*mediating, m.c.outcome.is_(None)).order_by(c.c.mediation_due_on, c.c.docket_number).limit(limit)
    ).mappings().all()
    mediations_total = conn.execute(select(func.count()).select_from(c).where(*mediating)).scalar_one()
    return {
        "judge_id": judge_id,
        "today": today,
        "pending": Page(pending_items, total, page, per_page),
        "age_bands": bands,
        "hearings": [_hearing_item(row) for row in hearing_rows],
        "examinations": examinations_due,
        "examinations_due": due_total,
        "examinations_overdue": overdue_total,
        "ready_for_ruling": [
            {"docket_number": r["docket_number"], "received_on": r["received_on"], "track": r["track"], "age_days": (today - r["received_on"]).days}
            for r in ready
        ],
        "ready_total": ready_total,
        "open_mediations": [
            {"docket_number": row["docket_number"], "mediation_id": row["mediation_id"], "mediator_name": row["mediator_name"],
             "referred_on": row["referred_on"], "due_on": row["due_on"], "overdue": row["due_on"] < today}
            for row in mediation_rows
        ],
        "open_mediations_total": mediations_total,
    }


def _experts_of(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    result: dict[tuple[str, str], list[dict[str, str]]] = {}
    case_ids = sorted({case_id for case_id, _ in keys})
    if not case_ids:
        return result
    ee = t.examination_experts
    for row in conn.execute(select(ee).where(ee.c.case_id.in_(case_ids)).order_by(ee.c.expert_name)).mappings():
        result.setdefault((row["case_id"], row["examination_id"]), []).append({"id": row["expert_id"], "name": row["expert_name"]})
    return result


# --- court calendar -------------------------------------------------------------------------------------------------


def court_calendar(conn: Connection, court: str, day: date, *, span: str = "day", include_cancelled: bool = False) -> dict[str, Any]:
    """The court's hearings on ``day`` (``span="day"``) or in the Monday-to-Sunday week holding it
    (``span="week"``), by start time: ``{"court", "from", "to", "hearings": [...]}``; each hearing
    has docket_number, hearing_id, judge_id, judge_name, courtroom, purpose, starts_at and
    ends_at (Asia/Almaty), duration_minutes, status (scheduled, held, cancelled) and reschedule_count."""
    if span not in ("day", "week"):
        raise ValueError(f"span is 'day' or 'week', not {span!r}")
    first = day if span == "day" else day - timedelta(days=day.weekday())
    last = first if span == "day" else first + timedelta(days=6)
    h = t.hearings
    query = select(h).where(
        h.c.court == court,
        h.c.starts_at >= _naive_utc(clock.start_of_local_day(first)),
        h.c.starts_at < _naive_utc(clock.end_of_local_day(last)),
    )
    if not include_cancelled:
        query = query.where(h.c.status != "cancelled")
    rows = conn.execute(query.order_by(h.c.starts_at, h.c.courtroom)).mappings()
    return {"court": court, "from": first, "to": last, "hearings": [_hearing_item(row) for row in rows]}


# --- registries -----------------------------------------------------------------------------------------------------


def _certified_on(certifications: list[dict[str, Any]], retired_on: date | None, day: date) -> bool:
    # As domain.registry.Judge.is_certified_on: retirement ends it; any period covering the day.
    if retired_on is not None and retired_on <= day:
        return False
    return any(c["valid_from"] <= day and (c["valid_to"] is None or day <= c["valid_to"]) for c in certifications)


def list_judges(conn: Connection, *, court: str | None = None, on: date | None = None, judge_id: str | None = None) -> list[dict[str, Any]]:
    """Judges (of ``court``, if given; only ``judge_id``, if given) by name: judge_id, name, court, retired_on, ``certifications``
    (valid_from, valid_to, course), ``certified`` (on ``on``, default today at the court) and
    ``open_caseload`` (their cases now pending)."""
    on = on or clock.today()
    j = t.judges
    query = select(j).order_by(j.c.name)
    if court:
        query = query.where(j.c.court == court)
    if judge_id:
        query = query.where(j.c.judge_id == judge_id)
    rows = conn.execute(query).mappings().all()
    ids = [row["judge_id"] for row in rows]
    certifications: dict[str, list[dict[str, Any]]] = {judge_id: [] for judge_id in ids}
    caseload: dict[str, int] = {}
    if ids:
        jc = t.judge_certifications
        for cert in conn.execute(select(jc).where(jc.c.judge_id.in_(ids)).order_by(jc.c.judge_id, jc.c.valid_from)).mappings():
            certifications[cert["judge_id"]].append({"valid_from": cert["valid_from"], "valid_to": cert["valid_to"], "course": cert["course"]})
        c = t.cases
        load = select(c.c.judge_id, func.count()).where(c.c.judge_id.in_(ids), c.c.status == "pending").group_by(c.c.judge_id)
        caseload = {judge_id: n for judge_id, n in conn.execute(load)}
    return [
        {
            "judge_id": row["judge_id"], "name": row["name"], "court": row["court"], "retired_on": row["retired_on"],
            "certifications": certifications[row["judge_id"]],
            "certified": _certified_on(certifications[row["judge_id"]], row["retired_on"], on),
            "open_caseload": caseload.get(row["judge_id"], 0),
        }
        for row in rows
    ]


def judge_choices(conn: Connection) -> list[dict[str, Any]]:
    """Judges by name: judge_id, name, court; what a form's choice of judge needs, in one query (without
    ``list_judges``' certifications and open caseloads, whose count grows with the docket)."""
    j = t.judges
    return [dict(row) for row in conn.execute(select(j.c.judge_id, j.c.name, j.c.court).order_by(j.c.name)).mappings()]


def suggest_judge(conn: Connection, court: str, *, on: date | None = None, exclude: Iterable[str] = ()) -> dict[str, Any] | None:
    """The judge of ``court`` certified on ``on`` (default today), not retired and not in ``exclude``
    (e.g. judges who recused from the case), with the lightest open caseload (ties by name);
    an entry of ``list_judges``, or None if the court has no such judge."""
    excluded = set(exclude)
    candidates = [j for j in list_judges(conn, court=court, on=on) if j["certified"] and j["judge_id"] not in excluded]
    return min(candidates, key=lambda j: (j["open_caseload"], j["name"], j["judge_id"]), default=None)


def list_experts(conn: Connection, *, specialty: str | None = None) -> list[dict[str, Any]]:
    """Experts (with ``specialty``, if given) by name: expert_id, name, qualification,
    certificate_no, ``specialties``, ``affiliations`` (bin, organization, valid_from, valid_to)
    and ``open_examinations`` (ordered, not yet reported or withdrawn)."""
    x = t.experts
    query = select(x).order_by(x.c.name)
    if specialty:
        query = query.where(exists().where(t.expert_specialties.c.expert_id == x.c.expert_id, t.expert_specialties.c.specialty == specialty))
    rows = conn.execute(query).mappings().all()
    ids = [row["expert_id"] for row in rows]
    specialties: dict[str, list[str]] = {i: [] for i in ids}
    affiliations: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    open_load: dict[str, int] = {}
    if ids:
        es, ea = t.expert_specialties, t.expert_affiliations
        for expert_id, name in conn.execute(select(es.c.expert_id, es.c.specialty).where(es.c.expert_id.in_(ids)).order_by(es.c.specialty)):
            specialties[expert_id].append(name)
        for row in conn.execute(select(ea).where(ea.c.expert_id.in_(ids)).order_by(ea.c.valid_from)).mappings():
            affiliations[row["expert_id"]].append({k: row[k] for k in ("bin", "organization", "valid_from", "valid_to")})
        ee, ex = t.examination_experts, t.examinations
        load = (
            select(ee.c.expert_id, func.count())
            .select_from(ee.join(ex, and_(ex.c.case_id == ee.c.case_id, ex.c.examination_id == ee.c.examination_id)))
            .where(ee.c.expert_id.in_(ids), ex.c.status == "ordered").group_by(ee.c.expert_id)
        )
        open_load = {expert_id: n for expert_id, n in conn.execute(load)}
    return [
        {
            "expert_id": row["expert_id"], "name": row["name"], "qualification": row["qualification"],
            "certificate_no": row["certificate_no"], "specialties": specialties[row["expert_id"]],
            "affiliations": affiliations[row["expert_id"]], "open_examinations": open_load.get(row["expert_id"], 0),
        }
        for row in rows
    ]


def list_mediators(conn: Connection, *, court: str | None = None) -> list[dict[str, Any]]:
    """Mediators (of ``court``, if given) by name: mediator_id, name, court, organization and
    ``open_mediations`` (referred, not yet concluded)."""
    md, m = t.mediators, t.mediations
    query = select(md).order_by(md.c.name)
    if court:
        query = query.where(md.c.court == court)
    load: dict[str, int] = {row[0]: row[1] for row in conn.execute(select(m.c.mediator_id, func.count()).where(m.c.outcome.is_(None)).group_by(m.c.mediator_id))}
    return [
        {**{k: row[k] for k in ("mediator_id", "name", "court", "organization")}, "open_mediations": load.get(row["mediator_id"], 0)}
        for row in conn.execute(query).mappings()
    ]


# --- public docket --------------------------------------------------------------------------------------------------


def pseudonym(case_id: str, party: dict[str, Any]) -> str:
    """How the public docket names a party: organizations (legal persons) by name, people by role
    and a short code that is stable within the case but says nothing about who they are."""
    if party["kind"] == "organization" or party["role"] == "authority":
        return str(party["name"])
    code = hashlib.sha256(f"{case_id}/{party['position']}".encode()).hexdigest()[:4].upper()
    label = {"claimant": "Claimant", "respondent": "Specialist", "representative": "Representative"}.get(party["role"], "Party")
    return f"{label} {party['party_ref'] or ''} {code}".replace("  ", " ")


def public_docket(
    conn: Connection,
    *,
    court: str | None = None,
    track: str | None = None,
    status: str | None = None,
    text: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """The public docket: unsealed cases only, newest receipt first, parties pseudonymized
    (see ``pseudonym``). ``text`` is words, each of which must occur in the case's public text: its
    docket number and the names and BINs of the organizations and authorities the docket names, never
    a person (``projections.search.public_search_text``), answered by its own index. Each item has
    docket_number, track, court, specialty, status, received_on, decided_on, disposition, finding and
    ``parties`` (role, name as shown)."""
    page, per_page = _paging(page, per_page)
    where = [t.cases.c.sealed == false(), *_case_filters(court, track, status, None)]
    if text:
        matching = text_match(conn.dialect.name, text, "public_text")
        if matching is not None:
            where.append(matching)
    total = conn.execute(select(func.count()).select_from(t.cases).where(*where)).scalar_one()
    query: Select[Any] = (
        select(t.cases).where(*where)
        .order_by(t.cases.c.received_on.desc(), t.cases.c.docket_number.desc())
        .limit(per_page).offset((page - 1) * per_page)
    )
    rows = conn.execute(query).mappings().all()
    parties = _parties_of(conn, [row["case_id"] for row in rows])
    items = [
        {
            **{k: row[k] for k in ("docket_number", "track", "court", "specialty", "status", "received_on", "decided_on", "disposition", "finding")},
            "parties": [{"role": p["role"], "name": pseudonym(row["case_id"], p)} for p in parties[row["case_id"]]],
        }
        for row in rows
        if not row["sealed"]
    ]
    return Page(items, total, page, per_page)


# --- read your writes -------------------------------------------------------------------------------------------------


def positions(conn: Connection, names: Iterable[str] | None = None) -> dict[str, int]:
    """How far each projection has got in the event log (0: nowhere yet)."""
    result = {}
    for name in names or t.TRACKING_TABLES:
        table = t.TRACKING_TABLES[name]
        value = conn.execute(select(table.c.notification_id).where(table.c.application_name == APPLICATION_NAME)).scalar()
        result[name] = int(value or 0)
    return result


def wait_for(engine: Engine, position: int | None, *, timeout: float = 2.0, names: Iterable[str] | None = None, interval: float = 0.02) -> bool:
    """Read your writes: wait (at most ``timeout`` seconds) until every projection (or those named)
    has processed log ``position`` (a command's ``receipt["position"]``). True if they all have;
    False on timeout, when the page should say it may be a moment behind."""
    if position is None:
        return True
    wanted = list(names or t.TRACKING_TABLES)
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            if min(positions(conn, wanted).values()) >= position:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
