"""A4 printing through CUPS: submit a PDF, follow the job to its end, read printer-state-reasons.

Print-then-commit holds for A4 too: a certificate counts as printed only when its job
reaches ``completed``. A job that ends ``aborted``/``canceled``, or stops (``processing-
stopped``, e.g. out of paper) is a typed failure whose reason comes from the printer's
``printer-state-reasons`` (``media-empty`` -> ``paper_out``), so the person at the
terminal is told what to do and the technician sees the same key in the dashboard.
"""
from __future__ import annotations

import getpass
import time
import uuid
from dataclasses import dataclass

from drivers.health import Health
from drivers.printer import ipp
from drivers.printer.errors import PrinterError

# printer-state-reasons keyword (suffix -error/-warning/-report removed) -> our reason key
REASON_KEYS = {
    "media-empty": "paper_out", "media-needed": "paper_out", "media-jam": "paper_jam",
    "media-low": "paper_low", "toner-empty": "toner_out", "marker-supply-empty": "toner_out",
    "toner-low": "toner_low", "marker-supply-low": "toner_low", "offline": "printer_offline",
    "shutdown": "printer_offline", "connecting-to-device": "printer_offline", "door-open": "cover_open",
    "cover-open": "cover_open", "paused": "queue_disabled", "stopped-partly": "printer_error",
}
_LOW = {"paper_low", "toner_low"}
_ALWAYS_FAULT = {"printer_offline", "queue_disabled"}  # CUPS reports these as "-report"; nothing prints
_IGNORED = {"none", "cups-waiting-for-job-completed", "moving-to-paused", "other"}
FINAL_STATES = {6, 7, 8, 9}


class A4PrintFailed(PrinterError):
    """The job did not complete; ``reason`` is a user-facing key (one ``except PrinterError`` for both printers)."""

    def __init__(self, reason: str, detail: str = "", job_id: int = 0) -> None:
        super().__init__(detail, reason)
        self.job_id = job_id


@dataclass(frozen=True)
class JobResult:
    job_id: int
    state: str
    reasons: tuple[str, ...]
    title: str


def _split(reason: str) -> tuple[str, str]:
    for suffix in ("-error", "-warning", "-report"):
        if reason.endswith(suffix):
            return reason[: -len(suffix)], suffix[1:]
    return reason, "error"  # a bare keyword is as serious as an -error


def reasons_health(printer_state: int, reasons: list[str]) -> Health:
    """printer-state + printer-state-reasons -> one Health (the worst reason wins)."""
    faults: list[str] = []
    warnings: list[str] = []
    for raw in reasons:
        base, severity = _split(raw)
        if base in _IGNORED:
            continue
        key = REASON_KEYS.get(base, "printer_error" if severity == "error" else "")
        if not key:
            continue
        is_fault = key in _ALWAYS_FAULT or (severity == "error" and key not in _LOW)
        (faults if is_fault else warnings).append(key)
    detail = ", ".join(reasons)
    if printer_state == 5 and not faults:
        faults.append("queue_disabled")
    if faults:
        return Health.fault(faults[0], detail)
    if warnings:
        return Health.degraded(warnings[0], detail)
    return Health.ok(ipp.PRINTER_STATES.get(printer_state, str(printer_state)))


