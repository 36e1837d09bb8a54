"""Scripted citizen journeys on the real terminal app: the steps the UI tests, the soak and the bench share.

A :class:`screens.driver.UiDriver` runs the app; these functions tap what a citizen taps
(found by the text shown, as a person finds it) and wait for what a citizen waits for. The
UI tests use the steps one by one (``tests/ui/terminal/steps.py``); the soak test and
``bench/ui.py`` repeat :data:`JOURNEYS` thousands of times. Accelerated where waiting adds
nothing: the 谢谢 pause after a rating is skipped (the call its timer makes is made at once)
and the idle wipe is reached by back-dating the last touch, not by waiting 90 s; the wipe
itself is still the app's own once-a-second check.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class ScriptError(AssertionError):
    """The app did not do what the script expected (an AssertionError, so pytest shows it as a failure)."""


def check(condition: Any, message: Callable[[], str] | str) -> None:
    """``assert`` that survives ``python -O``: scripts run outside pytest too."""
    if not condition:
        raise ScriptError(message() if callable(message) else message)


# ----- steps -----------------------------------------------------------------------------------
def button(driver, text: str, root=None):
    """The enabled, visible button showing ``text`` on the current screen."""
    driver.pump(frames=3)
    found = [w for w in (root or driver.screen).walk(restrict=True)
             if getattr(w, "text", None) == text and hasattr(w, "on_release") and not w.disabled and shown(w)]
    check(found, lambda: f"no button {text!r} on {driver.app.manager.current}: {driver.texts()}")
    return found[0]


def shown(widget) -> bool:
    """Visible and on an active panel (see screens.widgets.page)."""
    while widget is not None:
        if getattr(widget, "opacity", 1) <= 0 or getattr(widget, "active", True) is False:
            return False
        widget = widget.parent if widget.parent is not widget else None
    return True


def tap_text(driver, text: str) -> None:
    driver.tap(button(driver, text))


def type_keys(driver, keypad, text: str) -> None:
    """Type on one of our keypads: the first key by a real touch, the rest by the key's own release
    handler (what a touch runs), one frame each: a frame costs ~0.4 s under Xvfb's software GL."""
    for index, char in enumerate(text):
        key = next(w for w in keypad.children if w.text == char)
        if index == 0:
            driver.tap(key)
        else:
            key.dispatch("on_release")
    driver.pump(frames=1)


def wait_screen(driver, name: str, timeout: float = 10.0) -> None:
    check(driver.wait_for(lambda: driver.app.manager.current == name, timeout=timeout),
          lambda: f"expected {name}, on {driver.app.manager.current}: {driver.app.toast_text}")
    driver.pump(frames=3)


def wait_idle(driver, timeout: float = 10.0) -> None:
    """Until the current screen's backend call has answered."""
    check(driver.wait_for(lambda: not getattr(driver.screen, "busy", False), timeout=timeout),
          lambda: f"{driver.app.manager.current} still busy after {timeout} s")
    driver.pump(frames=3)


def home_tile(driver, key: str, recheck_s: float = 0.0):
    """The home tile of a journey, usable. With ``recheck_s``, a tile paused by a failed device check
    gets a new check (what the app does every minute) and that long to come back."""
    home = driver.app.manager.get_screen("home")
    tile = home.tile(key)
    if recheck_s and tile is not None and tile.disabled:
        driver.app.refresh_device_health()
        driver.wait_for(lambda: not home.tile(key).disabled, timeout=recheck_s)
        tile = home.tile(key)
    check(tile is not None and not tile.disabled, lambda: f"tile {key} unusable: {tile and tile.reason}")
    return tile


# ----- journeys ----------------------------------------------------------------------------------
TIMEOUT_S = 30.0  # a generous wait: on a loaded 2-core machine a frame of the full app can take a second


@dataclass
class Terminal:
    """The running app and the simulated devices a journey uses."""

    driver: Any  # screens.driver.UiDriver
    place_card: Callable[[], None]  # the ID-card simulator: 张测试's card on the reader
    remove_card: Callable[[], None]
    after_print: Callable[[], None] = lambda: None  # e.g. collect the page that came out
    counts: dict[str, int] = field(default_factory=dict)


def _tile(t: Terminal, key: str):
    """A journey's home tile; a device check that failed on a loaded machine is counted, then re-run."""
    tile = t.driver.app.manager.get_screen("home").tile(key)
    if tile is not None and tile.disabled:
        t.counts["device_rechecks"] = t.counts.get("device_rechecks", 0) + 1
    return home_tile(t.driver, key, recheck_s=TIMEOUT_S)


def _rate(t: Terminal, level: str = "satisfied") -> None:
    """The 好差评 at the end of a journey: a face, then home (the 谢谢 pause skipped)."""
    driver = t.driver
    wait_screen(driver, "terminal_rating", timeout=TIMEOUT_S)
    face = next(w for w in driver.find("Face", root=driver.screen) if w.level == level)
    driver.tap(face)
    if driver.app.manager.current != "terminal_rating":  # its 30 s ran out first (a frame can take 1 s under load)
        t.counts["rating_timed_out"] = t.counts.get("rating_timed_out", 0) + 1
        wait_screen(driver, "home", timeout=TIMEOUT_S)
        return
    if driver.screen.mode == "reasons":  # a bad level asks why
        driver.pump(frames=2)
        driver.tap(driver.screen.ids.reasons.toggle("waiting"))
        driver.tap(driver.screen.ids.submit)
    check(driver.screen.mode == "thanks", lambda: f"rating not taken: {driver.screen.error}")
    driver.app.finish_session("finished")  # what the thanks timer calls
    wait_screen(driver, "home", timeout=TIMEOUT_S)


