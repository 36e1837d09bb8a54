"""Virtual cards for vsmartcard-vpcd: a social-security card and a staff card.

pcscd with the vpcd driver shows readers ``Virtual PCD 00 00`` / ``00 01`` that wait for a
card client on TCP 35963 / 35964 (127.0.0.1 only). Messages both ways are framed by a
2-byte big-endian length. A 1-byte message is a control: 00 power off, 01 power on,
02 reset, 04 "send your ATR"; anything longer is a command APDU, answered with the
response APDU. Connecting is inserting the card; closing the socket is pulling it out.

Faults: ``wrong_aid`` (the card holds a different application, so selecting the
social-security AID fails with 6A82) and ``pull_after`` (the card leaves after N APDUs,
in the middle of a read).

``kiosk sim sscard`` runs one card and takes stdin lines: ``insert``, ``remove``,
``card NAME``, ``fault wrong-aid``, ``fault pull-after N``, ``fault clear``, ``quit``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass

from drivers.idcard.identity import Identity
from drivers.idcard.people import PEOPLE
from drivers.smartcard.sscard import (
    EF05, EF06, REC_BIRTH, REC_CARD_NO, REC_EXPIRY, REC_ID_NUMBER, REC_ISSUE_DATE, REC_NAME, REC_NATION,
    REC_SEX, SSSE_AID,
)

VPCD_PORTS = (35963, 35964)
SW_OK = b"\x90\x00"


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


def _bcd(day: dt.date) -> bytes:
    return bytes.fromhex(day.strftime("%Y%m%d"))


@dataclass
class CardFaults:
    wrong_aid: bool = False
    pull_after: int = 0  # leave the reader after this many APDUs (0: never)


class SocialSecurityCard:
    """The SSSE application with EF05 and EF06 as the 社保卡 specification lays them out."""

    atr = bytes.fromhex("3B8080010101")  # T=1, no historical bytes

    def __init__(self, holder: Identity, card_no: str = "A12345678", faults: CardFaults | None = None) -> None:
        self.faults = faults or CardFaults()
        expiry = holder.valid_until or holder.valid_from.replace(year=holder.valid_from.year + 10)
        self.files: dict[bytes, dict[int, bytes]] = {
            EF05: {REC_ISSUE_DATE: _bcd(holder.valid_from), REC_EXPIRY: _bcd(expiry),
                   REC_CARD_NO: card_no.encode("ascii")},
            EF06: {REC_ID_NUMBER: holder.id_number.encode("ascii"),
                   REC_NAME: holder.name.encode("gbk").ljust(30, b" "),
                   REC_SEX: holder.sex_code.encode("ascii"),
                   REC_NATION: bytes.fromhex(holder.nation_code.zfill(2)),
                   0x0C: bytes.fromhex("110101"),  # birth place (not read by the kiosk)
                   REC_BIRTH: _bcd(holder.birth_date)},
        }
        self.reset()

    def reset(self) -> None:
        self.app_selected = False
        self.current: dict[int, bytes] | None = None

    def apdu(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return _sw(0x6700)
        cla, ins, p1, p2 = apdu[:4]
        if cla != 0x00:
            return _sw(0x6E00)
        if ins == 0xA4:
            return self._select(p1, apdu[5:5 + apdu[4]] if len(apdu) > 4 else b"")
        if ins == 0xB2:
            return self._read_record(p1, p2, apdu[4] if len(apdu) > 4 else 0)
        return _sw(0x6D00)

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x04:
            aid = SSSE_AID if not self.faults.wrong_aid else bytes.fromhex("A000000003000000")
            self.app_selected = data == aid
            self.current = None
            return SW_OK if self.app_selected else _sw(0x6A82)
        if p1 == 0x02 and self.app_selected and data in self.files:
            self.current = self.files[data]
            return SW_OK
        return _sw(0x6A82)

    def _read_record(self, record: int, p2: int, le: int) -> bytes:
        if p2 != 0x04:
            return _sw(0x6A86)
        if self.current is None:
            return _sw(0x6986)  # command not allowed: no current EF
        if record not in self.current:
            return _sw(0x6A83)
        value = self.current[record]
        tlv = bytes([record, len(value)]) + value
        if le not in (0, len(tlv)):
            return _sw(0x6C00 | len(tlv))
        return tlv + SW_OK


class StaffCard:
    """A contactless card that answers the PC/SC GET DATA for its UID."""

    atr = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")  # PC/SC part 3: MIFARE Classic 1K

    def __init__(self, uid: str = "04A1B2C3", faults: CardFaults | None = None) -> None:
        self.uid = bytes.fromhex(uid)
        self.faults = faults or CardFaults()

    def reset(self) -> None:
        pass

    def apdu(self, apdu: bytes) -> bytes:
        if apdu[:4] == bytes.fromhex("FFCA0000"):
            return self.uid + SW_OK
        return _sw(0x6D00)


class VpcdCard:
    """A card inserted into a vpcd reader (connection = card present)."""

    def __init__(self, card, port: int = VPCD_PORTS[0], host: str = "127.0.0.1") -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("vpcd is only ever reached on the loopback interface")
        self.card = card
        self.host, self.port = host, port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.apdus = 0

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    def insert(self, timeout_s: float = 10.0) -> "VpcdCard":
        if self._sock is not None:
            return self
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        sock.settimeout(None)
        self._sock = sock
        self.apdus = 0
        self.card.reset()
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2)
        self._thread = None

    stop = remove

    def __enter__(self) -> "VpcdCard":
        return self.insert()

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _recv_exact(sock, 2)
                message = _recv_exact(sock, struct.unpack(">H", header)[0])
                reply = self._handle(message)
                if reply is None:
                    continue
                if reply == b"PULL":
                    break
                sock.sendall(struct.pack(">H", len(reply)) + reply)
        except (OSError, EOFError):
            pass
        finally:
            if self._sock is sock:
                self._sock = None
                sock.close()

    def _handle(self, message: bytes) -> bytes | None:
        if len(message) == 1:
            if message[0] == 0x04:
                return self.card.atr
            if message[0] in (0x00, 0x01, 0x02):
                self.card.reset()
            return None
        self.apdus += 1
        pull = self.card.faults.pull_after
        if pull and self.apdus > pull:
            return b"PULL"  # the card leaves the field: no answer, connection closed
        return self.card.apdu(message)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("vpcd closed the connection")
        buf += chunk
    return buf


SS_HOLDERS = ("zhang", "li", "ouyang", "expired", "badcheck")


def make_card(kind: str, holder: str, uid: str, faults: CardFaults):
    if kind == "staff":
        return StaffCard(uid, faults)
    return SocialSecurityCard(PEOPLE[holder], faults=faults)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk sim sscard", description="virtual social-security/staff card for vpcd")
    p.add_argument("--kind", choices=("sscard", "staff"), default="sscard")
    p.add_argument("--card", choices=SS_HOLDERS, default="zhang", help="holder of the social-security card")
    p.add_argument("--uid", default="04A1B2C3", help="staff card UID (hex)")
    p.add_argument("--port", type=int, default=VPCD_PORTS[0], help="vpcd port (35963 = Virtual PCD 00 00)")
    p.add_argument("--wrong-aid", action="store_true", help="card without the social-security application")
    p.add_argument("--pull-after", type=int, default=0, metavar="N", help="pull the card after N APDUs")
    p.add_argument("--removed", action="store_true", help="start with the card out of the reader")
    args = p.parse_args(argv)
    faults = CardFaults(args.wrong_aid, args.pull_after)
    vcard = VpcdCard(make_card(args.kind, args.card, args.uid, faults), port=args.port)
    if not args.removed:
        vcard.insert()
    print(f"READY {args.kind} 127.0.0.1:{args.port}", flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] == "quit":
                break
            reply = "OK"
            if words[0] == "insert":
                vcard.insert()
            elif words[0] == "remove":
                vcard.remove()
            elif words[0] == "card" and len(words) == 2 and words[1] in SS_HOLDERS:
                vcard.card = make_card(args.kind, words[1], args.uid, faults)
            elif words[:2] == ["fault", "wrong-aid"]:
                faults.wrong_aid = True
            elif words[:2] == ["fault", "pull-after"] and len(words) == 3:
                faults.pull_after = int(words[2])
            elif words[:2] == ["fault", "clear"]:
                faults.wrong_aid, faults.pull_after = False, 0
            else:
                reply = f"ERR unknown command {line.strip()}"
            print(reply, flush=True)
        else:
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        vcard.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
