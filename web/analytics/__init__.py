"""Analytics: the analysts' dashboards at ``/analytics`` and the public statistics page at ``/public/statistics``.

Every figure comes from ``projections.statistics`` through ``measures.run``; charts are inline
SVG drawn on the server (``charts``), each with its data table, and every view downloads as
CSV and JSON with the same figures. Results and built sections are remembered per worker until the
statistics or registry projection moves (``cache``). ``init_app`` registers both blueprints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    from web.analytics import cache, views

    cache.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    app.jinja_env.globals.update(analytics_download_url=views.download_url, analytics_measure_url=views.measure_url)


__all__ = ["init_app"]
