"""The keyboard-wedge scanner: key events -> text, grabbing, unplug/replug."""
from __future__ import annotations

import string

import pytest
from hypothesis import given, strategies as st

from drivers.scanner.keymap import EV_KEY, KEY_CAPSLOCK, KeyDecoder, events_for
from drivers.scanner.wedge import WedgeScanner

TYPABLE = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", min_size=1, max_size=60)


@given(TYPABLE)
def test_typed_text_comes_back(text):
    decoder = KeyDecoder()
    out = [r for e in events_for(text) if (r := decoder.feed(*e)) is not None]
    assert out == [text]


def test_caps_lock_on_the_kiosk_does_not_change_codes_letters_case_is_swapped():
    decoder = KeyDecoder()
    decoder.feed(EV_KEY, KEY_CAPSLOCK, 1)
    out = [r for e in events_for("Ab1") if (r := decoder.feed(*e)) is not None]
    assert out == ["aB1"]  # what a real keyboard would type too; configure scanners for it


def test_chinese_cannot_be_typed_by_a_wedge():
    with pytest.raises(ValueError):
        events_for("办件")


def test_non_key_events_and_repeats_are_ignored():
    decoder = KeyDecoder()
    assert decoder.feed(0, 0, 0) is None  # EV_SYN
    assert decoder.feed(4, 4, 458756) is None  # EV_MSC scan code
    assert decoder.feed(EV_KEY, 30, 2) is None  # auto-repeat


def test_scanner_grabs_device_and_reads_codes(wedge_sim):
    with WedgeScanner("/dev/input/event-sim", reconnect_s=0.05, device_factory=wedge_sim.open) as scanner:
        assert scanner.wait_health(lambda h: h.is_ok, 5).is_ok
        assert scanner.grabbed and wedge_sim.grabs == 1
        wedge_sim.type_code("ZWFW:CASE:2026-000321")
        wedge_sim.type_code("https://zwfw.example.gov.cn/?a=1&b=2")
        codes = scanner.wait_codes(2, 5)
    assert [c.text for c in codes] == ["ZWFW:CASE:2026-000321", "https://zwfw.example.gov.cn/?a=1&b=2"]
    assert codes[0].source == "wedge"


def test_unplugged_wedge_is_reported_and_reopened(wedge_sim):
    with WedgeScanner("/dev/input/event-sim", reconnect_s=0.05, device_factory=wedge_sim.open) as scanner:
        scanner.wait_health(lambda h: h.is_ok, 5)
        wedge_sim.unplug()
        assert scanner.wait_health(lambda h: h.is_fault, 5).reason == "scanner_unplugged"
        wedge_sim.replug()
        assert scanner.wait_health(lambda h: h.is_ok, 5).is_ok
        wedge_sim.type_code("AGAIN")
        assert scanner.wait_codes(1, 5)[-1].text == "AGAIN"
        assert wedge_sim.grabs == 2 and wedge_sim.opens == 2


def test_device_that_cannot_be_grabbed_is_not_read(wedge_sim):
    class Busy:
        def __init__(self, path):
            self.device = wedge_sim.open(path)

        def grab(self):
            raise OSError(16, "Device or resource busy")

        def close(self):
            self.device.close()

    with WedgeScanner("/dev/input/event-sim", reconnect_s=0.05, device_factory=Busy) as scanner:
        health = scanner.wait_health(lambda h: h.is_fault and "grab" in h.detail, 5)
        assert (health.reason, "cannot grab" in health.detail) == ("scanner_busy", True)


def test_real_evdev_path_missing(tmp_path):
    pytest.importorskip("evdev")
    with WedgeScanner(str(tmp_path / "event99"), reconnect_s=0.05) as scanner:
        assert scanner.wait_health(lambda h: h.is_fault, 5).reason == "scanner_unplugged"


def test_evdev_wrapper_grabs_reads_and_ungrabs(monkeypatch):
    """EvdevDevice against a stand-in for evdev.InputDevice (no /dev/uinput in CI)."""
    evdev = pytest.importorskip("evdev")
    from drivers.scanner.wedge import EvdevDevice

    calls = []

    class FakeInputDevice:
        fd = 7

        def __init__(self, path):
            calls.append(("open", path))
            self.batches = [[evdev.InputEvent(0, 0, 1, 30, 1)], BlockingIOError()]

        def grab(self):
            calls.append("grab")

        def ungrab(self):
            calls.append("ungrab")

        def close(self):
            calls.append("close")

        def read(self):
            batch = self.batches.pop(0)
            if isinstance(batch, Exception):
                raise batch
            return iter(batch)

    monkeypatch.setattr(evdev, "InputDevice", FakeInputDevice)
    device = EvdevDevice("/dev/input/event5")
    device.grab()
    assert device.fileno() == 7
    assert device.read_events() == [(1, 30, 1)]
    assert device.read_events() == []  # nothing pending is not an error
    device.close()
    assert calls == [("open", "/dev/input/event5"), "grab", "ungrab", "close"]
