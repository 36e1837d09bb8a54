"""A small fleet with a month of history, written straight to the database, for report tests and
screenshots: three halls, terminals with different traffic (one nearly idle, one failing), faults
with known acknowledge/resolve times, calls for staff, and a catalog whose items need printers.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Device, Event, Fault, Site, StaffCall, StatusTransition, UsageRecord, utcnow
from server.services import content
from server.services.enrolment import ensure_default_site

CATALOG = {
    "version": "fleet-test-1",
    "items": [
        {"basic_code": "000201001", "name": "社会保障卡申领", "functions": ["guide", "progress", "declare"]},
        {"basic_code": "000201002", "name": "个人参保证明打印", "functions": ["guide", "print"]},
        {"basic_code": "000105001", "name": "不动产登记信息查询", "functions": ["guide", "progress"]},
        {"basic_code": "000104001", "name": "住房公积金缴存证明", "functions": ["guide", "print"]},
        {"basic_code": "000301001", "name": "婚姻登记预约", "functions": ["guide"]},
    ],
}
ALL_OK = {name: {"state": "ok"} for name in ("idcard", "sscard", "qr_camera", "a4printer", "printer", "doc_camera")}


@dataclass(frozen=True)
class Fleet:
    busy: str  # terminal with plenty of traffic
    idle: str  # terminal nearly unused (a relocation candidate)
    failing: str  # terminal whose transactions fail often
    no_printer: str  # online, A4 printer in fault: print items not workable
    offline: str
    evaluator: str


def _usage(session: Session, device_id: str, at: datetime, function: str, outcome: str, pages: int = 0) -> None:
    event_id = str(uuid.uuid4())
    session.add(Event(id=event_id, device_id=device_id, seq=0, type="usage", occurred_at=at, received_at=at,
                      payload={"function": function, "outcome": outcome, "pages": pages}))
    session.add(UsageRecord(event_id=event_id, device_id=device_id, function=function, outcome=outcome, pages=pages,
                            occurred_at=at))


def _device(session: Session, site: Site, device_id: str, name: str, *, online: bool = True,
            peripherals: dict | None = None, kind: str = "terminal", days_ago: int = 40) -> str:  # type: ignore[type-arg]
    now = utcnow()
    session.add(Device(id=device_id, site_id=site.id, type=kind, name=name, window="" if kind == "terminal" else "12",
                       location="一楼大厅", peripherals=peripherals if peripherals is not None else dict(ALL_OK),
                       enrolled_at=now - timedelta(days=days_ago), online=online, last_seen_at=now,
                       last_heartbeat={"app_version": "0.1.0"}))
    session.flush()
    session.add(StatusTransition(device_id=device_id, at=now - timedelta(days=days_ago), online=True, reason="heartbeat"))
    return device_id


def build(session: Session) -> Fleet:
    ensure_default_site(session)
    content.store(session, content.CATALOG, CATALOG, CATALOG["version"], "test")
    halls = [Site(slug=slug, name=name, region_code=code) for slug, name, code in (
        ("city", "市民中心政务服务大厅", "370102"), ("east", "东区便民服务中心", "370102001"),
        ("west", "西区便民服务中心", "370102002"))]
    session.add_all(halls)
    session.flush()
    city, east, west = halls
    fleet = Fleet(
        busy=_device(session, city, "T-BUSY", "市民中心一体机 1"),
        idle=_device(session, west, "T-IDLE", "西区一体机 1"),
        failing=_device(session, east, "T-FAIL", "东区一体机 1"),
        no_printer=_device(session, city, "T-NOA4", "市民中心一体机 2",
                           peripherals={**ALL_OK, "a4printer": {"state": "fault", "reason": "paper_out"}}),
        offline=_device(session, east, "T-DOWN", "东区一体机 2", online=False),
        evaluator=_device(session, city, "E-0001", "12 号窗口评价器", kind="evaluator", peripherals={}),
    )
    extra = [_device(session, hall, f"T-X{n}", f"{hall.name[:2]}一体机 {n}") for n, hall in enumerate(halls * 2, 3)]
    today = utcnow().astimezone(LOCAL).replace(hour=10, minute=0, second=0, microsecond=0)
    for day in range(30):
        at = today - timedelta(days=day)
        for n in range(12):
            _usage(session, fleet.busy, at + timedelta(minutes=7 * n), ("print", "progress", "guide")[n % 3],
                   "success", 2 if n % 3 == 0 else 0)
        for device_id in extra:
            for n in range(8):
                _usage(session, device_id, at + timedelta(minutes=5 * n), "guide", "success")
        for n in range(10):
            _usage(session, fleet.failing, at + timedelta(hours=3, minutes=n), "declare", "failure" if n < 5 else "success")
        if day % 10 == 0:
            _usage(session, fleet.idle, at, "guide", "success")
    opened = today - timedelta(days=3)
    for minutes, peripheral, reason in ((5, "printer", "paper_out"), (15, "a4printer", "paper_out"),
                                        (45, "idcard", "reader_lost")):
        session.add(Fault(device_id=fleet.failing, peripheral=peripheral, reason=reason, state="resolved",
                          opened_at=opened, acknowledged_at=opened + timedelta(minutes=minutes), acknowledged_by="tech",
                          resolved_at=opened + timedelta(minutes=minutes * 4), resolved_by="tech",
                          resolution_note="已处理", source="device", flaps=0, detail=""))
    session.add(Fault(device_id=fleet.no_printer, peripheral="a4printer", reason="paper_out", state="open",
                      opened_at=utcnow() - timedelta(minutes=20), source="device", flaps=0, detail="",
                      resolution_note=""))
    now = utcnow()
    session.add(Fault(device_id=fleet.offline, peripheral="device", reason="offline", state="acknowledged",
                      opened_at=now - timedelta(hours=2), acknowledged_at=now - timedelta(hours=1),
                      acknowledged_by="tech", source="server", flaps=0, detail="", resolution_note=""))
    session.add(StatusTransition(device_id=fleet.offline, at=utcnow() - timedelta(hours=2), online=False,
                                 reason="timeout"))
    call_event = str(uuid.uuid4())
    session.add(Event(id=call_event, device_id=fleet.busy, seq=0, type="call_staff", occurred_at=utcnow(),
                      received_at=utcnow(), payload={"reason": "help"}))
    session.add(StaffCall(event_id=call_event, device_id=fleet.busy, reason="help", state="open",
                          opened_at=utcnow() - timedelta(minutes=2), resolution_note=""))
    return fleet
