"""Where the terminal's tiles lead, and the steps every journey shares (identify, rate, end).

Data that crosses screens (the chosen guide item, the journey being rated) lives in
``app.session.data``, which the session wipe clears; screens keep nothing of their own
after they are left.
"""
from __future__ import annotations

from kiosk.journeys.idle import IdlePolicy

# tile key -> (screen, needs an identified person)
JOURNEYS: dict[str, tuple[str, bool]] = {
    "guide": ("guide", False),
    "progress": ("progress", False),  # by case number without a card, or "my cases" after identifying
    "print": ("print", True),
    "declare": ("declare", True),
    "rate": ("terminal_rating", False),
}


def open_journey(app, key: str) -> None:
    """A home tile was tapped: start its journey (identifying first when it needs a person)."""
    screen, needs_identity = JOURNEYS[key]
    app.session.touch()
    if key == "rate":
        ask_rating(app, "rate")
        return
    if needs_identity:
        require_identity(app, screen)
    else:
        app.show(screen)


def require_identity(app, then: str) -> None:
    """Go to ``then`` when someone is identified, else identify first and go there afterwards."""
    if app.session.identity is not None:
        app.show(then)
        return
    app.session.data["after_identify"] = then
    app.show("identify")


def ask_rating(app, journey: str, case_no: str = "", item_name: str = "") -> None:
    """Every journey ends with the self-service rating (好差评); the rating screen ends the session."""
    app.session.data["rating"] = {"journey": journey, "case_no": case_no, "item_name": item_name}
    app.show("terminal_rating")


def idle_policy(app) -> IdlePolicy:
    return IdlePolicy(app.kiosk_config.ui.idle_timeout_s)
