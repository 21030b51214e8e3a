"""Benchmark: sustained ingestion through POST /v1/batch, exactly once.

Starts a real gunicorn (2 sync workers) on a free localhost port over a fresh data folder; a
second process replays SDK-shaped batches (100 events each, as segment-analytics-python sends
them) from a few threads, re-sending 10 % of the batches it already delivered (what retries
look like); then compacts and counts: every acknowledged event stored, none twice. Baseline,
same run, same client and payloads: a minimal WSGI app under the same gunicorn that reads the
body and answers 200 — the ceiling of HTTP alone on this machine. Run:

    .venv/bin/python benchmarks/bench_ingest.py [--seconds 20] [--baseline-seconds 10]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BATCH_EVENTS = 100
DUPLICATE_SHARE = 0.10
CLIENT_THREADS = 4
ROOT = Path(__file__).resolve().parent.parent


def minimal_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The baseline: read the body, answer 200 (what any WSGI server can do at best)."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"success": true}']


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def setup(data_dir: Path) -> str:
    """Migrate a fresh database and create a source; its write key."""
    os.environ["QUARTERDECK_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "quarterdeck.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from quarterdeck.metrics.services import source_create

    return source_create(actor=None, data={"name": "Benchmark"}).write_key


def start_gunicorn(app: str, port: int) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--no-control-socket", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, env=os.environ.copy())  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn did not start: {app}")


def template(write_key: str) -> bytes:
    """One batch as analytics-python sends it; BATCHNO is replaced per batch."""
    now = dt.datetime.now(dt.UTC)
    events = [
        {
            "type": "track",
            "event": "Report Exported",
            "userId": f"user-{n % 37}",
            "properties": {"format": "pdf", "pages": n, "plan": "pro", "product": "Atlas"},
            "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
            "timestamp": (now - dt.timedelta(seconds=n)).isoformat(),
            "integrations": {},
            "messageId": f"bench-BATCHNO-{n:03d}",
        }
        for n in range(BATCH_EVENTS)
    ]
    body = {"batch": events, "sentAt": now.isoformat(), "writeKey": write_key}
    return json.dumps(body).encode()


@dataclass
class Tally:
    """What the client saw; one per replay, shared by its threads under ``lock``."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_batch: int = 0
    delivered: int = 0  # requests answered 2xx
    duplicates: int = 0  # of which re-deliveries of an acknowledged batch
    acked: list[int] = field(default_factory=list)  # batch numbers acknowledged (unique)
    failures: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def pick(self, rng: random.Random) -> tuple[int, bool]:
        with self.lock:
            if self.acked and rng.random() < DUPLICATE_SHARE:
                return rng.choice(self.acked), True
            self.next_batch += 1
            return self.next_batch, False

    def record(self, number: int, duplicate: bool, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if not 200 <= status < 300:
                self.failures[status] = self.failures.get(status, 0) + 1
                return
            self.delivered += 1
            if duplicate:
                self.duplicates += 1
            else:
                self.acked.append(number)


def post(port: int, body: bytes, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/v1/batch", body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def client_thread(
    port: int, body: bytes, headers: dict[str, str], deadline: float, tally: Tally
) -> None:
    rng = random.Random()
    while time.monotonic() < deadline:
        number, duplicate = tally.pick(rng)
        started = time.perf_counter()
        try:
            status = post(port, body.replace(b"BATCHNO", b"%08d" % number), headers)
        except OSError:
            status = 0
        tally.record(number, duplicate, status, time.perf_counter() - started)


def replay(port: int, key: str, seconds: float, results: Any) -> None:
    """The load: CLIENT_THREADS threads posting for ``seconds``; the tally to ``results``."""
    body = template(key)
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode(),
    }
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=client_thread, args=(port, body, headers, deadline, tally))
        for _ in range(CLIENT_THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(tally.latencies) or [0.0]
    results.put(
        {
            "elapsed": time.monotonic() - started,
            "delivered": tally.delivered,
            "duplicates": tally.duplicates,
            "acked": tally.acked,
            "failures": tally.failures,
            "p50": latencies[len(latencies) // 2],
            "p99": latencies[int(len(latencies) * 0.99)],
            "body_bytes": len(body),
        }
    )


def run_load(app: str, key: str, seconds: float) -> dict[str, Any]:
    port = free_port()
    server = start_gunicorn(app, port)
    try:
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        client = context.Process(target=replay, args=(port, key, seconds, results))
        client.start()
        found: dict[str, Any] = results.get(timeout=seconds + 120)
        client.join()
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)


def count_stored(events_dir: Path) -> tuple[int, int]:
    import duckdb

    pattern = str(events_dir / "date=*" / "*.parquet")
    query = f"SELECT count(*), count(DISTINCT (source_id, event_id)) FROM read_parquet('{pattern}')"  # noqa: S608
    ((rows, keys),) = duckdb.connect().execute(query).fetchall()
    return int(rows), int(keys)


def rate(found: dict[str, Any]) -> float:
    return float(found["delivered"] * BATCH_EVENTS / found["elapsed"])


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]  # other work on the machine lowers the figure: say how much
    data_dir = Path(tempfile.mkdtemp(prefix="qd-bench-ingest-"))
    key = setup(data_dir)

    ours = run_load("quarterdeck.wsgi:application", key, args.seconds)
    from quarterdeck.metrics.services import events_flush

    started = time.perf_counter()
    compacted = events_flush()
    compact_seconds = time.perf_counter() - started
    rows, keys = count_stored(data_dir / "events")
    expected = len(ours["acked"]) * BATCH_EVENTS
    baseline = run_load("benchmarks.bench_ingest:minimal_app", key, args.baseline_seconds)

    events = ours["delivered"] * BATCH_EVENTS
    redelivered = ours["duplicates"] * BATCH_EVENTS
    ms = {name: ours[name] * 1000 for name in ("p50", "p99")}
    lines = [
        f"ingestion through POST /v1/batch, gunicorn 2 sync workers, {os.cpu_count()} cores, "
        f"load average before the run {load:.2f}",
        f"  batches of {BATCH_EVENTS} events, {ours['body_bytes']:,} bytes, "
        f"{CLIENT_THREADS} client threads, {DUPLICATE_SHARE:.0%} re-deliveries",
        f"  Quarterdeck:           {rate(ours):10,.0f} events/s over {ours['elapsed']:.1f} s "
        f"(p50 {ms['p50']:.1f} ms, p99 {ms['p99']:.1f} ms per request)",
        f"  baseline minimal WSGI: {rate(baseline):10,.0f} events/s over "
        f"{baseline['elapsed']:.1f} s (reads the body, answers 200)",
        f"  ratio ours / baseline: {rate(ours) / rate(baseline):10.2f}",
        f"  refused requests:      {ours['failures'] or 'none'}",
        f"  compaction:            {compacted.received:,} rows in {compact_seconds:.1f} s "
        f"({compacted.received / max(compact_seconds, 1e-9):,.0f} rows/s)",
        f"  delivered {events:,} events ({redelivered:,} re-delivered), "
        f"{expected:,} unique acknowledged",
        f"  stored {rows:,} rows, {keys:,} distinct: lost {expected - keys:,}, "
        f"double {rows - keys:,}",
    ]
    print("\n".join(lines))
    if expected != keys or rows != keys:
        raise SystemExit("FAILED: events lost or stored twice")


if __name__ == "__main__":
    main(sys.argv[1:])
