"""A SAM ID-card reader on a pseudo-terminal, for the demo and the tests.

It speaks the reader's side of the protocol byte for byte (same frames, same status
codes, same text layouts), paces its answers at the configured baud rate so timing looks
like a real 115200 line, and can misbehave on purpose: no card, a card pulled away in the
middle of a read (half a frame, then silence), a corrupted check byte every Nth frame,
slow answers, a failed SAM self-test, and the whole device unplugged and plugged back in
(a new pty behind the same stable symlink).

Run it with ``kiosk sim idcard``; it prints ``PTY <path>`` (and ``LINK <path>``) and then
takes commands on stdin, one per line: ``place NAME``, ``remove``, ``unplug``, ``replug``,
``fault checksum N``, ``fault delay S``, ``fault sam on|off``, ``fault remove-mid-read``,
``fault clear``, ``status``, ``quit``.
"""
from __future__ import annotations

import argparse
import collections
import os
import select
import sys
import threading
import time
from dataclasses import dataclass

from drivers.pty_link import open_raw_pty, point_link
from drivers.idcard.cardtext import build_text, values_of
from drivers.idcard.errors import ChecksumError, ProtocolError
from drivers.idcard.identity import Identity
from drivers.idcard.people import PEOPLE
from drivers.idcard.protocol import (
    MIN_COMMAND_LENGTH,
    CardRecord,
    Command,
    CommandFrame,
    FrameDecoder,
    build_read_data,
    encode_response,
    wire_seconds,
)

SAM_ID = bytes([5, 1]) + (20101206).to_bytes(4, "little") + (12345678).to_bytes(4, "little") \
    + (987654321).to_bytes(4, "little") + b"\x00\x00"
SELECT_DATA = bytes(8)
FIND_DATA = bytes(4)
FINGERPRINT = bytes(1024)


@dataclass
class Faults:
    checksum_every: int = 0  # corrupt the check byte of every Nth response frame
    delay_s: float = 0.0  # wait this long before each answer
    sam_failed: bool = False  # every command answered with 0x60 (SAM self-test failed)
    remove_mid_read: bool = False  # next read: half a frame, then the card is gone


