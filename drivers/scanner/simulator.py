"""A serial QR/barcode scanner on a pseudo-terminal, for the demo and the tests.

It behaves like a hand scanner on a USB-serial adapter: every code is written as its
payload bytes plus the suffix (CR/LF unless told otherwise), GBK payloads included, and
the whole device can be unplugged and plugged back (a new pty behind the same stable
symlink, which is what the kiosk's config points at).

Run it with ``kiosk sim scanner --link /tmp/scanner --code ZWFW:CASE:202600000001``; it
prints ``PTY <path>`` and ``LINK <path>``, emits the ``--code`` values every
``--interval`` seconds (once with ``--once``), and takes commands on stdin, one per line:
``scan TEXT``, ``scan-gbk TEXT``, ``scan-hex HEX``, ``unplug``, ``replug``, ``quit``.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from drivers.pty_link import open_raw_pty, point_link


class ScannerSimulator:
    """The scanner side of the line; thread-safe ``send``/``unplug``/``replug`` for tests."""

    def __init__(self, link: str | None = None, suffix: bytes = b"\r\n") -> None:
        self.link = link
        self.suffix = suffix
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self.pty_path = ""
        self.sent = 0

    @property
    def path(self) -> str:
        """The path to configure: the symlink if there is one, else the pty itself."""
        return self.link or self.pty_path

    def start(self) -> "ScannerSimulator":
        self.replug()
        return self

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> "ScannerSimulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def send(self, payload: bytes, suffix: bytes | None = None) -> None:
        """One scan: the payload and the suffix, in one write like a scanner's burst."""
        with self._lock:
            if self._master is None:
                raise OSError("scanner simulator is unplugged")
            os.write(self._master, payload + (self.suffix if suffix is None else suffix))
            self.sent += 1

    def unplug(self) -> None:
        """The cable is pulled: the pty closes and the symlink goes with it."""
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
            if self.link and os.path.islink(self.link):
                os.unlink(self.link)

    def replug(self) -> None:
        with self._lock:
            self._master, self._slave, self.pty_path = open_raw_pty(raw_master=True)
            if self.link:
                point_link(self.link, self.pty_path)


def _parse_suffix(text: str) -> bytes:
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def _command(sim: ScannerSimulator, line: str) -> bool:
    """Run one stdin command; False means quit."""
    verb, _, arg = line.strip().partition(" ")
    if verb == "quit":
        return False
    try:
        if verb == "scan":
            sim.send(arg.encode("utf-8"))
        elif verb == "scan-gbk":
            sim.send(arg.encode("gb18030"))
        elif verb == "scan-hex":
            sim.send(bytes.fromhex(arg))
        elif verb == "unplug":
            sim.unplug()
        elif verb == "replug":
            sim.replug()
            print(f"PTY {sim.pty_path}", flush=True)  # the answer to replug, like the idcard simulator
            return True
        elif verb:
            print(f"ERR unknown command {verb!r}", flush=True)
            return True
    except (OSError, ValueError) as exc:
        print(f"ERR {exc}", flush=True)
        return True
    print("OK", flush=True)
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk sim scanner", description=__doc__.split("\n\n")[0])
    parser.add_argument("--link", help="stable symlink to the pty (configure this path)")
    parser.add_argument("--code", action="append", default=[], help="a code to emit (repeatable)")
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"], help="how --code is encoded")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between emitted codes")
    parser.add_argument("--once", action="store_true", help="emit each --code once, then only obey stdin")
    parser.add_argument("--suffix", default="\\r\\n", help="suffix after each code, with escapes (default \\r\\n)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a launcher's stop(): remove the link
    sim = ScannerSimulator(args.link, _parse_suffix(args.suffix)).start()
    print(f"PTY {sim.pty_path}", flush=True)
    if args.link:
        print(f"LINK {args.link}", flush=True)
    stop = threading.Event()
    if args.code:
        payloads = [c.encode(args.encoding) for c in args.code]
        threading.Thread(target=_emit_loop, args=(sim, payloads, args.interval, args.once, stop), daemon=True).start()
    try:
        for line in sys.stdin:
            if not _command(sim, line):
                break
        else:
            stop.wait()  # stdin closed (started by a launcher): keep emitting until killed
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        sim.stop()
    return 0


def _emit_loop(sim: ScannerSimulator, payloads: list[bytes], interval: float, once: bool,
               stop: threading.Event) -> None:
    while not stop.wait(interval):
        for payload in payloads:
            try:
                sim.send(payload)
            except OSError:
                pass  # unplugged on purpose: the scan is lost, like with real hardware
            if stop.wait(interval):
                return
        if once:
            return
