"""What every command needs: the settings, the docket application, progress output."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import TYPE_CHECKING, TextIO

from domain.application import Docket
from projections.settings import Settings, load_settings

if TYPE_CHECKING:
    from projections.documents import DocumentStore


def settings() -> Settings:
    return load_settings()


def open_docket(current: Settings | None = None, *, create_tables: bool | None = None) -> Docket:
    return Docket(env=(current or settings()).event_store_env(create_tables=create_tables))


def document_store(current: Settings | None = None) -> DocumentStore:
    """The encrypted document store, with the event store's keys."""
    from projections.documents import DocumentStore, cipher_keys

    current = current or settings()
    return DocumentStore(current.documents_dir, 1 << 62, cipher_keys(current.event_store_env()))


class Progress:
    """Counts and rate on a terminal; silent when stderr is not one (piped, in CI)."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.count = 0
        self.started = time.monotonic()
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        self.count += n
        if self.enabled and time.monotonic() - self._last > 0.25:
            self._last = time.monotonic()
            self._draw()

    def _draw(self, end: str = "") -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        of = f"/{self.total}" if self.total else ""
        self.stream.write(f"\r{self.label}: {self.count}{of} ({self.count / elapsed:,.0f}/s){end}")
        self.stream.flush()

    def done(self) -> float:
        elapsed = time.monotonic() - self.started
        if self.enabled:
            self._draw("\n")
        return elapsed


def iso_date(value: str) -> date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of at least 1")
    return number
