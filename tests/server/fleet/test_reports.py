"""Usage, rankings, 实时可办率, reliability and exports on SQLite and PostgreSQL (the SQL that buckets
by local day and hour differs per database)."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import update

from server.clock import LOCAL
from server.context import AppContext
from server.models import Device, Fault, StaffCall, UsageRecord, utcnow
from server.reports import reliability, usage, workable
from server.reports.period import Period
from tests.server.fleet import data
from tests.server.helpers import add_user, login


@pytest.fixture
def fleet(ctx: AppContext) -> data.Fleet:
    with ctx.transaction() as session:
        return data.build(session)


def test_usage_per_device_function_hour_and_day(ctx: AppContext, fleet: data.Fleet) -> None:
    with ctx.reading() as session:
        report = usage.build(session, Period.last_days(30))
    busy = next(d for d in report.devices if d.device_id == fleet.busy)
    assert (busy.counts.total, busy.counts.success, busy.counts.pages) == (360, 360, 240)
    failing = next(d for d in report.devices if d.device_id == fleet.failing)
    assert (failing.counts.success, failing.counts.failure, failing.faults, failing.paper_outs) == (150, 150, 3, 2)
    assert report.functions["declare"].failure == 150 and report.functions["print"].pages == 240
    # Every record is at 10:00-13:09 Beijing time, so only those local hours have transactions.
    assert {h for h, n in enumerate(report.hours) if n} == {10, 11, 13}
    today = utcnow().astimezone(LOCAL).date().isoformat()
    assert report.days[today].success > 0 and len(report.days) == 30
    assert all(d.type == "terminal" for d in report.devices)  # evaluators are not ranked


def test_rankings_name_the_idle_and_the_failing_terminal(ctx: AppContext, fleet: data.Fleet) -> None:
    with ctx.reading() as session:
        report = usage.build(session, Period.last_days(30))
    low = {r.row.device_id: r.hint for r in report.low_usage}
    assert fleet.idle in low and fleet.busy not in low
    assert low[fleet.idle].startswith("近30天日均办件 0.1 笔，低于全网中位数 8.0 笔的 10%，建议迁移至市民中心政务服务大厅")
    high = {r.row.device_id: r.hint for r in report.high_failure}
    assert list(high) == [fleet.failing] and "失败率 50%" in high[fleet.failing]


def test_one_hall_only(ctx: AppContext, fleet: data.Fleet) -> None:
    with ctx.reading() as session:
        report = usage.build(session, Period.last_days(7), "west")
        rates = workable.fleet_rate(session, "west")
    assert {d.hall_slug for d in report.devices} == {"west"}
    assert {t.hall for t in rates.terminals} == {"西区便民服务中心"}


def test_workable_share_follows_faults_and_the_online_state(ctx: AppContext, fleet: data.Fleet) -> None:
    with ctx.reading() as session:
        rates = workable.fleet_rate(session).by_device()
    assert rates[fleet.busy] == 1.0
    assert rates[fleet.no_printer] == pytest.approx(3 / 5)  # the two print items need the A4 printer
    assert rates[fleet.offline] == 0.0
    assert fleet.evaluator not in rates
    with ctx.transaction() as session:  # the receipt printer fails: declare needs it
        session.add(Fault(device_id=fleet.busy, peripheral="printer", reason="paper_out", state="open",
                          opened_at=utcnow(), source="device", flaps=0, detail="", resolution_note=""))
        session.add(Fault(device_id=fleet.idle, peripheral="printer", reason="paper_near_end", state="open",
                          opened_at=utcnow(), source="device", flaps=0, detail="", resolution_note=""))
    with ctx.reading() as session:
        fleet_rate = workable.fleet_rate(session)
    rates = fleet_rate.by_device()
    assert rates[fleet.busy] == pytest.approx(4 / 5) and rates[fleet.idle] == 1.0  # a warning is not a fault
    assert fleet_rate.overall == pytest.approx(sum(rates.values()) / len(rates))
    assert [t.device_id for t in fleet_rate.below_target][:2] == [fleet.offline, fleet.no_printer]
    with ctx.reading() as session:  # the fleet page's grouped summary says the same
        summary = workable.summary(session)
        hall = workable.summary(session, "city")
    assert summary.overall == pytest.approx(fleet_rate.overall) and summary.count == len(rates)
    assert summary.below == len(fleet_rate.below_target) and summary.items == 5
    assert summary.by_device == {fleet.busy: pytest.approx(4 / 5), fleet.no_printer: pytest.approx(3 / 5)}
    assert hall.count == 4 and hall.by_device.keys() == {fleet.busy, fleet.no_printer}


def test_workable_rules_mirror_the_terminal() -> None:
    """The server's table must say what kiosk/functions.py says (read here, not imported by server/)."""
    from kiosk.functions import TERMINAL_FUNCTIONS

    online = {"server", "catalog"}  # the terminal's link and catalog copy: implied by being online here
    terminal = {f.key: (set(f.needs_any) - online, set(f.needs_all) - online) for f in TERMINAL_FUNCTIONS}
    for name, needs in workable.FUNCTION_NEEDS.items():
        assert terminal[name] == (set(needs.any_of), set(needs.all_of)), name


