"""What every projection shares: a batch of events in, bulk writes out, through one session.

A projection sees a batch of (position, domain event) pairs. Its ``process_event`` (a
``functools.singledispatchmethod`` in each subclass, one method per event type it shows)
changes rows held in memory by ``RowBuffer``s; at the end of the batch each buffer writes
its new rows with one bulk INSERT and its changed rows with one bulk UPDATE per set of
changed columns. Rows a batch will update are loaded up front, a few queries per batch
rather than one per event, which is what makes catching up on a long log fast.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Table, and_, bindparam, insert, select, update
from sqlalchemy.orm import Session

from domain import clock
from projections.tables import PROJECTION_TABLES, TRACKING_TABLES

Key = tuple[Any, ...]
LOAD_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def utc(moment: datetime) -> datetime:
    """An aware instant as the naive UTC value the tables keep."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_day(moment: datetime) -> date:
    """The court-local (Asia/Almaty) date of an instant."""
    return clock.local_date(moment)


def tiyn(amount: Decimal | None) -> int | None:
    """KZT with two places as a whole number of tiyn."""
    return None if amount is None else int(Decimal(amount).scaleb(2).to_integral_value())


def chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class RowBuffer:
    """The rows of one table a batch touches: loaded at most once, changed in memory, written in bulk.

    Rows are grouped by the first primary-key column (the *partition*: a case id, a judge
    id), and a partition is loaded whole, so a handler can look a row up by any column.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_names = tuple(column.name for column in table.primary_key.columns)
        self.partition = self.key_names[0]
        self.column_names = tuple(column.name for column in table.columns)
        self.rows: dict[Key, dict[str, Any]] = {}
        self.partitions: dict[Any, list[Key]] = {}
        self.new: dict[Key, None] = {}  # an ordered set: rows are inserted in event order
        self.changed: dict[Key, set[str]] = {}
        self.loaded: set[Any] = set()

    def key(self, row: dict[str, Any]) -> Key:
        return tuple(row[name] for name in self.key_names)

    def _remember(self, row: dict[str, Any]) -> None:
        key = self.key(row)
        if key not in self.rows:
            self.rows[key] = row
            self.partitions.setdefault(key[0], []).append(key)

    def load(self, session: Session, partitions: Iterable[Any]) -> None:
        """Read the stored rows of these partitions (those not read yet) in a few queries."""
        wanted = sorted({p for p in partitions if p not in self.loaded})
        column = self.table.c[self.partition]
        for chunk in chunks(wanted, LOAD_CHUNK):
            for row in session.execute(select(self.table).where(column.in_(chunk))).mappings():
                self._remember(dict(row))
        self.loaded.update(wanted)

    def mark_new(self, partition: Any) -> None:
        """The partition begins in this batch (its aggregate was created here): nothing stored to read."""
        self.loaded.add(partition)

    def get(self, session: Session, *key: Any) -> dict[str, Any] | None:
        if key[0] not in self.loaded:
            self.load(session, [key[0]])
        return self.rows.get(tuple(key))

    def find(self, session: Session, partition: Any, **match: Any) -> list[dict[str, Any]]:
        """The partition's rows whose columns equal ``match``."""
        if partition not in self.loaded:
            self.load(session, [partition])
        rows = (self.rows[key] for key in self.partitions.get(partition, []))
        return [row for row in rows if all(row[name] == value for name, value in match.items())]

    def insert(self, **values: Any) -> dict[str, Any]:
        unknown = set(values) - set(self.column_names)
        if unknown:
            raise KeyError(f"{self.table.name} has no column {', '.join(sorted(unknown))}")
        row = {name: values.get(name) for name in self.column_names}
        key = self.key(row)
        if key in self.rows:
            raise KeyError(f"{self.table.name} already has a row {key}")
        self.rows[key] = row
        self.partitions.setdefault(key[0], []).append(key)
        self.new[key] = None
        return row

    def update(self, row: dict[str, Any], **changes: Any) -> None:
        row.update(changes)
        key = self.key(row)
        if key not in self.new:
            self.changed.setdefault(key, set()).update(changes)

    def flush(self, session: Session) -> None:
        """Write the batch's new rows with one bulk INSERT and its changed rows with one bulk UPDATE."""
        connection = session.connection()
        if self.new:
            connection.execute(insert(self.table), [self.rows[key] for key in self.new])
        if self.changed:
            # One statement for all changed rows: each sets every column any of them changed,
            # to the value the buffer holds (for an unchanged column, the stored value).
            columns = sorted(set().union(*self.changed.values()))
            statement = (
                update(self.table)
                .where(and_(*(self.table.c[name] == bindparam(f"k_{name}") for name in self.key_names)))
                .values({name: bindparam(f"v_{name}") for name in columns})
            )
            params = []
            for key in self.changed:
                row = self.rows[key]
                values = {f"k_{name}": row[name] for name in self.key_names}
                values.update({f"v_{name}": row[name] for name in columns})
                params.append(values)
            connection.execute(statement, params)
        self.new.clear()
        self.changed.clear()


class Projection(ABC):
    """A read model built from the event log. Subclasses set ``name`` and define ``process_event``
    as a ``singledispatchmethod`` over the event types they show; other events are ignored."""

    name: ClassVar[str]

    def __init__(self) -> None:
        self.tables: tuple[Table, ...] = PROJECTION_TABLES[self.name]
        self.tracking_table: Table = TRACKING_TABLES[self.name]
        self.session: Session | None = None
        self.buffers: dict[str, RowBuffer] = {}

    def project(self, session: Session, events: Sequence[tuple[int, Any]]) -> None:
        """Write what ``events`` change through ``session``; the caller commits (with the tracking row)."""
        self.session = session
        self.buffers = {table.name: RowBuffer(table) for table in self.tables}
        try:
            self.prepare(events)
            for position, domain_event in events:
                self.process_event(domain_event, position)
            self.finish()
            for buffer in self.buffers.values():
                buffer.flush(session)
        finally:
            self.session = None
            self.buffers = {}

    def prepare(self, events: Sequence[tuple[int, Any]]) -> None:  # noqa: B027 - optional hook
        """Load up front the stored rows the batch will change (default: none; rows load on demand)."""

    def finish(self) -> None:  # noqa: B027 - optional hook
        """After the batch's events, before its rows are written (default: nothing more to do)."""

    @abstractmethod
    def process_event(self, domain_event: Any, position: int) -> None:
        """Apply one event to the buffered rows."""

    def buffer(self, table: Table) -> RowBuffer:
        return self.buffers[table.name]

    @property
    def db(self) -> Session:
        assert self.session is not None, "process_event runs only inside project()"
        return self.session
