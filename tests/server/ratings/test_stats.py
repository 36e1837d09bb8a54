"""Every statistic against a fixture counted by hand (SQLite and PostgreSQL).

Fixture (hall A, 2026-11-16 .. 2026-11-30, Beijing dates):
  rsj, window 12, S001, evaluator: #1 非常满意 11/16 · #2 满意 11/16 23:30 · #3 基本满意 11/17 ·
      #4 不满意 11/17 (回访, 整改, 复核 satisfied) · #5 非常不满意 11/23 (回访 only) · #6 未评 11/23
  gaj, window 3, S002, qr: #7 满意 11/24 · #8 非常不满意 11/24 (回访, 整改, 复核 not satisfied) ·
      #9 未评 11/25 · #10 未评 11/25 · #11 不满意 11/25, upheld as malicious (left out)
  outside the range: #12 非常满意 12/01, #13 非常满意 11/15 23:59
Totals: 评价 7, 未评 3, 好评 4, 差评 3, 已回访 3, 已整改 2, 已复核 2, 满意 1.
"""
from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

import pytest

from server.clock import LOCAL
from server.ratings import claims, stats
from server.ratings import rectification as rect
from server.ratings.access import Actor
from tests.server.ratings.builders import add_rating, org

SUP = Actor("sup", "supervisor")
RANGE = stats.Filters(date(2026, 11, 16), date(2026, 11, 30))


def _at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL)


def _loop(session, rating, *, to: str, satisfied: bool | None = None) -> None:  # type: ignore[no-untyped-def]
    for action in ("visit", "start", "finish", "review"):
        rect.transition(session, rating.case.id, action, SUP, "说明", satisfied=satisfied)
        if rect.TRANSITIONS[action][1] == to:
            return


@pytest.fixture
def fixture(ctx):  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        site = org(session)
        a = {"site_id": site.id, "department": "rsj", "window": "12", "staff_no": "S001", "channel": "evaluator"}
        b = {"site_id": site.id, "department": "gaj", "window": "3", "staff_no": "S002", "channel": "qr"}
        add_rating(session, "very_satisfied", at=_at(11, 16), **a)
        add_rating(session, "satisfied", at=_at(11, 16, 23, 30), **a)
        add_rating(session, "basically_satisfied", at=_at(11, 17), **a)
        _loop(session, add_rating(session, "dissatisfied", at=_at(11, 17), **a), to="reviewed", satisfied=True)
        _loop(session, add_rating(session, "very_dissatisfied", at=_at(11, 23), **a), to="visited")
        add_rating(session, None, at=_at(11, 23), **a)
        add_rating(session, "satisfied", at=_at(11, 24), **b)
        _loop(session, add_rating(session, "very_dissatisfied", at=_at(11, 24), **b), to="reviewed", satisfied=False)
        add_rating(session, None, at=_at(11, 25), **b)
        add_rating(session, None, at=_at(11, 25), **b)
        malicious = add_rating(session, "dissatisfied", at=_at(11, 25), **b)
        add_rating(session, "very_satisfied", at=_at(12, 1), **a)
        add_rating(session, "very_satisfied", at=_at(11, 15, 23, 59), **a)
        claim = claims.claim(session, malicious.id, Actor("gaj1", "department", "gaj"), "同一人一天内反复差评，有录像")
        claims.decide(session, claim.id, SUP, True, "录像属实")
    return ctx


def _rates(counts: stats.Counts) -> dict[str, Fraction | None]:
    return {k: None if v is None else Fraction(v).limit_denominator(1000) for k, v in counts.rates().items()}


