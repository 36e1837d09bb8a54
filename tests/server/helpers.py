"""Small builders shared by the server tests (devices, events, users)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from sqlalchemy.orm import Session

from server.context import AppContext
from server.services import enrolment, users

_seq = count(1)
BASE_TIME = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def enrol(client: TestClient, ctx: AppContext, device_type: str = "terminal", **code_args: Any) -> tuple[str, dict[str, str]]:
    """Enrol a new device through the API; returns its id and auth headers."""
    with ctx.transaction() as session:
        issued = enrolment.issue_code(session, actor="test", ttl_hours=1, device_type=device_type, **code_args)
    answer = client.post("/api/v1/devices/enrol", json={"code": issued.code})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["device_id"], {"Authorization": f"Bearer {body['token']}"}


def event(type_: str = "usage", payload: dict[str, Any] | None = None, *, at: datetime | None = None,
          seq: int | None = None, id_: str | None = None) -> dict[str, Any]:
    if payload is None:
        payload = {"function": "print", "outcome": "success", "pages": 1} if type_ == "usage" else {}
    return {"id": id_ or str(uuid.uuid4()), "type": type_, "seq": next(_seq) if seq is None else seq,
            "occurred_at": (at or BASE_TIME).isoformat(), "payload": payload}


def fault(kind: str, peripheral: str = "printer", reason: str | None = "paper_out", minute: int = 0) -> dict[str, Any]:
    payload: dict[str, Any] = {"peripheral": peripheral}
    if reason:
        payload["reason"] = reason
    return event(kind, payload, at=BASE_TIME + timedelta(minutes=minute))


def add_user(ctx: AppContext, username: str, role: str, password: str = "correct-horse") -> None:
    with ctx.transaction() as session:
        users.upsert_user(session, username, password, role, actor="test")


def login(client: TestClient, username: str, password: str = "correct-horse") -> Any:
    page = client.get("/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post("/login", data={"username": username, "password": password, "csrf": token},
                       follow_redirects=False)


def csrf_of(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def prepared_database(path: Path, fill: Callable[[Session], object], users: dict[str, str]) -> str:
    """A migrated SQLite file filled by ``fill``, with dashboard users (name -> role); returns its URL.

    Browser tests serve it from a real ``kiosk-server`` process, so the data is written first
    and this process lets go of the file.
    """
    from server.db import make_engine
    from server.migrate import upgrade
    from tests.server.conftest import make_settings

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    ctx = AppContext.build(make_settings(url))
    with ctx.transaction() as session:
        fill(session)
    for username, role in users.items():
        add_user(ctx, username, role)
    ctx.engine.dispose()
    return url