class CupsPrinter:
    def __init__(self, queue: str, server: str = "", job_timeout_s: float = 120.0, poll_s: float = 0.2,
                 user: str = "") -> None:
        self.queue = queue
        # The job's owner; cups-pdf files a PDF under this user's home (unknown users: its ANONYMOUS folder).
        self.user = user or getpass.getuser()
        host, _, port = (server or "localhost:631").rpartition(":")
        self.host, self.port = (host or "localhost"), int(port or 631)
        self.job_timeout_s = job_timeout_s
        self.poll_s = poll_s

    @classmethod
    def from_config(cls, config) -> "CupsPrinter":
        return cls(config.queue, config.server, getattr(config, "job_timeout_s", 120.0))

    @property
    def uri(self) -> str:
        return f"ipp://{self.host}:{self.port}/printers/{self.queue}"

    def _call(self, operation: int, attributes: list[bytes], document: bytes = b"") -> ipp.IppResponse:
        body = ipp.encode_request(operation, [ipp.attr(ipp.URI, "printer-uri", self.uri), *attributes], document)
        return ipp.call(self.host, self.port, f"/printers/{self.queue}", body)

    # --- printer -----------------------------------------------------------------------
    def printer_state(self) -> tuple[int, list[str]]:
        response = self._call(ipp.GET_PRINTER_ATTRIBUTES, [
            ipp.attr(ipp.KEYWORD, "requested-attributes", "printer-state", "printer-state-reasons",
                      "printer-is-accepting-jobs")])
        attrs = response.first(ipp.PRINTER_GROUP)
        return attrs.get("printer-state", [3])[0], [str(r) for r in attrs.get("printer-state-reasons", ["none"])]

    def health(self) -> Health:
        try:
            state, reasons = self.printer_state()
        except ipp.IppError as exc:
            return Health.fault("queue_missing" if exc.status == 0x0406 else "cups_unreachable", str(exc))
        return reasons_health(state, reasons)

    # --- jobs -----------------------------------------------------------------------------
    def submit(self, pdf: bytes, title: str = "") -> tuple[int, str]:
        """Queue a PDF; returns the job id and the (unique, file-name-safe) title used."""
        title = title or f"kiosk-{uuid.uuid4().hex[:12]}"
        response = self._call(ipp.PRINT_JOB, [
            ipp.attr(ipp.NAME, "requesting-user-name", self.user),
            ipp.attr(ipp.NAME, "job-name", title),
            ipp.attr(ipp.MIME, "document-format", "application/pdf"),
        ], pdf)
        return int(response.value(ipp.JOB_GROUP, "job-id", 0)), title

    def job(self, job_id: int) -> tuple[int, list[str]]:
        response = self._call(ipp.GET_JOB_ATTRIBUTES, [
            ipp.attr(ipp.INTEGER, "job-id", job_id),
            ipp.attr(ipp.KEYWORD, "requested-attributes", "job-state", "job-state-reasons")])
        attrs = response.first(ipp.JOB_GROUP)
        return attrs.get("job-state", [3])[0], [str(r) for r in attrs.get("job-state-reasons", [])]

    def follow(self, job_id: int, title: str = "") -> JobResult:
        """Poll the job until it is completed, stopped, canceled or aborted (or time runs out)."""
        deadline = time.monotonic() + self.job_timeout_s
        while True:
            state, reasons = self.job(job_id)
            if state in FINAL_STATES or time.monotonic() > deadline:
                return JobResult(job_id, ipp.JOB_STATES.get(state, str(state)), tuple(reasons), title)
            time.sleep(self.poll_s)

    def print_pdf(self, pdf: bytes, title: str = "") -> JobResult:
        """Print and wait: returns only for a completed job, else raises :class:`A4PrintFailed`."""
        try:
            job_id, title = self.submit(pdf, title)
            result = self.follow(job_id, title)
        except ipp.IppError as exc:
            raise A4PrintFailed("cups_unreachable", str(exc)) from None
        if result.state == "completed":
            return result
        health = self.health()
        reason = health.reason or ("print_timeout" if result.state in ("pending", "processing") else "print_failed")
        if result.state in ("pending", "processing", "processing-stopped"):
            self._cancel(job_id)
        raise A4PrintFailed(reason, f"job {job_id} {result.state}: {', '.join(result.reasons)}", job_id)

    def _cancel(self, job_id: int) -> None:
        try:
            self._call(ipp.CANCEL_JOB, [ipp.attr(ipp.INTEGER, "job-id", job_id),
                                        ipp.attr(ipp.NAME, "requesting-user-name", self.user)])
        except ipp.IppError:
            pass  # the job is already gone or cupsd is down: nothing more to do


def probe(device_config) -> Health:
    """``kiosk doctor``'s A4 probe: printer-state-reasons over IPP, not just "the queue exists"."""
    return CupsPrinter.from_config(device_config).health()
