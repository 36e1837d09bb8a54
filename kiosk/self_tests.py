"""Maintenance self-tests: print a test page, read a test card, scan a test code, capture a test page.

A technician standing at the terminal proves each device does its real job, not only that it
answers a status poll. Each test uses the device's own driver exactly as a journey would, waits a
bounded time and returns a :class:`SelfTestResult` with an i18n key (``selftest.*``) and its values.
Nothing here keeps what it read: a test card shows only its masked name and number, a test code
only its format and length (it may be a citizen's e-licence token), a test page only its size.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.config import KioskConfig


@dataclass(frozen=True)
class SelfTestResult:
    ok: bool
    key: str  # i18n key, e.g. "selftest.printed"
    values: dict[str, str] = field(default_factory=dict)
    device: str = ""


def _failed(device: str, reason: str, detail: str = "") -> SelfTestResult:
    return SelfTestResult(False, "selftest.failed", {"reason": reason, "detail": detail[:120]}, device)


def print_test_page(config: KioskConfig, timeout_s: float = 20.0) -> SelfTestResult:
    """The receipt printer's test page (every feature once), under print-then-verify."""
    device = config.devices.printer
    if device is None:
        return SelfTestResult(False, "selftest.not_configured", device="printer")
    from drivers.printer.errors import PrinterError
    from drivers.printer.thermal import ThermalPrinter
    from kiosk.documents.receipts import Header, test_page

    try:
        printer = ThermalPrinter.from_config(device)
        header = Header(hall=config.device.hall or config.device.name or "自助终端", terminal_id=config.device.id)
        details = [("自检", "维护模式"), ("配置版本", config.config_version), ("型号配置", printer.profile.name)]
        outcome = printer.print_job(test_page(header, datetime.now(), details, printer.profile))
    except PrinterError as exc:
        return _failed("printer", exc.reason, exc.detail)
    except Exception as exc:  # a broken driver still gives a result on screen
        return _failed("printer", "driver_error", type(exc).__name__)
    key = "selftest.printed" if outcome.verified else "selftest.sent"
    return SelfTestResult(True, key, {"warning": outcome.warning}, "printer")


def read_test_card(config: KioskConfig, timeout_s: float = 15.0) -> SelfTestResult:
    """Wait for any card on the ID-card reader (or the social-security card reader)."""
    from kiosk.privacy import mask_id_number, mask_name

    if config.devices.idcard is not None:
        device_name, open_reader = "idcard", lambda: _idcard_reader(config.devices.idcard)
    elif config.devices.sscard is not None:
        device_name, open_reader = "sscard", lambda: _sscard_reader(config.devices.sscard)
    else:
        return SelfTestResult(False, "selftest.not_configured", device="idcard")
    deadline = time.monotonic() + timeout_s
    read: _Reader | None = None
    try:
        read = open_reader()
        while True:
            identity = read()
            if identity is not None:
                return SelfTestResult(True, "selftest.card_read", {"name": mask_name(identity.name),
                                                                   "id": mask_id_number(identity.id_number)},
                                      device_name)
            if time.monotonic() >= deadline:
                return SelfTestResult(False, "selftest.no_card", {"seconds": f"{timeout_s:g}"}, device_name)
            time.sleep(0.2)
    except _ReadFailed as exc:
        return _failed(device_name, exc.reason, exc.detail)
    finally:
        if read is not None:
            read.close()


