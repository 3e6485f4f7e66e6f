"""The docket on a real event store, SQLite and PostgreSQL: concurrency, queries, snapshots."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from domain import clock
from domain.application import Docket
from domain.docket_numbers import DOCKET_PATTERN
from projections.settings import Settings

ADMIN = {"user": "admin", "role": "admin"}
CLERK = {"user": "clerk", "role": "clerk", "court": "ALA"}
JUDGE = {"user": "judge", "role": "judge"}


def civil_claim(received_on: date) -> dict:
    return dict(
        track="civil", court="ALA", received_on=received_on, specialty="surgery", alleged_harm="moderate",
        incident_date=received_on - timedelta(days=30), claimant={"name": "Patient"},
        respondents=[{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}],
        claimed={"moral_harm": "1000000"}, actor=CLERK,
    )


@pytest.fixture
def docket(settings: Settings) -> Docket:
    app = Docket(env=settings.event_store_env(create_tables=True))
    app.install_default_rulebook()
    return app


def test_concurrent_filing_yields_unique_gap_free_docket_numbers(settings: Settings, docket: Docket) -> None:
    # Several clerks, each with their own connection to the store, file at the same moment.
    clerks, per_clerk = 6, 8
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(clerks, timeout=30)

    def clerk_files() -> None:
        try:
            own = Docket(env=settings.event_store_env())
            start.wait()
            for _ in range(per_clerk):
                numbers.append(own.file_case(**civil_claim(date(2026, 3, 2)))["docket_number"])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=clerk_files) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(numbers) == len(set(numbers)) == clerks * per_clerk
    sequence = sorted(int(DOCKET_PATTERN.match(n)["seq"]) for n in numbers)  # type: ignore[index]
    assert sequence == list(range(1, clerks * per_clerk + 1))
    assert all(n.startswith("ALA-2026-C-") for n in numbers)


def test_conflicting_writers_on_one_case_are_retried_and_no_event_is_lost(settings: Settings, docket: Docket) -> None:
    number = docket.file_case(**civil_claim(date(2026, 3, 2)))["docket_number"]
    writers, per_writer = 5, 6
    start = threading.Barrier(writers, timeout=30)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            own = Docket(env=settings.event_store_env())
            start.wait()
            for n in range(per_writer):
                own.file_document(number, kind="evidence", title=f"Evidence {index}-{n}", filed_by="claimant",
                                  received_on=date(2026, 3, 3), sha256=f"{index:032x}{n:032x}", size=10, media_type="application/pdf", actor=CLERK)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    case = docket.case(number)
    assert len(case.documents) == writers * per_writer
    assert case.version == 1 + writers * per_writer
    titles = {d["title"] for d in case.documents.values()}
    assert titles == {f"Evidence {i}-{n}" for i in range(writers) for n in range(per_writer)}


def test_a_long_case_is_read_from_a_snapshot_and_as_of_any_version(docket: Docket) -> None:
    number = docket.file_case(**civil_claim(date(2026, 1, 5)))["docket_number"]
    for n in range(120):
        docket.file_document(number, kind="evidence", title=f"Item {n}", filed_by="claimant", received_on=date(2026, 1, 6),
                             sha256=f"{n:064x}", size=n, media_type="text/plain", actor=CLERK)
    case = docket.case(number)
    assert case.version == 121
    assert docket.snapshots is not None
    snapshots = list(docket.snapshots.get(case.id))
    assert [s.originator_version for s in snapshots] == [50, 100]
    assert len(docket.case_at_version(number, 75).documents) == 74


def test_the_case_as_it_stood_on_a_date(docket: Docket) -> None:
    with clock.frozen_at(datetime(2026, 2, 1, 6, tzinfo=UTC)):
        number = docket.file_case(**civil_claim(date(2026, 1, 30)))["docket_number"]
    with clock.frozen_at(datetime(2026, 2, 10, 6, tzinfo=UTC)):
        docket.seal_case(number, reason="minor", actor=CLERK)
    assert docket.case_as_of(number, date(2026, 2, 5)).sealed is False
    assert docket.case_as_of(number, date(2026, 2, 10)).sealed is True
    with pytest.raises(Exception, match="was not yet on the docket"):
        docket.case_as_of(number, date(2026, 1, 31))
