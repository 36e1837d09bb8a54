"""The SAM reader's commands and the card-reading transaction built from them.

A read is find card (``20 01``, answered ``9F``) -> select card (``20 02``) -> read
(``30 01`` text+photo, or ``30 10`` with fingerprint) -> parse. A card pulled away in the
middle shows up as a read failure, a cut-off frame or "no card"; the whole transaction is
then retried from "find" a bounded number of times, because repeating only the read of a
card that is no longer selected cannot succeed.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from drivers.idcard.cardtext import parse_text
from drivers.idcard.errors import (
    NoCardError,
    ProtocolError,
    ReadFailedError,
    SelectFailedError,
    UnexpectedResponse,
)
from drivers.idcard.identity import Identity
from drivers.idcard.link import SerialLink
from drivers.idcard.protocol import CardRecord, Command, parse_read_data

log = logging.getLogger(__name__)

PhotoDecoder = Callable[[bytes], bytes | None]


def format_sam_id(raw: bytes) -> str:
    """The 16-byte SAM id as vendor tools print it: ``05.01-20101206-0012345678-0123456789``."""
    if len(raw) < 14:
        raise UnexpectedResponse(f"SAM id of {len(raw)} bytes, 16 expected")
    le = lambda a, b: int.from_bytes(raw[a:b], "little")  # noqa: E731
    return f"{raw[0]:02d}.{raw[1]:02d}-{le(2, 6):08d}-{le(6, 10):010d}-{le(10, 14):010d}"


class SamReader:
    """High-level commands of one SAM ID-card reader."""

    def __init__(self, link: SerialLink, photo_decoder: PhotoDecoder | None = None) -> None:
        self.link = link
        self.photo_decoder = photo_decoder

    @classmethod
    def open(cls, port: str, baudrate: int = 115200, fallback_baudrate: int | None = 9600,
             timeout_s: float = 1.0, retries: int = 2, photo_decoder: PhotoDecoder | None = None,
             negotiate: bool = True) -> "SamReader":
        """Open the port and find the speed the reader answers at (SAM id as the probe)."""
        link = SerialLink(port, baudrate, fallback_baudrate, timeout_s, retries)
        link.open()
        reader = cls(link, photo_decoder)
        if negotiate:
            try:
                link.negotiate_baudrate(reader.sam_id)
            except Exception:
                link.close()
                raise
        return reader

    def close(self) -> None:
        self.link.close()

    def __enter__(self) -> "SamReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- single commands ---------------------------------------------------------------
    def sam_id(self) -> str:
        return format_sam_id(self.link.transact(Command.SAM_ID).data)

    def reset_sam(self) -> None:
        self.link.transact(Command.RESET_SAM)

    def find_card(self) -> bool:
        """True if a card is in the field; ``80`` (no card) is an answer, not an error."""
        try:
            self.link.transact(Command.FIND_CARD)
            return True
        except NoCardError:
            return False

    def select_card(self) -> bytes:
        """Select the card found; returns the 8 bytes the SAM gives back (card serial)."""
        return self.link.transact(Command.SELECT_CARD).data

    def read_record(self, with_fingerprint: bool = False) -> CardRecord:
        command = Command.READ_WITH_FINGERPRINT if with_fingerprint else Command.READ_TEXT_PHOTO
        # A garbled answer is re-requested at once (the card stays selected on the readers
        # we know); if the reader has lost the selection it answers 41 and
        # read_identity starts over from "find".
        response = self.link.transact(command)
        return parse_read_data(response.data, with_fingerprint)

    # --- the transaction ---------------------------------------------------------------
    def read_identity(self, with_fingerprint: bool = False, attempts: int | None = None,
                      today: dt.date | None = None) -> Identity:
        """Find, select, read and parse the card on the reader.

        Raises :class:`NoCardError` when there is no card, :class:`InvalidIdNumber` /
        :class:`CardDataError` for a card whose text is wrong, and the last protocol or
        status error when every attempt failed.
        """
        tries = 1 + (self.link.retries if attempts is None else attempts - 1)
        last: Exception | None = None
        for attempt in range(tries):
            if attempt:
                self.link.stats.retries += 1
            try:
                if not self.find_card():
                    raise NoCardError()
                self.select_card()
                record = self.read_record(with_fingerprint)
                break
            except (ProtocolError, ReadFailedError, SelectFailedError) as exc:
                last = exc
                log.debug("ID card read attempt %d/%d failed: %s", attempt + 1, tries, exc)
        else:
            assert last is not None
            raise last
        identity = parse_text(record.text, record.photo, today)
        if self.photo_decoder is not None and record.photo:
            identity = _with_photo(identity, self.photo_decoder)
        return identity


def _with_photo(identity: Identity, decoder: PhotoDecoder) -> Identity:
    from dataclasses import replace

    try:
        image = decoder(identity.photo_wlt)
    except Exception as exc:  # a vendor library failing must not lose the identity
        log.warning("WLT photo decoder failed: %s", type(exc).__name__)
        image = None
    return replace(identity, photo_image=image)