def test_reliability_medians_and_p90(ctx: AppContext, fleet: data.Fleet) -> None:
    with ctx.transaction() as session:
        now = utcnow()
        session.execute(update(StaffCall).values(state="resolved", acknowledged_at=now + timedelta(minutes=1),
                                                 resolved_at=now + timedelta(minutes=4), acknowledged_by="a",
                                                 resolved_by="a"))
    with ctx.reading() as session:
        report = reliability.build(session, Period.last_days(30))
    east = next(s for s in report.by_hall if s.key == "东区便民服务中心")
    # Acknowledged after 5, 15 and 45 min (the offline fault is still only acknowledged after 60).
    assert east.count == 4 and east.ack_median_s == 15 * 60 and east.ack_p90_s == 60 * 60
    assert east.resolve_median_s == 60 * 60 and east.resolve_p90_s == 180 * 60 and east.still_open == 1
    idcard = next(s for s in report.by_peripheral if "(idcard)" in s.key)
    assert idcard.key.startswith("身份证阅读器") and idcard.ack_median_s == 45 * 60
    assert report.calls.count == 1 and report.calls.resolve_median_s is not None
    assert reliability.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert reliability.duration(3 * 3600 + 120) == "3 小时 2 分"


def test_pages_and_exports(client: TestClient, ctx: AppContext, fleet: data.Fleet) -> None:
    add_user(ctx, "viewer", "viewer")
    assert login(client, "viewer").status_code == 303
    page = client.get("/reports/usage?days=30")
    assert page.status_code == 200 and "建议迁移至" in page.text and "<svg" in page.text
    assert client.get("/reports/reliability?days=7&hall=east").status_code == 200
    answer = client.get("/reports/usage.csv?table=devices")
    assert answer.headers["content-type"].startswith("text/csv") and answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["大厅", "设备编号", "设备名称", "办件总数"]
    busy = next(r for r in rows if r[1] == fleet.busy)
    assert busy[3] == "360" and busy[-1] == "100.0%"
    assert client.get("/reports/usage.csv?table=nope").status_code == 404
    book = load_workbook(io.BytesIO(client.get("/reports/usage.xlsx?days=7").content))
    assert book.sheetnames == ["按设备", "按功能", "按日", "按小时", "排名与建议", "说明"]
    assert book["按小时"]["A1"].value == "时段" and book["按日"].max_row == 8
    device_page = client.get(f"/devices/{fleet.failing}")
    assert "时间线" in device_page.text and "故障已确认" in device_page.text and "近 14 天办件量" in device_page.text


def test_period_boundaries_are_local_days(ctx: AppContext, fleet: data.Fleet) -> None:
    """A transaction at 23:30 UTC is the next local day (07:30 Beijing time)."""
    with ctx.transaction() as session:
        session.query(UsageRecord).delete()
        local_midnight = datetime.combine(utcnow().astimezone(LOCAL).date(), datetime.min.time(), tzinfo=LOCAL)
        at = local_midnight + timedelta(minutes=30)  # 00:30 local = 16:30 UTC the previous day
        data._usage(session, fleet.busy, at, "guide", "success")
        session.execute(update(Device).values(enrolled_at=at - timedelta(days=60)))
    with ctx.reading() as session:
        report = usage.build(session, Period.last_days(7))
    assert report.hours[0] == 1
    assert report.days[local_midnight.date().isoformat()].success == 1
