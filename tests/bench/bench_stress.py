"""Many clerks writing at once through the HTTP API, then an audit proving nothing was lost or doubled.

``bench_stress(settings, clerks=..., seconds=...)`` is the full-size run of ``medcourt bench``;
``tests/integration/test_stress.py`` and ``test_faults.py`` run the same pieces briefly, the
latter while the database drops its connections and the projector and worker are killed.

- ``prepare``: a fresh installation (``medcourt init``), four certified judges of Almaty, a case
  every clerk files documents on (the same aggregate for all), a case of each clerk's own, four
  cases with a judge for hearings, and one clerk account per client, each with an API token.
- ``Cluster``: the installation's processes as an operator runs them: ``medcourt serve --prod``
  (gunicorn), ``medcourt projections run`` and, if asked, ``medcourt worker``; each can be
  SIGKILLed and started again.
- ``run_load``: one thread per clerk, each with its own token and keep-alive connection, for a
  bounded time: filing cases (three docket sequences, one of them shared by almost everyone),
  filing documents on the shared case and on their own, scheduling hearings (sometimes all at the
  same hot slot, which only one can get), and now and then a filing with a stale
  ``expected_version``. Every request carries a unique tag (``stress:<clerk>-<n>``) in a field
  its event records, so the audit can find each request's effect.
- ``audit``: ``medcourt export events`` read back and matched against every response: each 2xx
  exactly once (at the version its receipt names), each 409 not at all, anything else at most
  once; docket numbers gap-free per court, year and track; ``medcourt verify`` clean.
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
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import IO, Any

from projections.settings import Settings

REPO = Path(__file__).resolve().parents[2]
TAG = re.compile(r"stress:(\S+)")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REQUEST_TIMEOUT = 60.0  # a request not answered in this time counts as hung
RETRY_FOR = 30.0  # with retry_failures: how long a clerk keeps sending a request that got a 5xx or no answer
JSON = "application/json"
PROBLEM = "application/problem+json"
ORGANIZATION = {"kind": "organization", "name": "City Hospital No. 4", "bin": "123456789012"}

# What a clerk does, and how often. ``sequence`` filings go to Almaty's civil sequence mostly
# (every clerk meets every other there), some to its administrative one. The clerks are Almaty's:
# a clerk files only in their own court (R14).
ACTIONS: dict[str, int] = {
    "file_case": 30,
    "document_shared": 30,
    "document_own": 12,
    "document_stale": 4,
    "hearing": 18,
    "hearing_hot": 6,
}
SEQUENCES = (("ALA", "civil"), ("ALA", "civil"), ("ALA", "civil"), ("ALA", "administrative"))


def medcourt(*args: str) -> list[str]:
    return [sys.executable, "-m", "scripts.cli", *args]


def environment(settings: Settings) -> dict[str, str]:
    env = {**os.environ, "MEDCOURT_VAR": str(settings.var_dir)}
    if settings.database_url:
        env["MEDCOURT_DATABASE_URL"] = settings.database_url
    else:
        env.pop("MEDCOURT_DATABASE_URL", None)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the installation ----------------------------------------------------------------------------------------------


@dataclass
class Stage:
    """What the clerks work on."""

    settings: Settings
    today: date
    tokens: dict[str, str]
    shared_case: str
    own_cases: dict[str, str]
    hearing_cases: list[str]
    head_before: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def prepare(settings: Settings, clerks: int) -> Stage:
    """A fresh installation with its judges, cases and ``clerks`` clerk accounts (API tokens included)."""
    from argon2 import PasswordHasher

    from domain import clock
    from domain.application import Docket
    from projections import schema
    from projections.db import views_engine
    from web.accounts import AccountStore
    from web.api.tokens import TokenStore

    admin = {"user": "admin", "role": "admin"}
    clerk = {"user": "setup", "role": "clerk", "court": "ALA"}
    docket = Docket(env=settings.event_store_env(create_tables=True))
    try:
        docket.install_default_rulebook()
        schema.upgrade(settings)
        today = clock.today()
        judges = []
        for index in range(4):
            judge_id = docket.register_judge(f"Judge Stress {index + 1}", "ALA", admin)["id"]
            docket.certify_judge(judge_id, date(2020, 1, 1), None, "Medical law", admin)
            judges.append(judge_id)

        def filed(title: str, judge_id: str | None = None) -> str:
            number = str(docket.file_case(
                track="civil", court="ALA", received_on=today - timedelta(days=1), specialty="surgery", alleged_harm="serious",
                incident_date=today - timedelta(days=90), claimant={"name": f"Patient of {title}"}, respondents=[ORGANIZATION],
                claimed={"real_damage": "500000"}, summary=title, actor=clerk,
            )["docket_number"])
            if judge_id:
                docket.assign_judge(number, judge_id, clerk)
            return number

        shared = filed("The case every clerk files in")
        hearing_cases = [filed(f"Hearings before judge {i + 1}", judge_id) for i, judge_id in enumerate(judges)]
        names = [f"clerk{i:02d}" for i in range(1, clerks + 1)]
        own = {name: filed(f"The case of {name}") for name in names}
        engine = views_engine(settings)
        accounts = AccountStore(engine, PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        store = TokenStore(engine, accounts)
        tokens = {}
        for name in names:
            accounts.create_user(name, f"{name}-password-{random.randrange(10**9)}", "clerk", court="ALA", language="en")
            tokens[name] = store.create(name, name="stress", created_by="bench")[0]
        head = docket.log_head()
    finally:
        docket.close()
    return Stage(settings=settings, today=today, tokens=tokens, shared_case=shared, own_cases=own, hearing_cases=hearing_cases, head_before=head)


# --- the processes --------------------------------------------------------------------------------------------------


class Cluster:
    """The installation's processes (web server, projector, worker), each started as ``medcourt ...``
    with its output in ``var/logs/<name>.log``; each can be killed (SIGKILL) and started again."""

    def __init__(self, settings: Settings, *, workers: int = 2) -> None:
        self.settings = settings
        self.env = environment(settings)
        self.port = free_port()
        self.workers = workers
        self.logs = settings.var_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._files: list[IO[bytes]] = []
        self.commands = {
            "web": medcourt("serve", "--prod", "--insecure-cookies", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(self.port)),
            "projector": medcourt("projections", "run", "--poll", "0.05", "--batch-size", "200"),
            "worker": medcourt("worker", "--throttle", "0.15"),
        }

    def start(self, name: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self._files.append(log)
        self.processes[name] = subprocess.Popen(self.commands[name], cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        if name == "web":
            self.wait_until_serving()

    def wait_until_serving(self, patience: float = 90) -> None:
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            if self.processes["web"].poll() is not None:
                raise RuntimeError(f"the web server exited: {self.log('web')[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/login")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the web server did not answer in {patience}s: {self.log('web')[-3000:]}")

    def kill(self, name: str) -> None:
        """SIGKILL: no clean-up, as a crash or the OOM killer would leave it."""
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self, name: str) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def running(self, name: str) -> bool:
        process = self.processes.get(name)
        return process is not None and process.poll() is None

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for name in ("web", "worker", "projector"):
            self.stop(name)
        for log in self._files:
            log.close()


@contextmanager
def cluster(settings: Settings, *, workers: int = 2, worker: bool = False) -> Iterator[Cluster]:
    running = Cluster(settings, workers=workers)
    try:
        running.start("projector")
        if worker:
            running.start("worker")
        running.start("web")
        yield running
    finally:
        running.close()


# --- the clerks --------------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One request and what came of it; ``status`` 0: no answer (the connection failed or timed out)."""

    clerk: str
    action: str
    tag: str
    status: int
    problem: str | None
    receipt: dict[str, Any] | None
    started: float  # seconds since the load began
    ms: float
    error: str | None = None
    attempt: int = 1  # with ``retry_failures``: the how-manieth sending of this request (same Idempotency-Key)


