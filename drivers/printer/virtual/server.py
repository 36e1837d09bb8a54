"""``kiosk sim printer``: the virtual printer on TCP 9100 (or a pty), with a control port.

The app under test connects exactly as to a network receipt printer (python-escpos's
``Network`` backend) or a serial one (a pty, python-escpos's ``Serial`` backend). Faults
are set on the command line and switched while running through a line-based control port
(``status``, ``cover open``, ``paper-out``, ``near-end-after 30``, ``cutter-jam on``,
``disconnect-after 200``, ``reload``, ``clear``, ``last``), each answered with one JSON
line, or with signals (SIGUSR1 = paper out, SIGUSR2 = new roll). Every job is rendered
to ``job-NNNN.png`` with a ``.json`` of its text in the output folder printed at start.
"""
from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import struct
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from drivers.pty_link import open_raw_pty
from drivers.printer.virtual.device import Faults, VirtualPrinter
from drivers.printer.virtual.parser import EscPosParser
from drivers.printer.virtual.render import Renderer


class PrinterServer:
    """Serves one :class:`VirtualPrinter` on TCP (one connection at a time, like a printer)."""

    def __init__(self, printer: VirtualPrinter, host: str = "127.0.0.1", port: int = 9100,
                 control_port: int = 0) -> None:
        self.printer = printer
        self._sock = socket.create_server((host, port), reuse_port=False)
        self._control = socket.create_server((host, control_port))
        self.address = self._sock.getsockname()[:2]
        self.control_address = self._control.getsockname()[:2]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> "PrinterServer":
        for target in (self._serve_print, self._serve_control):
            thread = threading.Thread(target=target, daemon=True, name=f"vprinter-{target.__name__}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for sock in (self._sock, self._control):
            try:
                sock.close()
            except OSError:
                pass
        for thread in self._threads:
            thread.join(2)

    # --- print port --------------------------------------------------------------------
    def _accept(self, sock: socket.socket) -> socket.socket | None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([sock], [], [], 0.2)
                if ready:
                    return sock.accept()[0]
            except (OSError, ValueError):
                return None
        return None

    def _serve_print(self) -> None:
        while (conn := self._accept(self._sock)) is not None:
            with conn:
                self._serve_connection(conn)
            self.printer.end_of_stream()

    def _serve_connection(self, conn: socket.socket) -> None:
        parser = EscPosParser()
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = conn.recv(65536)
            except OSError:
                return
            if not chunk:
                break
            chunk, drop = self._disconnect_point(chunk)
            reply = self.printer.handle(parser.feed(chunk))
            if drop:
                # RST, not FIN: the client sees a dead printer, not a polite end of job.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if reply:
                try:
                    conn.sendall(reply)
                except OSError:
                    return
        self.printer.handle(parser.close())

    def _disconnect_point(self, chunk: bytes) -> tuple[bytes, bool]:
        with self.printer.lock:
            limit = self.printer.faults.disconnect_after_bytes
            start = self.printer.job_bytes
            self.printer.job_bytes += len(chunk)
            if limit is None or self.printer.job_bytes < limit:
                return chunk, False
            self.printer.faults.disconnect_after_bytes = None  # one-shot, like a pulled cable
            return chunk[:max(0, limit - start)], True

    # --- control port -----------------------------------------------------------------------
    def _serve_control(self) -> None:
        while (conn := self._accept(self._control)) is not None:
            threading.Thread(target=self._control_session, args=(conn,), daemon=True).start()

    def _control_session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rw", encoding="utf-8", newline="\n") as stream:
            for line in stream:
                stream.write(json.dumps(control(self.printer, line), ensure_ascii=False) + "\n")
                stream.flush()


def control(printer: VirtualPrinter, line: str) -> dict:
    """Run one control command; unknown commands answer with an error, never raise."""
    words = line.split()
    if not words:
        return {"ok": False, "error": "empty command"}
    handler = _CONTROLS.get(words[0])
    if handler is None:
        return {"ok": False, "error": f"unknown command {words[0]!r}", "commands": sorted(_CONTROLS)}
    try:
        with printer.lock:
            extra = handler(printer, words[1:])
    except (ValueError, IndexError) as exc:
        return {"ok": False, "error": str(exc) or "bad argument"}
    return {"ok": True, **(extra or {}), **printer.summary()}


def _on(args: list[str]) -> bool:
    if args[0] not in ("on", "off", "open", "close", "closed"):
        raise ValueError("expected on/off")
    return args[0] in ("on", "open")


def _paper_out(p: VirtualPrinter, _a: list[str]) -> None:
    p.faults.paper_out_after_cm = p.state.used_mm / 10


def _last(p: VirtualPrinter, _a: list[str]) -> dict:
    return {"last": asdict(p.state.jobs[-1]) if p.state.jobs else None}


def _clear(p: VirtualPrinter, _a: list[str]) -> None:
    p.faults = Faults(paper_length_cm=p.faults.paper_length_cm)
    p.reload_paper()


_CONTROLS = {
    "status": lambda p, a: None,
    "cover": lambda p, a: setattr(p.faults, "cover_open", _on(a)),
    "cutter-jam": lambda p, a: setattr(p.faults, "cutter_jam", _on(a)),
    "paper-out": _paper_out,
    "paper-out-after": lambda p, a: setattr(p.faults, "paper_out_after_cm", float(a[0])),
    "near-end-after": lambda p, a: setattr(p.faults, "near_end_after_cm", float(a[0])),
    "disconnect-after": lambda p, a: setattr(p.faults, "disconnect_after_bytes", int(a[0])),
    "reload": lambda p, a: p.reload_paper(),
    "clear": _clear,
    "last": _last,
}


# --- pty mode --------------------------------------------------------------------------------
def serve_pty(printer: VirtualPrinter, stop: threading.Event) -> tuple[str, threading.Thread]:
    """A serial printer on a pseudo-terminal; the stream never ends, so jobs end at a cut."""
    master, slave, path = open_raw_pty()

    def loop() -> None:
        parser = EscPosParser()
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                continue  # no client has the slave open: EIO until one does
            reply = printer.handle(parser.feed(chunk))
            if reply:
                os.write(master, reply)

    thread = threading.Thread(target=loop, daemon=True, name="vprinter-pty")
    thread.start()
    return path, thread


# --- command line ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kiosk sim printer", description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9100, help="TCP print port (0 = any free port)")
    ap.add_argument("--control-port", type=int, default=0, help="control port (0 = any free port)")
    ap.add_argument("--pty", action="store_true", help="also serve a serial printer on a pty")
    ap.add_argument("--out", type=Path, help="folder for job PNGs (default: a new temp folder)")
    ap.add_argument("--paper-width", type=int, choices=(58, 80), default=80)
    ap.add_argument("--paper-length-cm", type=float, default=5000.0)
    ap.add_argument("--near-end-after-cm", type=float)
    ap.add_argument("--paper-out-after-cm", type=float)
    ap.add_argument("--cover-open", action="store_true")
    ap.add_argument("--cutter-jam", action="store_true")
    ap.add_argument("--disconnect-after-bytes", type=int)
    ap.add_argument("--font", type=Path, help="CJK font file for the PNGs")
    ap.add_argument("--font-index", type=int, default=0, help="face index in a .ttc collection")
    return ap


def make_printer(args: argparse.Namespace) -> VirtualPrinter:
    faults = Faults(paper_length_cm=args.paper_length_cm, near_end_after_cm=args.near_end_after_cm,
                    paper_out_after_cm=args.paper_out_after_cm, cover_open=args.cover_open,
                    cutter_jam=args.cutter_jam, disconnect_after_bytes=args.disconnect_after_bytes)
    out = args.out or Path(tempfile.mkdtemp(prefix="virtual-printer-"))
    return VirtualPrinter(out, faults, args.paper_width, Renderer(args.font, args.font_index))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    printer = make_printer(args)
    stop = threading.Event()
    try:
        server = PrinterServer(printer, args.host, args.port, args.control_port).start()
    except OSError as exc:
        print(f"ERROR cannot listen on {args.host}:{args.port}: {exc.strerror}", flush=True)
        return 1
    print(f"LISTEN {server.address[0]}:{server.address[1]}", flush=True)
    print(f"CONTROL {server.control_address[0]}:{server.control_address[1]}", flush=True)
    if args.pty:
        path, _thread = serve_pty(printer, stop)
        print(f"PTY {path}", flush=True)
    print(f"OUT {printer.out_dir}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGUSR1, lambda *_: control(printer, "paper-out"))
    signal.signal(signal.SIGUSR2, lambda *_: control(printer, "reload"))
    print("READY", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    return 0
