"""Resident ID card reader (身份证阅读器) with a SAM module on a serial line.

Layers: ``protocol`` (frames) -> ``link`` (one exchange over pyserial, retries) ->
``reader`` (SAM commands, card read) -> ``poller`` (background thread, health);
``cardtext`` / ``idnumber`` / ``nations`` turn the card's bytes into an ``Identity``.
``simulator`` is the reader's side on a pty for the demo and the tests.
"""
from drivers.idcard.errors import (  # noqa: F401
    CardDataError,
    IdCardError,
    InvalidIdNumber,
    NoCardError,
    ProtocolError,
    ReaderUnavailable,
    StatusError,
)
from drivers.idcard.identity import OPEN_END, CardType, Identity  # noqa: F401
