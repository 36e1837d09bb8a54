"""Printing a receipt (办事指南, 打印回执, 受理凭证) on the terminal's thermal printer.

The printer driver raises unless the job verifiably came out; only then is a ``print_job``
event recorded. A failure becomes :class:`kiosk.journeys.printing.PrintError` for the screen.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.documents.receipts import Header
from kiosk.journeys.printing import PrintError
from kiosk.report_events import print_job

log = logging.getLogger(__name__)


def header_for(config) -> Header:
    """The hall and terminal on top of every receipt; the hotline as the phone number."""
    return Header(hall=config.device.hall or config.device.name, terminal_id=config.device.id, phone=config.ui.hotline)


def print_receipt_bytes(config, data: bytes, document: str, record: Callable[[str, dict], None]) -> None:
    """Send ESC/POS bytes to the configured receipt printer; PrintError unless it printed."""
    from drivers.printer.thermal import ThermalPrinter

    if config.devices.printer is None:
        raise PrintError("no_printer")
    try:
        ThermalPrinter.from_config(config.devices.printer).print_job(data)
    except Exception as exc:  # PrinterError (paper out, offline …) or the transport
        log.warning("receipt print failed: %s", getattr(exc, "reason", type(exc).__name__))
        raise PrintError("receipt_failed") from None
    try:
        record("print_job", print_job("printer", 1, "success", document=document))
    except Exception:
        log.exception("print_job event could not be recorded")


def profile_for(config):
    """The receipt printer's profile (paper width), for laying a receipt out before sending it."""
    from drivers.printer.profiles import get_profile

    printer = config.devices.printer
    return get_profile(printer.profile, printer.paper_width_mm) if printer is not None else None
