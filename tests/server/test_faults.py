"""The fault life cycle from device events and from people, with flapping suppression."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from server.context import AppContext
from server.models import AuditEntry, Fault
from server.services import faults as fault_service
from tests.server.helpers import enrol, fault

import pytest


def post(client: TestClient, auth: dict[str, str], *events: dict) -> None:
    answer = client.post("/api/v1/events", json={"events": list(events)}, headers=auth)
    assert answer.status_code == 200, answer.text


def all_faults(ctx: AppContext, device_id: str) -> list[Fault]:
    with ctx.transaction() as session:
        return list(session.scalars(select(Fault).where(Fault.device_id == device_id).order_by(Fault.id)))


def test_raised_then_cleared_by_the_device(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    post(client, auth, fault("fault_raised", minute=0))
    [opened] = all_faults(ctx, device_id)
    assert (opened.state, opened.peripheral, opened.reason, opened.source) == ("open", "printer", "paper_out", "device")
    post(client, auth, fault("fault_cleared", minute=5))
    [closed] = all_faults(ctx, device_id)
    assert closed.state == "resolved" and closed.resolved_by == "device"
    assert (closed.resolved_at - closed.opened_at).total_seconds() == 300  # time to resolve is measurable


def test_flapping_fault_stays_one_row(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    for minute in range(0, 18, 2):  # raised, cleared, raised ... within the flap window
        post(client, auth, fault("fault_raised" if minute % 4 == 0 else "fault_cleared", minute=minute))
    rows = all_faults(ctx, device_id)
    assert len(rows) == 1
    assert rows[0].flaps == 4 and rows[0].state == "open"


def test_raised_twice_is_one_fault_and_a_later_one_is_new(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    post(client, auth, fault("fault_raised", minute=0), fault("fault_raised", minute=1))
    post(client, auth, fault("fault_cleared", minute=2))
    post(client, auth, fault("fault_raised", minute=60))  # outside the 5-minute flap window
    assert [f.state for f in all_faults(ctx, device_id)] == ["resolved", "open"]


def test_cleared_without_reason_clears_every_fault_of_the_peripheral(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    post(client, auth, fault("fault_raised", reason="paper_out"), fault("fault_raised", reason="cover_open"),
         fault("fault_raised", peripheral="idcard", reason="port_missing"))
    post(client, auth, fault("fault_cleared", reason=None, minute=1))
    states = {(f.peripheral, f.reason): f.state for f in all_faults(ctx, device_id)}
    assert states == {("printer", "paper_out"): "resolved", ("printer", "cover_open"): "resolved",
                      ("idcard", "port_missing"): "open"}


def test_acknowledge_then_resolve_by_hand(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    post(client, auth, fault("fault_raised"))
    [row] = all_faults(ctx, device_id)
    with ctx.transaction() as session:
        fault_service.acknowledge(session, row.id, "tech1")
    with ctx.transaction() as session, pytest.raises(fault_service.FaultStateError):
        fault_service.acknowledge(session, row.id, "tech2")
    with ctx.transaction() as session, pytest.raises(fault_service.FaultStateError):
        fault_service.resolve(session, row.id, "tech1", "   ")
    with ctx.transaction() as session:
        fault_service.resolve(session, row.id, "tech1", "换了新纸卷")
    [done] = all_faults(ctx, device_id)
    assert (done.state, done.acknowledged_by, done.resolved_by, done.resolution_note) == \
        ("resolved", "tech1", "tech1", "换了新纸卷")
    with ctx.transaction() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["fault.acknowledge", "fault.resolve"]


def test_acknowledged_flapping_fault_stays_acknowledged(client: TestClient, ctx: AppContext) -> None:
    device_id, auth = enrol(client, ctx)
    post(client, auth, fault("fault_raised"))
    [row] = all_faults(ctx, device_id)
    with ctx.transaction() as session:
        fault_service.acknowledge(session, row.id, "tech1")
    post(client, auth, fault("fault_cleared", minute=1), fault("fault_raised", minute=2))
    [again] = all_faults(ctx, device_id)
    assert again.state == "acknowledged" and again.flaps == 1
