"""The receipt printer as the kiosk sees it: health, and jobs under print-then-commit.

Print-then-commit: a receipt counts as printed only when the printer is online with
paper *after* the job. Before the job the status is checked so a person is not asked to
wait for a printer with its cover open; after it, so a roll that ran out half-way, a
cable pulled mid-job or a jammed cutter make the job fail (typed, with a reason key)
and the caller does not record the transaction as printed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from drivers.health import Health
from drivers.ports import PortSpec, parse_port
from drivers.printer.errors import PrinterError, PrintFailed
from drivers.printer.link import PrinterLink
from drivers.printer.profiles import PrinterProfile, get_profile
from drivers.printer.status import PrinterStatus


@dataclass(frozen=True)
class PrintOutcome:
    """A job the printer accepted. ``verified`` is false only for transports with no way back."""

    verified: bool
    bytes_sent: int
    status: PrinterStatus | None
    warning: str = ""  # e.g. "paper_near_end": printed, but tell the technician


class ThermalPrinter:
    def __init__(self, port: str | PortSpec, profile: PrinterProfile | None = None, timeout_s: float = 5.0,
                 baudrate: int = 9600, settle_s: float = 0.0) -> None:
        self.spec = parse_port(port) if isinstance(port, str) else port
        self.profile = profile or get_profile()
        self.timeout_s = timeout_s
        self.baudrate = baudrate
        self.settle_s = settle_s  # wait before the after-job check on printers that answer ahead of the head

    @classmethod
    def from_config(cls, config: Any) -> "ThermalPrinter":
        """Build from a ``ThermalPrinterConfig`` (duck-typed: drivers do not import kiosk)."""
        return cls(config.port, get_profile(config.profile, config.paper_width_mm), config.timeout_s,
                   getattr(config, "baudrate", 9600), getattr(config, "settle_s", 0.0))

    def _link(self) -> PrinterLink:
        return PrinterLink(self.spec, self.timeout_s, self.baudrate)

    def status(self) -> PrinterStatus | None:
        """The printer's state now; ``None`` when the transport cannot tell (``file:``)."""
        with self._link() as link:
            return link.status() if link.can_read_status and self.profile.realtime_status else None

    def health(self) -> Health:
        try:
            status = self.status()
        except PrinterError as exc:
            return Health.fault(exc.reason, exc.detail)
        if status is None:
            return Health.ok(f"{self.spec}: sends only, no status")
        return status.health()

    def print_job(self, data: bytes) -> PrintOutcome:
        """Send one job; raise a :class:`PrinterError` unless it verifiably came out."""
        with self._link() as link:
            checks = link.can_read_status and self.profile.realtime_status
            if checks:
                before = link.status()
                if not before.can_print:
                    raise PrintFailed(before, "before")
            link.write(data)
            if not checks:
                return PrintOutcome(False, len(data), None)
            if self.settle_s:
                time.sleep(self.settle_s)
            after = link.status()
            if not after.can_print:
                raise PrintFailed(after, "after")
            return PrintOutcome(True, len(data), after, "paper_near_end" if after.paper_near_end else "")
