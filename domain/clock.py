"""The court's clock.

Every event records when it was recorded (UTC) and several rules compare dates
with "today" in the court's time zone. Both read this clock, so a test, the demo
generator or the worker can run the domain as of another moment
(``with clock.frozen_at(moment): ...``) without touching the system time.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Iterator

COURT_TZ = ZoneInfo("Asia/Almaty")

_frozen: ContextVar[datetime | None] = ContextVar("medcourt_clock", default=None)


def now() -> datetime:
    """The current instant, timezone-aware UTC."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    return datetime.now(tz=UTC)


def today() -> date:
    """Today's date at the court (Asia/Almaty)."""
    return local_date(now())


def local_date(instant: datetime) -> date:
    return instant.astimezone(COURT_TZ).date()


def start_of_local_day(day: date) -> datetime:
    """The UTC instant at which ``day`` begins at the court."""
    return datetime.combine(day, time.min, tzinfo=COURT_TZ).astimezone(UTC)


def end_of_local_day(day: date) -> datetime:
    """The last UTC instant (exclusive bound) of ``day`` at the court."""
    return start_of_local_day(day + timedelta(days=1))


@contextmanager
def frozen_at(instant: datetime) -> Iterator[datetime]:
    """Run the block as if the time were ``instant`` (must be timezone-aware)."""
    if instant.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware instant")
    token = _frozen.set(instant.astimezone(UTC))
    try:
        yield instant
    finally:
        _frozen.reset(token)
