"""UUIDv7 ids: layout per RFC 9562, time-ordered, monotonic even when the clock stands still or goes back."""
from __future__ import annotations

import uuid

from hypothesis import given, strategies as st

from kiosk.uuid7 import Uuid7Generator, build_uuid7, uuid7, uuid7_unix_ms


def test_layout_version_and_variant() -> None:
    u = uuid7()
    assert u.version == 7
    assert u.variant == uuid.RFC_4122


def test_timestamp_round_trip() -> None:
    u = build_uuid7(1_700_000_000_123, 5, 42)
    assert uuid7_unix_ms(u) == 1_700_000_000_123
    assert uuid7_unix_ms(str(u)) == 1_700_000_000_123


@given(st.lists(st.integers(min_value=0, max_value=2**40), min_size=1, max_size=300))
def test_monotonic_whatever_the_clock_does(clock_values: list[int]) -> None:
    """Standing still, jumping back or forward: each id is greater than the one before."""
    values = iter(clock_values)
    last_value = [clock_values[0]]

    def clock() -> int:
        last_value[0] = next(values, last_value[0])
        return last_value[0]

    gen = Uuid7Generator(clock)
    ids = [gen() for _ in range(len(clock_values) + 5)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(u.version == 7 for u in ids)


def test_counter_overflow_within_one_millisecond_borrows_next_ms() -> None:
    gen = Uuid7Generator(lambda: 1000)
    ids = [gen() for _ in range(10_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert uuid7_unix_ms(ids[-1]) > 1000


def test_uuid_string_is_canonical() -> None:
    text = str(uuid7())
    assert len(text) == 36 and text[14] == "7"
