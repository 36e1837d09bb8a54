"""No full ID number (or full name) ends up in a log or in the database after the content API was used.

One test drives a real ``kiosk-server run`` process at debug log level and then reads its whole
output and the raw bytes of its SQLite files (database, WAL); the other runs in-process on both
databases, capturing every log record and reading every row of every table back as text.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.context import AppContext
from server.models import Base
from tests.fixtures.postgres import free_port
from tests.server.content.builders import DEMO_ID, OTHER_ID, application, seed, terminal
from tests.server.live import REPO, cli

SECRETS = (DEMO_ID, OTHER_ID, "赵测试")


def _use_the_api(client: httpx.Client | TestClient, auth: dict[str, str]) -> None:
    for id_number in (DEMO_ID, OTHER_ID, DEMO_ID.lower()):
        assert client.post("/api/v1/cases/mine", json={"id_number": id_number}, headers=auth).status_code == 200
        found = client.post("/api/v1/certificates/mine", json={"id_number": id_number}, headers=auth).json()
        for cert in found["certificates"][:2]:
            client.post("/api/v1/certificates/document", json={"id_number": id_number, "certificate_id": cert["id"]},
                        headers=auth)
    assert client.post("/api/v1/applications", files=application(), headers=auth).status_code == 201
    for refused in (application(form={"reason": "x"}), application(materials={}), application(basic_code="0")):
        assert client.post("/api/v1/applications", files=refused, headers=auth).status_code in (404, 422)
    client.post("/api/v1/cases/mine", json={"id_number": OTHER_ID, "extra": OTHER_ID}, headers=auth)  # bad_request
    client.post("/api/v1/cases/mine", json={"id_number": OTHER_ID[:-1] + "1"}, headers=auth)  # bad_id_number


def _assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text and secret.lower() not in text, f"{secret[:4]}… found in {where}"


def test_real_server_logs_and_database_files(tmp_path: Path) -> None:
    db = tmp_path / "privacy.db"
    url = f"sqlite:///{db}"
    cli("migrate", database_url=url)
    cli("seed-demo", database_url=url)
    code = cli("enrol-code", "--type", "terminal", database_url=url).stdout.strip().splitlines()[-1]
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    env = {**os.environ, "DATABASE_URL": url, "KIOSK_SERVER_SWEEP_EVERY_S": "0"}
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "run", "--host", "127.0.0.1", "--port", str(port),
                                "--log-level", "debug"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
            token = client.post("/api/v1/devices/enrol", json={"code": code}).json()["token"]
            _use_the_api(client, {"Authorization": f"Bearer {token}"})
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    output = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "POST /api/v1/applications" in output  # the access log was really on
    _assert_clean(output, "the server's log output")
    raw_files = {path.name: path.read_bytes() for path in tmp_path.glob("privacy.db*")}
    assert any(b"1101**********002X" in raw for raw in raw_files.values())  # the scan sees what was stored
    for name, raw in raw_files.items():
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in raw, f"{secret[:4]}… in {name} ({encoding})"


def test_logs_and_every_row(client: TestClient, ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    seed(ctx)
    auth = terminal(client, ctx)
    with caplog.at_level(logging.DEBUG):
        _use_the_api(client, auth)
    _assert_clean("\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records), "log records")
    with ctx.reading() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            text = "\n".join(repr(tuple(row)) for row in rows)
            _assert_clean(text, f"table {table.name}")
            if table.name == "content_applications":
                assert "1101**********002X" in text  # the rows read back are the ones the API wrote
