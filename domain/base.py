"""What every aggregate of the court shares: the court's clock and a tamper-evident chain.

Each stored event carries ``chain_hash`` = sha256(previous event's chain hash,
this event's topic, identity, version, timestamp and every field). Changing,
removing or reordering a stored event breaks the chain from that point on, which
``medcourt verify`` reports by aggregate and version. The hashes are computed
when the events are saved (``seal_chain``), after the aggregate has decided them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain import clock
from domain.records import plain

GENESIS = "0" * 64
_NOT_HASHED = ("chain_hash",)


def event_hash(previous: str, domain_event: Any) -> str:
    """The chain hash of ``domain_event`` following an event whose chain hash is ``previous``."""
    fields = {k: plain(v) for k, v in vars(domain_event).items() if k not in _NOT_HASHED}
    canonical = json.dumps(
        [previous, get_topic(type(domain_event)), fields],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CourtAggregate(Aggregate):
    """Base of the court's aggregates."""

    class Event(Aggregate.Event):
        create_timestamp = staticmethod(clock.now)

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            sealed = getattr(self, "chain_hash", None)
            if aggregate is not None and sealed:
                aggregate.chain_head = sealed
            return aggregate


def seal_chain(aggregate: Any) -> None:
    """Give each pending event of ``aggregate`` its chain hash, continuing from the last saved one."""
    previous = getattr(aggregate, "chain_head", None) or GENESIS
    for pending in aggregate.pending_events:
        previous = event_hash(previous, pending)
        object.__setattr__(pending, "chain_hash", previous)  # events are frozen; the hash is added once, before storing
    aggregate.chain_head = previous
