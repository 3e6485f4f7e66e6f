"""``medcourt bench``: run the benchmarks in tests/bench/ and write bench/results/*.json.

Every figure is measured beside its reference in the same run (Medcourt vs the
bare library vs raw SQL), so the ratios hold on a busy machine too. On SQLite by
default; with MEDCOURT_DATABASE_URL set, each measurement gets its own fresh
PostgreSQL database on that server, dropped afterwards. `--quick` is the
few-minute version; the full run measures growth at 10k, 30k and 100k cases.

``--reuse DATABASE:VAR_DIR`` (PostgreSQL) measures a docket built before, e.g. by
``medcourt demo --fast``, instead of building one: the database is copied with
``CREATE DATABASE ... TEMPLATE`` (the original is only read) and its folder (the key) copied too;
the copy's read models are migrated and rebuilt (rebuild time and memory), then measured, then
the copy is dropped. Each figure records the machine's load average.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from projections.settings import Settings, load_settings

RESULTS = Path("bench/results")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = subparsers.add_parser("bench", help="measure Medcourt against the bare library and raw SQL; write bench/results/")
    bench.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    bench.add_argument("--cases", type=int, action="append", metavar="N", help="docket size(s) to measure (repeatable)")
    bench.add_argument("--no-http", action="store_true", help="skip the HTTP load test")
    bench.add_argument("--no-stress", action="store_true", help="skip the load-and-fault run through the API")
    bench.add_argument("--fast", action="store_true", help="build each docket as 'demo --fast' does (in memory, then imported): for 100,000 cases and more")
    bench.add_argument("--no-reference", action="store_true", help="skip the bare-library and raw-INSERT appends (they take as long again as the docket)")
    bench.add_argument(
        "--reuse", action="append", metavar="DATABASE:VAR_DIR", type=_reuse_arg,
        help="measure an existing PostgreSQL docket (copied, never written) instead of building one; repeatable",
    )
    bench.add_argument("--copy-prefix", default="medcourt_bench_copy", metavar="NAME", help="name prefix of the --reuse copies (default %(default)s)")
    bench.add_argument(
        "--keep-copies", action="store_true",
        help="with --reuse: keep each copy (its read models rebuilt) instead of dropping it, for later --as-built runs",
    )
    bench.add_argument(
        "--as-built", action="store_true",
        help="with --reuse: measure the copy's read models as they are (caught up, not rebuilt); no rebuild time or memory",
    )
    bench.add_argument("--output-dir", type=Path, default=RESULTS)
    bench.set_defaults(func=cmd_bench)


@contextlib.contextmanager
def fresh(base: Settings, label: str) -> Iterator[Settings]:
    """A fresh, empty installation of the same kind as ``base``."""
    var = Path(tempfile.mkdtemp(prefix=f"medcourt-bench-{label}-"))
    if base.database_url is None:
        yield Settings(database_url=None, var_dir=var)
        return
    import psycopg

    server = base.database_url
    name = f"medcourt_bench_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Settings(database_url=server.rpartition("/")[0] + f"/{name}", var_dir=var)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reuse_arg(value: str) -> tuple[str, Path]:
    database, sep, var = value.partition(":")
    if not sep or not database or not var or not database.replace("_", "").isalnum():
        raise argparse.ArgumentTypeError(f"expected DATABASE:VAR_DIR (a database name and the folder holding its key), not {value!r}")
    return database, Path(var)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@contextlib.contextmanager
def copied(base: Settings, template: str, var: Path, prefix: str, *, wait_seconds: float = 1800, keep: bool = False) -> Iterator[Settings]:
    """A copy of the PostgreSQL database ``template`` and of its folder ``var``, dropped afterwards unless
    ``keep``. ``CREATE DATABASE ... TEMPLATE`` fails while anyone is connected to the template: retried."""
    import psycopg

    if base.database_url is None:
        raise SystemExit("medcourt bench: --reuse needs MEDCOURT_DATABASE_URL (a PostgreSQL server)")
    if not (var / "cipher.key").exists():
        raise SystemExit(f"medcourt bench: {var} holds no cipher.key")
    suffix = template.rpartition("_")[2]
    name = f"{prefix}_{suffix if suffix.isdigit() else uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + wait_seconds
    with psycopg.connect(base.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        while True:
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except psycopg.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(5)
    folder = Path(tempfile.mkdtemp(prefix=f"medcourt-bench-{name}-")) / "var"
    shutil.copytree(var, folder)
    try:
        yield Settings(database_url=base.database_url.rpartition("/")[0] + f"/{name}", var_dir=folder)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
        if keep:
            say(f"kept the copy: --reuse {name}:{var}")
        else:
            with psycopg.connect(base.database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_existing(
    settings: Settings, label: str, *, http_seconds: float, checkpoint: Callable[[dict[str, Any]], None] = lambda _: None, rebuild: bool = True,
) -> dict[str, Any]:
    """Every read-side figure of a docket already built (a ``copied`` database): rebuild time and memory
    (unless not ``rebuild``: the read models are then only caught up), statistics and dashboard latency,
    the pages under load, export memory. Nothing is appended.
    ``checkpoint`` receives the figures after each step, so a long run that is stopped keeps what it measured."""
    from sqlalchemy import func, select

    from domain.application import Docket
    from projections import schema, tables
    from projections.db import views_engine

    store, projections, http = _bench_module("bench_store"), _bench_module("bench_projections"), _bench_module("bench_http")
    schema.upgrade(settings)
    env = _env(settings)
    docket = Docket(env=settings.event_store_env())
    try:
        events = int(docket.recorder.max_notification_id() or 0)  # the log's positions: one per stored event
    finally:
        docket.close()
    suffix = label.rpartition("_")[2]
    figures: dict[str, Any] = {"cases": int(suffix) if suffix.isdigit() else None, "reused": label}
    figures["append"] = {
        "events": events, "built_by": f"prebuilt ({label})", "medcourt_events_per_s": None, "bare_library_events_per_s": None,
        "raw_insert_events_per_s": None, "overhead_vs_bare_library": None, "overhead_vs_raw_insert": None,
    }

    started, load_before = time.perf_counter(), load_average()
    jobs = os.cpu_count() or 1  # each projection in a process of its own, as an operator would rebuild on this machine
    if rebuild:
        rebuild_rss: float | None = store.peak_rss_mb(["projections", "rebuild", "--jobs", str(jobs)], env)
    else:
        store.peak_rss_mb(["projections", "run", "--until-caught-up"], env)
        rebuild_rss = None
    rebuild_seconds = round(time.perf_counter() - started, 1)
    engine = views_engine(settings)
    with engine.connect() as conn:
        figures["cases_in_docket"] = conn.execute(select(func.count()).select_from(tables.cases)).scalar_one()
    figures["cases"] = figures["cases"] or figures["cases_in_docket"]
    cases = figures["cases"]
    caught = {"events": events, "seconds": rebuild_seconds, "jobs": jobs, "events_per_s": round(events / rebuild_seconds) if rebuild_seconds else None,
              "load_average_before": load_before, "load_average_after": load_average()}
    if not rebuild:
        figures["append"]["built_by"] += ", read models as built"
        caught = {"events": None, "seconds": None, "events_per_s": None, "caught_up_seconds": rebuild_seconds}
    figures["memory"] = {"projection_rebuild_peak_rss_mb": rebuild_rss, "export_events_peak_rss_mb": None}
    figures["projections"] = {"catch_up": caught, "bulk_insert": None, "catch_up_to_bulk_insert": None}
    if rebuild:
        say(f"[{cases}] rebuilt the read models of {events:,} events in {rebuild_seconds} s with {jobs} processes ({caught['events_per_s']} ev/s), "
            f"peak RSS {rebuild_rss} MB; load {caught['load_average_before']} -> {caught['load_average_after']}")
    else:
        say(f"[{cases}] read models of {events:,} events as built, caught up in {rebuild_seconds} s")
    checkpoint(figures)

    figures["projections"].update(stats=projections.stats_latency(settings), dashboard=projections.dashboard_latency(settings), load_average=load_average())
    say(f"[{cases}] stats {json.dumps(figures['projections']['stats'])}; dashboard {json.dumps(figures['projections']['dashboard'])}; "
        f"load {figures['projections']['load_average']}")
    checkpoint(figures)

    if http_seconds > 0:
        password, dockets = _demo_users(settings)
        figures["http"] = http.bench_http(settings, password, dockets, seconds=http_seconds)
        for page in ("case_page", "judge_dashboard", "docket_search", "statistics_page", "statistics_page_uncached"):
            r = figures["http"][page]
            say(f"[{cases}] http {page}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, {r['requests_per_s']} req/s "
                f"({r['errors']} errors); load {r.get('load_average')}")
        checkpoint(figures)
    engine.dispose()

    started = time.perf_counter()
    figures["memory"].update(export_events_peak_rss_mb=store.peak_rss_mb(["export", "events"], env),
                             export_seconds=round(time.perf_counter() - started, 1), load_average=load_average())
    say(f"[{cases}] export peak RSS {figures['memory']['export_events_peak_rss_mb']} MB in {figures['memory']['export_seconds']} s; "
        f"load {figures['memory']['load_average']}")
    checkpoint(figures)
    return figures


def machine(base: Settings) -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), cpu)
    memory = "unknown"
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    info = {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version(), "backend": "postgresql" if base.database_url else "sqlite"}
    if base.database_url:
        import psycopg

        with psycopg.connect(base.database_url) as conn:
            info["postgresql"] = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    return info


def _bench_module(name: str) -> Any:
    # The benchmarks live beside the tests, in the source tree this command runs from.
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(f"tests.bench.{name}")


def run_size(base: Settings, cases: int, *, http_seconds: float, fast: bool = False, references: bool = True) -> dict[str, Any]:
    """Every figure at one docket size, on one installation generated once."""
    store, projections, http = _bench_module("bench_store"), _bench_module("bench_projections"), _bench_module("bench_http")
    figures: dict[str, Any] = {"cases": cases}
    with fresh(base, "m") as medcourt, fresh(base, "b") as bare, fresh(base, "r") as raw, fresh(base, "i") as imported:
        figures["append"] = a = store.bench_append(medcourt, bare, raw, cases, imported=imported if references else None, fast=fast, references=references)
        say(f"[{cases}] append: {a['medcourt_events_per_s']:,} ev/s built by {a['built_by']}, "
            f"{a['bare_library_events_per_s'] or '-'} bare library, {a['raw_insert_events_per_s'] or '-'} raw INSERT; "
            f"overhead x{a['overhead_vs_bare_library']} vs library, x{a['overhead_vs_raw_insert']} vs raw; "
            f"import {a.get('import_events_per_s', '-')} ev/s (x{a.get('import_to_bare_library')} of the bare library)")
        from projections import schema

        schema.upgrade(medcourt)
        caught = projections.catch_up(medcourt)
        floor = projections.bulk_insert(medcourt, caught["events"])
        figures["projections"] = {
            "catch_up": caught, "bulk_insert": floor,
            "catch_up_to_bulk_insert": round(caught["events_per_s"] / floor["rows_per_s"], 3) if floor["rows_per_s"] else None,
            "stats": projections.stats_latency(medcourt), "dashboard": projections.dashboard_latency(medcourt),
        }
        say(f"[{cases}] projections: catch-up {caught['events_per_s']:,} ev/s, bulk INSERT {floor['rows_per_s']:,} rows/s "
            f"(ratio {figures['projections']['catch_up_to_bulk_insert']}); stats {json.dumps(figures['projections']['stats'])}; "
            f"dashboard {json.dumps(figures['projections']['dashboard'])}")
        env = _env(medcourt)
        figures["memory"] = {
            "export_events_peak_rss_mb": store.peak_rss_mb(["export", "events"], env),
            "projection_rebuild_peak_rss_mb": store.peak_rss_mb(["projections", "rebuild"], env),
        }
        say(f"[{cases}] memory: export peak RSS {figures['memory']['export_events_peak_rss_mb']} MB, "
            f"projection rebuild {figures['memory']['projection_rebuild_peak_rss_mb']} MB")
        if http_seconds > 0:
            password, dockets = _demo_users(medcourt)
            figures["http"] = http.bench_http(medcourt, password, dockets, seconds=http_seconds)
            for page in ("case_page", "judge_dashboard", "docket_search", "statistics_page", "statistics_page_uncached"):
                r = figures["http"][page]
                say(f"[{cases}] http {page}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, {r['requests_per_s']} req/s ({r['errors']} errors)")
    return figures


def _env(settings: Settings) -> dict[str, str]:
    env = {**os.environ, "MEDCOURT_VAR": str(settings.var_dir)}
    if settings.database_url:
        env["MEDCOURT_DATABASE_URL"] = settings.database_url
    else:
        env.pop("MEDCOURT_DATABASE_URL", None)
    return env


def _demo_users(settings: Settings) -> tuple[str, list[str]]:
    """Demo users in the busiest court (its busiest judge), and docket numbers of that court."""
    from sqlalchemy import func, select

    from projections import queries, tables
    from projections.db import views_engine
    from web.accounts import AccountStore

    engine = views_engine(settings)
    with engine.connect() as conn:
        court = conn.execute(select(tables.cases.c.court).group_by(tables.cases.c.court).order_by(func.count().desc()).limit(1)).scalar_one()
        judge = max(queries.list_judges(conn, court=court), key=lambda j: (j["open_caseload"], j["judge_id"]))
        dockets = list(conn.execute(select(tables.cases.c.docket_number).where(tables.cases.c.court == court, tables.cases.c.sealed.is_(False)).limit(500)).scalars())
    password = uuid.uuid4().hex
    accounts = AccountStore(engine)
    for username, role in (("clerk", "clerk"), ("judge", "judge"), ("analyst", "analyst")):
        profile = {"court": court if role != "analyst" else None, "judge_id": judge["judge_id"] if role == "judge" else None}
        existing = accounts.find(username)  # a docket built by 'medcourt demo' has them already (a --reuse copy)
        if existing is None:
            accounts.create_user(username, password, role, language="en", **profile)
        else:
            accounts.update_user(existing.id, role=role, **profile)
            accounts.set_password(existing.id, password)
    return password, dockets


def run_read(base: Settings) -> dict[str, Any]:
    with fresh(base, "read") as settings:
        figures: dict[str, Any] = _bench_module("bench_store").bench_read(settings)
    say(f"read a 200-event case: {figures['read_with_snapshots_ms']} ms with snapshots, {figures['read_without_snapshots_ms']} ms without "
        f"(x{figures['snapshot_speedup']}); as of a date {figures['as_of_date_read_ms']} ms; at a version {figures['at_version_read_ms']} ms")
    return figures


def say(line: str) -> None:
    print(line, flush=True)


def cmd_bench(args: argparse.Namespace) -> int:
    base = load_settings()
    sizes = args.cases or ([800] if args.quick else [10_000, 30_000, 100_000])
    http_seconds = 0.0 if args.no_http else (5.0 if args.quick else 15.0)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    about = machine(base)
    say(f"Benchmarks on {about['backend']} ({about['cpu']}, {about['cores']} cores, {about['memory']}); docket sizes {sizes}")
    started = time.monotonic()
    if args.reuse:
        growth: list[dict[str, Any]] = []
        path = args.output_dir / ("bench-postgresql-prebuilt-" + "-".join(template.rpartition("_")[2] for template, _ in args.reuse)
                                  + ("-as-built" if args.as_built else "") + ".json")

        def save(current: dict[str, Any] | None = None) -> None:
            document = {"measured_at": datetime.now(tz=UTC).isoformat(), "quick": False, "machine": about, "seconds": round(time.monotonic() - started),
                        "read": None, "growth": growth + ([current] if current else []), "stress": None, "restart": None}
            path.write_text(json.dumps(document, indent=2))

        for template, var in args.reuse:
            with copied(base, template, var, args.copy_prefix, keep=args.keep_copies) as settings:
                growth.append(run_existing(settings, template, http_seconds=http_seconds, checkpoint=save, rebuild=not args.as_built))
            save()
        say(f"Done in {time.monotonic() - started:.0f}s; results in {path}")
        write_performance_doc(args.output_dir, Path("docs/performance.md"))
        return 0
    growth = [run_size(base, cases, http_seconds=http_seconds, fast=args.fast, references=not args.no_reference) for cases in sizes]
    read = run_read(base)
    stress: dict[str, Any] | None = None
    restart: dict[str, Any] | None = None
    if not args.no_stress:
        stress_module = _bench_module("bench_stress")
        with fresh(base, "stress") as settings:
            stress = stress_module.bench_stress(settings, clerks=8 if args.quick else 24, seconds=15 if args.quick else 60)
        say(stress_module.summary_line("stress", stress))
        if base.database_url:  # the server itself restarted mid-load (Idempotency-Key retries)
            with fresh(base, "restart") as settings:
                restart = stress_module.bench_restart(settings, clerks=8 if args.quick else 24, seconds=15 if args.quick else 60)
            say(stress_module.summary_line("postgresql restarted", restart) + f"; restart {restart['restart_s']} s, re-sent {restart['resent']}, "
                f"failures after the server was back {restart['failed_after_back']}")
    suffix = ("-postgresql" if base.database_url else "-sqlite") + ("-quick" if args.quick else "")
    document = {
        "measured_at": datetime.now(tz=UTC).isoformat(), "quick": bool(args.quick), "machine": about,
        "seconds": round(time.monotonic() - started), "read": read, "growth": growth, "stress": stress, "restart": restart,
    }
    path = args.output_dir / f"bench{suffix}.json"
    path.write_text(json.dumps(document, indent=2))
    say(f"Done in {time.monotonic() - started:.0f}s; results in {path}")
    write_performance_doc(args.output_dir, Path("docs/performance.md"))
    return 0


def _n(value: Any) -> str:
    """A figure for the table: thousands separated, '-' where it was not measured."""
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)


def write_performance_doc(results: Path, doc: Path) -> None:
    """Regenerate the "Measured figures" section of docs/performance.md from bench/results/*.json."""
    if not doc.exists():
        return
    text = doc.read_text()
    marker = "## Measured figures"
    if marker not in text:
        return
    lines = [marker, "", "Generated by `medcourt bench` from `bench/results/*.json`; do not edit by hand.", ""]
    for path in sorted(results.glob("bench-*.json")):
        data = json.loads(path.read_text())
        m = data["machine"]
        lines += [f"### {path.name}", "", f"{m['backend']} {m.get('postgresql', '')}, {m['cpu']}, {m['cores']} cores, {m['memory']}; "
                  f"measured {data['measured_at'][:16]}, {data['seconds']} s{' (quick)' if data['quick'] else ''}.", ""]
        lines += ["| cases | events | built by | Medcourt ev/s | bare library ev/s | raw INSERT ev/s | x library | x raw | import ev/s | import / bare library "
                  "| catch-up ev/s | catch-up / bulk INSERT | rebuild s | export RSS MB | rebuild RSS MB |",
                  "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for g in data["growth"]:
            a, p, mem = g["append"], g["projections"], g["memory"]
            p.setdefault("catch_up", {})
            lines.append(f"| {g['cases']:,} | {a['events']:,} | {a.get('built_by', 'services')} | {_n(a['medcourt_events_per_s'])} | {_n(a['bare_library_events_per_s'])} | "
                         f"{_n(a['raw_insert_events_per_s'])} | {_n(a['overhead_vs_bare_library'])} | {_n(a['overhead_vs_raw_insert'])} | {_n(a.get('import_events_per_s'))} | "
                         f"{_n(a.get('import_to_bare_library'))} | {_n(p['catch_up'].get('events_per_s'))} | {_n(p.get('catch_up_to_bulk_insert'))} | {_n(p['catch_up'].get('seconds'))} | "
                         f"{_n(mem.get('export_events_peak_rss_mb'))} | {_n(mem.get('projection_rebuild_peak_rss_mb'))} |")
        pages = ("case_page", "judge_dashboard", "docket_search", "statistics_page", "statistics_page_uncached")
        if any("http" in g for g in data["growth"]):
            lines += ["", "| cases | page | p50 ms | p95 ms | p99 ms | req/s | errors | load average (1, 5, 15 min) |",
                      "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
            for g in data["growth"]:
                for page in pages:
                    if "http" in g and page in g["http"]:
                        r = g["http"][page]
                        load = ", ".join(str(x) for x in r["load_average"]) if r.get("load_average") else "-"
                        lines.append(f"| {g['cases']:,} | {page} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['requests_per_s']} | {r['errors']} | {load} |")
        r = data["read"]
        if r:
            lines += ["", f"Reading a 200-event case: {r['read_with_snapshots_ms']} ms with snapshots, {r['read_without_snapshots_ms']} ms without "
                      f"(x{r['snapshot_speedup']}); as of a date {r['as_of_date_read_ms']} ms; at a version {r['at_version_read_ms']} ms.", ""]
        else:
            lines += [""]
    doc.write_text(text[: text.index(marker)] + "\n".join(lines) + "\n")

