"""The devices a screen uses, built from their config sections: screens reach hardware only here.

``screens/`` calls ``kiosk/`` and nothing lower (the layering rule, checked by
tests/unit/test_layers.py), so the UI never depends on how a driver is constructed: which
keyword a poller takes, which builder a code reader needs. Each function imports its driver
when called, so a terminal without OpenCV or pyscard starts and only that device is missing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.health import Health

__all__ = ["Health", "a4_printer", "code_reader", "document_camera", "document_preview", "id_card_poller",
           "sample_people", "smart_card_watcher", "staff_card_watcher"]


def id_card_poller(config: Any, on_card: Callable[[Any], None], on_error: Callable[[Exception], None]) -> Any:
    """The SAM ID-card reader's poller (not started) for ``[devices.idcard]``."""
    from drivers.idcard.poller import poller_for_port

    return poller_for_port(config.port, on_card, baudrate=config.baudrate, fallback_baudrate=config.fallback_baudrate,
                           timeout_s=config.timeout_s, retries=config.retries,
                           poll_interval_s=max(config.poll_interval_s, 0.05), on_error=on_error)


def smart_card_watcher(config: Any, read: Callable[[Any], Any], on_card: Callable[[Any], None],
                       on_error: Callable[[Exception], None] | None = None) -> Any:
    """A PC/SC watcher (not started) that runs ``read`` on each card put on ``[devices.sscard]``'s reader."""
    from drivers.smartcard.watcher import CardWatcher

    return CardWatcher(read, on_card, reader=config.reader, poll_interval_s=config.poll_interval_s, on_error=on_error)


def staff_card_watcher(config: Any, on_uid: Callable[[str], None]) -> Any:
    """The evaluator's staff-card watcher (not started): the UID of each card put on the reader."""
    from drivers.smartcard.watcher import staffcard_watcher

    return staffcard_watcher(on_uid, reader=config.reader, poll_interval_s=config.poll_interval_s)


def code_reader(kind: str, config: Any, on_code: Callable[[Any], None]) -> Any:
    """The QR camera (``qr_camera``) or hand scanner (``scanner``) reader (not started)."""
    from drivers.scanner.factory import build_hand_scanner, build_qr_camera

    builders = {"qr_camera": build_qr_camera, "scanner": build_hand_scanner}
    return builders[kind](config, on_code)


def document_camera(config: Any) -> Any:
    """The document camera of ``[devices.doc_camera]``: its frame grabber is not started yet."""
    from drivers.docscan.capture import build_document_camera

    return build_document_camera(config)


def document_preview(image: Any, seq: int, width: int, min_area: float) -> Any:
    """The live preview of a document-camera frame, with the page outline found in it."""
    from drivers.docscan.capture import make_preview

    return make_preview(image, seq, width, min_area)


def a4_printer(config: Any) -> Any:
    """The CUPS printer of ``[devices.a4printer]``."""
    from drivers.printer.cups import CupsPrinter

    return CupsPrinter.from_config(config)


def sample_people() -> dict[str, Any]:
    """The ID-card simulator's fictitious card holders (screenshot gallery and demos)."""
    from drivers.idcard.people import PEOPLE

    return PEOPLE
