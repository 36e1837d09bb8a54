"""Benchmark of the management server (issue 8 targets), in one run on this machine.

1. Batched ingestion: events/s into ``POST /api/v1/events`` on SQLite and on PostgreSQL,
   against a no-op endpoint of the same app (same auth, body reading and JSON parsing, nothing
   validated or stored). Targets: >= 0.5x the no-op and >= 5,000 events/s. The mix is the
   devices' (``make_batches``): 8 usage events to 2 well-formed ratings, one rating in five a
   差评 that opens a rectification case, UUIDv7 ids as the terminals make them (``--random-ids``
   for UUIDv4, the worst case for the indexes). Until issue 8 the ratings here were payloads
   the server rejects and the ids UUIDv4, which measured the reject path instead.
2. Heartbeat latency p99 with N simulated devices each sending one heartbeat a minute
   (open loop: requests are sent on schedule whether or not earlier ones finished, and each
   latency counts from the scheduled send time; one asyncio loop with keep-alive connections,
   aiohttp). Target < 100 ms.
3. Fleet page render time with N devices. Target < 500 ms.
4. The floor under the ingestion ratio: the same batches' rows (events, usage records, ratings,
   rectification cases) written with bare ``sqlite3`` into the migrated schema, one
   transaction a batch, nothing validated, no SQLAlchemy. An ingestion request does what the
   no-op does and then writes these rows, so no-op / (no-op + floor) is the best ratio any
   ingestion that stores and applies every event before answering could reach, unless the
   writing of one batch overlaps the parsing of the next on the second core.

The server runs in its own process (uvicorn, one worker); the load generator shares the same
cores, as it would on a 2-core test box. PostgreSQL is a throwaway cluster (the test fixture's
launcher) unless ``--pg-url`` is given.

    .venv/bin/python bench/server.py [--devices 10000] [--events 40000] [--skip-postgres]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fastapi import Request  # noqa: E402

from server import security  # noqa: E402
from server.api.body import read_json  # noqa: E402
from server.api.deps import Ctx, CurrentDevice  # noqa: E402
from server.db import make_engine  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.models import Device, DeviceToken, Fault, Site  # noqa: E402
from server.settings import Settings  # noqa: E402
from tests.fixtures.postgres import PostgresCluster, find_bin_dir, free_port  # noqa: E402

TOKEN = "bench-token-{}"


def bench_settings(url: str) -> Settings:
    return Settings(database_url=url, sweep_every_s=0, device_rate_per_s=1e6, device_burst=1_000_000,
                    max_body_bytes=8 * 1024 * 1024)


async def noop(request: Request, ctx: Ctx, device: CurrentDevice) -> dict[str, Any]:
    """The baseline: same auth, rate limit, body reading and JSON parsing as ingestion; no work."""
    body = await read_json(request, ctx.settings.max_body_bytes)
    return {"accepted": [e["id"] for e in body["events"]], "duplicates": []}


def _serve(url: str, port: int) -> None:
    """Child process: the real app plus ``/bench/noop`` sharing its auth and body handling."""
    import uvicorn

    from server.app import create_app

    app = create_app(bench_settings(url))
    app.add_api_route("/bench/noop", noop, methods=["POST"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


class Server:
    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = multiprocessing.get_context("spawn").Process(target=_serve, args=(url, self.port), daemon=True)

    def __enter__(self) -> "Server":
        self.process.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join(10)


def prepare(url: str, devices: int, halls: int = 100) -> None:
    """Migrate and insert ``devices`` devices (with known tokens) spread over ``halls`` halls.

    Like a real fleet: most online, 2 % offline, 3 % with an open fault.
    """
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(Site.__table__.insert(), [
            {"slug": f"hall-{h}", "name": f"测试大厅 {h}", "region_code": "110105", "address": "",
             "created_at": datetime.now(timezone.utc)} for h in range(halls)])
        site_ids = [r[0] for r in conn.execute(Site.__table__.select().with_only_columns(Site.id))]
        now = datetime.now(timezone.utc)
        conn.execute(Device.__table__.insert(), [
            {"id": f"B-{i:06d}", "site_id": site_ids[i % halls], "type": "terminal" if i % 3 else "evaluator",
             "name": f"设备 {i}", "window": str(i % 40), "location": "", "peripherals": {}, "enrolled_at": now,
             "online": i % 50 != 0, "last_seen_at": now, "last_heartbeat": {}, "last_seq": 0, "retired": False}
            for i in range(devices)])
        conn.execute(Fault.__table__.insert(), [
            {"device_id": f"B-{i:06d}", "peripheral": "printer", "reason": "paper_out", "detail": "", "source": "device",
             "state": "open", "opened_at": now, "resolution_note": "", "flaps": 0} for i in range(1, devices, 33)])
        conn.execute(DeviceToken.__table__.insert(), [
            {"token_hash": security.digest(TOKEN.format(i)), "device_id": f"B-{i:06d}", "created_at": now}
            for i in range(devices)])
    engine.dispose()


def rating_payload(make_id: Callable[[], str], n: int) -> dict[str, Any]:
    """A ``rating`` payload as an evaluator sends it (``kiosk.rating.RatingRecord.payload()``); every
    fifth one a 差评 (bad, with a reason: it opens a rectification case)."""
    bad = n % 5 == 0
    return {"id": make_id(), "invitation_id": make_id(), "outcome": "rated",
            "level": "dissatisfied" if bad else "satisfied", "bad": bad, "reasons": ["attitude"] if bad else [],
            "reason_list_version": 1 if bad else None, "text": "", "rated_at": "20261123T093000", "rating_count": 1,
            "case_no": f"C{n:010d}", "consultation": False, "item_name": "社会保障卡申领", "item_basic_code": "0002010010",
            "item_impl_code": "11010500020101000001", "channel": "evaluator", "region_code": "110105", "window": "12",
            "staff_no": "S001", "trigger": "window_system"}


def make_batches(total: int, size: int, random_ids: bool = False) -> list[bytes]:
    """Batches as terminals and evaluators send them: 8 usage events to 2 ratings.

    Ids are UUIDv7 like the devices' (``kiosk.uuid7``: time-ordered, so the server's indexes
    grow at their end); ``random_ids`` uses UUIDv4 instead, the worst case for index locality.
    """
    from kiosk.uuid7 import Uuid7Generator  # the bench plays the devices

    make_id: Callable[[], str] = (lambda: str(uuid.uuid4())) if random_ids else (lambda g=Uuid7Generator(): str(g()))
    usage = {"function": "print", "outcome": "success", "pages": 2}
    at = datetime.now(timezone.utc).isoformat()
    batches = []
    for start in range(0, total, size):
        events = []
        for n in range(start, start + size):
            rating = n % 10 >= 8
            events.append({"id": make_id(), "type": "rating" if rating else "usage", "seq": n, "occurred_at": at,
                           "payload": rating_payload(make_id, n // 10) if rating else usage})
        batches.append(json.dumps({"events": events}).encode())
    return batches


def ingest_rate(base: str, path: str, batches: list[bytes], batch_size: int, threads: int = 4) -> float:
    """Events per second, ``threads`` devices posting pre-built batches concurrently."""
    chunks = [batches[i::threads] for i in range(threads)]

    def worker(n: int) -> None:
        headers = {"Authorization": f"Bearer {TOKEN.format(n)}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for body in chunks[n]:
                answer = client.post(path, content=body)
                answer.raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return len(batches) * batch_size / (time.perf_counter() - started)


def heartbeat_latencies(base: str, devices: int, seconds: float) -> list[float]:
    """Open-loop heartbeats at ``devices``/60 per second for ``seconds``; latencies in ms.

    One asyncio loop with keep-alive connections (a thread per request, as before, made the
    load generator itself the bottleneck on 2 cores). Open loop: each heartbeat is started at
    its scheduled time whether or not earlier ones have answered, and its latency counts from
    that scheduled time, so a generator or server that falls behind shows up in the figure
    instead of being hidden (no coordinated omission).
    """
    return asyncio.run(_heartbeat_latencies(base, devices, seconds))


async def _heartbeat_latencies(base: str, devices: int, seconds: float) -> list[float]:
    import aiohttp  # bench-only: its client costs a fraction of httpx's per request

    rate = devices / 60.0
    count = int(rate * seconds)
    body = json.dumps({"app_version": "bench", "peripherals": {"printer": {"state": "ok"}}}).encode()
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=256, keepalive_timeout=30)
    async with aiohttp.ClientSession(base, connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as client:
        async def beat(i: int, due: float) -> None:
            headers = {"Authorization": f"Bearer {TOKEN.format(i % devices)}", "Content-Type": "application/json"}
            async with client.post("/api/v1/heartbeat", data=body, headers=headers) as answer:
                await answer.read()
                latencies.append((time.perf_counter() - due) * 1000)
                answer.raise_for_status()

        tasks = []
        begin = time.perf_counter() + 0.1
        for i in range(count):
            due = begin + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(beat(i, due)))
        await asyncio.gather(*tasks)
    return latencies


def fleet_render_ms(url: str, repeats: int = 5) -> list[float]:
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.context import AppContext
    from server.services.users import upsert_user

    settings = bench_settings(url)
    ctx = AppContext.build(settings)
    with ctx.transaction() as session:
        upsert_user(session, "bench", "bench-password", "viewer", actor="bench")
    times = []
    with TestClient(create_app(settings, ctx)) as client:
        page = client.get("/login").text
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        client.post("/login", data={"username": "bench", "password": "bench-password", "csrf": csrf})
        for _ in range(repeats):
            started = time.perf_counter()
            answer = client.get("/fleet")
            times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200 and answer.text.count('class="tile') >= 1
    ctx.engine.dispose()
    return times


def sqlite_floor_ms(batches: list[bytes], devices: int) -> float:
    """Milliseconds a batch for writing its rows with bare ``sqlite3`` (see the module doc, item 4)."""
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        prepare(f"sqlite:///{tmp}/floor.db", devices)
        connection = sqlite3.connect(f"{tmp}/floor.db", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):  # as server.db sets them
            connection.execute(f"PRAGMA {pragma}")
        columns = [row[1] for row in connection.execute("PRAGMA table_info(ratings)")]
        insert_rating = (f"INSERT INTO ratings ({', '.join(repr(c) for c in columns)}) "  # nosec B608: our own names
                         f"VALUES ({', '.join('?' * len(columns))})")
        now = "2026-12-08 01:00:00.000000"
        started = time.perf_counter()
        for n, raw in enumerate(batches):
            device, events = f"B-{n % devices:06d}", json.loads(raw)["events"]
            ratings = [e["payload"] for e in events if e["type"] == "rating"]
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "INSERT INTO events (id, device_id, seq, type, occurred_at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e["id"], device, e["seq"], e["type"], now, now, json.dumps(e["payload"], ensure_ascii=False)) for e in events])
            connection.executemany(
                "INSERT INTO usage_records (event_id, device_id, function, outcome, pages, occurred_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(e["id"], device, e["payload"]["function"], e["payload"]["outcome"], e["payload"].get("pages", 0), now)
                 for e in events if e["type"] == "usage"])
            rows = []
            for p in ratings:
                row = dict.fromkeys(columns)
                row.update({k: p[k] for k in p if k in row}, reasons=json.dumps(p["reasons"]), device_id=device, site_id=1,
                           rated_at=now, rated_on="2026-11-23", received_at=now, contact_phone="", excluded=False,
                           version=1, pushed_version=0)
                rows.append(tuple(row[c] for c in columns))
            connection.executemany(insert_rating, rows)
            connection.executemany(
                "INSERT INTO rectification_cases (rating_id, state, opened_at, visit_note, rectify_plan, rectify_note, "
                "review_note) VALUES (?, 'pending_visit', ?, '', '', '', '')", [(p["id"], now) for p in ratings if p["bad"]])
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.close()
    return elapsed / len(batches) * 1000


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, float]:
    print(f"[{name}] preparing {args.devices} devices ...", flush=True)
    prepare(url, args.devices)
    batches = make_batches(args.events, args.batch, args.random_ids)
    result: dict[str, float] = {}
    with Server(url) as server:
        ingest_rate(server.base, "/bench/noop", batches[:4], args.batch)  # warm-up
        result["noop_eps"] = ingest_rate(server.base, "/bench/noop", batches, args.batch)
        result["ingest_eps"] = ingest_rate(server.base, "/api/v1/events", batches, args.batch)
        lat = heartbeat_latencies(server.base, args.devices, args.heartbeat_seconds)
        result["hb_p50"], result["hb_p99"], result["hb_n"] = statistics.median(lat), p99(lat), len(lat)
    render = fleet_render_ms(url)
    result["fleet_median"], result["fleet_max"] = statistics.median(render), max(render)
    if name == "sqlite":
        result["floor_ms"] = sqlite_floor_ms(batches, min(args.devices, 1000))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=40_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--heartbeat-seconds", type=float, default=30)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--random-ids", action="store_true",
                        help="UUIDv4 event ids (worst case for index locality) instead of the devices' UUIDv7")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        results["sqlite"] = run_backend("sqlite", f"sqlite:///{tmp}/bench.db", args)
        if not args.skip_postgres:
            cluster = None
            url = args.pg_url
            if url is None:
                bin_dir = find_bin_dir()
                if bin_dir is None:
                    print("PostgreSQL binaries not found; skipping PostgreSQL")
                else:
                    # its own temp dir: the postgres user cannot enter root's 0700 ``tmp``
                    cluster = PostgresCluster(bin_dir, Path(tempfile.mkdtemp(prefix="bench-pg-")), free_port())
                    cluster.start()
                    url = cluster.create_database("bench")
            try:
                if url:
                    results["postgres"] = run_backend("postgres", url, args)
            finally:
                if cluster:
                    cluster.stop()
                    shutil.rmtree(cluster.root, ignore_errors=True)
    print()
    print(f"{'backend':10} {'ingest ev/s':>12} {'no-op ev/s':>11} {'ratio':>6} {'vs 5000':>8} "
          f"{'hb p50 ms':>10} {'hb p99 ms':>10} {'vs 100':>7} {'fleet ms':>9} {'vs 500':>7}")
    for name, r in results.items():
        print(f"{name:10} {r['ingest_eps']:12.0f} {r['noop_eps']:11.0f} {r['ingest_eps'] / r['noop_eps']:6.2f} "
              f"{r['ingest_eps'] / 5000:8.2f} {r['hb_p50']:10.1f} {r['hb_p99']:10.1f} {100 / r['hb_p99']:7.2f} "
              f"{r['fleet_median']:9.0f} {500 / r['fleet_median']:7.2f}")
    floor, noop_ms = results["sqlite"]["floor_ms"], args.batch / results["sqlite"]["noop_eps"] * 1000
    print(f"\nfloor: bare sqlite3 writes a batch's rows in {floor:.1f} ms, the no-op answers a batch in {noop_ms:.1f} ms; "
          f"ingestion does the no-op's work and then writes the rows, so unless the two overlap it cannot pass "
          f"{noop_ms / (noop_ms + floor):.2f}x the no-op on SQLite")
    print(f"\n(ratios >= 1 meet the target; ingestion ratio target >= 0.5; {args.devices} devices, "
          f"batches of {args.batch}, {int(results['sqlite']['hb_n'])} heartbeats per backend)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
