"""Typed printer failures. ``reason`` is the stable key the UI translates and the server groups by.

Everything that can go wrong with a receipt ends up as one of these inside the driver, and
as a :class:`drivers.health.Health` outside it; no socket error text reaches a person.
"""
from __future__ import annotations

from drivers.printer.status import PrinterStatus


class PrinterError(Exception):
    reason = "printer_error"

    def __init__(self, detail: str = "", reason: str | None = None) -> None:
        super().__init__(detail or reason or self.reason)
        if reason:
            self.reason = reason
        self.detail = detail


class PrinterUnreachable(PrinterError):
    """The transport could not be opened (cable, address, permissions, missing library)."""

    reason = "unreachable"


class PrinterDisconnected(PrinterError):
    """The connection broke while talking to the printer (mid-job: the receipt is incomplete)."""

    reason = "printer_disconnected"


class PrinterNoResponse(PrinterError):
    """The printer did not answer ``DLE EOT`` in time, or answered with something else."""

    reason = "printer_no_response"


class PrintFailed(PrinterError):
    """The printer said it cannot print (before the job) or did not finish it (after)."""

    def __init__(self, status: PrinterStatus, stage: str) -> None:
        self.status = status
        self.stage = stage
        super().__init__(f"{stage} job: {status.describe()}", reason=status.problem() or "printer_error")
