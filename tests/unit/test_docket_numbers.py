"""R13: docket numbers are unique and gap-free per court, year and track, even under concurrent filing."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError

from domain import clock
from domain.application import Docket
from domain.docket_numbers import format_docket_number, is_docket_number
from domain.errors import InvalidValue, NotFound, TrackHarmMismatch
from tests.unit.conftest import NOW, Court, at, filing, set_up_court


def test_a_docket_number_names_court_year_track_and_a_five_digit_sequence() -> None:
    assert format_docket_number("ALA", 2026, "civil", 42) == "ALA-2026-C-00042"
    assert format_docket_number("AST", 2025, "administrative", 1) == "AST-2025-A-00001"
    assert format_docket_number("SHY", 2025, "criminal", 123456) == "SHY-2025-K-123456"


@pytest.mark.parametrize("text", ["ALA-2026-C-00042", "ala-2026-k-00001", "AST-2025-A-123456"])
def test_a_docket_number_is_recognised(text: str) -> None:
    assert is_docket_number(text)


@pytest.mark.parametrize("text", ["ALA-2026-X-00042", "ALA-26-C-00042", "ALA-2026-C-42", "ALMATY-2026-C-00042", ""])
def test_what_is_not_a_docket_number_is_not_recognised(text: str) -> None:
    assert not is_docket_number(text)


def test_cases_are_numbered_one_after_another_within_court_year_and_track(court: Court) -> None:
    numbers = [court.file("civil"), court.file("criminal"), court.file("civil"), court.file("administrative"), court.file("civil")]

    assert numbers == ["ALA-2025-C-00001", "ALA-2025-K-00001", "ALA-2025-C-00002", "ALA-2025-A-00001", "ALA-2025-C-00003"]


def test_each_court_keeps_its_own_sequence(court: Court) -> None:
    assert court.file("civil", court="ALA") == "ALA-2025-C-00001"
    assert court.file("civil", court="AST") == "AST-2025-C-00001"
    assert court.file("civil", court="ALA") == "ALA-2025-C-00002"


def test_a_case_is_numbered_in_the_year_it_was_received(court: Court) -> None:
    assert court.file("civil", received_on=date(2024, 12, 30)) == "ALA-2024-C-00001"
    assert court.file("civil", received_on=date(2025, 1, 2)) == "ALA-2025-C-00001"


def test_refused_filings_leave_no_gap_in_the_sequence(court: Court) -> None:
    court.file("civil")
    with pytest.raises(TrackHarmMismatch):
        court.file("administrative", alleged_harm="death")
    with pytest.raises(InvalidValue):
        court.file("civil", claimed={})

    assert court.file("civil") == "ALA-2025-C-00002"


def test_a_case_is_found_by_its_docket_number_in_any_case(court: Court) -> None:
    docket = court.file("civil")

    assert court.app.case(docket.lower()).docket_number == docket


def test_a_number_never_issued_is_not_found(court: Court) -> None:
    court.file("civil")

    with pytest.raises(NotFound, match="No case ALA-2025-C-00002 is on the docket"):
        court.app.case("ALA-2025-C-00002")
    with pytest.raises(NotFound, match="'CIVIL-1' is not a docket number"):
        court.app.case("civil-1")


class DocketWhereClerksCollide(Docket):
    """A docket whose first save in each thread waits until every clerk has drawn a number,
    so that all of them draw the same one and all but one must retry."""

    def __init__(self, clerks: int) -> None:
        super().__init__(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.all_drawn = threading.Barrier(clerks, timeout=10)
        self.waited = threading.local()
        self.conflicts = 0
        self.collecting = False  # set once the court's people are registered

    def save(self, *aggregates: Any, **kwargs: Any) -> Any:
        if self.collecting and not getattr(self.waited, "once", False):
            self.waited.once = True
            self.all_drawn.wait()
        try:
            return super().save(*aggregates, **kwargs)
        except IntegrityError:
            self.conflicts += 1
            raise


def test_clerks_filing_at_the_same_moment_get_distinct_consecutive_numbers() -> None:
    clerks, filings_each = 4, 5
    app = DocketWhereClerksCollide(clerks)
    court = set_up_court(app)
    app.collecting = True
    issued: list[str] = []
    failures: list[BaseException] = []

    def clerk_files(clerk: int) -> None:
        # Each thread has its own context: freeze its clock too. Each clerk is a different user,
        # so their filings differ even at the same frozen instant.
        with clock.frozen_at(NOW):
            for _ in range(filings_each):
                try:
                    receipt = court.app.file_case(**filing("civil"), actor={"user": f"clerk-{clerk}", "role": "clerk", "court": "ALA"})
                    issued.append(str(receipt["docket_number"]))
                except BaseException as error:  # reported below, in the test's thread
                    failures.append(error)

    threads = [threading.Thread(target=clerk_files, args=(n,)) for n in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert app.conflicts >= clerks - 1  # the clerks really did draw the same number at first
    assert sorted(issued) == [f"ALA-2025-C-{n:05d}" for n in range(1, clerks * filings_each + 1)]
    assert [court.app.case(number).docket_number for number in sorted(issued)] == sorted(issued)


def test_a_transferred_case_is_numbered_in_the_year_it_was_received(court: Court) -> None:
    with at(date(2024, 12, 20)):
        docket = court.ready_for_merits("criminal", received_on=date(2024, 12, 1), harm_found="minor")
    with clock.frozen_at(datetime(2025, 1, 3, 4, tzinfo=UTC)):
        receipt = court.rule(docket, disposition="transferred", harm_found="minor", transferred_to_track="administrative", decided_on=date(2024, 12, 31))

    new_case = court.app.case(receipt["transferred_to"])
    assert str(new_case.received_on.year) in new_case.docket_number

