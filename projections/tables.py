"""The read models' tables (SQLAlchemy Core, one ``MetaData``), grouped by the projection that owns them.

Conventions, the same on SQLite and PostgreSQL:

- ids are strings (UUIDs as text), so rows read the same on both back ends;
- dates are court-local ``Date`` values; instants are naive ``DateTime`` values in UTC
  (SQLite keeps no time zone, so none is kept anywhere);
- money is a whole number of tiyn (``BigInteger``): sums stay exact in SQL and no
  back end has to round a ``Decimal``.

Each projection owns its tables and one tracking table with the columns of
eventsourcing_sqlalchemy's ``NotificationTrackingRecord``; the projection writes its rows
and its position in that tracking table in one transaction. A projection reads only its
own tables while it projects, so projections can be rebuilt and run independently.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

HEADS = ("real_damage", "lost_profit", "moral_harm")
"""Compensation heads; each money column exists once per head (``claimed_real_damage``...)."""


def _tracking(name: str) -> Table:
    # Same columns as eventsourcing_sqlalchemy.models.NotificationTrackingRecord, so that
    # SQLAlchemyTrackingRecorder(tracking_table_name=...) maps onto this table.
    return Table(
        name,
        metadata,
        Column("application_name", String(32), primary_key=True),
        Column("notification_id", BigInteger().with_variant(Integer(), "sqlite")),
    )


def _money(prefix: str) -> list[Column[int]]:
    return [Column(f"{prefix}_{head}", BigInteger, nullable=False) for head in HEADS]


# --- projection "cases": the case file (search, dashboards, calendar, statistics) -----------------------

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("docket_number", String(32), nullable=False, unique=True),
    Column("track", String(16), nullable=False),
    Column("court", String(3), nullable=False),
    Column("specialty", String(40), nullable=False),
    Column("alleged_harm", String(16), nullable=False),
    Column("incident_date", Date, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("status", String(16), nullable=False),  # pending, decided, appealed, in_force
    Column("sealed", Boolean, nullable=False),
    Column("seal_reason", String(40)),
    Column("judge_id", String(36)),
    Column("judge_name", String(200)),
    Column("claimant_name", String(200), nullable=False),
    Column("claimant_relation", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    *_money("claimed"),
    Column("transferred_from", String(32)),
    Column("transferred_to", String(32)),
    Column("rulings_count", Integer, nullable=False),
    Column("reopenings_count", Integer, nullable=False),
    Column("latest_ruling_id", String(8)),
    Column("decided_on", Date),  # of the latest ruling
    Column("disposition", String(20)),  # of the latest ruling
    Column("finding", String(20)),  # of the latest ruling
    Column("in_force_on", Date),
    Column("version", Integer, nullable=False),
    Column("filed_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # Docket number, every party's name, certificate number and BIN, and the summary, folded (projections.search).
    # Indexed by a trigram GIN index on PostgreSQL and the FTS5 table cases_fts on SQLite (revision 0007_search).
    Column("search_text", Text, nullable=False, server_default=""),
    # What the public may find a case by (projections.search.public_search_text): its docket number and the
    # names and BINs of the organizations and authorities the public docket names; never a person.
    Column("public_text", Text, nullable=False, server_default=""),
    # Pre-counted for the judge dashboard (revision 0009_scale), so that it reads a page of indexed rows
    # however large the judge's caseload: examinations ordered and not yet reported or withdrawn, reports in,
    # the earliest due date of those awaited, the open mediation's due date, and R5's readiness
    # (at least one report in, none awaited).
    Column("reports_awaited", Integer, nullable=False, server_default="0"),
    Column("reports_in", Integer, nullable=False, server_default="0"),
    Column("next_report_due", Date),
    Column("mediation_due_on", Date),
    Column("ready_for_ruling", Boolean, nullable=False, server_default=false()),
    Index("ix_cases_court_status", "court", "status"),
    Index("ix_cases_judge_status_received", "judge_id", "status", "received_on", "docket_number"),
    Index("ix_cases_judge_ready", "judge_id", "status", "ready_for_ruling", "received_on"),
    Index("ix_cases_judge_report_due", "judge_id", "status", "next_report_due"),
    Index("ix_cases_judge_mediation_due", "judge_id", "status", "mediation_due_on"),
    Index("ix_cases_received_on", "received_on"),
)

# The judge dashboard's open-case figures, pre-counted (revision 0009_scale): each judge's pending cases by day of
# receipt, so its count and age bands read at most one row per day, however many cases the judge holds.
judge_caseload = Table(
    "judge_caseload",
    metadata,
    Column("judge_id", String(36), primary_key=True),
    Column("received_on", Date, primary_key=True),
    Column("pending", Integer, nullable=False),
)

case_parties = Table(
    "case_parties",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True),  # 0 the claimant, then respondents, authority, representatives
    Column("role", String(16), nullable=False),  # claimant, respondent, authority, representative
    Column("party_ref", String(8)),  # R1, R2... for respondents
    Column("kind", String(16), nullable=False),  # person, specialist, organization, prosecutor, inspectorate
    Column("name", String(200), nullable=False),
    Column("certificate_no", String(40)),
    Column("bin", String(12)),
    Index("ix_case_parties_bin", "bin"),
    Index("ix_case_parties_certificate_no", "certificate_no"),
)

examinations = Table(
    "examinations",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("examination_id", String(8), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("judge_id", String(36)),  # the judge who ordered it
    Column("ordered_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(12), nullable=False),  # ordered, reported, withdrawn
    Column("received_on", Date),
    Column("withdrawn_on", Date),
    Column("standard_of_care_met", String(8)),
    Column("causation", String(16)),
    Column("harm_found", String(16)),
    Column("ordered_version", Integer, nullable=False),
    Column("reported_version", Integer),
    Index("ix_examinations_status_due", "status", "due_on"),
)

examination_experts = Table(
    "examination_experts",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("examination_id", String(8), primary_key=True),
    Column("expert_id", String(36), primary_key=True),
    Column("expert_name", String(200), nullable=False),
    Index("ix_examination_experts_expert", "expert_id"),
)

hearings = Table(
    "hearings",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("hearing_id", String(8), primary_key=True),
    Column("docket_number", String(32), nullable=False),
    Column("court", String(3), nullable=False),
    Column("judge_id", String(36)),
    Column("judge_name", String(200)),
    Column("courtroom", String(40), nullable=False),
    Column("purpose", String(300), nullable=False),
    Column("starts_at", DateTime, nullable=False),  # UTC
    Column("starts_on", Date, nullable=False),  # court-local date of starts_at
    Column("duration_minutes", Integer, nullable=False),
    Column("first_starts_at", DateTime, nullable=False),  # UTC, as first scheduled
    Column("reschedule_count", Integer, nullable=False),
    Column("status", String(12), nullable=False),  # scheduled, held, cancelled
    Column("ended_at", DateTime),  # UTC, when held or cancelled was recorded
    Column("scheduled_version", Integer, nullable=False),
    Index("ix_hearings_court_starts", "court", "starts_at"),
    Index("ix_hearings_judge_starts", "judge_id", "starts_at"),
    Index("ix_hearings_starts_on", "starts_on"),
)

mediations = Table(
    "mediations",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("mediation_id", String(8), primary_key=True),
    Column("mediator_id", String(36), nullable=False),
    Column("mediator_name", String(200), nullable=False),
    Column("referred_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("concluded_on", Date),
    Column("outcome", String(12)),
)

rulings = Table(
    "rulings",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("ruling_id", String(8), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("judge_id", String(36)),
    Column("disposition", String(20), nullable=False),
    Column("finding", String(20)),
    Column("harm_found", String(16)),
    Column("is_first", Boolean, nullable=False),  # the case's first ruling (time to disposition)
    *_money("awarded"),
    *_money("payable"),
    Column("insurer_compensation", BigInteger),
    Column("contributory_fault_bp", Integer, nullable=False),  # basis points: 10% is 1000
    Column("liable_respondents", JSON, nullable=False),
    Column("sanctions", JSON, nullable=False),
    Column("transferred_to", String(32)),
    Index("ix_rulings_decided_on", "decided_on"),
    Index("ix_rulings_judge", "judge_id"),
)

appeals = Table(
    "appeals",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("appeal_id", String(8), primary_key=True),
    Column("ruling_id", String(8), nullable=False),  # the ruling appealed against
    Column("filed_on", Date, nullable=False),
    Column("appellant", String(200), nullable=False),
    Column("outcome", String(12)),
    Column("decided_on", Date),
    Index("ix_appeals_filed_on", "filed_on"),
    Index("ix_appeals_decided_on", "decided_on"),
)

reopenings = Table(
    "reopenings",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("reopened_on", Date, nullable=False),
    Column("reason", String(16), nullable=False),
    Index("ix_reopenings_reopened_on", "reopened_on"),
)

tracking_cases = _tracking("tracking_cases")

# --- projection "timeline": every case event in order ------------------------------------------------------

case_events = Table(
    "case_events",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),  # in the global event log
    Column("type", String(40), nullable=False),
    Column("actor_user", String(100)),
    Column("actor_role", String(20)),
    Column("recorded_at", DateTime, nullable=False),  # UTC
    Column("event_date", Date),  # the date the event itself states (received_on, decided_on, ...)
    Column("due_on", Date),
    Column("starts_at", DateTime),  # UTC, for hearing events
    Column("corrects_version", Integer),  # a DocketEntryCorrected names the entry it corrects
    Column("data", JSON, nullable=False),  # the event's fields as in `medcourt export events`
    Index("ix_case_events_type", "case_id", "type"),
)

tracking_timeline = _tracking("tracking_timeline")

# --- projection "registry": judges, experts, mediators --------------------------------------------------------

judges = Table(
    "judges",
    metadata,
    Column("judge_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("court", String(3), nullable=False),
    Column("retired_on", Date),
    Column("registered_at", DateTime, nullable=False),
    Index("ix_judges_court", "court"),
)

judge_certifications = Table(
    "judge_certifications",
    metadata,
    Column("judge_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("course", String(300), nullable=False),
)

experts = Table(
    "experts",
    metadata,
    Column("expert_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("qualification", String(300), nullable=False),
    Column("certificate_no", String(40)),
    Column("registered_at", DateTime, nullable=False),
)

expert_specialties = Table(
    "expert_specialties",
    metadata,
    Column("expert_id", String(36), primary_key=True),
    Column("specialty", String(40), primary_key=True),
    Index("ix_expert_specialties_specialty", "specialty"),
)

expert_affiliations = Table(
    "expert_affiliations",
    metadata,
    Column("expert_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("bin", String(12), nullable=False),
    Column("organization", String(200), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
)

mediators = Table(
    "mediators",
    metadata,
    Column("mediator_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("court", String(3), nullable=False),
    Column("organization", String(200), nullable=False),
    Column("registered_at", DateTime, nullable=False),
)

tracking_registry = _tracking("tracking_registry")

# --- projection "statistics": outcome figures pre-aggregated by day (projections/outcome_facts.py) ----------

stat_cases = Table(
    "stat_cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("state", JSON, nullable=False),  # what the figures need of the case, and the facts it adds to stat_outcomes
)

stat_outcomes = Table(
    "stat_outcomes",
    metadata,
    Column("grain", String(12), primary_key=True),  # which dimensions the row keeps: "" all, "*" none, else that one; "m...": by month
    Column("day", Date, primary_key=True),  # a month's row: its first day
    Column("kind", String(8), primary_key=True),  # filed, reopened, ruling, first (ruling), pending (change)
    Column("court", String(3), primary_key=True),
    Column("track", String(16), primary_key=True),
    Column("specialty", String(40), primary_key=True),
    Column("judge_id", String(36), primary_key=True),  # "" : no judge
    Column("disposition", String(20), primary_key=True),  # "" : not a ruling
    Column("finding", String(20), primary_key=True),  # "" : none
    Column("days", Integer, primary_key=True),  # a first ruling's days from receipt, else 0
    Column("n", Integer, nullable=False),  # how many (a pending change: +1 or -1, summed)
    # Every column a statistics query reads, so PostgreSQL answers from the index alone
    # (migration 0010_statistics_indexes says why).
    Index("ix_stat_outcomes_reading", "grain", "kind", "day",
          postgresql_include=["court", "track", "specialty", "judge_id", "disposition", "finding", "days", "n"]),
)

stat_sections = Table(
    "stat_sections",
    metadata,
    # The other sections' facts (projections/section_facts.py): by day and the dimensions each is attributed to.
    Column("grain", String(12), primary_key=True),  # which dimensions the row keeps: "" all, "*" none, else that one (see GRAINS)
    Column("day", Date, primary_key=True),
    Column("kind", String(12), primary_key=True),  # x_ordered, x_reported, x_missing, h_dated, m_referred, ... (section_facts)
    Column("court", String(3), primary_key=True),
    Column("track", String(16), primary_key=True),
    Column("specialty", String(40), primary_key=True),
    Column("judge_id", String(36), primary_key=True),  # "" : no judge
    Column("finding", String(20), primary_key=True),  # of the ruling counted (or appealed against); "" : none
    Column("actor", String(36), primary_key=True),  # an expert or mediator; "" : the examination itself, or none
    Column("label", String(20), primary_key=True),  # an outcome, a head of compensation, "late"; "" : none
    Column("value", BigInteger, primary_key=True),  # days, an amount in tiyn or a day's ordinal (exact medians); else 0
    Column("bound", Integer, primary_key=True),  # a claim's earliest earlier merits ruling on or after its day (ordinal); else 0
    Column("n", BigInteger, nullable=False),  # how many, or an amount in tiyn; a change: +1 or -1, summed
    Index("ix_stat_sections_reading", "grain", "kind", "day",
          postgresql_include=["court", "track", "specialty", "judge_id", "finding", "actor", "label", "value", "bound", "n"]),
)

tracking_statistics = _tracking("tracking_statistics")

# Every fact is kept at several grains: with all its dimensions (grain ""), with none of them ("*"
# in each), and with one of them (the grain names it). A query reads the coarsest grain that keeps
# the dimensions its breakdown and filters need, so an overall figure, or one broken down or
# filtered by a single dimension, reads rows that grow with the calendar, not with the docket.
FULL_GRAIN, TOTAL_GRAIN, ROLLED_UP = "", "*", "*"
# stat_outcomes keeps each grain by calendar month as well (grain "m" + the grain: "m", "m*", "mcourt"...), dated the
# month's first day and summed over its days: a period's whole months read one row per month where the day grain has
# one per day (projections/statistics/facts.py ``FactGrains.dated``). Only where a query reads the day just to place a
# fact in the period (or its year or month); a pending caseload's ages, and the other sections, read the days.
MONTHLY = "m"
KEPT_BY_MONTH: tuple[str, ...] = ("stat_outcomes",)
OUTCOME_DIMENSIONS: tuple[str, ...] = ("court", "track", "specialty", "judge_id")
SECTION_DIMENSIONS: tuple[str, ...] = ("court", "track", "specialty", "judge_id", "finding")

# --- which projection owns what ------------------------------------------------------------------------------

PROJECTION_TABLES: dict[str, tuple[Table, ...]] = {
    "cases": (cases, case_parties, examinations, examination_experts, hearings, mediations, rulings, appeals, reopenings, judge_caseload),
    "timeline": (case_events,),
    "registry": (judges, judge_certifications, experts, expert_specialties, expert_affiliations, mediators),
    "statistics": (stat_cases, stat_outcomes, stat_sections),
}
TRACKING_TABLES: dict[str, Table] = {
    "cases": tracking_cases,
    "timeline": tracking_timeline,
    "registry": tracking_registry,
    "statistics": tracking_statistics,
}
