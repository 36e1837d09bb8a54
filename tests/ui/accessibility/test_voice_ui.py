"""``KioskApp.say``: silent outside 长者模式; in it, the step's prompt is synthesised and played."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.voice_prompts import render

pytestmark = pytest.mark.ui


def test_say_is_a_no_op_outside_elderly_mode(ui):
    driver = ui()
    app = driver.app
    app.say("voice.identify")
    driver.pump(seconds=0.2)
    assert app._voice is None  # not even built: standard mode costs nothing
    app.say("voice.no_such_prompt")  # never raises, whatever the key


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_elderly_mode_speaks_each_step(ui):
    driver = ui()
    app = driver.app
    driver.tap(app.manager.current_screen.tile("elderly"))
    assert app.elderly
    cache = Path(app.kiosk_config.paths.data_dir) / "voice"
    expected_home = render("voice.home", "zh_CN", cache)
    assert driver.wait_for(lambda: app.voice.last_played == expected_home, timeout=15)
    app.say("voice.identify")
    expected = render("voice.identify", "zh_CN", cache)
    assert driver.wait_for(lambda: app.voice.last_played == expected, timeout=15)
    assert app.voice.requested[-2:] == ["voice.home", "voice.identify"]
    # the background pre-render leaves every prompt ready
    assert driver.wait_for(lambda: len(list(cache.glob("prompt-*.wav"))) >= 20, timeout=30)
    driver.tap(app.manager.current_screen.tile("elderly"))  # back to standard: silent again
    app.say("voice.guide")
    driver.pump(seconds=0.2)
    assert app.voice.requested[-1] == "voice.identify"
