"""Retry pacing and clock-skew bookkeeping."""
from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timezone

from hypothesis import given, strategies as st

from kiosk.backoff import MAX_RETRY_AFTER_S, Backoff, parse_iso_epoch, parse_retry_after
from kiosk.clock_skew import SkewEstimator


def test_backoff_doubles_to_the_cap_with_jitter_in_range() -> None:
    top = Backoff(1.0, 60.0, rng=lambda: 0.999999)
    bottom = Backoff(1.0, 60.0, rng=lambda: 0.0)
    highs = [top.next_delay() for _ in range(10)]
    lows = [bottom.next_delay() for _ in range(10)]
    assert [round(h) for h in highs[:6]] == [1, 2, 4, 8, 16, 32] and round(highs[-1]) == 60
    assert lows[:3] == [0.5, 1.0, 2.0] and lows[-1] == 30.0
    top.reset()
    assert round(top.next_delay()) == 1


@given(st.floats(0, 1, exclude_max=True))
def test_jitter_stays_between_half_and_full(r: float) -> None:
    b = Backoff(2.0, 100.0, rng=lambda: r)
    for n in range(12):
        ceiling = min(100.0, 2.0 * 2**n)
        assert ceiling / 2 <= b.next_delay() <= ceiling


def test_retry_after_forms() -> None:
    now = 1_800_000_000.0
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("99999", now) == MAX_RETRY_AFTER_S
    date = format_datetime(datetime.fromtimestamp(now + 30, timezone.utc), usegmt=True)
    assert parse_retry_after(date, now) == 30.0
    past = format_datetime(datetime.fromtimestamp(now - 30, timezone.utc), usegmt=True)
    assert parse_retry_after(past, now) == 0.0
    for bad in (None, "", "soon", "-5", "1.5", "٣"):
        assert parse_retry_after(bad, now) is None


@given(st.text(max_size=40), st.floats(0, 4e9))
def test_retry_after_never_raises_and_is_bounded(text: str, now: float) -> None:
    value = parse_retry_after(text, now)
    assert value is None or 0 <= value <= MAX_RETRY_AFTER_S


@given(st.one_of(st.text(max_size=40), st.none(), st.integers()))
def test_server_time_parser_never_raises(value: object) -> None:
    parse_iso_epoch(value)


def test_server_time_parser() -> None:
    assert parse_iso_epoch("2026-11-23T09:00:00+00:00") == parse_iso_epoch("2026-11-23T17:00:00+08:00")
    assert parse_iso_epoch("2026-11-23T09:00:00Z") == parse_iso_epoch("2026-11-23T09:00:00")


class FakeClocks:
    def __init__(self) -> None:
        self.wall, self.mono = 1_800_000_000.0, 100.0

    def advance(self, seconds: float, wall_step: float = 0.0) -> None:
        self.mono += seconds
        self.wall += seconds + wall_step


def test_skew_is_the_median_at_the_request_midpoint() -> None:
    clocks = FakeClocks()
    est = SkewEstimator(wall=lambda: clocks.wall, mono=lambda: clocks.mono)
    assert est.offset_s is None
    est.observe(server_epoch=1000.5, sent_wall=900.0, received_wall=901.0)  # +100
    est.observe(server_epoch=2000.0, sent_wall=1900.0, received_wall=1900.0)  # +100
    est.observe(server_epoch=5000.0, sent_wall=1000.0, received_wall=1000.0)  # outlier
    assert est.offset_s == 100.0
    est.observe(server_epoch=1.0, sent_wall=10.0, received_wall=5.0)  # clock went back mid-request: ignored
    assert est.offset_s == 100.0


def test_a_wall_clock_jump_is_noticed_and_clears_the_estimate() -> None:
    clocks = FakeClocks()
    est = SkewEstimator(wall=lambda: clocks.wall, mono=lambda: clocks.mono)
    est.observe(1100.0, 1000.0, 1000.0)
    clocks.advance(60)
    assert est.check_jump() is None
    clocks.advance(1, wall_step=-3600)  # NTP or a technician set the clock back an hour
    assert round(est.check_jump() or 0) == -3600
    assert est.offset_s is None and est.jumps == 1
    clocks.advance(1)
    assert est.check_jump() is None