class _ReadFailed(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


class _Reader:
    """A callable that returns an identity, ``None`` for "no card yet", or raises _ReadFailed."""

    def __init__(self, read: Callable[[], Any], close: Callable[[], None]) -> None:
        self._read, self.close = read, close

    def __call__(self) -> Any:
        return self._read()


def _idcard_reader(device) -> _Reader:
    from drivers.idcard.errors import CardDataError, IdCardError, NoCardError, ReaderUnavailable
    from drivers.idcard.reader import SamReader

    try:
        reader = SamReader.open(device.port, baudrate=device.baudrate, fallback_baudrate=device.fallback_baudrate,
                                timeout_s=device.timeout_s, retries=device.retries)
    except ReaderUnavailable as exc:
        raise _ReadFailed("port_missing", str(exc)) from None
    except IdCardError as exc:
        raise _ReadFailed("no_answer", str(exc)) from None

    def read():
        try:
            return reader.read_identity()
        except NoCardError:
            return None
        except CardDataError as exc:  # the card answered, but its data is not a valid identity
            raise _ReadFailed("card_error", type(exc).__name__) from None
        except IdCardError as exc:
            raise _ReadFailed("reader_error", str(exc)) from None

    return _Reader(read, reader.close)


def _sscard_reader(device) -> _Reader:
    from drivers.smartcard.errors import NoCardError, SmartCardError
    from drivers.smartcard.pcsc import PcscSession
    from drivers.smartcard.sscard import read_sscard

    session = PcscSession()

    def read():
        try:
            with session.connect(device.reader) as conn:
                return read_sscard(conn)
        except NoCardError:
            return None
        except SmartCardError as exc:
            raise _ReadFailed("pcsc_error", str(exc)) from None

    return _Reader(read, session.close)


def scan_test_code(config: KioskConfig, timeout_s: float = 15.0) -> SelfTestResult:
    """Wait for one code from the QR camera (or the hand scanner)."""
    from drivers.scanner.factory import build_hand_scanner, build_qr_camera

    if config.devices.qr_camera is not None:
        device_name, reader = "qr_camera", build_qr_camera(config.devices.qr_camera)
    elif config.devices.scanner is not None:
        device_name, reader = "scanner", build_hand_scanner(config.devices.scanner)
    else:
        return SelfTestResult(False, "selftest.not_configured", device="qr_camera")
    codes: list[Any] = []
    try:
        reader.on_code = codes.append
        reader.start()
        deadline = time.monotonic() + timeout_s
        while not codes and time.monotonic() < deadline:
            time.sleep(0.05)
        health = reader.health()
    except Exception as exc:
        return _failed(device_name, "driver_error", type(exc).__name__)
    finally:
        try:
            reader.stop()
        except Exception:
            pass
    if codes:
        return SelfTestResult(True, "selftest.code_read", {"format": codes[0].format, "length": str(len(codes[0].raw))},
                              device_name)
    if health.is_fault:
        return _failed(device_name, health.reason, health.detail)
    return SelfTestResult(False, "selftest.no_code", {"seconds": f"{timeout_s:g}"}, device_name)


def capture_test_page(config: KioskConfig, timeout_s: float = 5.0) -> SelfTestResult:
    """One capture with the document camera: a page found, straightened and enhanced."""
    device = config.devices.doc_camera
    if device is None:
        return SelfTestResult(False, "selftest.not_configured", device="doc_camera")
    from drivers.docscan.capture import build_document_camera

    camera = build_document_camera(device)
    try:
        camera.grabber.start()
        capture = camera.capture(timeout=timeout_s)
        health = camera.health()
    except Exception as exc:
        return _failed("doc_camera", "driver_error", type(exc).__name__)
    finally:
        camera.grabber.stop()
    if capture.found and capture.page is not None:
        height, width = capture.page.shape[:2]
        return SelfTestResult(True, "selftest.page_captured", {"width": str(width), "height": str(height)}, "doc_camera")
    if capture.reason == "no_frame" or health.is_fault:
        return _failed("doc_camera", health.reason or "no_frames", health.detail)
    return SelfTestResult(False, "selftest.no_page", device="doc_camera")


# name -> (test, the devices it uses): the maintenance screen shows one button per entry
SELF_TESTS: dict[str, tuple[Callable[[KioskConfig], SelfTestResult], tuple[str, ...]]] = {
    "print": (print_test_page, ("printer",)),
    "card": (read_test_card, ("idcard", "sscard")),
    "code": (scan_test_code, ("qr_camera", "scanner")),
    "capture": (capture_test_page, ("doc_camera",)),
}