class ApiConnection:
    """One clerk's program: a keep-alive connection and an API token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": JSON, "Accept": JSON}
        self.connection: http.client.HTTPConnection | None = None

    def post(self, path: str, body: dict[str, Any], key: str | None = None) -> tuple[int, str, str]:
        """(status, content type, body); a failed or timed-out connection is reopened for the next request.
        ``key``: sent as the ``Idempotency-Key``."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {**self.headers, "Idempotency-Key": key} if key else self.headers
        try:
            self.connection.request("POST", path, body=json.dumps(body), headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            return response.status, response.getheader("Content-Type") or "", text
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def request_for(action: str, tag: str, clerk: str, stage: Stage, rng: random.Random) -> tuple[str, dict[str, Any]]:
    today = stage.today
    if action == "file_case":
        court, track = rng.choice(SEQUENCES)
        body: dict[str, Any] = {
            "track": track, "court": court, "received_on": (today - timedelta(days=1)).isoformat(), "specialty": "surgery",
            "alleged_harm": "serious" if track == "civil" else "minor", "incident_date": (today - timedelta(days=60)).isoformat(),
            "claimant": {"name": f"Patient {tag}"}, "respondents": [ORGANIZATION], "summary": f"stress:{tag}",
        }
        if track == "civil":
            body["claimed"] = {"real_damage": f"{rng.randint(1, 900)}000.50"}
        return "/api/cases", body
    if action.startswith("document"):
        number = stage.own_cases[clerk] if action == "document_own" else stage.shared_case
        content = PDF + f"% {tag}\n".encode()
        body = {
            "kind": "evidence", "title": f"stress:{tag}", "filed_by": "claimant", "received_on": today.isoformat(),
            "filename": "evidence.pdf", "content_base64": base64.b64encode(content).decode(),
        }
        if action == "document_stale":
            body["expected_version"] = 1  # the shared case has long moved on: refused with 409
        return f"/api/cases/{number}/documents", body
    if action == "hearing_hot":
        # Everyone wants judge 1 at the same hour: one gets it, the others are refused (R7).
        starts = datetime.combine(today + timedelta(days=45), clock_time(10))
        return f"/api/cases/{stage.hearing_cases[0]}/hearings", {"starts_at": starts.isoformat(), "courtroom": "9", "purpose": f"stress:{tag}"}
    number = rng.choice(stage.hearing_cases)
    starts = datetime.combine(today + timedelta(days=rng.randint(50, 400)), clock_time(rng.randint(9, 16), rng.choice((0, 30))))
    return f"/api/cases/{number}/hearings", {
        "starts_at": starts.isoformat(), "courtroom": str(rng.randint(1, 6)), "purpose": f"stress:{tag}", "duration_minutes": 30,
    }


@dataclass
class Fault:
    """Something done to the installation ``at`` seconds into the load."""

    at: float
    name: str
    action: Callable[[], Any]
    done_at: float | None = None
    result: Any = None


def run_load(
    port: int, stage: Stage, seconds: float, *, faults: list[Fault] | None = None, seed: int = 1, retry_failures: bool = False,
) -> list[Outcome]:
    """Every clerk at once, for ``seconds``; ``faults`` happen on schedule meanwhile. With ``retry_failures``
    every request carries an ``Idempotency-Key`` and a clerk sends it again after a 5xx or a failed
    connection (as a careful client does), until it gets a definite answer or ``RETRY_FOR`` seconds pass."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    started = time.monotonic()
    stop = started + seconds
    actions, weights = list(ACTIONS), list(ACTIONS.values())

    def clerk_loop(clerk: str, token: str, clerk_seed: int) -> None:
        rng = random.Random(clerk_seed)
        api = ApiConnection(port, token)
        mine: list[Outcome] = []
        n = 0
        try:
            while time.monotonic() < stop:
                n += 1
                action = rng.choices(actions, weights)[0]
                tag = f"{clerk}-{n:05d}"
                path, body = request_for(action, tag, clerk, stage, rng)
                first_sent = time.monotonic()
                for attempt in range(1, 1000):
                    outcome = send(api, clerk, action, tag, path, body, attempt, key=f"key-{tag}" if retry_failures else None)
                    mine.append(outcome)
                    if not retry_failures or (outcome.status != 0 and outcome.status < 500) or time.monotonic() - first_sent > RETRY_FOR:
                        break
                    time.sleep(0.25)
        finally:
            api.close()
            with lock:
                outcomes.extend(mine)

    def send(api: ApiConnection, clerk: str, action: str, tag: str, path: str, body: dict[str, Any], attempt: int, key: str | None) -> Outcome:
        began = time.monotonic()
        try:
            status, content_type, text = api.post(path, body, key)
        except (OSError, http.client.HTTPException) as error:
            return Outcome(clerk, action, tag, 0, None, None, began - started, (time.monotonic() - began) * 1000, error=repr(error), attempt=attempt)
        ms = (time.monotonic() - began) * 1000
        receipt = problem = None
        if 200 <= status < 300 and content_type.startswith(JSON):
            receipt = json.loads(text)
        elif content_type.startswith(PROBLEM):
            problem = str(json.loads(text).get("type", "")).rpartition("/")[2]
        else:
            problem = f"not problem details: {content_type} {text[:200]!r}"
        return Outcome(clerk, action, tag, status, problem, receipt, began - started, ms, attempt=attempt)

    def fault_loop() -> None:
        for fault in sorted(faults or [], key=lambda f: f.at):
            time.sleep(max(0.0, started + fault.at - time.monotonic()))
            fault.result = fault.action()
            fault.done_at = time.monotonic() - started

    threads = [threading.Thread(target=clerk_loop, args=(clerk, token, seed * 1000 + i), name=clerk) for i, (clerk, token) in enumerate(sorted(stage.tokens.items()))]
    if faults:
        threads.append(threading.Thread(target=fault_loop, name="faults"))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes, key=lambda o: o.started)


# --- the audit --------------------------------------------------------------------------------------------------------


@dataclass
class Audit:
    """What the event store holds, against what the clerks were told."""

    figures: dict[str, Any]
    lost: list[str]
    duplicated: list[str]
    refused_but_recorded: list[str]
    mismatched: list[str]
    phantoms: list[str]
    docket_gaps: list[str]
    verify_output: str
    verify_clean: bool

    @property
    def problems(self) -> list[str]:
        found = []
        for name in ("lost", "duplicated", "refused_but_recorded", "mismatched", "phantoms", "docket_gaps"):
            values = getattr(self, name)
            if values:
                found.append(f"{name}: {values[:10]}")
        if not self.verify_clean:
            found.append(f"medcourt verify: {self.verify_output[-2000:]}")
        return found


def export_events(settings: Settings) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "events.jsonl"
        done = subprocess.run(medcourt("export", "events", "-o", str(target)), cwd=REPO, env=environment(settings), capture_output=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"medcourt export events failed: {done.stderr.decode()[-2000:]}")
        with target.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]


def verify(settings: Settings) -> tuple[bool, str]:
    done = subprocess.run(medcourt("verify"), cwd=REPO, env=environment(settings), capture_output=True, timeout=300)
    output = (done.stdout + done.stderr).decode(errors="replace").strip()
    return done.returncode == 0 and "clean" in output, output


def tag_of(record: dict[str, Any]) -> str | None:
    text = {"CaseFiled": "summary", "DocumentFiled": "title", "HearingScheduled": "purpose"}.get(record["type"])
    found = TAG.fullmatch(str(record["data"].get(text, ""))) if text else None
    return found.group(1) if found else None


def rolled_back_rows(settings: Settings) -> int | None:
    """Event rows written by attempts that lost a race (or a connection) and were rolled back: the
    notification ids they took are never reused, so they are the gaps in the ids (PostgreSQL only)."""
    if not settings.database_url:
        return None
    import psycopg

    with psycopg.connect(settings.database_url) as conn:
        table = conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'notification_id' AND table_schema = 'public' "
            "AND table_name LIKE '%events' ORDER BY table_name LIMIT 1"
        ).fetchone()
        if table is None:
            return None
        row = conn.execute(f'SELECT coalesce(max(notification_id), 0) - count(*) FROM "{table[0]}"').fetchone()  # noqa: S608 - a table name from the catalog
    return int(row[0]) if row else None


def audit(stage: Stage, outcomes: list[Outcome]) -> Audit:
    from domain.case import case_id_for
    from domain.docket_numbers import DOCKET_PATTERN

    records = export_events(stage.settings)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        tag = tag_of(record)
        if tag is not None:
            found[tag].append(record)
    sent = {o.tag: o for o in outcomes}  # a request sent again (same Idempotency-Key): its last sending
    lost, duplicated, refused, mismatched = [], [], [], []
    committed_unanswered = 0
    for outcome in sent.values():
        effects = found.get(outcome.tag, [])
        if len(effects) > 1:
            duplicated.append(f"{outcome.tag} x{len(effects)} (HTTP {outcome.status})")
        if 200 <= outcome.status < 300:
            if not effects:
                lost.append(f"{outcome.tag} (HTTP {outcome.status}, receipt {outcome.receipt})")
                continue
            receipt = outcome.receipt or {}
            event = effects[0]
            if (event["aggregate_id"], event["version"]) != (str(case_id_for(str(receipt.get("docket_number")))), receipt.get("version")) or event["position"] > (receipt.get("position") or 0):
                mismatched.append(f"{outcome.tag}: receipt {receipt}, event {event['aggregate_id']} v{event['version']} at {event['position']}")
        elif outcome.status == 409 and effects:
            refused.append(f"{outcome.tag} ({outcome.problem})")
        elif effects:
            committed_unanswered += 1  # a 5xx or a dropped connection after the commit: recorded once, not lost
    phantoms = sorted(tag for tag in found if tag not in sent)

    sequences: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for record in records:
        if record["type"] == "CaseFiled":
            match = DOCKET_PATTERN.match(record["data"]["docket_number"])
            assert match is not None
            sequences[match["court"], match["year"], match["letter"]].append(int(match["seq"]))
    gaps = [f"{'-'.join(key)}: {sorted(seqs)[:20]}..." for key, seqs in sorted(sequences.items()) if sorted(seqs) != list(range(1, len(seqs) + 1))]
    clean, output = verify(stage.settings)

    statuses = Counter(o.status for o in outcomes)
    problems = Counter(f"{o.status} {o.problem}" for o in outcomes if not 200 <= o.status < 300)
    latencies = sorted(o.ms for o in outcomes)
    span = max((o.started + o.ms / 1000 for o in outcomes), default=0.0) or 1.0

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1) if latencies else 0.0

    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    figures: dict[str, Any] = {
        "clerks": len(stage.tokens),
        "requests": len(outcomes),
        "requests_per_s": round(len(outcomes) / span, 1),
        "2xx": ok,
        "409": statuses.get(409, 0),
        "other_statuses": {str(s): n for s, n in sorted(statuses.items()) if not (200 <= s < 300 or s == 409)},
        "refusals": dict(sorted(problems.items())),
        "by_action": {a: dict(sorted(Counter(str(o.status) for o in outcomes if o.action == a).items())) for a in ACTIONS},
        "retried_races_rolled_back_rows": rolled_back_rows(stage.settings),
        "events_written": len(records) - stage.head_before,
        "events_total": len(records),
        "cases_filed": sum(1 for o in outcomes if o.action == "file_case" and 200 <= o.status < 300),
        "docket_sequences": {"-".join(k): len(v) for k, v in sorted(sequences.items())},
        "committed_without_answer": committed_unanswered,
        "lost": len(lost),
        "duplicated": len(duplicated),
        "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "verify": " ".join(line for line in output.splitlines() if line.startswith("Verified")),
    }
    return Audit(figures, lost, duplicated, refused, mismatched, phantoms, gaps, output, clean)


def summary_line(label: str, figures: dict[str, Any]) -> str:
    """The figures in one line, for CI output."""
    other = ", ".join(f"{s}: {n}" for s, n in figures["other_statuses"].items()) or "none"
    return (
        f"{label}: {figures['requests']} requests by {figures['clerks']} clerks ({figures['requests_per_s']}/s, p95 {figures['p95_ms']} ms, "
        f"max {figures['max_ms']} ms); 2xx {figures['2xx']}, 409 {figures['409']}, other {other}; "
        f"retried races (rolled-back event rows) {figures['retried_races_rolled_back_rows']}; events written {figures['events_written']}; "
        f"lost {figures['lost']}, duplicated {figures['duplicated']}, committed but unanswered {figures['committed_without_answer']}; docket sequences {figures['docket_sequences']} gap-free; {figures['verify']}"
    )


def drop_connections(url: str) -> Callable[[], int]:
    """A fault: PostgreSQL terminates every other connection to this database (the web workers', the
    projector's, the worker's), mid-transaction for whatever is writing; other databases are left alone."""

    def drop() -> int:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(row[0]) if row else 0

    return drop


def postgres_cluster_version() -> str:
    """The local PostgreSQL cluster's version (Debian's /etc/postgresql/<version>/main)."""
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[0] if Path("/etc/postgresql").is_dir() else "15"


def wait_for_postgres(patience: float = 60.0) -> float:
    """Seconds until the server accepts connections again (pg_isready); raises after ``patience``."""
    began = time.monotonic()
    while time.monotonic() - began < patience:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0:
            return time.monotonic() - began
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not come back within {patience} s")


def restart_postgres(patience: float = 60.0) -> Callable[[], float]:
    """A fault: the PostgreSQL server itself restarts (every connection of every database drops, and for a
    moment none can be made). Returns the seconds until it accepts connections again."""

    def restart() -> float:
        began = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", postgres_cluster_version(), "main", "restart"],
                       check=True, capture_output=True, timeout=patience)
        wait_for_postgres(patience)
        return round(time.monotonic() - began, 2)

    return restart


def recovery_seconds(outcomes: list[Outcome], faults: list[Fault]) -> list[float | None]:
    """For each fault, how long until a request started after it succeeded (None: none did)."""
    found: list[float | None] = []
    for fault in faults:
        after = [o.started for o in outcomes if o.started > (fault.done_at or 0) and 200 <= o.status < 300]
        found.append(round(min(after) - (fault.done_at or 0), 2) if after else None)
    return found


def bench_stress(settings: Settings, *, clerks: int, seconds: float, workers: int = 4, faults: bool = True) -> dict[str, Any]:
    """The full-size load-and-fault run on a fresh installation (``settings``): ``clerks`` clients for ``seconds``
    against ``workers`` gunicorn workers. With ``faults`` the projector is SIGKILLed and restarted halfway and,
    on PostgreSQL, every connection to the database is dropped at a third and at two thirds of the run.
    Figures as ``audit`` computes them, plus the faults, ``ok`` (nothing lost, doubled or refused-yet-recorded,
    docket numbers gap-free, verify clean, every request answered) and ``problems``."""
    stage = prepare(settings, clerks)
    with cluster(settings, workers=workers) as running:
        planned: list[Fault] = []
        if faults:
            planned += [Fault(seconds / 2, "projector killed", lambda: running.kill("projector")),
                        Fault(seconds / 2 + 1, "projector restarted", lambda: running.start("projector"))]
            if settings.database_url:
                planned += [Fault(seconds / 3, "connections dropped", drop_connections(settings.database_url)),
                            Fault(2 * seconds / 3, "connections dropped", drop_connections(settings.database_url))]
        outcomes = run_load(running.port, stage, seconds, faults=planned)
    result = audit(stage, outcomes)
    unanswered = sum(1 for o in outcomes if o.status == 0)
    problems = result.problems + ([f"{unanswered} requests got no answer"] if unanswered else [])
    figures = dict(result.figures)
    figures.update(
        backend="postgresql" if settings.is_postgres else "sqlite", seconds=seconds, workers=workers,
        faults=[{"at_s": round(f.done_at or f.at, 2), "what": f.name, "result": f.result if isinstance(f.result, int) else None}
                for f in sorted(planned, key=lambda f: f.at)],
        recovery_s=recovery_seconds(outcomes, [f for f in planned if f.name == "connections dropped"]),
        ok=not problems, problems=problems,
    )
    return figures


def bench_restart(settings: Settings, *, clerks: int, seconds: float, workers: int = 4, settled: float = 1.0) -> dict[str, Any]:
    """The full-size PostgreSQL restart run (``tests/integration/test_faults.py`` in small): ``clerks``
    careful clients (Idempotency-Key, sending again after a 5xx) for ``seconds`` while the server restarts
    at a third of the run. Figures as ``audit`` computes them, plus the restart's duration, the re-sent
    requests, and the failures started ``settled`` seconds after the server accepted connections again."""
    stage = prepare(settings, clerks)
    restart = Fault(seconds / 3, "postgresql restarted", restart_postgres())
    try:
        with cluster(settings, workers=workers) as running:
            outcomes = run_load(running.port, stage, seconds, faults=[restart], retry_failures=True)
    finally:
        wait_for_postgres()
    result = audit(stage, outcomes)
    back = restart.done_at or seconds
    failed_after_back = sum(1 for o in outcomes if o.started > back + settled and (o.status == 0 or o.status >= 500))
    final = {o.tag: o for o in outcomes}
    undecided = sum(1 for o in final.values() if not (200 <= o.status < 300 or o.status == 409))
    problems = result.problems + ([f"{failed_after_back} failures once the server was back"] if failed_after_back else []) \
        + ([f"{undecided} requests without a definite answer"] if undecided else [])
    figures = dict(result.figures)
    figures.update(
        backend="postgresql", seconds=seconds, workers=workers, restart_s=restart.result, restarted_at_s=round(back, 2),
        resent=sum(1 for o in outcomes if o.attempt > 1), failed_after_back=failed_after_back,
        recovery_s=recovery_seconds(outcomes, [restart]), ok=not problems, problems=problems,
    )
    return figures
