"""Statistics results and built sections, remembered per worker until the read models move.

Every figure comes from the statistics projection's facts, and every name beside a figure (a
judge's, an expert's, a mediator's) from the registry projection. So a result can change only
when one of those two projections' tracking positions moves: a result (``run``) or a section
of the analysts' page built in one language (``section``) is remembered under its query, that
language and both positions (``stamp``), in a per-app LRU (``cachetools``). A page never shows
a figure staler than the read models it would otherwise have read, and a repeated query costs
one indexed row per projection instead of the fact scans, aggregation and SVG.

The positions are read before the figures: a result read at a later position (the projection
moved in between) is only ever fresher than its key, never staler. ``MEDCOURT_STATS_CACHE_SIZE``
(app config ``STATS_CACHE_SIZE``, 0 turns it off) bounds how many results and sections each
worker keeps.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from cachetools import LRUCache
from flask import current_app, has_app_context
from sqlalchemy import select

from projections import tables as t
from projections.queries import APPLICATION_NAME
from web.analytics.measures import StatsQuery
from web.analytics.measures import run as compute
from web.i18n import current_language

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy import Connection

    from web.analytics.sections import Section

T = TypeVar("T")
EXTENSION = "medcourt_statistics_cache"
DEFAULT_SIZE = 512


def stamp(conn: Connection) -> tuple[int, int]:
    """The statistics and registry projections' positions: one primary-key row of each tracking table."""
    position = {
        name: select(table.c.notification_id).where(table.c.application_name == APPLICATION_NAME).scalar_subquery()
        for name, table in (("statistics", t.tracking_statistics), ("registry", t.tracking_registry))
    }
    statistics, registry = conn.execute(select(position["statistics"], position["registry"])).one()
    return int(statistics or 0), int(registry or 0)


def query_key(query: StatsQuery) -> tuple[Hashable, ...]:
    """A query as a hashable key (its filters are a mapping)."""
    return (query.measure, query.start, query.end, query.by, tuple(sorted(query.filters.items())), query.public)


@dataclass
class StatisticsCache:
    """One app's remembered results and sections (``cachetools.LRUCache``, shared by the worker's threads)."""

    size: int = DEFAULT_SIZE
    hits: int = 0
    misses: int = 0
    _entries: LRUCache[Hashable, Any] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._entries = LRUCache(maxsize=max(self.size, 1))

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept under ``key``, computing (outside the lock) and keeping it if there is none."""
        if self.size <= 0:
            return compute()
        with self._lock:
            found = self._entries.get(key, _MISSING)
            if found is not _MISSING:
                self.hits += 1
                return found  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


_MISSING = object()


def init_app(app: Flask) -> None:
    app.config.setdefault("STATS_CACHE_SIZE", DEFAULT_SIZE)
    app.extensions[EXTENSION] = StatisticsCache(int(app.config["STATS_CACHE_SIZE"]))


def current() -> StatisticsCache | None:
    """The app's cache (None outside an app, e.g. ``medcourt stats``: every call computes)."""
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def run(conn: Connection, query: StatsQuery) -> dict[str, Any]:
    """``measures.run``, remembered until the read models move. The caller gets its own copy, so
    nothing it does to the result reaches the next reader."""
    cache = current()
    if cache is None:
        return compute(conn, query)
    key = ("result", query_key(query), stamp(conn))
    return copy.deepcopy(cache.remember(key, lambda: compute(conn, query)))


def section(build: Callable[[Connection, StatsQuery], Section], conn: Connection, query: StatsQuery) -> Section:
    """A section of the analysts' (or the public) page, built once per query, language and positions.
    Sections are read only once built (templates render their charts and tables)."""
    cache = current()
    if cache is None:
        return build(conn, query)
    key = ("section", build.__module__, build.__qualname__, query_key(query), current_language(), stamp(conn))
    return cache.remember(key, lambda: build(conn, query))
