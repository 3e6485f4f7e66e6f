"""The read models' database for the web, the API and the statistics: one engine per URL and process."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine

from projections.settings import Settings


@cache
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Wait for a projector's short write transactions instead of failing at once (the
        # schema upgrade put the file in WAL mode, so reading never blocks the projector).
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


def views_engine(settings: Settings) -> Engine:
    """The shared engine on the read models (``settings.views_url``)."""
    return _engine(settings.views_url)
