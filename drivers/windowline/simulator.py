"""``kiosk sim window-serial``: an older queue system on a serial line, over a pseudo-terminal.

The evaluator opens the pty (or the stable ``--link``) as its ``evaluator.serial.port``; this
side sends protocol lines and reads the answers. It prints ``PTY <path>`` (and ``LINK
<path>``), then obeys stdin, one command per line, one answer line each:

    send CASE ZW2026112300012|居住证签注|张三   -> REPLY OK CASE ZW2026112300012 rated=0
    send-gbk CASE …                            -> the same line encoded in GB18030
    send-hex 5041...                           -> raw bytes (garbage tests)
    wait-result [SECONDS]                      -> RESULT <id> <state> <level> <reasons> (pushed by the evaluator)
    unplug | replug | quit

``REPLY ERR paused`` is an answer of the evaluator, not an error of the simulator.
"""
from __future__ import annotations

import argparse
import os
import queue
import select
import signal
import sys
import threading

from drivers.pty_link import open_raw_pty, point_link
from drivers.scanner.lines import LineSplitter

ANSWER_TIMEOUT_S = 5.0


class QueueSystemSimulator:
    """The queue-system end of the line; ``request`` sends a command and waits for its answer."""

    def __init__(self, link: str | None = None) -> None:
        self.link = link
        self.pty_path = ""
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self._answers: queue.Queue[str] = queue.Queue()
        self._results: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()

    @property
    def path(self) -> str:
        return self.link or self.pty_path

    def start(self) -> "QueueSystemSimulator":
        self.replug()
        threading.Thread(target=self._reader, name="queue-sim-reader", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.unplug()

    def replug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            self._master, self._slave, self.pty_path = open_raw_pty(raw_master=True)
            if self.link:
                point_link(self.link, self.pty_path)

    def unplug(self) -> None:
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
            if self.link and os.path.islink(self.link):
                os.unlink(self.link)

    def send_raw(self, data: bytes) -> None:
        with self._lock:
            if self._master is None:
                raise OSError("unplugged")
            os.write(self._master, data)

    def request(self, line: bytes, timeout_s: float = ANSWER_TIMEOUT_S) -> str:
        """Send one command line; returns the evaluator's answer (``OK …``/``ERR …``)."""
        while not self._answers.empty():  # a late answer to an earlier command is stale now
            self._answers.get_nowait()
        self.send_raw(line + b"\r\n")
        try:
            return self._answers.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError("no answer from the evaluator") from None

    def wait_result(self, timeout_s: float) -> str:
        try:
            return self._results.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError("no result pushed") from None

    def _reader(self) -> None:
        splitter = LineSplitter("\r\n", 4096)
        while not self._stop.is_set():
            with self._lock:
                master = self._master
            if master is None:
                self._stop.wait(0.1)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.2)
                data = os.read(master, 1024) if ready else b""
            except OSError:
                self._stop.wait(0.1)  # unplugged, or nobody has opened the other end yet
                continue
            for raw in splitter.feed(data):
                text = raw.decode("utf-8", "replace")
                (self._results if text.startswith("RESULT ") else self._answers).put(text)


def _command(sim: QueueSystemSimulator, line: str) -> bool:
    verb, _, arg = line.strip().partition(" ")
    try:
        if verb == "quit":
            return False
        if verb in ("send", "send-gbk", "send-hex"):
            data = bytes.fromhex(arg) if verb == "send-hex" else arg.encode("gb18030" if verb == "send-gbk" else "utf-8")
            print(f"REPLY {sim.request(data)}", flush=True)
        elif verb == "wait-result":
            print(sim.wait_result(float(arg or 30)), flush=True)
        elif verb == "unplug":
            sim.unplug()
            print("OK", flush=True)
        elif verb == "replug":
            sim.replug()
            print(f"PTY {sim.pty_path}", flush=True)
        elif verb:
            print(f"ERR unknown command {verb!r}", flush=True)
    except (OSError, ValueError, TimeoutError) as exc:
        print(f"ERR {exc}", flush=True)
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk sim window-serial", description=__doc__.split("\n\n")[0])
    parser.add_argument("--link", help="stable symlink to the pty (configure this path)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sim = QueueSystemSimulator(args.link).start()
    print(f"PTY {sim.pty_path}", flush=True)
    if args.link:
        print(f"LINK {args.link}", flush=True)
    try:
        for line in sys.stdin:
            if not _command(sim, line):
                break
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
