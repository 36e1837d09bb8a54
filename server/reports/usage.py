"""Usage: transactions per device, function, hour and day (successes, failures, pages, paper-outs),
and the rankings that tell a supervisor which terminals to move and which to repair.

All counting is done by the database (GROUP BY), so a year of a large fleet's records is not
loaded into the server; the rankings then work on one row per device.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from server.models import Device, Fault, Site, UsageRecord
from server.reports.period import Period, local_day, local_hour

FUNCTION_LABELS = {
    "guide": "办事指南", "progress": "办件进度查询", "print": "证照打印", "declare": "自助申报", "rate": "服务评价",
    "call_staff": "呼叫工作人员", "query": "查询",
}
LOW_SHARE = 0.10  # below 10 % of the network median: a relocation candidate
MIN_FOR_FAILURE_RATE = 20  # fewer transactions than this say nothing about a failure rate


@dataclass
class Counts:
    total: int = 0
    success: int = 0
    failure: int = 0
    cancelled: int = 0
    pages: int = 0

    @property
    def failure_rate(self) -> float | None:
        done = self.success + self.failure
        return self.failure / done if done else None


@dataclass
class DeviceUsage:
    device_id: str
    name: str
    hall: str
    hall_slug: str
    type: str
    enrolled_at: datetime
    counts: Counts = field(default_factory=Counts)
    paper_outs: int = 0
    faults: int = 0
    active_days: int = 1

    @property
    def daily(self) -> float:
        """Successful transactions per day over the days the device existed in the period."""
        return self.counts.success / self.active_days


@dataclass(frozen=True)
class Ranked:
    row: DeviceUsage
    hint: str


@dataclass
class UsageReport:
    period: Period
    devices: list[DeviceUsage]
    functions: dict[str, Counts]
    hours: list[int]  # 24 transaction counts, local hours 0-23
    days: dict[str, Counts]  # "YYYY-MM-DD" -> counts
    median_daily: float
    median_failure_rate: float | None
    low_usage: list[Ranked]
    high_failure: list[Ranked]

    @property
    def totals(self) -> Counts:
        total = Counts()
        for d in self.devices:
            for key in ("total", "success", "failure", "cancelled", "pages"):
                setattr(total, key, getattr(total, key) + getattr(d.counts, key))
        return total


def _sums() -> list:  # type: ignore[type-arg]
    return [
        func.count(),
        func.sum(case((UsageRecord.outcome == "success", 1), else_=0)),
        func.sum(case((UsageRecord.outcome == "failure", 1), else_=0)),
        func.sum(case((UsageRecord.outcome == "cancelled", 1), else_=0)),
        func.coalesce(func.sum(UsageRecord.pages), 0),
    ]


def _counts(row: tuple) -> Counts:  # type: ignore[type-arg]
    return Counts(*(int(v or 0) for v in row))


def build(session: Session, period: Period, site_slug: str | None = None) -> UsageReport:
    in_period = (UsageRecord.occurred_at >= period.start, UsageRecord.occurred_at < period.end)
    device_query = (select(Device.id, Device.name, Site.name, Site.slug, Device.type, Device.enrolled_at)
                    .join(Site, Site.id == Device.site_id).where(Device.retired.is_(False), Device.type == "terminal"))
    if site_slug:
        device_query = device_query.where(Site.slug == site_slug)
    devices = {did: DeviceUsage(did, name or did, hall, slug, dtype, enrolled)
               for did, name, hall, slug, dtype, enrolled in session.execute(device_query.order_by(Device.id))}
    scope = UsageRecord.device_id.in_(select(device_query.with_only_columns(Device.id).subquery()))
    for did, *sums in session.execute(select(UsageRecord.device_id, *_sums()).where(*in_period, scope)
                                      .group_by(UsageRecord.device_id)):
        devices[did].counts = _counts(tuple(sums))
    fault_scope = Fault.device_id.in_(select(device_query.with_only_columns(Device.id).subquery()))
    for did, total, paper in session.execute(
        select(Fault.device_id, func.count(), func.sum(case((Fault.reason == "paper_out", 1), else_=0)))
        .where(Fault.opened_at >= period.start, Fault.opened_at < period.end, fault_scope,
               Fault.peripheral != "device").group_by(Fault.device_id)
    ):
        devices[did].faults, devices[did].paper_outs = int(total), int(paper or 0)
    for d in devices.values():
        existed = (period.end - max(period.start, d.enrolled_at)).total_seconds() / 86400
        d.active_days = max(1, min(period.days, ceil(existed)))

    functions = {f: _counts(tuple(s)) for f, *s in session.execute(
        select(UsageRecord.function, *_sums()).where(*in_period, scope).group_by(UsageRecord.function)
        .order_by(UsageRecord.function))}
    hour = local_hour(session, UsageRecord.occurred_at)
    hours = [0] * 24
    for h, n in session.execute(select(hour, func.count()).where(*in_period, scope).group_by(hour)):
        hours[int(h)] = int(n)
    day = local_day(session, UsageRecord.occurred_at)
    days = {d.isoformat(): Counts() for d in period.dates()}
    for d, *s in session.execute(select(day, *_sums()).where(*in_period, scope).group_by(day)):
        if d in days:
            days[d] = _counts(tuple(s))

    rows = list(devices.values())
    median_daily = statistics.median([d.daily for d in rows]) if rows else 0.0
    rates = [r for d in rows if d.counts.success + d.counts.failure >= MIN_FOR_FAILURE_RATE
             for r in [d.counts.failure_rate] if r is not None]
    median_failure = statistics.median(rates) if rates else None
    return UsageReport(period, rows, functions, hours, days, median_daily, median_failure,
                       low_usage(rows, median_daily, period), high_failure(rows, median_failure, period))


def busiest_halls(rows: list[DeviceUsage]) -> list[tuple[str, float]]:
    """Halls by their terminals' mean daily transactions, busiest first."""
    per_hall: dict[str, list[float]] = {}
    for d in rows:
        per_hall.setdefault(d.hall, []).append(d.daily)
    return sorted(((hall, sum(v) / len(v)) for hall, v in per_hall.items()), key=lambda x: -x[1])


