"""Reading an exported log back: records become events again, each re-judged and re-sealed.

``medcourt import events`` feeds an export (DOMAIN.md section 5) through a
``Replay``: every record is turned back into the domain event it was (same class,
identity, version, instant and typed fields), checked against the state of its
aggregate just before it with the same rule checks ``medcourt verify`` applies to
a stored history (``domain.verification``), applied to that state, and sealed into
its aggregate's hash chain (``domain.base``). The first record that breaks a rule,
skips a version or would not export back to the very same record is refused with
one ``ImportRefused``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from domain import clock
from domain.base import GENESIS, event_hash
from domain.calendar import CourtCalendar
from domain.case import Case, case_id_for
from domain.docket_numbers import DOCKET_PATTERN, DocketSequence, is_docket_number, sequence_id
from domain.errors import DomainError
from domain.records import event_data, event_record, plain
from domain.registry import Expert, Judge, Mediator
from domain.rulebook import Rulebook
from domain.verification import History, _check_case_event
from domain.vocabulary import TRACK_LETTER

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.application import Docket

AGGREGATES: tuple[type[Aggregate], ...] = (Case, Judge, Expert, Mediator, Rulebook, CourtCalendar, DocketSequence)
REGISTRIES = ("Judge", "Expert", "Mediator", "Rulebook")
_TRACK_OF_LETTER = {letter: track for track, letter in TRACK_LETTER.items()}


class ImportRefused(DomainError):
    """A record of the export cannot be loaded: it breaks a rule, a chain or the format."""


def _event_classes() -> dict[tuple[str, str], tuple[type[Aggregate], type[Any]]]:
    """(aggregate, type) as exported -> (aggregate class, event class)."""
    found: dict[tuple[str, str], tuple[type[Aggregate], type[Any]]] = {}
    for aggregate_class in AGGREGATES:
        for name, value in vars(aggregate_class).items():
            if isinstance(value, type) and issubclass(value, Aggregate.Event) and name not in ("Event", "Created"):
                found[(aggregate_class.__name__, name)] = (aggregate_class, value)
    return found


EVENT_CLASSES = _event_classes()


def _parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _nested(key: str, value: Any) -> Any:
    """A value inside a field declared as ``Any`` (a correction, a sanction...): typed by its name,
    as the aggregates name them (``*_on`` and ``incident_date`` are dates, ``*_at`` instants,
    ``amount_mci`` a number of MCI, ``*_kzt`` money)."""
    if isinstance(value, dict):
        return {k: _nested(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nested(key, v) for v in value]
    if not isinstance(value, str):
        return value
    if key.endswith("_on") or key == "incident_date":
        return date.fromisoformat(value)
    if key.endswith("_at"):
        return _parse_instant(value)
    if key == "amount_mci" or key.endswith("_kzt"):
        return Decimal(value)
    return value


def _typed(annotation: str, key: str, value: Any) -> Any:
    """A field's exported value back in the type the event class declares for it."""
    if value is None:
        return None
    kind = annotation.replace(" | None", "").replace("Optional[", "").rstrip("]") if annotation.startswith("Optional[") else annotation.replace(" | None", "")
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return _parse_instant(value)
    if kind == "Decimal":
        return Decimal(value)
    if kind == "UUID":
        return UUID(value)
    if kind == "dict[str, Decimal]":
        return {k: Decimal(v) for k, v in value.items()}
    plain_types: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "bool": bool, "list[str]": list, "Actor": dict}
    if kind in plain_types:
        if not isinstance(value, plain_types[kind]) or (kind == "int" and isinstance(value, bool)):
            raise ValueError(f"{key} is not a {kind}")
        return value
    return _nested(key, value)


def revive(record: dict[str, Any]) -> Any:
    """The domain event an exported record stands for (without its chain hash, which is re-sealed)."""
    try:
        aggregate_class, event_class = EVENT_CLASSES[(record["aggregate"], record["type"])]
    except KeyError:
        raise ImportRefused(f"unknown event type {record.get('aggregate')}.{record.get('type')}") from None
    annotations: dict[str, str] = {}
    for klass in reversed(event_class.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}))
    data = record["data"]
    try:
        fields = {key: _typed(str(annotations.get(key, "Any")), key, value) for key, value in data.items()}
        fields.update(
            originator_id=UUID(record["aggregate_id"]),
            originator_version=int(record["version"]),
            timestamp=_parse_instant(record["recorded_at"]),
        )
        if "originator_topic" in annotations:
            fields["originator_topic"] = get_topic(aggregate_class)
        revived = event_class(**fields)
    except (TypeError, ValueError, ArithmeticError, AttributeError) as error:
        raise ImportRefused(f"the record cannot be read back as a {record['type']} event ({error})") from None
    if event_data(revived) != data or plain(revived.timestamp) != record["recorded_at"]:
        raise ImportRefused("the record would not export back to itself (a field of an unexpected type)")
    return revived


