"""The serial scanner driver against the pty scanner simulator."""
from __future__ import annotations

import os

from drivers.scanner.serialscanner import SerialScanner
from drivers.scanner.simulator import ScannerSimulator


def _ok(h):
    return h.is_ok


def test_codes_utf8_and_gbk(serial_scanner_sim):
    with SerialScanner(serial_scanner_sim.path, reconnect_s=0.05) as scanner:
        assert scanner.wait_health(_ok, 5).is_ok
        serial_scanner_sim.send(b"ZWFW:CASE:2026-000123")
        serial_scanner_sim.send("电子证照".encode("gbk"))
        codes = scanner.wait_codes(2, 5)
    assert [(c.text, c.encoding, c.source) for c in codes] == [
        ("ZWFW:CASE:2026-000123", "utf-8", "serial"), ("电子证照", "gb18030", "serial")]
    assert codes[1].raw == "电子证照".encode("gbk")


def test_cr_only_scanner_with_default_suffix(serial_scanner_sim):
    with SerialScanner(serial_scanner_sim.path, reconnect_s=0.05) as scanner:
        scanner.wait_health(_ok, 5)
        serial_scanner_sim.send(b"ABC123", suffix=b"\r")
        assert [c.text for c in scanner.wait_codes(1, 5)] == ["ABC123"]


def test_configured_suffix(tmp_path):
    with ScannerSimulator(str(tmp_path / "tab-scanner"), suffix=b"\t") as sim, \
            SerialScanner(sim.path, suffix="\t", reconnect_s=0.05) as scanner:
        scanner.wait_health(_ok, 5)
        sim.send(b"LINE\r\nWITH-CRLF")  # CR/LF inside is data when the suffix is TAB
        assert [c.raw for c in scanner.wait_codes(1, 5)] == [b"LINE\r\nWITH-CRLF"]


def test_unplug_is_reported_and_replug_reconnects(serial_scanner_sim):
    seen = []
    with SerialScanner(serial_scanner_sim.path, reconnect_s=0.05, on_code=seen.append) as scanner:
        scanner.wait_health(_ok, 5)
        serial_scanner_sim.unplug()
        health = scanner.wait_health(lambda h: h.is_fault, 5)
        assert health.reason == "scanner_unplugged"
        assert not os.path.exists(serial_scanner_sim.path)
        serial_scanner_sim.replug()
        assert scanner.wait_health(_ok, 5).is_ok
        serial_scanner_sim.send(b"AFTER-REPLUG")
        assert scanner.wait_codes(1, 5)[-1].text == "AFTER-REPLUG"
        assert scanner.reconnects == 1
    assert [c.text for c in seen] == ["AFTER-REPLUG"]


def test_port_held_by_another_program_is_busy(serial_scanner_sim):
    import serial

    with serial.Serial(serial_scanner_sim.path, exclusive=True), \
            SerialScanner(serial_scanner_sim.path, reconnect_s=0.05) as scanner:
        assert scanner.wait_health(lambda h: h.reason == "scanner_busy", 5).is_fault


def test_port_missing_at_start_is_unplugged(tmp_path):
    with SerialScanner(str(tmp_path / "none"), reconnect_s=0.05) as scanner:
        assert scanner.wait_health(lambda h: h.reason == "scanner_unplugged", 5).is_fault


def test_kiosk_sim_scanner_process(tmp_path):
    """``kiosk sim scanner`` as the demo starts it, with its stdin controls."""
    from kiosk.stack.scanner_sim import ScannerSimulatorProcess

    link = str(tmp_path / "scanner")
    with ScannerSimulatorProcess(link=link, codes=["ZWFW:CASE:2026-000999"], interval_s=0.2) as sim:
        assert sim.path == link and os.path.islink(link)
        with SerialScanner(sim.path, reconnect_s=0.05) as scanner:
            assert scanner.wait_codes(1, 10)[0].text == "ZWFW:CASE:2026-000999"
            sim.scan_gbk("好差评")
            sim.scan_hex(b"\x00\xff\x00")
            texts = {(c.text, c.encoding) for c in scanner.wait_codes(3, 10)}
            assert ("好差评", "gb18030") in texts
            assert any(enc == "binary" for _t, enc in texts)
            sim.unplug()
            scanner.wait_health(lambda h: h.is_fault, 5)
            sim.replug()
            assert scanner.wait_health(_ok, 5).is_ok
    assert not os.path.exists(link)
