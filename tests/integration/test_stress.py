"""Many clerks at once through the HTTP API of a live server on PostgreSQL: nothing lost, nothing doubled.

Eight clerks, each a program with its own API token and keep-alive connection, file cases (most
of them into the same docket sequence), file documents on one shared case and on their own, and
schedule hearings (some all at the same hour before the same judge) for a few seconds against
``medcourt serve --prod`` with two gunicorn workers and ``medcourt projections run`` beside it.
Then ``medcourt export events`` is matched against every answer they got (``bench_stress.audit``).
The full-size run is ``medcourt bench`` (``tests/bench/bench_stress.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from projections.settings import Settings
from tests.bench.bench_stress import audit, cluster, prepare, run_load, summary_line
from tests.conftest import pg_database  # noqa: F401 - fixture

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLERKS = 8
SECONDS = 8.0


def test_many_clerks_writing_at_once_lose_nothing_double_nothing_and_leave_docket_numbers_gap_free(
    pg_database: str, tmp_path: Path, record_property: Callable[[str, object], None]  # noqa: F811 - fixture
) -> None:
    settings = Settings(database_url=pg_database, var_dir=tmp_path / "var")
    stage = prepare(settings, CLERKS)

    # The clerks at work, against a live server and projector.
    with cluster(settings, workers=2) as running:
        outcomes = run_load(running.port, stage, SECONDS)
        logs = running.log("web") + running.log("projector")
    result = audit(stage, outcomes)
    figures = result.figures
    record_property("figures", summary_line("stress", figures))

    # Every acknowledged write is in the store exactly once, where its receipt says; nothing refused
    # was recorded; docket numbers are gap-free; verify finds every rule and hash chain intact.
    assert result.problems == [], result.problems
    assert figures["lost"] == figures["duplicated"] == figures["committed_without_answer"] == 0
    # Every request was answered, and every answer was a success or a conflict (409): a collision
    # with another clerk is retried by the services, and only a stale expected_version or a clash
    # of the calendar comes back as 409.
    assert figures["other_statuses"] == {}, figures["refusals"]
    assert set(figures["refusals"]) <= {"409 concurrent-change", "409 rule-conflict"}, figures["refusals"]
    assert figures["requests"] >= 10 * CLERKS, figures
    assert set(figures["by_action"]["document_stale"]) <= {"409"}, "a stale expected_version is always refused"
    hot = figures["by_action"]["hearing_hot"]
    if hot:
        assert hot.get("200") == 1, f"exactly one clerk gets the hot slot: {hot}"
    # The clerks did collide (the retried attempts left gaps in the log's ids), and the services absorbed it.
    assert figures["retried_races_rolled_back_rows"] > 0, figures
    assert figures["events_written"] >= figures["2xx"]
    # The tokens never reach a log.
    assert not [clerk for clerk, token in stage.tokens.items() if token in logs]

