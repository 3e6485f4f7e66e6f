"""The services a request works with, built once by the app factory.

Lists and dashboards read the read models (``projections.queries``). Those are kept
current by ``medcourt projections run``; with the embedded SQLite store the web also
projects new events itself before it reads (``inline``), so a lone ``medcourt serve``
shows every write at once. Either way a page shown after a write waits for it
(read your writes) before it lists anything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy.exc import DBAPIError

from projections import queries

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from domain.application import Docket
    from projections.projector import Projector
    from projections.settings import Settings
    from web.accounts import AccountStore
    from web.documents import DocumentStore

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    docket: Docket
    accounts: AccountStore
    documents: DocumentStore
    views: Engine
    projector: Projector | None = None
    wait_seconds: float = 2.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _projected_to: int = 0

    def views_current(self) -> None:
        """Inline mode: project whatever the log holds beyond what this process last projected."""
        if self.projector is None:
            return
        head = self.docket.log_head()
        if head <= self._projected_to:
            return
        with self._lock:
            if head > self._projected_to:
                self.projector.catch_up()
                self._projected_to = head

    def caught_up(self, position: int | None) -> bool:
        """Read your writes: wait until the read models include the write at ``position``.
        False if they did not within ``wait_seconds`` (the page then says lists may lag)."""
        if self.projector is not None:
            self.views_current()
            return True
        try:
            if queries.wait_for(self.views, position, timeout=self.wait_seconds):
                return True
        except DBAPIError as error:
            # The write is stored; only waiting for the read models failed (the database dropped the
            # connection). Failing the request now would tell the client a recorded write was not.
            log.warning("read your writes: could not wait for position %s: %s", position, str(error).splitlines()[0])
        from flask import flash
        from flask_babel import gettext as _

        flash(_("Saved. Lists and dashboards may take a moment to show it."), "info")
        return False

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection to current read models."""
        self.views_current()
        with self.views.connect() as connection:
            yield connection

    def close(self) -> None:
        if self.projector is not None:
            self.projector.close()


def services() -> Services:
    found: Services = current_app.extensions["medcourt"]
    return found