def low_usage(rows: list[DeviceUsage], median: float, period: Period) -> list[Ranked]:
    """Terminals below 10 % of the network median, with where to move them (the busiest other hall)."""
    if median <= 0:
        return []
    halls = busiest_halls(rows)
    ranked = []
    for d in sorted(rows, key=lambda r: (r.daily, r.device_id)):
        if d.daily >= median * LOW_SHARE:
            break
        target = next(((h, v) for h, v in halls if h != d.hall), None)
        where = (f"建议迁移至{target[0]}（台均日办件 {target[1]:.1f} 笔）" if target and target[1] > d.daily
                 else "建议调整至本大厅人流更集中的位置")
        hint = (f"近{period.days}天日均办件 {d.daily:.1f} 笔，低于全网中位数 {median:.1f} 笔的 "
                f"{LOW_SHARE:.0%}，{where}")
        ranked.append(Ranked(d, hint))
    return ranked


def high_failure(rows: list[DeviceUsage], median: float | None, period: Period) -> list[Ranked]:
    """Terminals failing at least twice as often as the network median (and over 10 %), or with many faults."""
    fault_median = statistics.median([d.faults for d in rows]) if rows else 0
    ranked = []
    for d in rows:
        rate = d.counts.failure_rate
        enough = d.counts.success + d.counts.failure >= MIN_FOR_FAILURE_RATE
        failing = enough and rate is not None and rate > 0.10 and (median is None or rate >= 2 * median)
        faulty = d.faults >= max(5, 3 * fault_median)
        if not failing and not faulty:
            continue
        parts = []
        if failing and rate is not None:
            base = f"，为全网中位数 {median:.0%} 的 {rate / median:.1f} 倍" if median else ""
            parts.append(f"失败率 {rate:.0%}{base}")
        parts.append(f"近{period.days}天故障 {d.faults} 次" + (f"（缺纸 {d.paper_outs} 次）" if d.paper_outs else ""))
        advice = "建议检修外设并检查网络" if failing else "建议检修，缺纸频繁时增加巡检补纸" if d.paper_outs else "建议检修"
        ranked.append(Ranked(d, "，".join(parts) + f"，{advice}"))
    return sorted(ranked, key=lambda r: (-(r.row.counts.failure_rate or 0), -r.row.faults, r.row.device_id))
