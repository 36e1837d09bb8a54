"""呼叫工作人员: one tap queues one call_staff event, rings the chime and confirms; repeats are not sent."""
from __future__ import annotations

import wave
from pathlib import Path

import pytest

import screens.terminal.call_staff as call_staff_module
from kiosk.call_staff import StaffCaller

pytestmark = pytest.mark.ui


def _events(app, type_):
    return [e.payload for e in app.reporting.outbox.peek_batch(1000, 10_000_000) if e.type == type_]


def test_call_staff_tile_queues_event_chimes_and_confirms(ui, monkeypatch):
    played = []
    monkeypatch.setattr(call_staff_module, "play_wav", lambda path: played.append(Path(path)))
    driver = ui()
    app = driver.app
    tile = app.manager.current_screen.tile("call_staff")
    assert not tile.disabled and tile.reason == ""
    driver.tap(tile)
    assert app.toast_text == "已通知工作人员，请在原地稍候"
    assert played == [call_staff_module.CHIME]
    assert _events(app, "call_staff") == [{"reason": "help"}]
    assert {"function": "call_staff", "outcome": "success"} in _events(app, "usage")
    for _ in range(3):  # an anxious citizen taps again: no second page
        driver.tap(tile)
    assert app.toast_text == "已经在呼叫工作人员，请稍候"
    assert len(_events(app, "call_staff")) == 1 and len(played) == 1


def test_rate_limit_window():
    now = [100.0]
    sent = []
    caller = StaffCaller(lambda t, p: sent.append((t, p)), interval_s=60, clock=lambda: now[0])
    assert caller.press() is True
    now[0] += 59
    assert caller.press() is False
    now[0] += 2
    assert caller.press() is True
    assert sent == [("call_staff", {"reason": "help"})] * 2


def test_a_failed_record_is_not_counted_as_a_call():
    def broken(_type, _payload):
        raise OSError("disk full")

    caller = StaffCaller(broken, interval_s=60)
    with pytest.raises(OSError):
        caller.press()
    caller.record = lambda t, p: None
    assert caller.press() is True  # the failed press did not start the quiet period


def test_chime_is_a_short_wav_made_by_the_script(tmp_path):
    from scripts.make_chime import main

    with wave.open(str(call_staff_module.CHIME)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        assert wav.getnchannels() == 1 and 0.5 < seconds < 3
    main(tmp_path / "chime.wav")
    assert (tmp_path / "chime.wav").read_bytes() == call_staff_module.CHIME.read_bytes()
