"""Real-time status (``DLE EOT n``): the bits, decoded and encoded in one place.

Each answer is one byte with bit 1 and bit 4 always set (``0x12``) and bits 0 and 7 clear,
which is how a reader tells a status byte from stray data. The meaning of the other bits
(Epson ESC/POS reference, followed by the Chinese thermal printers we target):

=====  ==========================================================
n = 1  printer status: bit 3 offline
n = 2  offline cause: bit 2 cover open, bit 5 printing stopped by paper end, bit 6 error
n = 3  error cause: bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable
n = 4  roll paper sensor: bits 2+3 near end, bits 5+6 paper end
=====  ==========================================================

The virtual printer builds its answers with :func:`encode_status`, the driver reads them
with :func:`decode_status`, so both sides share this table.
"""
from __future__ import annotations

from dataclasses import dataclass

from drivers.health import Health

FIXED = 0x12
QUERIES = (1, 2, 3, 4)


class StatusByteError(ValueError):
    """A reply that is not a status byte (fixed bits wrong): line noise or a confused printer."""


@dataclass(frozen=True)
class PrinterStatus:
    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False

    @property
    def can_print(self) -> bool:
        return self.online and not (self.paper_out or self.cover_open or self.cutter_error
                                    or self.unrecoverable_error)

    def problem(self) -> str:
        """The reason key of the most pressing problem, ``""`` when it can print.

        Order matters to the person at the terminal: an open cover is fixed before paper
        can be loaded, and a cutter jam needs a technician whatever else is wrong.
        """
        if self.cutter_error:
            return "cutter_error"
        if self.unrecoverable_error:
            return "printer_error"
        if self.cover_open:
            return "cover_open"
        if self.paper_out:
            return "paper_out"
        if not self.online:
            return "printer_offline"
        return ""

    def health(self) -> Health:
        reason = self.problem()
        if reason:
            return Health.fault(reason, self.describe())
        if self.paper_near_end:
            return Health.degraded("paper_near_end", "paper roll near its end")
        return Health.ok("online, paper ok")

    def describe(self) -> str:
        flags = [name for name in ("cover_open", "paper_near_end", "paper_out", "cutter_error",
                                   "unrecoverable_error") if getattr(self, name)]
        return ("online" if self.online else "offline") + (": " + ", ".join(flags) if flags else "")


def _bit(byte: int, n: int) -> bool:
    return bool(byte >> n & 1)


def check_byte(byte: int) -> int:
    if byte & 0x93 != FIXED:
        raise StatusByteError(f"0x{byte:02x} is not a DLE EOT status byte")
    return byte


def decode_status(replies: dict[int, int]) -> PrinterStatus:
    """Combine the answers to ``DLE EOT 1..4`` (missing ones count as 'no problem')."""
    for b in replies.values():
        check_byte(b)
    s1, s2, s3, s4 = (replies.get(n, FIXED) for n in QUERIES)
    return PrinterStatus(
        online=not _bit(s1, 3),
        cover_open=_bit(s2, 2),
        paper_out=_bit(s4, 5) or _bit(s4, 6) or _bit(s2, 5),
        paper_near_end=_bit(s4, 2) or _bit(s4, 3),
        cutter_error=_bit(s3, 3),
        unrecoverable_error=_bit(s3, 5),
    )


def encode_status(n: int, status: PrinterStatus) -> int:
    """The byte a printer in ``status`` answers to ``DLE EOT n``."""
    byte = FIXED
    if n == 1:
        byte |= 0 if status.online else 1 << 3
    elif n == 2:
        byte |= (1 << 2 if status.cover_open else 0) | (1 << 5 if status.paper_out else 0)
        byte |= 1 << 6 if (status.cutter_error or status.unrecoverable_error) else 0
    elif n == 3:
        byte |= (1 << 3 if status.cutter_error else 0) | (1 << 5 if status.unrecoverable_error else 0)
    elif n == 4:
        byte |= (0b1100 if status.paper_near_end else 0) | (0b1100000 if status.paper_out else 0)
    else:
        raise ValueError(f"DLE EOT {n} is not a status query")
    return byte
