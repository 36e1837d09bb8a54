"""The Kivy shell of both roles, driven in-process under Xvfb."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.kivy_ui import PIN

pytestmark = pytest.mark.ui

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_terminal_home_shows_every_tile_in_chinese(ui, tmp_path):
    driver = ui()
    assert driver.app.manager.current == "home"
    tiles = {t.key: t for t in driver.find("Tile")}
    assert set(tiles) == {"guide", "progress", "print", "declare", "rate", "call_staff", "elderly", "language"}
    assert tiles["guide"].title == "办事指南" and tiles["language"].title == "English"
    # the journeys are built (issue 11): no tile says "暂未开放" any more
    assert all(t.reason != "暂未开放" for t in tiles.values())
    assert "欢迎使用政务服务自助终端" in driver.texts()
    assert driver.screenshot(tmp_path / "home.png").stat().st_size > 10_000


def test_language_switch_and_back(ui):
    driver = ui()
    driver.tap(driver.screen.tile("language"))
    assert driver.app.lang == "en"
    driver.pump(frames=3)
    assert driver.screen.tile("guide").title == "Service Guide"
    assert "Welcome to the government self-service terminal" in driver.texts()
    driver.tap(driver.screen.tile("language"))
    assert driver.screen.tile("guide").title == "办事指南"


def test_elderly_mode_is_larger_with_fewer_tiles(ui):
    driver = ui()
    normal_size = driver.find("Label", text="欢迎使用政务服务自助终端")[0].font_size
    driver.tap(driver.screen.tile("elderly"))
    driver.pump(frames=3)
    assert driver.app.elderly and driver.app.scale >= 1.5
    assert driver.screen.tile("declare") is None  # fewer tiles
    assert driver.screen.tile("elderly").title == "标准模式"
    large_size = driver.find("Label", text="欢迎使用政务服务自助终端")[0].font_size
    assert large_size >= 1.5 * normal_size
    driver.tap(driver.screen.tile("elderly"))
    assert not driver.app.elderly


def test_evaluator_idle_shows_window_and_asks_staff_to_sign_in(ui, make_config):
    driver = ui(make_config("evaluator"))
    texts = driver.texts()
    assert "12 号窗口" in texts
    assert "请工作人员登录" in texts
    assert "测试区政务服务中心（示例数据）" in texts


def test_idle_timeout_wipes_session_and_returns_home(ui):
    from kiosk.session import Identity

    driver = ui()
    app = driver.app
    driver.tap_at(640, 400)  # a citizen touches the screen
    app.session.set_identity(Identity("idcard", "11010519491231002X", "测试员甲"))
    app.show("maintenance_pin")  # anywhere but home
    app.session.idle_timeout_s = 0.3
    assert driver.wait_for(lambda: app.manager.current == "home", timeout=5)
    assert app.session.identity is None and not app.session.active
    assert app.toast_text == "长时间无操作，已返回首页"


def test_escape_and_close_requests_do_not_leave_the_app(ui):
    from kivy.core.window import Window

    driver = ui()
    assert driver.key(27) is True  # Esc swallowed
    assert Window.dispatch("on_request_close") is True  # Alt-F4 / window close refused
    driver.pump(frames=2)
    assert driver.app.manager.current == "home"


def _open_pin_pad(driver):
    for _ in range(5):
        driver.tap_at(20, driver.app.root.height - 20)  # top-left corner
    assert driver.app.manager.current == "maintenance_pin"


def _type_pin(driver, pin: str):
    keypad = driver.screen.ids.keypad
    for digit in pin:
        key = next(w for w in keypad.children if getattr(w, "text", None) == digit)
        driver.tap(key)
    ok = next(w for w in driver.screen.walk() if getattr(w, "text", None) == "确定")
    driver.tap(ok)


def test_hidden_gesture_and_pin_open_maintenance(ui):
    driver = ui()
    for _ in range(4):
        driver.tap_at(20, driver.app.root.height - 20)
    assert driver.app.manager.current == "home"  # four taps are not enough
    driver.tap_at(20, driver.app.root.height - 20)
    assert driver.app.manager.current == "maintenance_pin"
    _type_pin(driver, "000000")
    assert driver.app.manager.current == "maintenance_pin"
    assert driver.screen.message == "密码错误，请重试"
    _type_pin(driver, PIN)
    assert driver.app.manager.current == "maintenance"
    assert driver.wait_for(lambda: driver.app.device_rows is not None)
    assert any("设备编号: TEST-T-1" in t for t in driver.texts())


def test_pin_pad_locks_after_five_wrong_pins(ui):
    driver = ui()
    _open_pin_pad(driver)
    for _ in range(5):
        _type_pin(driver, "111111")
    assert "错误次数过多" in driver.screen.message
    _type_pin(driver, PIN)  # even the right PIN waits out the lock
    assert driver.app.manager.current == "maintenance_pin"


def test_an_app_stopped_at_once_leaves_no_worker_running(ui, make_config):
    """Reporting starts a second after the first frame: an app stopped before must not start it later
    (the clock is shared, so the next app's frames would otherwise run the old app's start)."""
    import threading
    import time

    workers = ("health-monitor", "reporter", "server-sync")

    def running() -> int:
        return sum(t.name in workers for t in threading.enumerate())

    before = running()
    first = ui(make_config())
    first.stop()
    second = ui(make_config())
    second.pump(seconds=2.5)  # the first app's start would have come due by now
    assert second.app.reporting is not None  # the running app's own reporting did start
    started_by_second = running() - before
    second.stop()
    time.sleep(0.2)
    assert started_by_second <= 2  # health monitor (+ reporter when a server is configured)
    assert running() == before


def test_a_device_check_asked_for_during_one_runs_after_it(ui, monkeypatch):
    """A 刷新 tapped while a check runs must not be dropped: that check may predate the change
    (the maintenance test saw a paper-out never reported this way)."""
    import threading

    import kiosk.doctor

    release = threading.Event()
    rounds: list[int] = []

    def slow_checks(_config):
        rounds.append(len(rounds) + 1)
        if len(rounds) == 1:
            release.wait(10)
        return []

    driver = ui()
    driver.pump(seconds=2)  # the app's own first check (1.5 s after start) has run
    monkeypatch.setattr(kiosk.doctor, "run_checks", slow_checks)
    driver.app.refresh_device_health()
    assert driver.wait_for(lambda: rounds == [1], timeout=5)
    for _ in range(3):  # asked for three times while the first round runs
        driver.app.refresh_device_health()
    release.set()
    assert driver.wait_for(lambda: rounds == [1, 2], timeout=5)
    driver.pump(seconds=0.5)
    assert rounds == [1, 2]  # coalesced into one more round, not three


def test_a_full_collection_runs_after_a_visit_not_during_it(ui):
    import gc

    before = gc.get_threshold()
    driver = ui()
    app = driver.app
    assert gc.get_threshold()[2] > before[2]  # the interpreter no longer starts full collections itself
    runs = app.gc.runs
    app.session.touch()  # a citizen starts a visit
    driver.pump(seconds=1.0)
    assert app.gc.runs == runs
    app.finish_session()
    assert driver.wait_for(lambda: app.gc.runs == runs + 1, timeout=5)  # after home is drawn
    driver.stop()
    assert gc.get_threshold() == before