def test_totals(fixture) -> None:  # type: ignore[no-untyped-def]
    with fixture.reading() as session:
        total = stats.totals(session, RANGE)
    assert (total.rated, total.not_rated, total.good, total.bad) == (7, 3, 4, 3)
    assert (total.visited, total.rectified, total.reviewed, total.satisfied) == (3, 2, 2, 1)
    assert _rates(total) == {"good_rate": Fraction(4, 7), "bad_rate": Fraction(3, 7), "unrated_rate": Fraction(3, 10),
                             "active_rate": Fraction(7, 10), "visit_rate": 1, "rectify_rate": Fraction(2, 3),
                             "satisfied_rate": Fraction(1, 2)}


def test_by_department_window_staff_channel_hall(fixture) -> None:  # type: ignore[no-untyped-def]
    with fixture.reading() as session:
        rows = {r.label: r.counts for r in stats.by_dimension(session, RANGE, "department")}
        windows = [r.label for r in stats.by_dimension(session, RANGE, "window")]
        staff = {r.key: r.counts.rated for r in stats.by_dimension(session, RANGE, "staff")}
        channels = {r.label: r.counts.bad for r in stats.by_dimension(session, RANGE, "channel")}
        halls = stats.by_dimension(session, RANGE, "hall")
        items = stats.by_dimension(session, RANGE, "item")
    assert _rates(rows["人力资源和社会保障局"]) == {
        "good_rate": Fraction(3, 5), "bad_rate": Fraction(2, 5), "unrated_rate": Fraction(1, 6),
        "active_rate": Fraction(5, 6), "visit_rate": 1, "rectify_rate": Fraction(1, 2), "satisfied_rate": 1}
    assert _rates(rows["公安局"]) == {
        "good_rate": Fraction(1, 2), "bad_rate": Fraction(1, 2), "unrated_rate": Fraction(1, 2),
        "active_rate": Fraction(1, 2), "visit_rate": 1, "rectify_rate": 1, "satisfied_rate": 0}
    assert windows == ["A 大厅 12 号窗口", "A 大厅 3 号窗口"]  # most invitations first (6, then 4)
    assert staff == {("S001",): 5, ("S002",): 2}
    assert channels == {"评价器": 2, "二维码": 1}
    assert [(h.label, h.counts.invited) for h in halls] == [("A 大厅", 10)]
    assert [(i.label, i.counts.invited) for i in items] == [("社会保障卡申领 0002010010", 10)]


def test_filters_narrow_the_scope(fixture) -> None:  # type: ignore[no-untyped-def]
    with fixture.reading() as session:
        qr = stats.totals(session, stats.Filters(RANGE.start, RANGE.end, channel="qr"))
        one_day = stats.totals(session, stats.Filters(date(2026, 11, 16), date(2026, 11, 16)))
        december = stats.totals(session, stats.Filters(date(2026, 12, 1), date(2026, 12, 31), department_code="rsj"))
    assert (qr.rated, qr.not_rated, qr.bad) == (2, 2, 1)
    assert (one_day.rated, one_day.good_rate) == (2, 1.0)  # 23:30 Beijing time is still 11/16
    assert (december.rated, december.good) == (1, 1)
    with pytest.raises(ValueError):
        stats.Filters(date(2026, 11, 2), date(2026, 11, 1))


def test_trend_by_day_week_month(fixture) -> None:  # type: ignore[no-untyped-def]
    with fixture.reading() as session:
        weeks = stats.trend(session, RANGE, "week")
        days = stats.trend(session, RANGE, "day")
        months = stats.trend(session, RANGE, "month")
    assert [(w.key, w.counts.rated, w.counts.not_rated, w.counts.good, w.counts.bad) for w in weeks] == [
        (date(2026, 11, 16), 4, 0, 3, 1), (date(2026, 11, 23), 3, 3, 1, 2), (date(2026, 11, 30), 0, 0, 0, 0)]
    assert weeks[2].counts.good_rate is None  # an empty week is a gap, not 0 %
    assert len(days) == 15 and days[0].label == "11月16日" and days[0].counts.rated == 2
    assert [(m.label, m.counts.invited) for m in months] == [("2026年11月", 10)]
