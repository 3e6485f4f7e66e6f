"""Events as plain records: the shape of ``medcourt export events`` and of case histories.

DOMAIN.md section 5: dates are ISO strings, money is a decimal string, field names
are those of the event catalogue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

_ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic", "chain_hash")


_AS_IS = frozenset({str, int, bool, float, type(None)})


def plain(value: Any) -> Any:
    """A JSON-ready copy of an event attribute."""
    kind = type(value)
    # Most attributes are strings, numbers and flat dicts of them: answered before any isinstance (a
    # third of an import's time went here, being called for every field of every event, twice).
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def event_names(domain_event: Any) -> tuple[str, str]:
    """(aggregate, type) of an event, e.g. ("Case", "RulingIssued")."""
    qualname = type(domain_event).__qualname__
    aggregate, _, kind = qualname.rpartition(".")
    return aggregate.rpartition(".")[2] or aggregate, kind


def event_data(domain_event: Any) -> dict[str, Any]:
    return {k: plain(v) for k, v in vars(domain_event).items() if k not in _ENVELOPE}


def event_record(domain_event: Any, position: int | None = None) -> dict[str, Any]:
    aggregate, kind = event_names(domain_event)
    record: dict[str, Any] = {}
    if position is not None:
        record["position"] = position
    record.update(
        aggregate=aggregate,
        aggregate_id=str(domain_event.originator_id),
        version=domain_event.originator_version,
        type=kind,
        recorded_at=plain(domain_event.timestamp),
        data=event_data(domain_event),
    )
    return record
