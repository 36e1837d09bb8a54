"""Kiosk escape (issue 12): what curious or impatient hands do never leaves the app or opens two things.

The app runs without a window manager in a hall; these are the keys and gestures SDL can still
deliver to it: Esc, Alt-F4 (a close request), Alt-Tab and Ctrl-W/Q, long presses, two fingers
at once, and a burst of taps on one tile.
"""
from __future__ import annotations

import pytest
from kivy.tests.common import UnitTestTouch

pytestmark = pytest.mark.ui

F4, TAB, KEY_Q, KEY_W, ESC = 285, 9, 113, 119, 27


@pytest.fixture
def kiosk(ui):
    """The terminal app with ``stop`` watched: the app leaving would call it."""
    driver = ui()
    stops: list[tuple] = []
    driver.app.stop = lambda *args: stops.append(args)  # type: ignore[method-assign]
    driver.stops = stops
    return driver


def test_escape_keys_and_close_requests_change_nothing(kiosk) -> None:
    from kivy.core.window import Window

    driver = kiosk
    app = driver.app
    for key, modifiers in ((ESC, []), (F4, ["alt"]), (TAB, ["alt"]), (KEY_Q, ["ctrl"]), (KEY_W, ["ctrl"])):
        Window.dispatch("on_keyboard", key, 0, "", modifiers)
        driver.pump(frames=1)
    assert Window.dispatch("on_request_close") is True  # what Alt-F4 becomes under SDL
    driver.pump(frames=2)
    assert app.manager.current == "home" and not driver.stops


def test_esc_inside_a_journey_does_not_leave_the_app(kiosk) -> None:
    driver = kiosk
    driver.tap(driver.screen.tile("guide"))
    assert driver.wait_for(lambda: driver.app.manager.current != "home")
    journey = driver.app.manager.current
    assert driver.key(ESC) is True
    assert driver.app.manager.current == journey and not driver.stops


def test_a_burst_of_taps_on_a_tile_opens_one_journey(kiosk) -> None:
    driver = kiosk
    tile = driver.screen.tile("guide")
    x, y = tile.to_window(*tile.center)
    for _ in range(12):  # faster than a frame: no pumping in between
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
    driver.pump(frames=5)
    opened = driver.app.manager.current
    assert opened != "home"
    assert [s.name for s in driver.app.manager.screens].count(opened) == 1


def test_two_fingers_at_once_open_at_most_one_journey(kiosk) -> None:
    driver = kiosk
    first, second = driver.screen.tile("guide"), driver.screen.tile("progress")
    a, b = UnitTestTouch(*first.to_window(*first.center)), UnitTestTouch(*second.to_window(*second.center))
    a.touch_down()
    b.touch_down()
    b.touch_up()
    a.touch_up()
    driver.pump(frames=5)
    assert driver.app.manager.current in ("home", "guide", "progress") and not driver.stops


def test_a_long_press_on_the_background_does_nothing(kiosk) -> None:
    driver = kiosk
    touch = UnitTestTouch(driver.app.root.width / 2, 12)  # the footer, no button there
    touch.touch_down()
    driver.pump(seconds=2.5)
    touch.touch_up()
    driver.pump(frames=2)
    assert driver.app.manager.current == "home" and not driver.stops
