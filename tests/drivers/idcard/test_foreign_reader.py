"""The driver against a second, deliberately different reader implementation.

This responder shares no code with ``drivers.idcard`` (frames are built here by hand from
the protocol description) and behaves the way real firmware may, not the way our simulator
does: it answers in small chunks with pauses and line noise, and after a card has been
read it answers "no card" until the card is lifted and put back (halting firmware).
"""
from __future__ import annotations

import os
import select
import threading
import time
import tty

from drivers.idcard.people import PEOPLE
from drivers.idcard.poller import IdCardPoller
from drivers.idcard.reader import SamReader


def frame(sw3: int, data: bytes = b"") -> bytes:
    body = bytes([0x00, 0x00, sw3]) + data
    length = len(body) + 1
    check = (length >> 8) ^ (length & 0xFF)
    for b in body:
        check ^= b
    return bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69, length >> 8, length & 0xFF]) + body + bytes([check])


def text_block(p) -> bytes:
    def f(value: str, size: int) -> bytes:
        raw = value.encode("utf-16-le")
        return raw + b"\x20\x00" * ((size - len(raw)) // 2)

    end = p.valid_until.strftime("%Y%m%d") if p.valid_until else "长期"
    return (f(p.name, 30) + f(p.sex_code, 2) + f(p.nation_code, 4) + f(f"{p.birth_date:%Y%m%d}", 16)
            + f(p.address, 70) + f(p.id_number, 36) + f(p.issuer, 30) + f(f"{p.valid_from:%Y%m%d}", 16)
            + f(end, 16) + f("", 36))


class HaltingReader:
    def __init__(self, person):
        self.person = person
        self.halted = False
        self.reads = 0
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.slave = slave
        self.path = os.ttyname(slave)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def answer(self, cmd: bytes) -> bytes:
        if cmd == bytes.fromhex("2001"):
            return frame(0x9F, bytes(4)) if not self.halted else frame(0x80)
        if cmd == bytes.fromhex("2002"):
            return frame(0x90, bytes(8))
        if cmd == bytes.fromhex("3001"):
            self.halted = True
            self.reads += 1
            text, photo = text_block(self.person), bytes(range(256)) * 4
            return frame(0x90, b"\x01\x00\x04\x00" + text + photo)
        if cmd == bytes.fromhex("12FF"):
            return frame(0x90, bytes(16))
        return frame(0x21)

    def serve(self):
        buf = b""
        while not self.stop.is_set():
            if not select.select([self.master], [], [], 0.05)[0]:
                continue
            buf += os.read(self.master, 1024)
            while len(buf) >= 10 and buf.startswith(b"\xAA\xAA\xAA\x96\x69"):
                n = int.from_bytes(buf[5:7], "big")
                if len(buf) < 7 + n:
                    break
                cmd, buf = buf[7:9], buf[7 + n:]
                out = b"\x00\xFF" + self.answer(cmd)  # line noise first
                for i in range(0, len(out), 97):  # then the answer in chunks, with pauses
                    os.write(self.master, out[i:i + 97])
                    time.sleep(0.001)

    def close(self):
        self.stop.set()
        self.thread.join(2)
        os.close(self.master)
        os.close(self.slave)


def test_chunked_noisy_answers_are_understood():
    reader_side = HaltingReader(PEOPLE["li"])
    try:
        with SamReader.open(reader_side.path, timeout_s=0.5) as reader:
            assert reader.read_identity() == PEOPLE["li"]
    finally:
        reader_side.close()


def test_halting_firmware_is_read_once():
    reader_side = HaltingReader(PEOPLE["zhang"])
    got = []
    poller = IdCardPoller(lambda: SamReader.open(reader_side.path, timeout_s=0.5), got.append)
    try:
        for _ in range(6):
            poller.poll_once()
        assert [p.id_number for p in got] == [PEOPLE["zhang"].id_number] and reader_side.reads == 1
        reader_side.halted = False  # lifted and put back
        poller.poll_once()
        assert len(got) == 2
    finally:
        poller.stop()
        reader_side.close()
