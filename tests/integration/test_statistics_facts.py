"""The statistics projection's section facts, one small docket told by hand: what issue 15 found the
old figures got wrong (a claim counted twice, insurer compensation lost outside merits rulings, a
standard of care met "partly" dropped from the funnel) and the edges of "as of the end of the period"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine
from sqlalchemy.orm import Session

from projections import statistics as stats
from projections.outcome_facts import FACT_COLUMNS, OutcomeFactsProjection, case_facts
from projections.section_facts import SECTION_COLUMNS, section_facts
from projections.tables import HEADS, OUTCOME_DIMENSIONS, SECTION_DIMENSIONS, metadata, stat_outcomes, stat_sections


def money(real_damage: int = 0) -> dict[str, int]:
    return {"real_damage": real_damage, "lost_profit": 0, "moral_harm": 0}


def ruling(version: int, day: str, disposition: str, finding: str | None, ruling_id: str, awarded: int = 0, insurer: int = 0) -> list[Any]:
    return [version, day, disposition, finding, "judge-1", {"id": ruling_id, "awarded": money(awarded), "payable": money(awarded), "insurer": insurer}]


# A civil case ruled on the merits, reopened on appeal and ruled on again; its expert (a commission of
# two) found the standard of care "partly" met, late.
RULED_TWICE: dict[str, Any] = {
    "court": "ALA", "track": "civil", "specialty": "surgery", "received_on": "2025-01-10", "judge": "judge-1",
    "claimed": money(500_000_00),
    "rulings": [ruling(5, "2025-03-01", "liability_found", "malpractice", "R1", awarded=100_000_00),
                ruling(9, "2025-06-02", "liability_found", "malpractice", "R2", awarded=120_000_00)],
    "reopenings": [[8, "2025-04-01"]],
    "exams": {"E1": {"ordered_on": "2025-01-20", "due_on": "2025-02-20", "judge": "judge-1", "experts": ["expert-1", "expert-2"],
                     "status": "reported", "received_on": "2025-02-25", "withdrawn_on": None, "reported_version": 4, "care": "partly"}},
    "hearings": {}, "mediations": {},
    "appeals": {"A1": {"ruling": "R1", "filed_on": "2025-03-10", "decided_on": "2025-03-30", "outcome": "remanded"}},
}
# A civil case settled, the no-fault insurer paying (R3): its compensation is not a merits ruling's.
SETTLED: dict[str, Any] = {
    "court": "ALA", "track": "civil", "specialty": "surgery", "received_on": "2025-02-01", "judge": "judge-1", "claimed": money(80_000_00),
    "rulings": [ruling(3, "2025-05-05", "settled", None, "R1", insurer=20_000_00)],
    "reopenings": [], "exams": {}, "hearings": {}, "mediations": {}, "appeals": {},
}


@pytest.fixture
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    outcome_facts: Counter[Any] = Counter()
    facts: Counter[Any] = Counter()
    for state in (RULED_TWICE, SETTLED):
        outcome_facts.update(case_facts(state))
        facts.update(section_facts(state, HEADS))
    with Session(engine) as session:
        OutcomeFactsProjection._add_deltas(session, stat_outcomes, FACT_COLUMNS, OUTCOME_DIMENSIONS, outcome_facts)
        OutcomeFactsProjection._add_deltas(session, stat_sections, SECTION_COLUMNS, SECTION_DIMENSIONS, facts)
        session.commit()
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def only(result: dict[str, Any]) -> dict[str, Any]:
    (group,) = result["groups"]
    return group


YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def test_a_case_ruled_twice_in_a_period_counts_its_claim_once_with_its_first_merits_ruling(conn: Connection) -> None:
    year = only(stats.compensation(conn, *YEAR))
    assert (year["rulings"], year["claims"], year["claimed"]["total"]) == (2, 1, "500000.00")
    assert year["awarded"]["total"] == "220000.00" and year["median_award"] == "110000.00"
    # A period holding only the second ruling counts the claim with it; by month, in each month with a merits ruling.
    assert only(stats.compensation(conn, date(2025, 4, 1), date(2025, 6, 30)))["claims"] == 1
    by_month = {g["key"]: g["claims"] for g in stats.compensation(conn, *YEAR, by="month")["groups"]}
    assert by_month["2025-03"] == by_month["2025-06"] == 1 and sum(by_month.values()) == 2


def test_insurer_compensation_in_an_approved_settlement_is_counted(conn: Connection) -> None:
    year = only(stats.compensation(conn, *YEAR))
    assert (year["rulings_with_insurer_compensation"], year["insurer_compensation"]) == (1, "20000.00")


def test_the_funnel_counts_a_standard_of_care_met_only_partly_as_not_met(conn: Connection) -> None:
    assert {k: only(stats.funnel(conn, *YEAR))[k] for k in ("filed", "care_not_met", "malpractice", "liability_found")} == {
        "filed": 2, "care_not_met": 1, "malpractice": 1, "liability_found": 1}
    # As of an end before the report, the case has reached no stage yet.
    assert only(stats.funnel(conn, date(2025, 1, 1), date(2025, 2, 24)))["care_not_met"] == 0


def test_an_examination_is_missing_past_due_from_the_day_after_its_due_date_until_its_report(conn: Connection) -> None:
    missing = {end: only(stats.experts(conn, date(2025, 1, 1), end))["missing_overdue_at_end"]
               for end in (date(2025, 2, 20), date(2025, 2, 21), date(2025, 2, 24), date(2025, 2, 25))}
    assert missing == {date(2025, 2, 20): 0, date(2025, 2, 21): 1, date(2025, 2, 24): 1, date(2025, 2, 25): 0}
    year = only(stats.experts(conn, *YEAR))
    assert (year["ordered"], year["reported"], year["reported_late"], year["median_turnaround_days"]) == (1, 1, 1, 36.0)
    # A commission counts for each of its experts, and once overall.
    by_expert = {g["key"]: (g["ordered"], g["reported_late"]) for g in stats.experts(conn, *YEAR, by="expert")["groups"]}
    assert by_expert == {"expert-1": (1, 1), "expert-2": (1, 1)}


def test_appeals_count_with_the_ruling_appealed_against_and_a_remand_is_a_reversal(conn: Connection) -> None:
    year = only(stats.appeals(conn, *YEAR))
    assert (year["rulings"], year["appeals_filed"], year["appeals_decided"], year["appeals_changed"], year["reversal_rate"]) == (3, 1, 1, 1, 100.0)
    by_finding = {g["key"]: g["appeals_filed"] for g in stats.appeals(conn, *YEAR, by="finding")["groups"]}
    assert by_finding["malpractice"] == 1


def test_the_pending_caseload_and_its_age_follow_rulings_and_reopenings(conn: Connection) -> None:
    # Both received by mid-February, neither ruled: ages 41 and 19 days on 2025-02-20.
    assert {k: only(stats.pending(conn, date(2025, 2, 20)))[k] for k in ("pending", "median_age_days", "oldest_age_days")} == {
        "pending": 2, "median_age_days": 30.0, "oldest_age_days": 41}
    assert only(stats.pending(conn, date(2025, 3, 1)))["pending"] == 1  # the first ruled
    assert only(stats.pending(conn, date(2025, 4, 1)))["pending"] == 2  # reopened
    assert only(stats.pending(conn, date(2025, 6, 2)))["pending"] == 0  # settled, then ruled again
    # Every grain agrees: overall, by one dimension, filtered by two.
    assert only(stats.pending(conn, date(2025, 4, 1), filters={"court": "ALA", "track": "civil"}))["pending"] == 2
    assert [g["pending"] for g in stats.pending(conn, date(2025, 4, 1), by="court")["groups"]] == [2]