class SamSimulator:
    """The reader side; thread-safe controls for tests (``place``, ``remove``, ``unplug``)."""

    def __init__(self, card: Identity | None = None, faults: Faults | None = None,
                 link: str | None = None, baudrate: int = 115200, pace: bool = True) -> None:
        self.faults = faults or Faults()
        self.link = link
        self.baudrate = baudrate
        self.pace = pace
        self._card = card
        self._selected = False
        self._lock = threading.Lock()
        self._master: int | None = None
        self._slave: int | None = None
        self._pty_path = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._plugged = threading.Event()
        self.frames_sent = 0
        # Recent (CMD, PARA) pairs for tests; bounded because the demo polls for hours.
        self.commands: collections.deque[tuple[int, int]] = collections.deque(maxlen=10_000)
        self.bytes_sent = 0
        self.bytes_received = 0

    # --- controls ----------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The stable path to open: the symlink if one was asked for, else the pty."""
        return self.link or self._pty_path

    @property
    def pty_path(self) -> str:
        return self._pty_path

    def place(self, card: Identity) -> None:
        with self._lock:
            self._card, self._selected = card, False

    def remove(self) -> None:
        with self._lock:
            self._card, self._selected = None, False

    def start(self) -> "SamSimulator":
        self._open_pty()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="sam-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._plugged.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._close_pty()
        if self.link and os.path.islink(self.link):
            os.unlink(self.link)

    def unplug(self) -> None:
        """The USB cable is pulled: the pty disappears and the symlink with it."""
        self._close_pty()
        if self.link and os.path.islink(self.link):
            os.unlink(self.link)

    def replug(self) -> None:
        self._open_pty()

    def __enter__(self) -> "SamSimulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- pty handling ------------------------------------------------------------------
    def _open_pty(self) -> None:
        self._master, self._slave, self._pty_path = open_raw_pty()
        if self.link:
            point_link(self.link, self._pty_path)
        self._plugged.set()

    def _close_pty(self) -> None:
        self._plugged.clear()
        for fd in (self._master, self._slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = None

    # --- serving -----------------------------------------------------------------------
    def _serve(self) -> None:
        decoder = FrameDecoder(min_length=MIN_COMMAND_LENGTH)
        while not self._stop.is_set():
            if not self._plugged.wait(0.1):
                decoder.clear()
                continue
            master = self._master
            if master is None:
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.1)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except (OSError, ValueError):
                time.sleep(0.05)  # unplugged under our feet, or the client closed its end
                continue
            self.bytes_received += len(data)
            decoder.feed(data)
            self._drain(decoder, master)

    def _drain(self, decoder: FrameDecoder, master: int) -> None:
        while True:
            try:
                body = decoder.next_body()
            except ProtocolError as exc:
                # What a reader does with a frame it cannot trust: say so (10 / 11).
                self._send(master, encode_response(0x10 if isinstance(exc, ChecksumError) else 0x11))
                continue
            if body is None:
                return
            try:
                frame = CommandFrame.from_body(body)
            except ProtocolError:
                self._send(master, encode_response(0x11))
                continue
            self.commands.append((frame.cmd, frame.para))
            self._send(master, *self._answer(frame))

    def _answer(self, frame: CommandFrame) -> tuple[bytes, ...]:
        """The response frame(s) for one command; a cut-off read returns half a frame."""
        key = (frame.cmd, frame.para)
        if self.faults.sam_failed:
            return (encode_response(0x60),)
        with self._lock:
            card = self._card
            if key == Command.SAM_ID.value:
                return (encode_response(0x90, SAM_ID),)
            if key == Command.RESET_SAM.value:
                self._selected = False
                return (encode_response(0x90),)
            if key == Command.FIND_CARD.value:
                self._selected = False
                return (encode_response(0x9F, FIND_DATA) if card else encode_response(0x80),)
            if key == Command.SELECT_CARD.value:
                self._selected = card is not None
                return (encode_response(0x90, SELECT_DATA) if card else encode_response(0x81),)
            if key in (Command.READ_TEXT_PHOTO.value, Command.READ_WITH_FINGERPRINT.value):
                if card is None or not self._selected:
                    return (encode_response(0x41),)
                fingerprint = key == Command.READ_WITH_FINGERPRINT.value
                record = CardRecord(build_text(card.layout, values_of(card)), card.photo_wlt,
                                    FINGERPRINT if fingerprint else b"")
                frame_bytes = encode_response(0x90, build_read_data(record, fingerprint))
                if self.faults.remove_mid_read:
                    self.faults.remove_mid_read = False
                    self._card, self._selected = None, False
                    return (frame_bytes[: len(frame_bytes) // 2],)
                return (frame_bytes,)
            if key == Command.READ_ADDITIONAL_ADDRESS.value:
                return (encode_response(0x91 if card else 0x41),)
        return (encode_response(0x21),)

    def _send(self, master: int, *frames: bytes) -> None:
        for frame in frames:
            self.frames_sent += 1
            n = self.faults.checksum_every
            if n and self.frames_sent % n == 0 and len(frame) > 7:
                frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
            if self.faults.delay_s and self._stop.wait(self.faults.delay_s):
                return  # stopping: do not keep a test waiting for a slow answer
            if self.pace:
                # The last byte of a real frame arrives after its wire time: hold it back so.
                time.sleep(wire_seconds(len(frame), self.baudrate))
            try:
                os.write(master, frame)
            except OSError:
                return
            self.bytes_sent += len(frame)


# --- command line ----------------------------------------------------------------------
def _control(sim: SamSimulator, line: str) -> str | None:
    """Apply one stdin control command; returns a reply line, ``None`` to quit."""
    words = line.split()
    if not words:
        return ""
    cmd, args = words[0], words[1:]
    if cmd == "quit":
        return None
    if cmd == "place" and args and args[0] in PEOPLE:
        sim.place(PEOPLE[args[0]])
    elif cmd == "remove":
        sim.remove()
    elif cmd == "unplug":
        sim.unplug()
    elif cmd == "replug":
        sim.replug()
        return f"PTY {sim.pty_path}"
    elif cmd == "fault" and args:
        kind = args[0]
        if kind == "checksum" and len(args) == 2:
            sim.faults.checksum_every = int(args[1])
        elif kind == "delay" and len(args) == 2:
            sim.faults.delay_s = float(args[1])
        elif kind == "sam" and len(args) == 2:
            sim.faults.sam_failed = args[1] == "on"
        elif kind == "remove-mid-read":
            sim.faults.remove_mid_read = True
        elif kind == "clear":
            sim.faults = Faults()
        else:
            return f"ERR bad fault {' '.join(args)}"
    elif cmd == "status":
        return f"STATUS frames={sim.frames_sent} commands={len(sim.commands)}"
    else:
        return f"ERR unknown command {line.strip()}"
    return "OK"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk sim idcard", description="SAM ID-card reader simulator on a pty")
    p.add_argument("--card", choices=sorted(PEOPLE), help="card on the reader at start (default: none)")
    p.add_argument("--link", help="also make this symlink to the pty (stable across unplug/replug)")
    p.add_argument("--baudrate", type=int, default=115200, help="pace answers at this line speed")
    p.add_argument("--no-pace", action="store_true", help="answer as fast as possible")
    p.add_argument("--checksum-every", type=int, default=0, metavar="N", help="corrupt every Nth frame")
    p.add_argument("--delay", type=float, default=0.0, metavar="S", help="answer S seconds late")
    p.add_argument("--sam-fail", action="store_true", help="SAM self-test failure (status 0x60)")
    p.add_argument("--remove-mid-read", action="store_true", help="pull the card during the first read")
    p.add_argument("--unplug-after", type=float, metavar="S", help="unplug S seconds after start")
    p.add_argument("--replug-after", type=float, metavar="S", help="plug back in S seconds after unplugging")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    faults = Faults(args.checksum_every, args.delay, args.sam_fail, args.remove_mid_read)
    card = PEOPLE[args.card] if args.card else None
    sim = SamSimulator(card, faults, link=args.link, baudrate=args.baudrate, pace=not args.no_pace)
    sim.start()
    print(f"PTY {sim.pty_path}", flush=True)
    if args.link:
        print(f"LINK {args.link}", flush=True)
    if args.unplug_after is not None:
        threading.Thread(target=_unplug_later, args=(sim, args.unplug_after, args.replug_after), daemon=True).start()
    try:
        for line in sys.stdin:
            reply = _control(sim, line)
            if reply is None:
                break
            if reply:
                print(reply, flush=True)
        else:
            # stdin closed (run in the background): keep serving until killed
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


def _unplug_later(sim: SamSimulator, after: float, replug_after: float | None) -> None:
    time.sleep(after)
    sim.unplug()
    print("UNPLUGGED", flush=True)
    if replug_after is not None:
        time.sleep(replug_after)
        sim.replug()
        print(f"PTY {sim.pty_path}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