class Replay:
    """Follows an export record by record: every aggregate's state, registries as they stood, chains.

    ``load(aggregate_id)`` returns an aggregate already stored (for a replay that keeps only
    recent aggregates in memory) or None. ``check_numbers`` must be called before the events
    applied so far are stored: it refuses a case filed under a number its sequence never issued.
    """

    def __init__(self, load: Callable[[UUID], Any] | None = None) -> None:
        self.aggregates: dict[UUID, Any] = {}
        self.registries: dict[UUID, History] = {}
        self.load = load or (lambda _id: None)
        self.filed_unchecked: list[str] = []
        self.waited: set[str] = set()
        self.filed_per_sequence: Counter[UUID] = Counter()

    def apply(self, record: dict[str, Any]) -> Any:
        """Revive, re-judge, apply and seal one record; return the sealed event."""
        event = revive(record)
        name = record["type"]
        aggregate = self.aggregates.get(event.originator_id)
        if aggregate is None and event.originator_version > 1:
            aggregate = self.load(event.originator_id)
        where = getattr(aggregate, "docket_number", None) or getattr(event, "docket_number", None) or str(event.originator_id)
        try:
            self._check(aggregate, event, name)
        except DomainError as error:
            rule = f"{error.rule}: " if error.rule and not str(error).startswith(error.rule) else ""
            raise ImportRefused(f"{where} v{event.originator_version} {name}: {rule}{error}") from None
        previous = (getattr(aggregate, "chain_head", None) if aggregate is not None else None) or GENESIS
        object.__setattr__(event, "chain_hash", event_hash(previous, event))  # events are frozen; sealed once
        try:
            aggregate = event.mutate(aggregate)
        except Exception as error:  # noqa: BLE001 - a history the aggregate cannot follow is refused as such
            raise ImportRefused(f"{where} v{event.originator_version} {name}: cannot be applied ({error!r})") from None
        self.aggregates.pop(event.originator_id, None)  # most recently used last (dicts keep insertion order)
        self.aggregates[event.originator_id] = aggregate
        if record["aggregate"] in REGISTRIES:
            self.registries.setdefault(event.originator_id, History()).events.append(event)
        if name == "CaseFiled":
            self.filed_unchecked.append(aggregate.docket_number)
        return event

    def _check(self, aggregate: Any, event: Any, name: str) -> None:
        expected = 1 if aggregate is None else aggregate.version + 1
        if event.originator_version != expected:
            raise ImportRefused(f"version {event.originator_version} follows version {expected - 1} (missing, repeated or reordered events)")
        if name == "CaseFiled" and (not is_docket_number(event.docket_number) or case_id_for(event.docket_number) != event.originator_id):
            raise ImportRefused("R13: the docket number does not match the case's identity")
        if isinstance(aggregate, CourtCalendar) and name == "HearingSlotBooked":
            clashes = aggregate.conflicts(event.key, event.judge_id, event.courtroom, event.starts_at, event.duration_minutes)
            if clashes:
                raise ImportRefused(f"R7: {event.key} double-books with {clashes[0]['docket_number']}/{clashes[0]['hearing_id']}")
        if record_is_case(aggregate, name):
            with clock.frozen_at(event.timestamp):
                _check_case_event(aggregate, event, name, self.registries)

    def check_numbers(self, final: bool = False) -> None:
        """R13: every case filed since the last call was numbered by its court's sequence.

        A case and the number it was filed under are saved in one transaction, so they are
        neighbours in the log; a batch may end between them, and a number not issued yet is
        looked for again at the next call (unless ``final``)."""
        waiting: list[str] = []
        for number in self.filed_unchecked:
            match = DOCKET_PATTERN.match(number)
            assert match is not None  # checked when the case was filed
            sequence_key = sequence_id(match["court"], int(match["year"]), _TRACK_OF_LETTER[match["letter"]])
            sequence = self.aggregates.get(sequence_key) or self.load(sequence_key)
            if not isinstance(sequence, DocketSequence) or sequence.last_issued < int(match["seq"]):
                if final or number in self.waited:
                    raise ImportRefused(f"{number} v1 CaseFiled: R13: the docket number was never issued by its sequence")
                waiting.append(number)
                continue
            self.filed_per_sequence[sequence_key] += 1
        self.filed_unchecked = waiting
        self.waited = set(waiting)

    def check_no_gaps(self) -> None:
        """R13 at the end: each sequence issued exactly as many numbers as cases were filed under it."""
        self.check_numbers(final=True)
        for aggregate_id, aggregate in list(self.aggregates.items()):
            if isinstance(aggregate, DocketSequence) and aggregate.last_issued != self.filed_per_sequence[aggregate_id]:
                raise ImportRefused(
                    f"{aggregate.court}-{aggregate.year}-{TRACK_LETTER[aggregate.track]}: R13: {aggregate.last_issued} numbers issued, "
                    f"{self.filed_per_sequence[aggregate_id]} cases filed under them"
                )

    def forget(self, keep: int) -> None:
        """Keep at most ``keep`` aggregates in memory (the most recently touched), plus every
        sequence and calendar; the rest are loaded back with ``load`` when their next event comes."""
        excess = len(self.aggregates) - keep
        if excess <= 0:
            return
        for aggregate_id in list(self.aggregates)[:excess]:
            if isinstance(self.aggregates[aggregate_id], Case):
                del self.aggregates[aggregate_id]


