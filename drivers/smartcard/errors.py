"""Typed errors of the PC/SC card readers (social-security card, staff card).

The watcher thread reacts to kinds: pcscd gone (rebuild the context), reader unplugged
(wait for it), card pulled (forget it), a card that answers with an error status word
(refuse it with a reason). Messages never contain card data.
"""
from __future__ import annotations


class SmartCardError(Exception):
    """Base of everything this driver raises."""


class PcscUnavailable(SmartCardError):
    """pcscd is not running or went away; the context must be rebuilt."""


class ReaderMissing(SmartCardError):
    """No reader (or none matching the configured name) is connected."""


class NoCardError(SmartCardError):
    """No card in the reader."""


class CardRemovedError(SmartCardError):
    """The card left the reader during the exchange."""


class CardDataError(SmartCardError):
    """The card answered, but its content is not what the application expects."""


class StatusWordError(SmartCardError):
    """The card answered an APDU with a status word other than 90 00."""

    sw: int = 0
    text: str = "card error"

    def __init__(self, sw: int, what: str = "") -> None:
        self.sw = sw
        super().__init__(f"SW {sw:04X}: {self.text}" + (f" ({what})" if what else ""))


class WrongLengthError(StatusWordError):
    text = "wrong length"


class SecurityError(StatusWordError):
    text = "security status not satisfied"


class FileNotFoundSW(StatusWordError):
    text = "file or application not found"


class RecordNotFoundError(StatusWordError):
    text = "record not found"


class WrongParametersError(StatusWordError):
    text = "wrong parameters P1-P2"


class UnsupportedCommandError(StatusWordError):
    text = "instruction or class not supported"


class ApplicationNotFound(FileNotFoundSW):
    """Selecting the social-security application by AID failed: not a 社保卡."""

    text = "social-security application not found"


STATUS_WORDS: dict[int, type[StatusWordError]] = {
    0x6700: WrongLengthError,
    0x6982: SecurityError,
    0x6A82: FileNotFoundSW,
    0x6A83: RecordNotFoundError,
    0x6A86: WrongParametersError,
    0x6B00: WrongParametersError,
    0x6D00: UnsupportedCommandError,
    0x6E00: UnsupportedCommandError,
}


def status_word_error(sw: int, what: str = "") -> StatusWordError:
    return STATUS_WORDS.get(sw, StatusWordError)(sw, what)
