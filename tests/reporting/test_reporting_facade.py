"""The object the UI holds: records (masked) without a server, wires monitor and commands."""
from __future__ import annotations

from pathlib import Path

import pytest

from drivers.health import Health
from kiosk import report_events
from kiosk.config import KioskConfig
from kiosk.privacy import SensitiveValues
from kiosk.remote_commands import CommandResult
from kiosk.reporting import Reporting


def config(tmp_path: Path) -> KioskConfig:
    return KioskConfig.validate({
        "role": "evaluator", "device": {"id": "eval-03", "window": "A03"},
        "maintenance": {"pin_hash": "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="},
        "paths": {"data_dir": str(tmp_path / "data"), "log_dir": str(tmp_path / "log")},
    })


def test_without_a_server_everything_is_kept_for_later(tmp_path: Path) -> None:
    rep = Reporting(config(tmp_path), probes={"staffcard": lambda: Health.fault("reader_missing")})
    try:
        rep.record("rating", report_events.rating("satisfied", window="A03", staff_no="0375"))
        rep.monitor.debounce = 1
        rep.monitor.poll_once()
        status = rep.status()
        assert rep.reporter is None and status.link.reason == "no_server" and status.pending == 2
        assert rep.monitor.heartbeat_payload()["peripherals"]["staffcard"]["state"] == "fault"
    finally:
        rep.stop()


def test_payloads_are_masked_on_the_way_in(tmp_path: Path) -> None:
    rep = Reporting(config(tmp_path))
    try:
        event = rep.record("call_staff", {"note": "张三丰 110101199003071234 needs help", "nested": ["110101199003071234"]})
        assert "110101199003071234" not in str(event.payload)
        names = SensitiveValues()
        names.add("张三丰")
        assert report_events.scrub({"a": "张三丰来了"}, names) == {"a": "张**来了"}
    finally:
        rep.stop()


def test_commands_registered_through_the_facade(tmp_path: Path) -> None:
    rep = Reporting(config(tmp_path), screen=lambda: "idle")
    try:
        rep.register_command("unlock", lambda c: CommandResult.ok())
        rep.commands.handle([{"id": 1, "kind": "unlock", "args": {}}])
        assert rep.outbox.peek_batch(5, 1 << 20)[0].payload["status"] == "done"
    finally:
        rep.stop()


def test_event_builders_check_their_input() -> None:
    with pytest.raises(ValueError):
        report_events.rating("dissatisfied")  # a bad rating needs its reason
    with pytest.raises(ValueError):
        report_events.rating("great")
    with pytest.raises(ValueError):
        report_events.usage("print", "maybe")  # type: ignore[arg-type]
    assert report_events.usage("print", "success", pages=3, duration_ms=-5) == {
        "function": "print", "outcome": "success", "pages": 3, "duration_ms": 0}
