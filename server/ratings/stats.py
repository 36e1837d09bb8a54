"""好差评 statistics by hall, department, window, staff, service item, channel and period.

Counted over the ratings whose local rating date (``rated_on``, Beijing time) lies in the chosen
range, leaving out ratings judged malicious (an upheld 恶意差评 claim). Definitions:

- 评价数 *rated*: records with outcome ``rated``; 未评数 *not_rated*: invitations nobody answered
  (outcome ``not_rated``); 邀请数 *invited* = 评价数 + 未评数.
- 好评 = 非常满意 + 满意 + 基本满意; 差评 = 不满意 + 非常不满意 (GB/T 39046).
- **好评率** = 好评数 / 评价数.
- **差评率** = 差评数 / 评价数.
- **未评率** = 未评数 / 邀请数 (a record not rated is never a good rating).
- **主动评价率** = 评价数 / 邀请数: the share of visits where the applicant gave a rating
  themself. This system never records a default (默认好评) rating, so 主动评价率 + 未评率 = 100 %;
  both are shown because provincial reports ask for both.
- **差评回访率** = 差评中已回访的 (its case passed 回访, whatever its later state) / 差评数.
- **整改率** = 差评中已整改的 (case state 已整改 or 已复核) / 差评数.
- **整改满意率** = 复核为满意的 / 已复核的.

A rate whose denominator is zero is ``None`` (shown as "—"), never 0 % or 100 %.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from server.models import Department, Site, Staff
from server.models.ratings import Rating, RectificationCase
from server.ratings.levels import CHANNEL_LABELS

DIMENSIONS = {"hall": "大厅", "department": "部门", "window": "窗口", "staff": "工作人员", "item": "事项",
              "channel": "渠道", "period": "时段"}
PERIODS = {"day": "日", "week": "周", "month": "月"}
RATES = {"good_rate": "好评率", "bad_rate": "差评率", "unrated_rate": "未评率", "active_rate": "主动评价率",
         "visit_rate": "差评回访率", "rectify_rate": "整改率", "satisfied_rate": "整改满意率"}


@dataclass
class Counts:
    rated: int = 0
    not_rated: int = 0
    good: int = 0
    bad: int = 0
    visited: int = 0
    rectified: int = 0
    reviewed: int = 0
    satisfied: int = 0

    @property
    def invited(self) -> int:
        return self.rated + self.not_rated

    def add(self, other: "Counts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def good_rate(self) -> float | None:
        return self._ratio(self.good, self.rated)

    @property
    def bad_rate(self) -> float | None:
        return self._ratio(self.bad, self.rated)

    @property
    def unrated_rate(self) -> float | None:
        return self._ratio(self.not_rated, self.invited)

    @property
    def active_rate(self) -> float | None:
        return self._ratio(self.rated, self.invited)

    @property
    def visit_rate(self) -> float | None:
        return self._ratio(self.visited, self.bad)

    @property
    def rectify_rate(self) -> float | None:
        return self._ratio(self.rectified, self.bad)

    @property
    def satisfied_rate(self) -> float | None:
        return self._ratio(self.satisfied, self.reviewed)

    def rates(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in RATES}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    site_id: int | None = None
    department_code: str | None = None
    channel: str | None = None
    window: str | None = None
    staff_no: str | None = None
    item_code: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("结束日期早于开始日期 (end before start)")
        if (self.end - self.start).days > 3660:
            raise ValueError("时间范围最长 10 年 (range at most 10 years)")


@dataclass
class Row:
    key: Any
    label: str
    counts: Counts = field(default_factory=Counts)


_RC = RectificationCase
_COLUMNS = (
    func.sum(case((Rating.outcome == "rated", 1), else_=0)),
    func.sum(case((Rating.outcome == "not_rated", 1), else_=0)),
    func.sum(case((and_(Rating.outcome == "rated", Rating.bad.is_(False)), 1), else_=0)),
    func.sum(case((Rating.bad.is_(True), 1), else_=0)),
    func.sum(case((and_(Rating.bad.is_(True), _RC.visited_at.is_not(None)), 1), else_=0)),
    func.sum(case((_RC.state.in_(("rectified", "reviewed")), 1), else_=0)),
    func.sum(case((_RC.state == "reviewed", 1), else_=0)),
    func.sum(case((_RC.review_satisfied.is_(True), 1), else_=0)),
)


def _key_columns(dimension: str) -> tuple[Any, ...]:
    return {
        "hall": (Rating.site_id,), "department": (Rating.department_code,),
        "window": (Rating.site_id, Rating.window), "staff": (Rating.staff_no,),
        "item": (Rating.item_basic_code, Rating.item_name), "channel": (Rating.channel,),
        "period": (Rating.rated_on,), "all": (),
    }[dimension]


def _grouped(session: Session, filters: Filters, dimension: str) -> list[tuple[tuple[Any, ...], Counts]]:
    keys = _key_columns(dimension)
    query = (select(*keys, *_COLUMNS).select_from(Rating).outerjoin(_RC, _RC.rating_id == Rating.id)
             .where(Rating.excluded.is_(False), Rating.rated_on >= filters.start, Rating.rated_on <= filters.end))
    for column, value in ((Rating.site_id, filters.site_id), (Rating.department_code, filters.department_code),
                          (Rating.channel, filters.channel), (Rating.window, filters.window),
                          (Rating.staff_no, filters.staff_no), (Rating.item_basic_code, filters.item_code)):
        if value not in (None, ""):
            query = query.where(column == value)
    if keys:
        query = query.group_by(*keys)
    out = []
    for row in session.execute(query):
        key, numbers = tuple(row[: len(keys)]), [int(n or 0) for n in row[len(keys):]]
        out.append((key, Counts(*numbers)))
    return out


def totals(session: Session, filters: Filters) -> Counts:
    rows = _grouped(session, filters, "all")
    return rows[0][1] if rows else Counts()


def by_dimension(session: Session, filters: Filters, dimension: str, period: str = "day") -> list[Row]:
    """One row per hall/department/window/staff/item/channel (most ratings first), or per period."""
    if dimension == "period":
        return trend(session, filters, period)
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    rows = [Row(key, "", counts) for key, counts in _grouped(session, filters, dimension)]
    labels = _labels(session, dimension, [r.key for r in rows])
    for row in rows:
        row.label = labels.get(row.key, "") or "（未填）"
    return sorted(rows, key=lambda r: (-r.counts.invited, r.label))


def _labels(session: Session, dimension: str, keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], str]:
    if dimension in ("hall", "window"):
        names = dict(session.execute(select(Site.id, Site.name)).all())
        if dimension == "hall":
            return {k: names.get(k[0], "") for k in keys}
        return {k: f"{names.get(k[0], '')} {k[1]} 号窗口" if k[1] else "" for k in keys}
    if dimension == "department":
        names = dict(session.execute(select(Department.code, Department.name)).all())
        return {k: names.get(k[0], k[0] or "") for k in keys}
    if dimension == "staff":
        names = dict(session.execute(select(Staff.staff_no, Staff.name)).all())
        return {k: f"{names.get(k[0], '')} ({k[0]})" if k[0] else "" for k in keys}
    if dimension == "item":
        return {k: f"{k[1]} {k[0]}".strip() for k in keys}
    return {k: CHANNEL_LABELS.get(k[0], k[0]) for k in keys}


def bucket(day: date, period: str) -> date:
    """The first day of the day/week (Monday)/month that ``day`` falls in."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def bucket_label(start: date, period: str) -> str:
    if period == "month":
        return f"{start.year}年{start.month}月"
    if period == "week":
        return f"{start.month}月{start.day}日起"
    return f"{start.month}月{start.day}日"


