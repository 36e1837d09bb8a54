"""CodeListener with a real serial scanner on a pty: classification, de-duplication, nothing after stop."""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from kiosk.config import ScannerConfig
from kiosk.payloads import PayloadKind

pytestmark = pytest.mark.ui


def _pump_until(predicate, timeout: float = 5.0) -> bool:
    from kivy.clock import Clock

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        Clock.tick()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _opened(listener) -> None:
    reader = listener._readers["scanner"]
    assert reader.wait_health(lambda health: health.state.value == "ok", timeout=5).state.value == "ok"


def test_codes_are_classified_deduplicated_and_dropped_after_stop(kivy_window, serial_scanner_sim):
    from screens.terminal.code_listener import CodeListener

    got = []
    devices = SimpleNamespace(scanner=ScannerConfig(port=serial_scanner_sim.path, reconnect_s=0.2), qr_camera=None)
    listener = CodeListener(devices, got.append, repeat_s=2.0)
    assert listener.available
    listener.start()
    try:
        _opened(listener)
        serial_scanner_sim.send(b"ZWFW:CASE:SB20261120000123")
        serial_scanner_sim.send(b"ZWFW:CASE:SB20261120000123")  # the scanner's double read
        serial_scanner_sim.send(b"ZWFW:ID:DEMO-LJH-APP-2026-0002")
        assert _pump_until(lambda: len(got) >= 2)
        _pump_until(lambda: len(got) >= 3, timeout=0.8)
        assert [(p.kind, p.value) for p in got] == [(PayloadKind.RECEIPT, "SB20261120000123"),
                                                    (PayloadKind.APP_IDENTITY, "DEMO-LJH-APP-2026-0002")]
    finally:
        listener.stop()
    assert not listener.running
    serial_scanner_sim.send(b"ZWFW:CASE:GJ20261118000045")
    assert not _pump_until(lambda: len(got) > 2, timeout=0.8)
    listener.start()  # open again: the same receipt counts again (a new visit)
    try:
        _opened(listener)
        serial_scanner_sim.send(b"ZWFW:CASE:SB20261120000123")
        assert _pump_until(lambda: len(got) == 3)
    finally:
        listener.stop()
    assert not CodeListener(SimpleNamespace(scanner=None, qr_camera=None), got.append).available
