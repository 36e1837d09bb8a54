"""The virtual printer's mechanism: paper roll, cover, cutter, faults, and the jobs it printed.

Transport-independent: the TCP and pty servers hand it parsed events and send back what
it answers (status bytes for ``DLE EOT``). Paper is used up by the layout's real line
heights (8 dots per mm), so "paper near end after 30 cm" happens after about 30 cm of
receipts. While the printer cannot print (cover open, paper out, cutter jammed) it drops
print data, as a real one stops printing; the job's picture shows what came out.

Thread-safe: the control port changes faults while a job is arriving.
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from drivers.printer.status import PrinterStatus, encode_status
from drivers.printer.virtual.events import Cut, Event, Ignored, Init, StatusRequest, Unknown
from drivers.printer.virtual.page import Page
from drivers.printer.virtual.render import Renderer

DOTS_PER_MM = 8


@dataclass
class Faults:
    """Configured at start (command line) and switched at run time (control port)."""

    paper_length_cm: float = 5000.0  # a full 50 m roll
    near_end_after_cm: float | None = None  # the near-end sensor trips after this much paper
    paper_out_after_cm: float | None = None  # the roll ends after this much paper
    cover_open: bool = False
    cutter_jam: bool = False  # the next cut fails and the printer goes offline
    disconnect_after_bytes: int | None = None  # drop the connection once, this far into a job


@dataclass
class JobRecord:
    number: int
    text: list[str]
    qr_codes: list[str]
    barcodes: list[str]
    pictures: int
    cut: bool
    paper_mm: float
    dropped_events: int
    png: str = ""


@dataclass
class DeviceState:
    used_mm: float = 0.0
    cutter_error: bool = False
    jobs: list[JobRecord] = field(default_factory=list)


class VirtualPrinter:
    def __init__(self, out_dir: Path, faults: Faults | None = None, paper_width_mm: int = 80,
                 renderer: Renderer | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.faults = faults or Faults()
        self.width_dots = 576 if paper_width_mm == 80 else 384
        self.renderer = renderer or Renderer(None)
        self.state = DeviceState()
        self.lock = threading.RLock()
        self._page = Page(self.width_dots)
        self._dropped = 0
        self.job_bytes = 0  # bytes received since the current job started (disconnect fault)

    # --- status --------------------------------------------------------------------------
    def status(self) -> PrinterStatus:
        with self.lock:
            f, used_cm = self.faults, self.state.used_mm / 10
            end_cm = f.paper_length_cm if f.paper_out_after_cm is None else min(f.paper_length_cm, f.paper_out_after_cm)
            out = used_cm >= end_cm
            near = f.near_end_after_cm is not None and used_cm >= f.near_end_after_cm
            cutter = self.state.cutter_error
            return PrinterStatus(online=not (out or f.cover_open or cutter), cover_open=f.cover_open,
                                 paper_near_end=near or out, paper_out=out, cutter_error=cutter)

    def status_byte(self, n: int) -> bytes:
        return bytes([encode_status(n, self.status())]) if n in (1, 2, 3, 4) else b""

    # --- the stream ------------------------------------------------------------------------
    def handle(self, events: list[Event]) -> bytes:
        """Apply events in order; returns the bytes the printer sends back (status answers)."""
        reply = bytearray()
        with self.lock:
            for event in events:
                if isinstance(event, StatusRequest):
                    reply += self.status_byte(event.n)
                elif isinstance(event, (Ignored, Unknown)):
                    continue
                elif isinstance(event, Init):
                    self._page.apply(event)
                elif isinstance(event, Cut):
                    self._cut(event)
                elif self.status().can_print:
                    self._use(self._page.apply(event))
                else:
                    self._dropped += 1
        return bytes(reply)

    def end_of_stream(self) -> JobRecord | None:
        """The connection closed: whatever was printed without a cut is still a job."""
        with self.lock:
            self.job_bytes = 0
            if self._page.is_blank:
                return None
            self._use(self._page.finish())
            return self._close_job()

    def _use(self, dots: int) -> None:
        self.state.used_mm += dots / DOTS_PER_MM

    def _cut(self, event: Cut) -> None:
        if not self.status().can_print:
            self._dropped += 1
            return
        self._use(self._page.finish())
        if self.faults.cutter_jam:
            self.state.cutter_error = True
            self._close_job()
            return
        self._use(self._page.apply(event))
        self._close_job()
        self.job_bytes = 0

    def _close_job(self) -> JobRecord:
        page = self._page
        number = len(self.state.jobs) + 1
        record = JobRecord(number, page.text_lines(), [q.decode("utf-8", "replace") for q in page.qr_codes()],
                           [b.decode("ascii", "replace") for b in page.barcodes()], len(page.pictures),
                           page.cut is not None, round(page.y / DOTS_PER_MM, 1), self._dropped)
        png = self.out_dir / f"job-{number:04d}.png"
        self.renderer.render(page).save(png)
        record.png = str(png)
        (self.out_dir / f"job-{number:04d}.json").write_text(json.dumps(asdict(record), ensure_ascii=False, indent=1),
                                                              encoding="utf-8")
        self.state.jobs.append(record)
        self._page = Page(self.width_dots)
        self._page.chinese = page.chinese
        self._dropped = 0
        return record

    # --- controls --------------------------------------------------------------------------
    def reload_paper(self) -> None:
        """A new roll: paper faults gone, the cutter cleared by opening and closing the cover."""
        with self.lock:
            self.state.used_mm = 0.0
            self.state.cutter_error = False
            self.faults.paper_out_after_cm = None
            self.faults.cutter_jam = False

    def summary(self) -> dict:
        with self.lock:
            return {"status": asdict(self.status()), "used_cm": round(self.state.used_mm / 10, 1),
                    "jobs": len(self.state.jobs), "faults": asdict(self.faults)}
