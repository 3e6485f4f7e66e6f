"""Benchmarks of the event store side: append, read, export memory.

Each function measures Medcourt and its reference side by side in one run, so
machine noise cancels in the ratios. They return plain dicts of figures; `medcourt
bench` runs them and writes bench/results/*.json. Nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventsourcing.application import Application

from domain import clock
from domain.application import DateAsISO, Docket
from projections.settings import Settings
from scripts.demo import generate

DEMO_TODAY = date(2026, 11, 20)
CLERK = {"user": "bench", "role": "clerk", "court": "ALA"}


def _counting(docket: Docket) -> list[int]:
    """Record how many events each save stored, to replay the same transactions elsewhere."""
    sizes: list[int] = []
    save = docket.save

    def counting_save(*objs: Any, **kwargs: Any) -> Any:
        recordings = save(*objs, **kwargs)
        sizes.append(len(recordings))
        return recordings

    docket.save = counting_save  # type: ignore[method-assign]
    return sizes


def _chunks(docket: Docket, sizes: list[int]) -> Iterator[list[Any]]:
    events = (event for _, event in docket.iter_log(batch=2000))
    for size in sizes:
        chunk = [next(events) for _ in range(size)]
        if chunk:
            yield chunk


class Bare(Application[Any]):
    """The bare library: no rules, no reads, no hash chain; the same persistence settings."""

    name = "Bare"

    def register_transcodings(self, transcoder: Any) -> None:
        # Storing these events needs dates encoded, exactly as Medcourt does.
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def bench_append(
    medcourt: Settings, bare: Settings, raw: Settings, cases: int, seed: int = 1, *,
    imported: Settings | None = None, fast: bool = False, references: bool = True,
) -> dict[str, Any]:
    """Filing ``cases`` demo cases with their histories through Medcourt's services, vs the same
    events in the same transactions through a bare eventsourcing Application, vs raw executemany;
    and the docket's export loaded into ``imported`` by ``import_log`` (rules re-checked, chains
    re-sealed, batched transactions).

    ``fast`` builds the docket the way ``medcourt demo --fast`` does (simulated in memory, then
    imported), for sizes the services would take hours to file one command at a time; then
    ``medcourt_seconds`` is that build, not the services' own append. Without ``references``
    the bare library and raw INSERT are not run (their figures are None)."""
    from domain.records import event_record
    from domain.replay import import_log
    from scripts.demo import generate_through_import

    docket = Docket(env=medcourt.event_store_env(create_tables=True))
    docket.install_default_rulebook()
    sizes: list[int] = []
    started = time.perf_counter()
    if fast:
        import scripts.demo as demo

        scratch_generate = demo.generate

        def counted_generate(scratch: Docket, *args: Any, **kwargs: Any) -> Any:
            sizes_of_scratch = _counting(scratch)
            try:
                return scratch_generate(scratch, *args, **kwargs)
            finally:
                sizes.extend(sizes_of_scratch)

        demo.generate = counted_generate  # type: ignore[assignment]
        try:
            generate_through_import(docket, cases, seed, today=DEMO_TODAY)
        finally:
            demo.generate = scratch_generate  # type: ignore[assignment]
    else:
        sizes = _counting(docket)
        generate(docket, cases, seed, today=DEMO_TODAY)
    medcourt_seconds = time.perf_counter() - started
    events = sum(sizes)

    import_figures: dict[str, Any] = {}
    if imported is not None:
        target = Docket(env=imported.event_store_env(create_tables=True))
        started = time.perf_counter()
        report = import_log(target, ((p, event_record(e, p)) for p, e in docket.iter_log(batch=2000)))
        import_seconds = time.perf_counter() - started
        target.close()
        import_figures = {
            "import_seconds": round(import_seconds, 3), "import_events_per_s": round(report.events / import_seconds),
            "import_transactions": report.transactions,
        }
    common = {
        "cases": cases, "events": events, "transactions": len(sizes), "built_by": "demo --fast (in memory, then import)" if fast else "services",
        "medcourt_seconds": round(medcourt_seconds, 3), "medcourt_events_per_s": round(events / medcourt_seconds), **import_figures,
    }
    if not references:
        return {**common, "bare_library_seconds": None, "bare_library_events_per_s": None, "raw_insert_seconds": None,
                "raw_insert_events_per_s": None, "overhead_vs_bare_library": None, "overhead_vs_raw_insert": None, "import_to_bare_library": None}

    env = {k: v for k, v in bare.event_store_env(create_tables=True).items() if k != "IS_SNAPSHOTTING_ENABLED"}
    env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
    env.pop("CIPHER_OLD_KEYS", None)
    reference = Bare(env=env)
    bare_seconds = 0.0
    for chunk in _chunks(docket, sizes):
        started = time.perf_counter()
        reference.save(*chunk)
        bare_seconds += time.perf_counter() - started

    raw_seconds = _raw_insert(docket, raw)
    return {
        **common,
        "import_to_bare_library": round(import_figures["import_events_per_s"] * bare_seconds / events, 2) if import_figures else None,
        "bare_library_seconds": round(bare_seconds, 3),
        "bare_library_events_per_s": round(events / bare_seconds),
        "raw_insert_seconds": round(raw_seconds, 3),
        "raw_insert_events_per_s": round(events / raw_seconds),
        "overhead_vs_bare_library": round(medcourt_seconds / bare_seconds, 2),
        "overhead_vs_raw_insert": round(medcourt_seconds / raw_seconds, 2),
    }


def _raw_insert(docket: Docket, raw: Settings) -> float:
    """The floor: the same stored rows written with executemany, 1,000 rows a transaction."""
    rows: list[tuple[str, int, str, bytes]] = []
    position = 0
    while notifications := docket.recorder.select_notifications(start=position, limit=5000, inclusive_of_start=False):
        rows.extend((str(n.originator_id), n.originator_version, n.topic, n.state) for n in notifications)
        position = notifications[-1].id
    ddl = "CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, state {blob}, PRIMARY KEY (originator_id, originator_version))"
    if raw.database_url is None:
        raw.var_dir.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(raw.var_dir / "raw.db")
        conn.execute(ddl.format(blob="BLOB"))
        started = time.perf_counter()
        for i in range(0, len(rows), 1000):
            with conn:
                conn.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?)", rows[i:i + 1000])
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed
    import psycopg

    with psycopg.connect(raw.database_url) as conn:
        conn.execute(ddl.format(blob="BYTEA"))
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            for i in range(0, len(rows), 1000):
                cursor.executemany("INSERT INTO raw_events VALUES (%s, %s, %s, %s)", rows[i:i + 1000])
                conn.commit()
        return time.perf_counter() - started


def bench_read(settings: Settings, events_per_case: int = 200, repeats: int = 100) -> dict[str, Any]:
    """Loading one case of ``events_per_case`` events with and without snapshots, and as of a date."""
    # No aggregate cache here: this measures reading from the store.
    uncached = {k: v for k, v in settings.event_store_env(create_tables=True).items() if not k.startswith("AGGREGATE_CACHE")}
    with_snapshots = Docket(env=uncached)
    with_snapshots.install_default_rulebook()
    start = datetime(2026, 1, 5, 6, tzinfo=UTC)
    with clock.frozen_at(start):
        number = with_snapshots.file_case(
            track="civil", court="ALA", received_on=date(2026, 1, 5), specialty="surgery", alleged_harm="serious",
            incident_date=date(2025, 12, 1), claimant={"name": "Patient"},
            respondents=[{"kind": "organization", "name": "Hospital", "bin": "123456789012"}], claimed={"moral_harm": "1000"}, actor=CLERK,
        )["docket_number"]
    for n in range(events_per_case - 1):
        with clock.frozen_at(start + timedelta(days=n // 10)):
            with_snapshots.file_document(number, kind="evidence", title=f"Exhibit {n}", filed_by="claimant", received_on=date(2026, 1, 5),
                                         sha256=f"{n:064x}", size=1000, media_type="application/pdf", actor=CLERK)
    without = Docket(env={**uncached, "IS_SNAPSHOTTING_ENABLED": "n"})
    without.snapshots = None  # read every event, never a snapshot

    def per_read_ms(read: Any) -> float:
        started = time.perf_counter()
        for _ in range(repeats):
            read()
        return round((time.perf_counter() - started) / repeats * 1000, 3)

    snap = per_read_ms(lambda: with_snapshots.case(number))
    full = per_read_ms(lambda: without.case(number))
    as_of = per_read_ms(lambda: with_snapshots.case_as_of(number, date(2026, 1, 20)))
    version = per_read_ms(lambda: with_snapshots.case_at_version(number, events_per_case // 2))
    return {
        "events_in_case": events_per_case,
        "read_with_snapshots_ms": snap,
        "read_without_snapshots_ms": full,
        "snapshot_speedup": round(full / snap, 2) if snap else None,
        "as_of_date_read_ms": as_of,
        "at_version_read_ms": version,
    }


def peak_rss_mb(argv: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of a `medcourt` command run in a child process (its output discarded); for a
    command that works in processes of its own (``projections rebuild --jobs``), the largest of them."""
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report the
    # parent's size at fork; VmHWM belongs to the new address space. The command's own workers start
    # from this small process, so their ru_maxrss (RUSAGE_CHILDREN: the largest, once joined) is theirs.
    probe = (
        "import resource, sys\n"
        "from scripts.cli import main\n"
        "try:\n    code = main(sys.argv[1:])\n"
        "finally:\n"
        "    hwm = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
        "    print(max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return round(int(done.stderr.strip().splitlines()[-1]) / 1024, 1)


def bench_export_memory(settings: Settings) -> dict[str, Any]:
    env = {**os.environ, "MEDCOURT_VAR": str(settings.var_dir)}
    if settings.database_url:
        env["MEDCOURT_DATABASE_URL"] = settings.database_url
    else:
        env.pop("MEDCOURT_DATABASE_URL", None)
    return {"export_events_peak_rss_mb": peak_rss_mb(["export", "events"], env)}


def write(result: dict[str, Any], path: str) -> None:
    with open(path, "w") as handle:
        json.dump(result, handle, indent=2)
