"""Beyond one process: two web servers and two projectors on one PostgreSQL database, no lost or doubled work.

This is the part of docs/scaling.md that one machine can prove. Two ``medcourt serve --prod``
processes (gunicorn, two workers each) and two ``medcourt projections run`` processes share one
PostgreSQL database. API clients of two courts' clerks write through both servers at once for a
bounded time: they file cases (contending for the same docket sequences), file documents in the
newest cases (contending for the same case aggregates, from different servers) and assign judges.
Then the log and the read models are checked against every acknowledged write:

- each acknowledged write is in ``medcourt export events`` exactly once, where its receipt says,
  and the log holds no case event that was not acknowledged;
- docket numbers are gap-free per court, year and track (R13);
- each event was projected by exactly one of the two projectors, the read models match the
  exported log, and they are row for row what ``medcourt projections rebuild`` makes of it;
- ``medcourt projections status`` shows no lag and ``medcourt verify`` is clean.

Which projector did what, and which processes waited on a PostgreSQL lock (sampled from
``pg_stat_activity``; each process names itself with ``PGAPPNAME``), is printed (``pytest -s``).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, select

from domain.application import Docket
from domain.case import case_id_for
from domain.docket_numbers import DOCKET_PATTERN
from domain.vocabulary import Actor
from projections import queries
from projections.projector import PROJECTION_NAMES
from projections.settings import Settings
from projections.tables import PROJECTION_TABLES, case_events, cases, judges
from tests.court_clock import COURT_TODAY

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
LOAD_SECONDS = 10.0
CLIENTS_PER_CLERK_AND_SERVER = 2  # 2 clerks x 2 servers x 2 = 8 concurrent API clients
COURTS = ("ALA", "AST")
ADMIN = Actor(user="admin", role="admin")
PROJECTOR_POLL = "0.1"  # seconds between looks at the log once caught up


# --- processes ---------------------------------------------------------------------------------------------------------


def medcourt_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.cli", *args]


def run_medcourt(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    """Run one ``medcourt`` command to the end; its standard output (a failure shows its stderr)."""
    done = subprocess.run(medcourt_argv(*args), cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"medcourt {' '.join(args)} exited {done.returncode}: {done.stderr[-3000:]}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Started:
    """A long-running ``medcourt`` process, its output going to a file."""

    name: str
    process: subprocess.Popen[bytes]
    output: Path
    terminated: bool = False

    def terminate(self) -> None:
        """SIGTERM by PID, once: gunicorn and the projector stop gracefully on it."""
        if not self.terminated and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.terminated = True

    def stop(self) -> int:
        """Terminate, wait; SIGKILL to its own process group if it does not end in time. Returns the exit code."""
        if self.process.poll() is None:
            self.terminate()
            try:
                return self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started: the process and its workers
                return self.process.wait(timeout=10)
        return int(self.process.returncode)

    def text(self) -> str:
        return self.output.read_text(errors="replace")


@contextmanager
def started(name: str, env: dict[str, str], folder: Path, *args: str) -> Iterator[Started]:
    output = folder / f"{name}.log"
    with open(output, "wb") as sink:
        process = subprocess.Popen(medcourt_argv(*args), cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    running = Started(name, process, output)
    try:
        yield running
    finally:
        running.stop()


def wait_until_serving(server: Started, port: int, token: str, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"{server.name} exited: {server.text()[-3000:]}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/cases?per_page=1", headers={"Authorization": f"Bearer {token}"})
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{server.name} did not answer on port {port}: {server.text()[-3000:]}")


# --- lock waits ---------------------------------------------------------------------------------------------------------


class LockWaits:
    """Samples ``pg_stat_activity`` every few milliseconds: which of our processes waits on a lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples = 0
        self.waits: Counter[tuple[str, str]] = Counter()  # (application name, wait event) -> samples
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lock-waits", daemon=True)

    def __enter__(self) -> LockWaits:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                while not self._stop.is_set():
                    rows = conn.execute(
                        "SELECT application_name, wait_event FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                    ).fetchall()
                    self.samples += 1
                    for application, wait_event in rows:
                        self.waits[(str(application), str(wait_event))] += 1
                    self._stop.wait(0.005)
        except BaseException as error:  # noqa: BLE001 - reported by the test, never lost in a thread
            self.error = error

    def of(self, prefix: str) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for (application, _), count in self.waits.items():
            if application.startswith(prefix):
                found[application] += count
        return dict(found)


# --- the load -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    """A write a server acknowledged (2xx), with the receipt it gave."""

    kind: str  # CaseFiled, DocumentFiled, JudgeAssigned
    server: str
    docket_number: str
    version: int
    position: int
    marker: str  # the claimant's name, the document's title, the judge's id: unique per write


@dataclass
class Load:
    """What the API clients share: the acknowledged writes and the cases they can work on."""

    judges: dict[str, list[str]]  # court -> judge ids
    acks: list[Ack] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)  # server -> requests sent
    cases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # court -> acknowledged docket numbers
    unassigned: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)


