"""A device's own story for its detail page: a timeline and a daily usage chart.

The timeline merges what other tables already record (enrolment, online/offline flips, the
fault life cycle, remote commands, staff calls), newest first, so nothing is stored twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from server.dashboard.charts import Series, bar_chart
from server.models import Command, Device, Fault, StaffCall, StatusTransition, UsageRecord
from server.notify.formats import PERIPHERALS, REASONS
from server.reports.period import Period, local_day

LIMIT = 60


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # css class: enrol | online | offline | fault | ack | resolved | command | call
    text: str


def timeline(session: Session, device: Device, limit: int = LIMIT) -> list[Entry]:
    entries = [Entry(device.enrolled_at, "enrol", "设备注册 (enrolled)")]
    for at, online, reason in session.execute(
        select(StatusTransition.at, StatusTransition.online, StatusTransition.reason)
        .where(StatusTransition.device_id == device.id).order_by(StatusTransition.at.desc()).limit(limit)
    ):
        entries.append(Entry(at, "online" if online else "offline",
                             "上线 (online)" if online else f"离线 (offline, {'超时无心跳' if reason == 'timeout' else reason})"))
    for f in session.scalars(select(Fault).where(Fault.device_id == device.id)
                             .order_by(Fault.opened_at.desc()).limit(limit)):
        what = f"{PERIPHERALS.get(f.peripheral, f.peripheral)} {REASONS.get(f.reason, f.reason)}"
        entries.append(Entry(f.opened_at, "fault", f"故障：{what}" + (f"（反复 {f.flaps} 次）" if f.flaps else "")))
        if f.acknowledged_at:
            entries.append(Entry(f.acknowledged_at, "ack", f"故障已确认：{what}，{f.acknowledged_by}"))
        if f.resolved_at:
            by = {"device": "设备自动恢复", "server": "恢复在线"}.get(f.resolved_by or "", f.resolved_by or "")
            note = f"，{f.resolution_note}" if f.resolution_note else ""
            entries.append(Entry(f.resolved_at, "resolved", f"故障已解决：{what}，{by}{note}"))
    for c in session.scalars(select(Command).where(Command.device_id == device.id)
                             .order_by(Command.id.desc()).limit(limit)):
        entries.append(Entry(c.created_at, "command", f"下发命令 {c.kind}（{c.created_by}）"))
        if c.acked_at:
            entries.append(Entry(c.acked_at, "command", f"命令 {c.kind} 回执：{c.result}"))
    for call in session.scalars(select(StaffCall).where(StaffCall.device_id == device.id)
                                .order_by(StaffCall.opened_at.desc()).limit(limit)):
        entries.append(Entry(call.opened_at, "call", "群众呼叫工作人员"))
        if call.acknowledged_at:
            entries.append(Entry(call.acknowledged_at, "ack", f"呼叫已响应：{call.acknowledged_by}"))
        if call.resolved_at:
            entries.append(Entry(call.resolved_at, "resolved", f"呼叫已处理：{call.resolved_by}"))
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def usage_chart(session: Session, device_id: str, days: int = 14) -> tuple[Markup, int]:
    """Successes and failures per local day, and the number of transactions in the chart."""
    period = Period.last_days(days)
    day = local_day(session, UsageRecord.occurred_at)
    rows = session.execute(
        select(day, func.sum(case((UsageRecord.outcome == "success", 1), else_=0)),
               func.sum(case((UsageRecord.outcome == "failure", 1), else_=0)))
        .where(UsageRecord.device_id == device_id, UsageRecord.occurred_at >= period.start,
               UsageRecord.occurred_at < period.end).group_by(day)
    ).all()
    by_day = {d: (int(s or 0), int(f or 0)) for d, s, f in rows}
    dates = period.dates()
    labels = [f"{d:%m-%d}" for d in dates]
    success = [by_day.get(d.isoformat(), (0, 0))[0] for d in dates]
    failure = [by_day.get(d.isoformat(), (0, 0))[1] for d in dates]
    chart = bar_chart(f"近 {days} 天办件量", labels, [Series("成功", success), Series("失败", failure)], unit="笔")
    return chart, sum(success) + sum(failure)


def recent(at: datetime, now: datetime, hours: int = 24) -> bool:
    return now - at < timedelta(hours=hours)
