"""``medcourt bench``: run the benchmarks in tests/bench/ and write bench/results/*.json.

Every figure is measured beside its reference in the same run (Medcourt vs the
bare library vs raw SQL), so the ratios hold on a busy machine too. On SQLite by
default; with MEDCOURT_DATABASE_URL set, each measurement gets its own fresh
PostgreSQL database on that server, dropped afterwards. `--quick` is the
few-minute version; the full run measures growth at 10k, 30k and 100k cases.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
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
    bench.add_argument("--only", action="append", metavar="NAME", help="run only these benchmarks (repeatable)")
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


def run_append(base: Settings, sizes: list[int]) -> list[dict[str, Any]]:
    store = _bench_module("bench_store")
    results = []
    for cases in sizes:
        with fresh(base, "m") as medcourt, fresh(base, "b") as bare, fresh(base, "r") as raw:
            figures = store.bench_append(medcourt, bare, raw, cases)
            figures.update(store.bench_export_memory(medcourt))
            results.append(figures)
            say(f"append {cases} cases: {figures['medcourt_events_per_s']:,} ev/s Medcourt, {figures['bare_library_events_per_s']:,} bare library, "
                f"{figures['raw_insert_events_per_s']:,} raw insert; overhead x{figures['overhead_vs_bare_library']} vs library, "
                f"x{figures['overhead_vs_raw_insert']} vs raw; export peak RSS {figures['export_events_peak_rss_mb']} MB")
    return results


def run_read(base: Settings, sizes: list[int]) -> dict[str, Any]:
    with fresh(base, "read") as settings:
        figures: dict[str, Any] = _bench_module("bench_store").bench_read(settings)
    say(f"read a 200-event case: {figures['read_with_snapshots_ms']} ms with snapshots, {figures['read_without_snapshots_ms']} ms without "
        f"(x{figures['snapshot_speedup']}); as of a date {figures['as_of_date_read_ms']} ms; at a version {figures['at_version_read_ms']} ms")
    return figures


BENCHMARKS: dict[str, Callable[[Settings, list[int]], Any]] = {
    "append": run_append,
    "read": run_read,
}


def say(line: str) -> None:
    print(line, flush=True)


def cmd_bench(args: argparse.Namespace) -> int:
    base = load_settings()
    sizes = args.cases or ([1000] if args.quick else [10_000, 30_000, 100_000])
    names = args.only or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        from scripts.cli import UsageError

        raise UsageError(f"medcourt bench: unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    args.output_dir.mkdir(parents=True, exist_ok=True)
    about = machine(base)
    say(f"Benchmarks on {about['backend']} ({about['cpu']}, {about['cores']} cores); sizes {sizes}")
    started = time.monotonic()
    for name in names:
        result = BENCHMARKS[name](base, sizes)
        suffix = "" if base.database_url is None else "-postgresql"
        document = {"benchmark": name, "measured_at": datetime.now(tz=UTC).isoformat(), "quick": bool(args.quick), "machine": about, "results": result}
        (args.output_dir / f"{name}{suffix}{'-quick' if args.quick else ''}.json").write_text(json.dumps(document, indent=2))
    say(f"Done in {time.monotonic() - started:.0f}s; results in {args.output_dir}/")
    return 0