def trend(session: Session, filters: Filters, period: str = "day") -> list[Row]:
    """Every day/week/month of the range in order, empty ones included (a gap, not a zero rate)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    buckets: dict[date, Row] = {}
    day = filters.start
    while day <= filters.end:
        first = bucket(day, period)
        buckets.setdefault(first, Row(first, bucket_label(first, period)))
        day += timedelta(days=1)
    for (rated_on,), counts in _grouped(session, filters, "period"):
        buckets[bucket(rated_on, period)].counts.add(counts)
    return [buckets[k] for k in sorted(buckets)]


DEFINITIONS = [
    ("好评率", "好评数（非常满意＋满意＋基本满意）÷ 评价数"),
    ("差评率", "差评数（不满意＋非常不满意）÷ 评价数"),
    ("未评率", "未评数（邀请后未作评价）÷ 邀请数（评价数＋未评数）"),
    ("主动评价率", "评价数 ÷ 邀请数；本系统不产生默认好评，故主动评价率＋未评率＝100%"),
    ("差评回访率", "已回访的差评数（无论后续状态）÷ 差评数"),
    ("整改率", "已整改或已复核的差评数 ÷ 差评数"),
    ("整改满意率", "复核为满意的差评数 ÷ 已复核的差评数"),
]
"""The definitions above as shown on the statistics page (same wording as the module docstring)."""
