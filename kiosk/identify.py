"""Admitting a card holder into the session: the rules applied to a card that was read.

The drivers read whatever card is placed, expired or not (a technician testing a reader
wants to see it read); the *session* decides whether the person may use the terminal with
it. A refusal carries an i18n key so the screen can say clearly what to do.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from drivers.idcard.identity import CardType
from drivers.idcard.identity import Identity as CardIdentity
from drivers.idcard.errors import InvalidIdNumber
from drivers.idcard.idnumber import validate_id_number
from drivers.smartcard.errors import ApplicationNotFound, CardDataError, CardRemovedError
from kiosk.backend.base import VerifiedIdentity
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


# ----- identity codes (扫码亮证, 政务 App 身份码) -----------------------------------------------
# Backend refusals of a code -> what the screen says. Anything else (server error, garbled answer)
# is "could not be checked now".
CODE_REFUSALS = {"code_unknown": "identify.code_unknown", "code_expired": "identify.code_expired",
                 "code_unsupported": "identify.code_unsupported", "offline": "identify.code_offline",
                 "no_server": "identify.code_offline"}
IDENTITY_CODE_KINDS = {"licence": "licence", "app_identity": "app"}  # PayloadKind value -> code kind


def code_refusal_key(reason: str) -> str:
    """The message key for a backend refusal of an identity code."""
    return CODE_REFUSALS.get(reason, "identify.code_failed")


def token_hint(token: str) -> str:
    """The only form of a token a log may show: its first characters and its length."""
    return f"{token[:4]}…({len(token)})"


def admit_code(session: Session, verified: VerifiedIdentity, today: dt.date | None = None) -> Identity:
    """Make the holder the backend vouched for the session's identity, after the same checks as a card."""
    today = today or dt.date.today()
    if verified.valid_until is not None and verified.valid_until < today:
        raise CardRefused("identify.expired")
    if verified.card_type in ("resident", ""):
        try:
            validate_id_number(verified.id_number, today)
        except InvalidIdNumber:
            raise CardRefused("identify.invalid_number") from None
    identity = Identity(source="qr", id_number=verified.id_number, name=verified.name,
                        extra={"code_kind": verified.code_kind, "card_type": verified.card_type or "resident",
                               "valid_until": verified.valid_until})
    session.set_identity(identity)
    return identity


# ----- which ways in this terminal offers ---------------------------------------------------------
METHODS = ("idcard", "sscard", "qr")


def configured_methods(devices: Any) -> tuple[str, ...]:
    """The identify methods a terminal's ``devices`` config offers, in the order the screen names them."""
    have = {"idcard": devices.idcard is not None, "sscard": devices.sscard is not None,
            "qr": devices.qr_camera is not None or devices.scanner is not None}
    return tuple(m for m in METHODS if have[m])


def voice_key(methods: tuple[str, ...]) -> str:
    """The spoken prompt naming exactly these methods (``voice.identify`` names all three)."""
    if set(methods) == set(METHODS) or not methods:
        return "voice.identify"
    return "voice.identify_" + "_".join(methods)


def heading(methods: tuple[str, ...], tr: Callable[[str], str]) -> str:
    """``请放置身份证、社保卡或出示二维码``, built from the methods configured (``tr`` translates a key)."""
    cards = [tr(f"identify.method.{m}") for m in methods if m != "qr"]
    qr = "qr" in methods
    if not cards:
        return tr("identify.show_code_only") if qr else tr("identify.no_method")
    key = ("identify.place" if len(cards) == 1 else "identify.place_two") + ("_or_code" if qr else "")
    return tr(key).format(first=cards[0], second=cards[-1])


# ----- the social-security card ---------------------------------------------------------------
class CardPulledDuringRead(CardDataError):
    """The 社保卡 left the reader half-way through the read: the citizen is told, not left waiting."""


def read_sscard_whole(card: Any) -> CardIdentity:
    """:func:`drivers.smartcard.sscard.read_sscard`, but a card pulled mid-read is an error to report.

    The watcher treats ``CardRemovedError`` as "nothing happened" (right for a staff card); a citizen
    who pulled the card too early must be told to insert it again and keep it there.
    """
    from drivers.smartcard.sscard import read_sscard

    try:
        return read_sscard(card)
    except CardRemovedError:
        raise CardPulledDuringRead("the card left the reader during the read") from None


def sscard_refusal_key(exc: Exception) -> str:
    """The message key for a social-security card that could not be used."""
    if isinstance(exc, CardPulledDuringRead):
        return "identify.sscard_pulled"
    if isinstance(exc, ApplicationNotFound):
        return "identify.sscard_not_ss"
    return "identify.sscard_unreadable"
