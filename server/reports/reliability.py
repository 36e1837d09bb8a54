"""Time to acknowledge and time to resolve faults (and staff calls): median and p90, per week,
per hall and per peripheral, for the faults opened in the period.

Percentiles use the nearest-rank method (the p90 is a time some fault really took), which is
what a service-level statement ("90 % acknowledged within 15 minutes") means.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Device, Fault, Site, StaffCall
from server.notify.formats import PERIPHERALS
from server.reports.period import Period


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Stat:
    key: str
    count: int
    acknowledged: int
    resolved: int
    ack_median_s: float | None
    ack_p90_s: float | None
    resolve_median_s: float | None
    resolve_p90_s: float | None
    still_open: int


@dataclass(frozen=True)
class Case:
    """One fault or call, reduced to what the statistics need."""

    hall: str
    peripheral: str
    opened_at: datetime
    ack_s: float | None
    resolve_s: float | None


def _stat(key: str, cases: list[Case]) -> Stat:
    acks = [c.ack_s for c in cases if c.ack_s is not None]
    resolves = [c.resolve_s for c in cases if c.resolve_s is not None]
    return Stat(key, len(cases), len(acks), len(resolves), percentile(acks, 0.5), percentile(acks, 0.9),
                percentile(resolves, 0.5), percentile(resolves, 0.9), len(cases) - len(resolves))


def group(cases: Iterable[Case], key: Callable[[Case], str]) -> list[Stat]:
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(key(case), []).append(case)
    return [_stat(k, v) for k, v in sorted(groups.items())]


def week_of(at: datetime) -> str:
    day = at.astimezone(LOCAL).date()
    monday: date = day - timedelta(days=day.weekday())
    return f"{monday:%m月%d日}起一周"


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start).total_seconds())


@dataclass(frozen=True)
class ReliabilityReport:
    period: Period
    overall: Stat
    by_week: list[Stat]
    by_hall: list[Stat]
    by_peripheral: list[Stat]
    calls: Stat
    calls_by_hall: list[Stat]


def fault_cases(session: Session, period: Period, site_slug: str | None = None) -> list[Case]:
    query = (select(Fault.peripheral, Fault.opened_at, Fault.acknowledged_at, Fault.resolved_at, Site.name)
             .join(Device, Device.id == Fault.device_id).join(Site, Site.id == Device.site_id)
             .where(Fault.opened_at >= period.start, Fault.opened_at < period.end))
    if site_slug:
        query = query.where(Site.slug == site_slug)
    return [Case(hall, peripheral, opened, _seconds(opened, acked), _seconds(opened, resolved))
            for peripheral, opened, acked, resolved, hall in session.execute(query)]


def call_cases(session: Session, period: Period, site_slug: str | None = None) -> list[Case]:
    query = (select(StaffCall.opened_at, StaffCall.acknowledged_at, StaffCall.resolved_at, Site.name)
             .join(Device, Device.id == StaffCall.device_id).join(Site, Site.id == Device.site_id)
             .where(StaffCall.opened_at >= period.start, StaffCall.opened_at < period.end))
    if site_slug:
        query = query.where(Site.slug == site_slug)
    return [Case(hall, "call_staff", opened, _seconds(opened, acked), _seconds(opened, resolved))
            for opened, acked, resolved, hall in session.execute(query)]


def build(session: Session, period: Period, site_slug: str | None = None) -> ReliabilityReport:
    cases = fault_cases(session, period, site_slug)
    calls = call_cases(session, period, site_slug)
    return ReliabilityReport(
        period, _stat("全部", cases), group(cases, lambda c: week_of(c.opened_at)), group(cases, lambda c: c.hall),
        group(cases, lambda c: f"{PERIPHERALS.get(c.peripheral, c.peripheral)} ({c.peripheral})"), _stat("呼叫工作人员", calls), group(calls, lambda c: c.hall),
    )


def duration(seconds: float | None) -> str:
    """``3 分 20 秒``, ``2 小时 5 分``, ``1 天 3 小时``: how a Chinese report states a duration."""
    if seconds is None:
        return "—"
    s = int(round(seconds))
    if s < 60:
        return f"{s} 秒"
    if s < 3600:
        return f"{s // 60} 分" + (f" {s % 60} 秒" if s % 60 else "")
    if s < 86400:
        return f"{s // 3600} 小时 {s % 3600 // 60} 分"
    return f"{s // 86400} 天 {s % 86400 // 3600} 小时"
