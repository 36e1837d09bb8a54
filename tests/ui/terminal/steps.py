"""Steps the journey tests share: find and tap by text, type on a keypad, read the outbox."""
from __future__ import annotations

from drivers.idcard.people import PEOPLE


def button(driver, text: str, root=None):
    """The enabled button showing ``text`` on the current screen."""
    driver.pump(frames=3)
    found = [w for w in (root or driver.screen).walk(restrict=True)
             if getattr(w, "text", None) == text and hasattr(w, "on_release") and not w.disabled and _shown(w)]
    assert found, f"no button {text!r} on {driver.app.manager.current}: {driver.texts()}"
    return found[0]


def _shown(widget) -> bool:
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
    assert driver.wait_for(lambda: driver.app.manager.current == name, timeout=timeout), driver.app.manager.current
    driver.pump(frames=3)


def wait_idle(driver, timeout: float = 10.0) -> None:
    """Until the current screen's backend call has answered."""
    assert driver.wait_for(lambda: not getattr(driver.screen, "busy", False), timeout=timeout)
    driver.pump(frames=3)


def events(app, kind: str) -> list[dict]:
    reporting = app.reporting or app._ensure_reporting()
    return [e.payload for e in reporting.outbox.peek_batch(1000, 10_000_000) if e.type == kind]


def identify_with_card(driver, sam_sim, person: str = "zhang") -> None:
    wait_screen(driver, "identify")
    sam_sim.place(PEOPLE[person])


def assert_nothing_personal(app, person: str = "zhang") -> None:
    """After a wipe: no ID number or name in the session, on any screen, or in a screen's state."""
    card = PEOPLE[person]
    assert app.session.identity is None and not app.session.data
    for screen in app.manager.screens:
        for widget in screen.walk(restrict=True):
            text = str(getattr(widget, "text", ""))
            assert card.id_number not in text and card.name not in text, (screen.name, text)
        state = repr([getattr(screen, n) for n in screen.properties()] + list(vars(screen).values()))
        assert card.id_number not in state and card.name not in state, (screen.name, "keeps personal data")
