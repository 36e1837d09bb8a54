"""The progress timeline, case numbers from a keypad or a receipt QR, and the idle policy."""
from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.journeys.idle import IdlePolicy
from kiosk.journeys.progress import case_number_from_input, timeline
from kiosk.journeys.sample_backend import CASES


def test_timeline_marks_done_current_and_to_come_and_adds_posting():
    steps = timeline(CASES[0])
    assert [(s.code, s.state) for s in steps] == [("received", "done"), ("accepted", "done"), ("reviewed", "current"),
                                                 ("issued", "todo"), ("posted", "todo")]
    assert steps[-1].note == "中国邮政EMS 1190012345678"
    assert steps[0].at is not None and steps[2].at is None


def test_finished_case_without_post_has_no_current_step():
    steps = timeline(CASES[1])
    assert [s.state for s in steps] == ["done"] * 4
    assert steps[-1].name == "办结"  # the server's own step name wins


def test_missing_steps_are_filled_in_order():
    case = replace(CASES[0], steps=(), delivery=None)
    assert [(s.name, s.state) for s in timeline(case)] == [("收件", "current"), ("受理", "todo"), ("审查", "todo"),
                                                          ("出证", "todo")]


@pytest.mark.parametrize("typed, expected", [
    ("SB20261120000123", "SB20261120000123"), ("sb2026-1120-000123", "SB20261120000123"),
    ("ZWFW:CASE:2026-000123", "2026000123"), ("12", None), ("SB 2026", None), ("", None),
])
def test_case_numbers(typed, expected):
    assert case_number_from_input(typed) == expected


def test_idle_policy_warns_then_expires_and_is_slower_for_elders():
    policy = IdlePolicy(60, countdown_s=20)
    assert policy.state(10, False) == ("active", 0)
    assert policy.state(45, False) == ("warning", 15)
    assert policy.state(60, False) == ("expired", 0)
    assert policy.timeout(True) == 90 and policy.countdown(True) == 30
    assert policy.state(45, True) == ("active", 0)
    assert policy.state(70, True) == ("warning", 20)


def test_a_short_timeout_keeps_a_quiet_half():
    policy = IdlePolicy(8, countdown_s=20)
    assert policy.countdown(False) == 4
    assert policy.state(3, False) == ("active", 0)
