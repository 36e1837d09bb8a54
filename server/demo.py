"""``seed-demo``: sample halls and devices (clearly marked 示例数据) so a fresh dashboard shows something.

The demo stack's own terminal and evaluator enrol with codes like any device; these sample
devices only fill the fleet page. They have no real heartbeats, so the sweeper marks the
"online" ones offline after the timeout, exactly as it would for real devices.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Device, Site, StatusTransition, utcnow
from server.content.generator import seed as seed_content
from server.ratings.sample import seed_ratings
from server.services import audit, faults
from server.services.enrolment import ensure_default_site
from server.settings import DEV_SECRET
from server.staff.seed import seed_staff

HALLS = [
    ("demo", "演示区政务服务中心（示例数据）", "110105", "示例路 1 号"),
    ("demo-town", "演示街道便民服务中心（示例数据）", "110105001", "示例街 8 号"),
]
PERIPHERALS = {"idcard": {"state": "ok"}, "sscard": {"state": "ok"}, "printer": {"state": "ok"},
               "a4printer": {"state": "ok"}, "qr_camera": {"state": "ok"}, "doc_camera": {"state": "ok"}}


def seed(session: Session, devices_per_hall: int = 4, secret_key: str = DEV_SECRET) -> str:
    """Add the sample halls and devices once; running it again changes nothing."""
    # fictitious window staff (示例) where `kiosk demo`'s evaluator enrols (codes without --site)
    seed_staff(session, ensure_default_site(session))
    content = seed_content(session, secret_key)  # catalog, cases, certificates (HMACs keyed by secret_key)
    if session.scalar(select(Site).where(Site.slug == HALLS[0][0])) is not None:
        return f"sample data already present\n{content}"
    now = utcnow()
    made = 0
    for h, (slug, name, region, address) in enumerate(HALLS):
        site = Site(slug=slug, name=name, region_code=region, address=address)
        session.add(site)
        session.flush()
        for n in range(devices_per_hall):
            made += 1
            _sample_device(session, site, h, n, now)
    audit.record(session, "cli", "demo.seed", "", devices=made)
    ratings = seed_ratings(session, utcnow().astimezone(LOCAL).date())  # 30 days of 好差评 in the first hall
    return f"sample data: {len(HALLS)} halls, {made} devices (示例数据)\n{ratings}\n{content}"


def _sample_device(session: Session, site: Site, hall: int, n: int, now) -> None:  # type: ignore[no-untyped-def]
    terminal = n % 2 == 0
    device = Device(
        id=f"SAMPLE-{'T' if terminal else 'E'}-{hall}{n:02d}", site_id=site.id,
        type="terminal" if terminal else "evaluator", name=f"示例{'一体机' if terminal else '评价器'} {hall + 1}-{n + 1}",
        window="" if terminal else str(10 + n), location="一楼大厅" if terminal else f"{10 + n} 号窗口",
        peripherals=dict(PERIPHERALS) if terminal else {"touch": {"state": "ok"}},
        last_heartbeat={"app_version": "0.1.0", "sample_data": True}, online=n != 3, last_seen_at=now,
    )
    session.add(device)
    session.flush()
    session.add(StatusTransition(device_id=device.id, at=now - timedelta(hours=1), online=True, reason="heartbeat"))
    if n == 2:  # a printer out of paper, to show a fault
        device.peripherals = {**PERIPHERALS, "printer": {"state": "fault", "reason": "paper_out"}}
        faults.raise_fault(session, device.id, "printer", "paper_out", at=now - timedelta(minutes=12),
                           detail="示例: 打印机缺纸")
    if n == 3:
        device.last_seen_at = now - timedelta(hours=2)
        session.add(StatusTransition(device_id=device.id, at=now - timedelta(hours=2), online=False, reason="timeout"))
        faults.raise_fault(session, device.id, "device", "offline", at=now - timedelta(hours=2), source="server",
                           detail="示例: 超时无心跳")
