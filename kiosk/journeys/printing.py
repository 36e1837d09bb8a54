"""证照打印: fetch the certificate, render it, print on A4, and only then count it.

Print-then-commit: the usage event (``outcome: success``) and the thermal print receipt
exist only after CUPS reported the job *completed*; any failure is recorded as a failure
and the citizen is told so (a failed print never counts as printed).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.backend.base import CertificateSummary, ServiceBackend
from kiosk.documents.receipts import PrintReceipt
from kiosk.report_events import print_job, usage

if TYPE_CHECKING:  # reportlab takes ~0.2 s to import: loaded on the first print, not before the first frame
    from kiosk.documents.certificate import Certificate

log = logging.getLogger(__name__)

TITLE_PREFIX = "kiosk-cert-"


class A4Printer(Protocol):
    def print_pdf(self, pdf: bytes, title: str = "") -> Any: ...


class PrintError(Exception):
    """The print did not complete; ``reason`` is an i18n key suffix under ``journey.error``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PrintedCertificate:
    certificate: Certificate
    pages: int
    job_title: str

    def receipt(self, printed_at: datetime) -> PrintReceipt:
        cert = self.certificate
        return PrintReceipt(document_title=cert.title, document_number=cert.number, pages=self.pages, copies=1,
                            verify_code=cert.verify_code, verify_url=cert.verify_url, owner_name=cert.holder_name,
                            printed_at=printed_at)


def new_job_title(device_id: str = "") -> str:
    """The CUPS job title (cups-pdf names its file after it): the device, as several terminals or test
    runs may share one print server, and the time; never anything about the citizen."""
    return f"{TITLE_PREFIX}{device_id + '-' if device_id else ''}{int(time.time() * 1000)}"


def fetch_certificate(backend: ServiceBackend, id_number: str, summary: CertificateSummary) -> tuple[Certificate, bytes]:
    """The certificate's fields and its rendered PDF (in memory only; BackendError on failure)."""
    from kiosk.documents.certificate import Certificate, render_certificate

    fields = backend.certificate_document(id_number, summary.id)
    cert = Certificate(**fields)
    return cert, render_certificate(cert)


def print_certificate(printer: A4Printer, cert: Certificate, pdf: bytes, pages: int,
                      record: Callable[[str, dict], None], job_title: str = "") -> PrintedCertificate:
    """Print and wait for the result; record usage and print_job events for either outcome."""
    started = time.monotonic()
    title = job_title or new_job_title()
    try:
        printer.print_pdf(pdf, title)
    except Exception as exc:  # A4PrintFailed or a transport error: both mean "not printed"
        reason = getattr(exc, "reason", "print_failed")
        log.warning("certificate print failed: %s", reason)
        _record(record, "usage", usage("print", "failure", pages=0, reason=reason, document=cert.title,
                                       duration_ms=int((time.monotonic() - started) * 1000)))
        raise PrintError("print_failed") from None
    _record(record, "print_job", print_job("a4printer", pages, "success", document=cert.title))
    _record(record, "usage", usage("print", "success", pages=pages, document=cert.title,
                                   duration_ms=int((time.monotonic() - started) * 1000)))
    return PrintedCertificate(cert, pages, title)


def _record(record: Callable[[str, dict], None], kind: str, payload: dict) -> None:
    try:
        record(kind, payload)
    except Exception:
        log.exception("%s event could not be recorded", kind)
