"""The court date every test runs on: pinned, never the real one.

A suite that is green today must be green on any day, so the whole test process (and every Python
process it starts) travels to ``COURT_NOW`` with time-machine before any test module is imported; the
clock then ticks on from there. ``MEDCOURT_TEST_TODAY=YYYY-MM-DD`` chooses another court date (``make
test`` runs the date-sensitive suites on several); the default is fixed, not today.

Tests that need "today" or "last year" read ``COURT_TODAY`` and ``last_year()`` rather than the clock, so
what a test expects is computed from the same pinned date as the docket it built.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

import time_machine

from domain import clock

COURT_DATE_VARIABLE = "MEDCOURT_TEST_TODAY"
DEFAULT_COURT_DATE = "2026-11-29"
# Read by tests/pinned_clock/sitecustomize.py in child processes: "<pinned instant>|<real epoch seconds then>".
CHILD_VARIABLE = "MEDCOURT_TEST_CLOCK"
SITE_DIRECTORY = Path(__file__).parent / "pinned_clock"

COURT_TODAY = date.fromisoformat(os.environ.get(COURT_DATE_VARIABLE) or DEFAULT_COURT_DATE)
# Ten in the morning at the court: a working hour, and far enough from midnight that a long run stays on one day.
COURT_NOW = datetime.combine(COURT_TODAY, clock_time(10), tzinfo=clock.COURT_TZ)


def last_year() -> tuple[date, date]:
    """The whole calendar year before the court date."""
    return date(COURT_TODAY.year - 1, 1, 1), date(COURT_TODAY.year - 1, 12, 31)


_travel: time_machine.travel | None = None


def pin() -> None:
    """Move this process to ``COURT_NOW`` (ticking) and make every Python child process follow."""
    global _travel
    if _travel is not None:
        return
    real_epoch = time.time()
    _travel = time_machine.travel(COURT_NOW, tick=True)
    _travel.start()
    time.time()  # time-machine's clock starts ticking at its first reading: make that now, as the children assume
    os.environ[CHILD_VARIABLE] = f"{COURT_NOW.isoformat()}|{real_epoch!r}"
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE_DIRECTORY), os.environ.get("PYTHONPATH")]))


def unpin() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None
