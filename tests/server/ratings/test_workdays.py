"""Working-day deadlines across Spring Festival and National Day 2025/2026 with their 调休 days.

Every expected date below was counted by hand from the State Council notices:
2025 春节 1/28-2/4 off, 1/26 (Sun) and 2/8 (Sat) worked; 2025 国庆 10/1-10/8 off, 9/28 (Sun)
and 10/11 (Sat) worked; 2026 春节 2/15-2/23 off, 2/14 (Sat) and 2/28 (Sat) worked; 2026 国庆
10/1-10/7 off, 9/20 (Sun) and 10/10 (Sat) worked.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.clock import LOCAL
from server.ratings.workdays import WorkCalendar, load, parse_days, save_days

CAL = WorkCalendar()


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2025, 1, 24), 1, date(2025, 1, 26)),   # Fri -> the make-up Sunday
    (date(2025, 1, 24), 5, date(2025, 2, 7)),    # 1/26, 1/27, (holiday), 2/5, 2/6, 2/7
    (date(2025, 2, 4), 1, date(2025, 2, 5)),     # last holiday -> first day back
    (date(2025, 2, 7), 1, date(2025, 2, 8)),     # Fri -> make-up Saturday
    (date(2025, 9, 26), 1, date(2025, 9, 28)),   # Fri -> make-up Sunday
    (date(2025, 9, 30), 1, date(2025, 10, 9)),
    (date(2025, 9, 30), 5, date(2025, 10, 14)),  # 10/9, 10/10, 10/11 (Sat, worked), 10/13, 10/14
    (date(2026, 2, 13), 1, date(2026, 2, 14)),   # Fri -> make-up Saturday
    (date(2026, 2, 13), 5, date(2026, 2, 27)),   # 2/14, 2/24, 2/25, 2/26, 2/27
    (date(2026, 2, 13), 7, date(2026, 3, 2)),    # ... 2/28 (Sat, worked), 3/2
    (date(2026, 2, 14), 1, date(2026, 2, 24)),   # opened on the make-up day itself
    (date(2026, 9, 19), 1, date(2026, 9, 20)),   # Sat -> make-up Sunday
    (date(2026, 9, 30), 1, date(2026, 10, 8)),
    (date(2026, 9, 30), 5, date(2026, 10, 13)),  # 10/8, 10/9, 10/10 (Sat, worked), 10/12, 10/13
    (date(2026, 11, 20), 15, date(2026, 12, 11)),  # ordinary weeks: 15 working days = 3 weeks
])
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_deadline_is_midnight_after_the_last_working_day_in_utc() -> None:
    opened = datetime(2026, 9, 30, 16, 59, tzinfo=LOCAL)  # a Wednesday afternoon before National Day
    assert CAL.deadline(opened, 1) == datetime(2026, 10, 9, 0, 0, tzinfo=LOCAL).astimezone(timezone.utc)
    late_evening_utc = datetime(2026, 2, 13, 17, 0, tzinfo=timezone.utc)  # already Sat 2/14 01:00 in Beijing
    assert CAL.deadline(late_evening_utc, 1) == datetime(2026, 2, 25, 0, 0, tzinfo=LOCAL).astimezone(timezone.utc)


def test_unknown_year_uses_weekends_until_an_administrator_enters_it() -> None:
    assert CAL.unknown_years([2026, 2027]) == [2027]
    assert CAL.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 8)  # Fri -> Mon, weekends only
    entered = WorkCalendar({date(2027, 2, 6): True, date(2027, 2, 8): False, date(2027, 2, 9): False})
    assert entered.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 6)  # the entered make-up Saturday
    assert entered.add_working_days(date(2027, 2, 6), 1) == date(2027, 2, 10)  # 2/8, 2/9 entered as holidays
    assert entered.unknown_years([2027]) == []


def test_parse_days_names_the_bad_line() -> None:
    assert parse_days("2027-02-06 班 春节调休\n# comment\n\n2027-02-08 休") == [
        (date(2027, 2, 6), True, "春节调休"), (date(2027, 2, 8), False, "")]
    with pytest.raises(ValueError, match="第 2 行"):
        parse_days("2027-02-06 班\n2027-02-30 休")
    with pytest.raises(ValueError, match="第 1 行"):
        parse_days("2027-02-06 maybe")


def test_saved_days_override_the_calendar(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        save_days(session, parse_days("2027-02-06 班\n2027-02-08 休 春节"), "user:admin")
    with ctx.transaction() as session:
        save_days(session, parse_days("2027-02-08 班 改回"), "user:admin")  # replaces the earlier entry
    with ctx.reading() as session:
        calendar = load(session)
    assert calendar.is_workday(date(2027, 2, 6)) and calendar.is_workday(date(2027, 2, 8))
    assert calendar.add_working_days(date(2027, 2, 5), 2) == date(2027, 2, 8)


@settings(deadline=None)  # no timing in tests: the machine is shared
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1)), st.integers(1, 20))
def test_n_working_days_later_is_a_working_day_with_n_working_days_in_between(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_workday(end)
    days = [date.fromordinal(o) for o in range(start.toordinal() + 1, end.toordinal() + 1)]
    assert sum(CAL.is_workday(d) for d in days) == n