def filing(court: str, track: str, claimant: str) -> dict[str, Any]:
    today = COURT_TODAY
    body: dict[str, Any] = {
        "track": track, "court": court, "received_on": today.isoformat(), "specialty": "surgery",
        "incident_date": (today - timedelta(days=60)).isoformat(), "claimant": {"name": claimant},
        "respondents": [{"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}],
        "summary": "Filed during the two-server scaling test",
    }
    if track == "civil":
        body.update(alleged_harm="serious", claimed={"real_damage": "100000", "moral_harm": "250000.50"})
    else:
        body.update(alleged_harm="minor", authority={"kind": "inspectorate", "name": "Committee for Medical Quality Control"})
    return body


def client(load: Load, server: str, port: int, court: str, token: str, number: int, until: float) -> None:
    """One API client: keep-alive connection, a mix of filings, documents and judge assignments."""
    rng = random.Random(f"{server}-{court}-{number}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    sent = 0
    try:
        while time.monotonic() < until:
            with load.lock:
                recent = load.cases[court][-6:]
                to_assign = load.unassigned[court].pop(0) if load.unassigned[court] and rng.random() < 0.2 else None
            marker = f"{server}-{court}-{number}-{sent}"
            if to_assign:
                kind, docket, judge_id = "JudgeAssigned", to_assign, rng.choice(load.judges[court])
                path, body = f"/api/cases/{docket}/judge", {"judge_id": judge_id}
                marker = judge_id
            elif not recent or rng.random() < 0.4:
                kind, docket = "CaseFiled", ""
                path, body = "/api/cases", filing(court, rng.choice(("civil", "administrative")), f"Claimant {marker}")
            else:
                kind, docket = "DocumentFiled", rng.choice(recent)
                content = f"Exhibit {marker}\n".encode()
                path, body = f"/api/cases/{docket}/documents", {
                    "kind": "evidence", "title": f"Exhibit {marker}", "filed_by": "claimant", "received_on": COURT_TODAY.isoformat(),
                    "filename": "exhibit.txt", "content_base64": base64.b64encode(content).decode(),
                }
            sent += 1
            try:
                connection.request("POST", path, body=json.dumps(body), headers=headers)
                response = connection.getresponse()
                status, text = response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as error:
                with load.lock:
                    load.failures.append(f"{server} {path}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if status >= 300:
                with load.lock:
                    load.failures.append(f"{server} {path}: HTTP {status} {text[:300]}")
                continue
            receipt = json.loads(text)
            ack = Ack(kind, server, receipt["docket_number"], receipt["version"], receipt["position"], marker)
            with load.lock:
                load.acks.append(ack)
                if kind == "CaseFiled":
                    load.cases[court].append(ack.docket_number)
                    load.unassigned[court].append(ack.docket_number)
    except BaseException as error:  # noqa: BLE001 - a client's crash fails the test, never a thread warning
        with load.lock:
            load.failures.append(f"{server} client crashed: {type(error).__name__}: {error}")
    finally:
        connection.close()
        with load.lock:
            load.requests[server] += sent


# --- reading the results ------------------------------------------------------------------------------------------------


def clerk_token(env: dict[str, str], court: str) -> str:
    """``medcourt user create`` a clerk of ``court``, then ``medcourt token create`` for them: the token."""
    username = f"clerk_{court.lower()}"
    run_medcourt(env, "user", "create", username, "--role", "clerk", "--court", court, "--password", "a long test password")
    return run_medcourt(env, "token", "create", "--user", username, "--name", "scaling test").strip()


def log_head(url: str) -> int:
    """The last position in the docket's event log."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(notification_id) FROM docket_events").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def projected(output: str) -> dict[str, int]:
    """What one ``projections run`` process says it projected: ``cases: N events, at position P, ...``."""
    found = {name: int(count) for name, count in re.findall(r"(\w+): (\d+) events, at position \d+", output)}
    assert set(found) == set(PROJECTION_NAMES), f"no summary from the projector: {output[-2000:]}"
    return found


def read_models(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every projection table, in primary-key order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for tables in PROJECTION_TABLES.values():
            for table in tables:
                rows[table.name] = [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
    return rows


def positions(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return queries.positions(conn, PROJECTION_NAMES)


def register_judges(settings: Settings) -> dict[str, list[str]]:
    """Two certified judges per court, registered by the administrator before the load."""
    docket = Docket(env=settings.event_store_env())
    try:
        found: dict[str, list[str]] = {}
        for court in COURTS:
            for n in (1, 2):
                judge_id = docket.register_judge(f"Judge {court} {n}", court, ADMIN)["id"]
                docket.certify_judge(judge_id, date(2020, 1, 1), None, "Medical law for judges", ADMIN)
                found.setdefault(court, []).append(judge_id)
        return found
    finally:
        docket.close()


# --- the test -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def views(pg_database: str) -> Iterator[Engine]:
    """The test's own engine on the read models (the fresh database), disposed before the database is dropped."""
    engine = create_engine(Settings(database_url=pg_database, var_dir=Path()).views_url)
    yield engine
    engine.dispose()


def test_two_web_servers_and_two_projectors_on_one_postgresql_lose_and_double_nothing(pg_database: str, views: Engine, tmp_path: Path) -> None:
    began = time.monotonic()
    var_dir = tmp_path / "var"
    settings = Settings(database_url=pg_database, var_dir=var_dir)
    env = {**os.environ, "MEDCOURT_DATABASE_URL": pg_database, "MEDCOURT_VAR": str(var_dir)}

    # One installation: the event store and the read models.
    run_medcourt(env, "init")
    ports = {"web-1": free_port(), "web-2": free_port()}

    with ExitStack() as stack:
        # Two projectors and two web servers, each a process of its own, naming itself to PostgreSQL.
        projectors = []
        for name in ("projector-1", "projector-2"):
            projectors.append(stack.enter_context(started(
                name, {**env, "PGAPPNAME": f"medcourt-{name}"}, tmp_path, "projections", "run", "--poll", PROJECTOR_POLL,
            )))
        servers: dict[str, Started] = {}
        for name, port in ports.items():
            runtime = tmp_path / f"{name}-runtime"  # each gunicorn master its own control socket
            runtime.mkdir()
            servers[name] = stack.enter_context(started(
                name, {**env, "PGAPPNAME": f"medcourt-{name}", "XDG_RUNTIME_DIR": str(runtime)}, tmp_path,
                "serve", "--prod", "--insecure-cookies", "--workers", "2", "--port", str(port),
            ))

        # While they start: a clerk of each court with an API token, and the judges the clerks assign.
        with ThreadPoolExecutor(max_workers=len(COURTS)) as pool:
            tokens = dict(zip(COURTS, pool.map(lambda court: clerk_token(env, court), COURTS), strict=True))
        load = Load(judges=register_judges(settings))
        for name, port in ports.items():
            wait_until_serving(servers[name], port, tokens[COURTS[0]])
        phases = {"serving": time.monotonic() - began}

        # The load: every clerk writes through both servers at once, for a bounded time.
        with LockWaits(pg_database) as lock_waits:
            until = time.monotonic() + LOAD_SECONDS
            clients = [
                threading.Thread(target=client, args=(load, server, port, court, tokens[court], n, until), name=f"{server}-{court}-{n}")
                for server, port in ports.items() for court in COURTS for n in range(CLIENTS_PER_CLERK_AND_SERVER)
            ]
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join(timeout=LOAD_SECONDS + 90)
            assert not any(thread.is_alive() for thread in clients), "an API client hung"
            phases["load"] = time.monotonic() - began

            # No more writes: the export and the verification can start while the projectors catch up.
            exported = tmp_path / "events.jsonl"
            checks = {
                "export": stack.enter_context(started("export", env, tmp_path, "export", "events", "--output", str(exported))),
                "verify": stack.enter_context(started("verify", env, tmp_path, "verify")),
            }

            # Both projectors keep running until the read models hold the whole log.
            head = log_head(pg_database)
            deadline = time.monotonic() + 20
            while min(positions(views).values()) < head and time.monotonic() < deadline:
                time.sleep(0.05)
        phases["caught up"] = time.monotonic() - began
        assert lock_waits.error is None, f"sampling pg_stat_activity failed: {lock_waits.error!r}"
        assert min(positions(views).values()) == head, f"the projectors did not catch up with position {head}: {positions(views)}"
        assert all(server.process.poll() is None for server in servers.values()), "a web server died under load"
        for projector in projectors:
            assert projector.process.poll() is None, f"{projector.name} died: {projector.text()[-3000:]}"
        for running in (*projectors, *servers.values()):
            running.terminate()  # all at once; each then finishes its batch or its requests
        for projector in projectors:
            assert projector.stop() == 0, projector.text()[-3000:]
        for server in servers.values():
            server.stop()
        for name, check in checks.items():
            assert check.process.wait(timeout=60) == 0, f"medcourt {name} failed: {check.text()[-3000:]}"
        phases["stopped"] = time.monotonic() - began
    by_projector = {projector.name: projected(projector.text()) for projector in projectors}

    # --- every acknowledged write, exactly once ---
    assert not load.failures, f"{len(load.failures)} writes failed, e.g. {load.failures[:5]}"
    acks = load.acks
    assert {ack.server for ack in acks} == set(ports), "both servers took writes"
    events = [json.loads(line) for line in exported.read_text().splitlines() if line.strip()]
    assert events[-1]["position"] == head
    case_ids = {ack.docket_number: str(case_id_for(ack.docket_number)) for ack in acks}
    at: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        at[(event["aggregate_id"], event["version"])].append(event)
    assert all(len(found) == 1 for found in at.values())
    for ack in acks:
        (event,) = at[(case_ids[ack.docket_number], ack.version)]
        assert event["type"] == ack.kind, (ack, event)
        if ack.kind == "CaseFiled":
            assert (event["data"]["docket_number"], event["data"]["claimant"]["name"]) == (ack.docket_number, f"Claimant {ack.marker}")
            assert event["position"] <= ack.position  # the receipt gives the last position of the save (case and sequence)
        else:
            assert event["position"] == ack.position
            assert (event["data"]["title"] if ack.kind == "DocumentFiled" else event["data"]["judge_id"]) == (
                f"Exhibit {ack.marker}" if ack.kind == "DocumentFiled" else ack.marker
            )
    servers_by_case: dict[str, set[str]] = defaultdict(set)
    for ack in acks:
        servers_by_case[ack.docket_number].add(ack.server)
    shared_cases = sum(len(through) == 2 for through in servers_by_case.values())
    assert shared_cases > 0, "no case was written through both servers: cross-process conflicts were not exercised"
    case_event_types = Counter(event["type"] for event in events if event["aggregate"] == "Case")
    assert case_event_types == Counter(ack.kind for ack in acks), "the log holds exactly the acknowledged case events"
    titles = Counter(event["data"]["title"] for event in events if event["type"] == "DocumentFiled")
    claimants = Counter(event["data"]["claimant"]["name"] for event in events if event["type"] == "CaseFiled")
    assert set(titles.values()) == {1} and set(claimants.values()) == {1}, "no write was stored twice"

    # --- docket numbers: unique and gap-free per court, year and track (R13) ---
    filed = [event["data"]["docket_number"] for event in events if event["type"] == "CaseFiled"]
    assert len(filed) == len(set(filed)) == sum(ack.kind == "CaseFiled" for ack in acks)
    sequences: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for number in filed:
        match = DOCKET_PATTERN.match(number)
        assert match is not None
        sequences[(match["court"], match["year"], match["letter"])].append(int(match["seq"]))
    assert len(sequences) >= 3, f"several sequences were contended: {sorted(sequences)}"
    for key, numbers in sequences.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"gap or repeat in {key}: {sorted(numbers)}"
    assert Counter(event["type"] for event in events)["DocketNumberIssued"] == len(filed)

    # --- projections: each event projected by exactly one of the two processes ---
    for name in PROJECTION_NAMES:
        assert sum(counts[name] for counts in by_projector.values()) == len(events), (name, by_projector, len(events))
    projector_waits = lock_waits.of("medcourt-projector")
    both_progressed = all(sum(counts.values()) > 0 for counts in by_projector.values())
    assert both_progressed or projector_waits, f"neither took turns: {by_projector}, lock waits {projector_waits}"

    # --- the read models hold the log: the case list, the timeline, the registry ---
    status = json.loads(run_medcourt(env, "projections", "status", "--format", "json"))
    assert [(row["name"], row["lag_events"], row["position"]) for row in status] == [
        (name, 0, events[-1]["position"]) for name in PROJECTION_NAMES
    ]
    latest: dict[str, int] = {}
    assigned: dict[str, str] = {}
    for event in events:
        if event["aggregate"] == "Case":
            latest[event["aggregate_id"]] = event["version"]
            if event["type"] == "JudgeAssigned":
                assigned[event["aggregate_id"]] = event["data"]["judge_id"]
    with views.connect() as conn:
        listed = {row.case_id: (row.docket_number, row.version, row.judge_id) for row in conn.execute(select(cases))}
        timeline = set(conn.execute(select(case_events.c.case_id, case_events.c.version, case_events.c.position, case_events.c.type)).tuples())
        judge_rows = set(conn.execute(select(judges.c.judge_id)).scalars())
    docket_of = {str(case_id_for(number)): number for number in filed}
    assert listed == {case_id: (docket_of[case_id], latest[case_id], assigned.get(case_id)) for case_id in docket_of}
    assert timeline == {(e["aggregate_id"], e["version"], e["position"], e["type"]) for e in events if e["aggregate"] == "Case"}
    assert judge_rows == {e["aggregate_id"] for e in events if e["type"] == "JudgeRegistered"}

    # ...and are row for row what a rebuild from position zero makes of the log.
    followed = read_models(views)
    run_medcourt(env, "projections", "rebuild")
    rebuilt = read_models(views)
    assert {name: len(rows) for name, rows in followed.items()} == {name: len(rows) for name, rows in rebuilt.items()}
    assert followed == rebuilt
    # ...also when each projection is rebuilt in a process of its own.
    run_medcourt(env, "projections", "rebuild", "--jobs", "2")
    assert read_models(views) == followed

    # --- every rule and hash chain re-checked on the recorded history ---
    assert "clean" in checks["verify"].text()

    kinds = Counter(ack.kind for ack in acks)
    print(
        f"\nscaling: {sum(load.requests.values())} requests ({dict(load.requests)}), {len(acks)} acknowledged "
        f"({dict(kinds)}), {dict(Counter(ack.server for ack in acks))} by server, {shared_cases} cases written through both; {len(events)} events in the log, "
        f"{len(sequences)} docket sequences; projected by {by_projector}; lock-wait samples "
        f"{dict(lock_waits.waits)} of {lock_waits.samples}; seconds from the start: "
        f"{ {phase: round(seconds, 1) for phase, seconds in phases.items()} }, checks done {time.monotonic() - began:.1f}"
    )