def guide_journey(t: Terminal, cycle: int) -> None:
    """办事指南: browse by department, open an item, rate."""
    driver = t.driver
    driver.tap(_tile(t, "guide"))
    wait_screen(driver, "guide", timeout=TIMEOUT_S)
    wait_idle(driver, timeout=TIMEOUT_S)
    department, item = (("住房公积金管理中心", "住房公积金提取") if cycle % 2
                        else ("人力资源和社会保障局", "社会保障卡申领"))
    tap_text(driver, department)
    driver.tap(driver.screen.item_button(item))
    wait_screen(driver, "guide_detail", timeout=TIMEOUT_S)
    check(item in driver.screen.body or "受理条件" in driver.screen.body, "guide detail is empty")
    driver.tap(driver.screen.ids.done_button)
    _rate(t, ("very_satisfied", "satisfied", "dissatisfied")[cycle % 3])


def progress_journey(t: Terminal, cycle: int) -> None:
    """办件查询 by case number on the keypad, the timeline, then 不评价."""
    from kiosk.journeys.sample_backend import CASE_NO, OTHER_CASE_NO

    driver = t.driver
    driver.tap(_tile(t, "progress"))
    wait_screen(driver, "progress", timeout=TIMEOUT_S)
    screen = driver.screen
    driver.tap(screen.ids.number_tile)
    case_no = OTHER_CASE_NO if cycle % 2 else CASE_NO
    type_keys(driver, screen.ids.number, case_no)
    driver.tap(screen.ids.query_button)
    wait_idle(driver, timeout=TIMEOUT_S)
    check(screen.mode == "case" and screen.case is not None and screen.case.case_no == case_no,
          lambda: f"case {case_no} not shown: {screen.mode} {screen.error}")
    driver.tap(screen.ids.done_button)
    wait_screen(driver, "terminal_rating", timeout=TIMEOUT_S)
    tap_text(driver, "不评价，结束")
    wait_screen(driver, "home", timeout=TIMEOUT_S)


def _identify_into(t: Terminal, screen: str) -> None:
    """On the identify screen: the ID card goes on the reader and comes off once ``screen`` is shown."""
    wait_screen(t.driver, "identify", timeout=TIMEOUT_S)
    t.place_card()
    try:
        wait_screen(t.driver, screen, timeout=TIMEOUT_S)
    finally:
        t.remove_card()
    wait_idle(t.driver, timeout=TIMEOUT_S)


def print_journey(t: Terminal, cycle: int) -> None:
    """证照打印: ID card, a certificate previewed page by page, A4 through CUPS, 打印回执, rating."""
    driver = t.driver
    driver.tap(_tile(t, "print"))
    _identify_into(t, "print")
    screen = driver.screen
    title = "个人参保缴费明细" if cycle % 2 else "个人参保证明"
    driver.tap(screen.document_button(title))
    wait_idle(driver, timeout=TIMEOUT_S)
    for _ in range(screen.pages - 1):
        driver.tap(screen.ids.next_page)
        wait_idle(driver, timeout=TIMEOUT_S)
    check(screen.page == screen.pages, lambda: f"preview stuck on page {screen.page}/{screen.pages}")
    driver.tap(screen.ids.confirm_button)
    check(driver.wait_for(lambda: screen.mode in ("done", "failed"), timeout=3 * TIMEOUT_S), "print did not finish")
    check(screen.mode == "done", lambda: f"print failed: {screen.error}")
    t.after_print()
    driver.tap(screen.ids.done_button)
    _rate(t)


def rate_journey(t: Terminal, cycle: int) -> None:
    """The 评价 tile on its own; every other one a bad rating with a reason."""
    driver = t.driver
    driver.tap(_tile(t, "rate"))
    _rate(t, "very_dissatisfied" if cycle % 2 else "very_satisfied")


def idle_wipe_journey(t: Terminal, cycle: int) -> None:
    """My cases after the ID card, then the citizen walks away: the idle check wipes the session."""
    driver = t.driver
    app = driver.app
    driver.tap(_tile(t, "progress"))
    wait_screen(driver, "progress", timeout=TIMEOUT_S)
    driver.tap(driver.screen.ids.mine_tile)
    _identify_into(t, "progress")
    check(app.session.identity is not None and driver.screen.ids.cases.children, "my cases not shown")
    app.session.last_activity -= app.session.idle_timeout_s  # walked away (accelerated)
    wait_screen(driver, "home", timeout=TIMEOUT_S)
    check(app.session.identity is None and not app.session.data, "the idle wipe left the session")


JOURNEYS: tuple[tuple[str, Callable[[Terminal, int], None]], ...] = (
    ("guide", guide_journey), ("progress", progress_journey), ("print", print_journey),
    ("rate", rate_journey), ("idle_wipe", idle_wipe_journey),
)


def run_journey(t: Terminal, cycle: int) -> str:
    """Journey number ``cycle`` of the mix (each kind in turn); returns its name."""
    name, journey = JOURNEYS[cycle % len(JOURNEYS)]
    journey(t, cycle // len(JOURNEYS))
    t.counts[name] = t.counts.get(name, 0) + 1
    return name