def record_is_case(aggregate: Any, name: str) -> bool:
    return isinstance(aggregate, Case) or name == "CaseFiled"


@dataclass
class ImportReport:
    events: int = 0
    snapshots: int = 0
    transactions: int = 0
    renumbered: int = 0  # records stored at another log position than the export gave (a source with gaps)


def import_log(
    docket: Docket,
    records: Iterable[tuple[int, dict[str, Any]]],
    *,
    batch_size: int = 2000,
    keep: int = 20000,
    on_batch: Callable[[int], None] = lambda n: None,
    resume: bool = False,
) -> ImportReport:
    """Load ``(line number, record)`` pairs of an export into ``docket``'s empty event store.

    Each record is re-judged and re-sealed by a ``Replay``; the events are written
    ``batch_size`` to a transaction, straight to the recorder, and the snapshots the
    docket would have taken are taken on the way. A refusal names the line; the
    transactions before it stay stored: ``resume`` continues such an import, or adds to a store
    whose events are the export's first ones (they must be identical, and are replayed, not stored).
    """
    held = docket.log_head()
    if held and not resume:
        raise ImportRefused(f"the event store already holds {held} events; import into a new, empty database (without 'medcourt init')")
    already = docket.iter_log(batch=1000) if held else iter(())

    def stored(aggregate_id: UUID) -> Any:
        try:
            return docket.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    replay = Replay(load=stored)
    report = ImportReport()
    events: list[Any] = []
    positions: list[int] = []
    snapshots: list[Any] = []
    intervals = docket.snapshotting_intervals if docket.snapshots is not None else {}

    def flush() -> None:
        if not events:
            return
        replay.check_numbers()
        try:
            ids = docket.recorder.insert_events(events)
        except IntegrityError:
            # The database committed the batch and then lost the connection before saying so; the
            # library's retry met the rows it had written. Nothing else writes during an import.
            if not _stored_already(docket, events[-1]):
                raise
            ids = None
        if ids is not None:
            report.renumbered += sum(1 for stored_id, given in zip(ids, positions, strict=True) if stored_id != given)
        if snapshots and docket.snapshots is not None:
            docket.snapshots.recorder.insert_events(snapshots)  # after their events: a snapshot never runs ahead of the log
        report.events += len(events)
        report.snapshots += len(snapshots)
        report.transactions += 1
        on_batch(len(events))
        events.clear()
        positions.clear()
        snapshots.clear()
        replay.forget(keep)

    line = 0
    try:
        for number, record in records:
            line = number
            if held:
                position, stored_event = next(already)
                if event_record(stored_event, position) != record:
                    raise ImportRefused(f"the store already holds another event at position {position}; resume only the import it began with")
                replay.apply(record)  # its state and its rules, not stored again
                held -= 1
                continue
            event = replay.apply(record)
            events.append(docket.mapper.to_stored_event(event))
            positions.append(int(record.get("position") or 0))
            aggregate = replay.aggregates[event.originator_id]
            interval = intervals.get(type(aggregate))
            if interval and event.originator_version % interval == 0:
                snapshot_class: Any = getattr(type(aggregate), "Snapshot", type(docket).snapshot_class)
                # Encoded now: later events of this batch go on changing the aggregate's nested state.
                snapshots.append(docket.mapper.to_stored_event(snapshot_class.take(aggregate)))
            if len(events) >= batch_size:
                flush()
        if held:
            raise ImportRefused(f"the store holds {held} more events than the export; resume only the import it began with")
        flush()
        replay.check_no_gaps()
    except ImportRefused as refused:
        raise ImportRefused(f"line {line}: {refused}") from None
    return report


def _stored_already(docket: Docket, stored_event: Any) -> bool:
    """Whether exactly this encoded event (the same bytes) is the one stored at its version."""
    version = stored_event.originator_version
    found = docket.recorder.select_events(stored_event.originator_id, gt=version - 1, lte=version)
    return len(found) == 1 and found[0].state == stored_event.state and found[0].topic == stored_event.topic
