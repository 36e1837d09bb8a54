"""Admitting a card holder into the session: the rules applied to a card that was read.

The drivers read whatever card is placed, expired or not (a technician testing a reader
wants to see it read); the *session* decides whether the person may use the terminal with
it. A refusal carries an i18n key so the screen can say clearly what to do.
"""
from __future__ import annotations

import datetime as dt

from drivers.idcard.identity import CardType
from drivers.idcard.identity import Identity as CardIdentity
from drivers.idcard.errors import InvalidIdNumber
from drivers.idcard.idnumber import validate_id_number
from kiosk.session import Identity, Session


class CardRefused(Exception):
    """The card was read but cannot be used; ``key`` is the i18n key of the message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def check_card(card: CardIdentity, today: dt.date | None = None) -> None:
    """Raise :class:`CardRefused` for an expired card or a resident number that fails GB 11643."""
    today = today or dt.date.today()
    if card.is_expired(today):
        raise CardRefused("identify.expired")
    if card.card_type in (CardType.RESIDENT, CardType.GAT):
        try:
            validate_id_number(card.id_number, today)
        except InvalidIdNumber:
            raise CardRefused("identify.invalid_number") from None


def admit_card(session: Session, card: CardIdentity, source: str, today: dt.date | None = None) -> Identity:
    """Check the card and make its holder the session's identity (in memory only)."""
    check_card(card, today)
    identity = Identity(source=source, id_number=card.id_number, name=card.name,
                        extra={"card_type": card.card_type.value, "valid_until": card.valid_until})
    session.set_identity(identity)
    return identity
