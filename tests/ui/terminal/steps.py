"""Steps the journey tests share: find and tap by text, type on a keypad, read the outbox.

The steps that drive the app live in :mod:`screens.scripted` (the soak and ``bench/ui.py`` use
them too); this module adds what only tests read (the outbox, the privacy check).
"""
from __future__ import annotations

from drivers.idcard.people import PEOPLE
from screens.scripted import button, tap_text, type_keys, wait_idle, wait_screen  # noqa: F401  (the tests' steps)


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
