"""A code is reported once per sighting: again only after leaving the view or N seconds."""
from __future__ import annotations

from hypothesis import given, strategies as st

from drivers.scanner.dedup import SightingFilter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(repeat_after_s=3.0, gone_frames=3):
    clock = Clock()
    return SightingFilter(lambda c: c, repeat_after_s, gone_frames, clock), clock


def test_held_code_reported_once_then_after_repeat_time():
    f, clock = make()
    assert f.update(["A"]) == ["A"]
    for _ in range(20):
        clock.now += 0.1
        assert f.update(["A"]) == []
    clock.now += 1.0  # 3.0 s since the report
    assert f.update(["A"]) == ["A"]


def test_one_missed_frame_is_not_leaving():
    f, clock = make(gone_frames=3)
    assert f.update(["A"]) == ["A"]
    assert f.update([]) == []  # a blurred frame
    assert f.update(["A"]) == []


def test_leaving_the_view_allows_a_new_report():
    f, clock = make(gone_frames=3)
    assert f.update(["A"]) == ["A"]
    for _ in range(3):
        f.update([])
    assert f.update(["A"]) == ["A"]


def test_two_codes_and_duplicates_in_one_frame():
    f, _ = make()
    assert f.update(["A", "B", "A"]) == ["A", "B"]
    assert f.update(["B", "C"]) == ["C"]


def test_reset_forgets():
    f, _ = make()
    f.update(["A"])
    f.reset()
    assert f.update(["A"]) == ["A"]


@given(st.lists(st.lists(st.sampled_from("ABC"), max_size=3), max_size=60))
def test_never_reported_twice_while_continuously_in_view(frames):
    f, clock = make(repeat_after_s=1000.0, gone_frames=1)
    in_view: set[str] = set()
    for frame in frames:
        clock.now += 0.05
        reported = f.update(frame)
        assert not (set(reported) & in_view)
        assert set(reported) == set(frame) - in_view
        in_view = set(frame)
