"""Health changes become one fault event per confirmed transition; heartbeats carry the device state."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from drivers.health import Health
from kiosk.health_monitor import HealthMonitor, reason_key
from kiosk.outbox import Outbox

from .conftest import schema_errors


class Scripted:
    """A peripheral whose health follows a script, then stays at its last value."""

    def __init__(self, *states: Health) -> None:
        self.states = list(states)

    def __call__(self) -> Health:
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]


def kinds(outbox: Outbox) -> list[tuple[str, str, str]]:
    return [(e.type, e.payload["peripheral"], e.payload.get("reason", "")) for e in outbox.peek_batch(100, 1 << 20)]


def test_one_event_per_transition_with_debounce(outbox: Outbox) -> None:
    ok, out = Health.ok(), Health.fault("paper_out", "DLE EOT 4 = 0x72")
    printer = Scripted(ok, out, ok, out, out, out, out, ok, ok, ok)  # a one-poll blip, then a real fault
    monitor = HealthMonitor(outbox, {"printer": printer}, debounce=2)
    for _ in range(10):
        monitor.poll_once()
    assert kinds(outbox) == [("fault_raised", "printer", "paper_out"), ("fault_cleared", "printer", "paper_out")]


def test_reason_change_clears_the_old_fault_and_raises_the_new(outbox: Outbox) -> None:
    reader = Scripted(Health.fault("port_missing"), Health.fault("port_missing"),
                      Health.degraded("slow_answer"), Health.degraded("slow_answer"))
    monitor = HealthMonitor(outbox, {"idcard": reader}, debounce=2)
    for _ in range(4):
        monitor.poll_once()
    assert kinds(outbox) == [("fault_raised", "idcard", "port_missing"), ("fault_cleared", "idcard", "port_missing"),
                             ("fault_raised", "idcard", "slow_answer")]
    assert outbox.peek_batch(100, 1 << 20)[-1].payload["severity"] == "degraded"


def test_restart_neither_repeats_an_open_fault_nor_forgets_to_clear_it(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path, "dev") as box:
        monitor = HealthMonitor(box, {"printer": lambda: Health.fault("paper_out")}, debounce=1)
        monitor.poll_once()
    with Outbox(path, "dev") as box:  # the app restarted; paper still out
        HealthMonitor(box, {"printer": lambda: Health.fault("paper_out")}, debounce=1).poll_once()
        assert len(box.peek_batch(100, 1 << 20)) == 1
    with Outbox(path, "dev") as box:  # restarted again after the roll was changed
        HealthMonitor(box, {"printer": Health.ok}, debounce=1).poll_once()
        assert [e.type for e in box.peek_batch(100, 1 << 20)] == ["fault_raised", "fault_cleared"]


def test_a_crashing_probe_is_a_fault_not_a_crash(outbox: Outbox) -> None:
    def broken() -> Health:
        raise OSError("ttyUSB0 vanished")

    HealthMonitor(outbox, {"idcard": broken}, debounce=1).poll_once()
    assert kinds(outbox) == [("fault_raised", "idcard", "probe_failed")]


def test_fault_detail_is_masked_and_events_match_the_schema(outbox: Outbox) -> None:
    probe = Scripted(Health.fault("read_failed", "card 110101199003071234 unreadable"), Health.ok())
    monitor = HealthMonitor(outbox, {"idcard": probe, "printer": lambda: Health.fault("Paper Out!")}, debounce=1)
    monitor.poll_once()
    monitor.poll_once()
    events = outbox.peek_batch(100, 1 << 20)
    assert "110101199003071234" not in str([e.payload for e in events])
    assert any(e.payload.get("reason") == "paper_out" for e in events)
    assert schema_errors("events", {"events": [e.wire() for e in events]}) == []


def test_heartbeat_payload(outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("rating", {"level": "satisfied"})
    monitor = HealthMonitor(outbox, {"printer": lambda: Health.degraded("paper_near_end"), "speaker": Health.ok},
                            config_version="7", disk_path=tmp_path)
    monitor.poll_once()
    beat = monitor.heartbeat_payload()
    assert beat["app_version"] and beat["config_version"] == "7" and beat["outbox_depth"] == 1
    assert beat["peripherals"] == {"printer": {"state": "degraded", "reason": "paper_near_end"},
                                   "speaker": {"state": "ok", "reason": ""}}
    assert 0 <= beat["memory_pct"] <= 100 and beat["disk_free_mb"] >= 0 and beat["uptime_s"] >= 0
    assert schema_errors("heartbeat", beat) == []


@given(st.text(max_size=80))
def test_reason_key_always_fits_the_wire_pattern(text: str) -> None:
    import re

    assert re.fullmatch(r"[a-z][a-z0-9_]{0,59}", reason_key(text))


def test_reason_key_keeps_good_keys() -> None:
    assert reason_key("paper_out") == "paper_out"
    assert reason_key("Paper Out!") == "paper_out"
