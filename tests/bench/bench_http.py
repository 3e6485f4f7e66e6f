"""HTTP benchmark: latency percentiles and throughput of the busiest pages under concurrent load.

The app is served by gunicorn (`medcourt serve --prod`, several workers) on
loopback; a load generator in this process (threads with keep-alive connections,
each signed in as a demo user) requests each page for a bounded time. On a
2-core machine the generator competes with the server for CPU, so the figures
are a floor for a real deployment, not a ceiling.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from projections.settings import Settings

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(settings: Settings, workers: int, **extra_env: str) -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "MEDCOURT_VAR": str(settings.var_dir), **extra_env}
    if settings.database_url:
        env["MEDCOURT_DATABASE_URL"] = settings.database_url
    else:
        env.pop("MEDCOURT_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "scripts.cli", "serve", "--prod", "--insecure-cookies", "--workers", str(workers), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


class Client:
    """A signed-in browser, reduced to a keep-alive connection and a cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # gunicorn closes a keep-alive connection left idle (e.g. while the other clients sign in): reconnect once.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, text

    def sign_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        token = CSRF.search(page)
        status, _ = self.request("POST", "/login", urlencode({"username": username, "password": password, "csrf_token": token.group(1) if token else ""}))
        if status != 302:
            raise RuntimeError(f"could not sign in as {username}: HTTP {status}")


def load(port: int, user: str, password: str, paths: list[str], seconds: float, threads: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    # The clock starts once every client has signed in: eight password hashes at once on a busy machine
    # can take most of the window, which then measured a single request.
    signed_in = threading.Barrier(threads)
    stop = 0.0

    def worker() -> None:
        nonlocal errors, stop
        client = Client(port)
        client.sign_in(user, password)
        if signed_in.wait() == 0:
            stop = time.monotonic() + seconds
        signed_in.wait()
        rng = random.Random(threading.get_ident())
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, _ = client.request("GET", rng.choice(paths))
            mine.append((time.perf_counter() - started) * 1000)
            failed += status >= 400
        with lock:
            latencies.extend(mine)
            errors += failed

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - (stop - seconds)  # from the moment all had signed in
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1) if ordered else 0.0

    return {
        "requests": len(ordered), "errors": errors, "requests_per_s": round(len(ordered) / elapsed, 1),
        "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "mean_ms": round(statistics.fmean(ordered), 1) if ordered else 0.0,
        "load_average": [round(x, 2) for x in os.getloadavg()],  # the machine is shared: how busy it was at the end of this load
    }


# The analysts' page, every tab, over five years, and over one year by track and by court: an analyst reading
# the whole page, three ways (27 distinct requests, each its own query of the read models).
STATISTICS_PATHS = [
    f"/analytics?section={tab}&{query}"
    for tab in ("overview", "findings", "pending", "funnel", "experts", "hearings", "mediation", "compensation", "appeals")
    for query in ("from=2022-01-01&to=2026-12-31", "from=2025-01-01&to=2025-12-31&by=track", "from=2025-01-01&to=2025-12-31&by=court")
]


def bench_http(settings: Settings, password: str, dockets: list[str], *, seconds: float = 10, threads: int = 8, workers: int = 4) -> dict[str, Any]:
    """p50/p95/p99 and throughput of the case page, judge dashboard, docket search and statistics page."""
    pages = {
        "case_page": ("judge", [f"/cases/{d}" for d in dockets]),
        "judge_dashboard": ("judge", ["/judge"]),
        "docket_search": ("clerk", ["/cases?q=hospital", "/cases?track=civil", "/cases?status=pending", "/cases?q=Dr"]),
        "statistics_page": ("analyst", STATISTICS_PATHS),
    }
    results: dict[str, Any] = {"workers": workers, "client_threads": threads, "seconds_per_page": seconds}
    with served(settings, workers) as port:
        for name, (user, paths) in pages.items():
            results[name] = load(port, user, password, paths, seconds, threads)
    # The same statistics load with each worker's statistics cache off (web/analytics/cache.py): every request
    # computes its figures from the read models, as the first one after the docket moved does.
    with served(settings, workers, MEDCOURT_STATS_CACHE_SIZE="0") as port:
        results["statistics_page_uncached"] = load(port, "analyst", password, STATISTICS_PATHS, seconds, threads)
    return results
