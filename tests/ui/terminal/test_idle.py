"""The idle countdown: more time on request, otherwise the session (with the ID card's data) is wiped."""
from __future__ import annotations

import pytest

from tests.ui.terminal.steps import assert_nothing_personal, events, identify_with_card, tap_text, wait_idle, wait_screen

pytestmark = pytest.mark.ui


def test_countdown_gives_more_time_then_wipes_everything(terminal, sam_sim):
    driver, _backend = terminal(idle_timeout_s=6)  # the countdown is the last 3 s
    app = driver.app
    watcher = app._idle_watcher
    driver.tap(app.manager.get_screen("home").tile("progress"))
    wait_screen(driver, "progress")
    driver.tap(driver.screen.ids.mine_tile)
    identify_with_card(driver, sam_sim)
    wait_screen(driver, "progress")
    wait_idle(driver)
    assert app.session.identity is not None and driver.screen.ids.cases.children

    assert driver.wait_for(lambda: watcher.dialog is not None, timeout=10)
    assert "还需要更多时间吗？" in [w.text for w in watcher.dialog.walk() if hasattr(w, "text")]
    driver.tap(watcher.dialog.ids.more)
    assert watcher.dialog is None and app.manager.current == "progress" and app.session.identity is not None

    assert driver.wait_for(lambda: watcher.dialog is not None, timeout=10)  # nobody answers this time
    wait_screen(driver, "home", timeout=10)
    assert watcher.dialog is None and app.toast_text == "长时间无操作，已返回首页"
    sam_sim.remove()
    assert_nothing_personal(app)
    assert events(app, "rating") == []  # nothing was asked: no rating, good or bad, is invented


def test_elderly_mode_is_slower_and_the_rating_left_unanswered_is_not_rated(terminal):
    driver, _backend = terminal(idle_timeout_s=6)
    app = driver.app
    app.set_elderly(True)
    driver.pump(frames=3)
    home = app.manager.get_screen("home")
    driver.tap(home.tile("guide"))
    wait_screen(driver, "guide")
    wait_idle(driver)
    assert driver.wait_for(lambda: app.session.idle_timeout_s == 9, timeout=2)  # ×1.5 at the watcher's next check
    normal = app.sp(21) / 1.5
    assert driver.screen.ids.results.children[0].children[-1].font_size >= 1.5 * normal * 24 / 21
    tap_text(driver, "返回首页")
    wait_screen(driver, "home")
    driver.tap(home.tile("rate"))
    wait_screen(driver, "terminal_rating")
    wait_screen(driver, "home", timeout=20)  # walked away from the rating
    rating = events(app, "rating")[-1]
    assert rating["outcome"] == "not_rated" and rating["level"] is None
