"""The SAM (身份证阅读器 security module) serial frame format, both directions.

A frame is ``AA AA AA 96 69`` + a 2-byte big-endian length + body + one XOR check byte.
The length counts everything after itself: body *and* the check byte. The check is the
XOR of the two length bytes and the body. The body of a command is ``CMD PARA DATA``; the
body of a response is ``SW1 SW2 SW3 DATA`` where SW3 is the SAM status (``90`` ok,
``9F`` card found, ``80`` no card ...).

The codec is shared by the driver (encodes commands, decodes responses) and the simulator
(the other way round), so both speak one definition of the wire format. The decoder is
incremental and resynchronises on the preamble, because a USB-serial line delivers
partial frames, noise after hot-plugging and, now and then, a flipped bit.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from drivers.idcard.errors import (
    ChecksumError,
    FrameLengthError,
    UnexpectedResponse,
    status_error,
)

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
# Largest frame a reader sends: text 256 + photo 1024 + fingerprint 1024 + lengths + SW.
MAX_LENGTH = 4096
MIN_RESPONSE_LENGTH = 4  # SW1 SW2 SW3 + check
MIN_COMMAND_LENGTH = 3  # CMD PARA + check


class Command(tuple, enum.Enum):
    """(CMD, PARA) pairs of the SAM protocol."""

    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_ADDITIONAL_ADDRESS = (0x30, 0x03)
    READ_WITH_FINGERPRINT = (0x30, 0x10)
    SAM_ID = (0x12, 0xFF)
    RESET_SAM = (0x10, 0xFF)


class Status(enum.IntEnum):
    """SW3 values that mean success for some command."""

    OK = 0x90
    CARD_FOUND = 0x9F


# The success status each command expects; anything else becomes a typed StatusError.
EXPECTED_STATUS: dict[tuple[int, int], int] = {
    Command.FIND_CARD.value: Status.CARD_FOUND,
}


def xor_check(data: bytes) -> int:
    """XOR of all bytes: the check byte of a frame is ``xor_check(length + body)``."""
    check = 0
    for byte in data:
        check ^= byte
    return check


def encode_frame(body: bytes) -> bytes:
    """Wrap a body (command or response) in preamble, length and check byte."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor_check(length + body)])


def encode_command(command: Command | tuple[int, int], data: bytes = b"") -> bytes:
    cmd, para = command.value if isinstance(command, Command) else command
    return encode_frame(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


def wire_seconds(n_bytes: int, baudrate: int) -> float:
    """Time ``n_bytes`` take on an 8N1 line (10 bits per byte)."""
    return n_bytes * 10 / baudrate


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @classmethod
    def from_body(cls, body: bytes) -> "Response":
        if len(body) < 3:
            raise FrameLengthError(f"response body of {len(body)} bytes has no SW1-SW3")
        return cls(body[0], body[1], body[2], bytes(body[3:]))

    def check(self, command: Command) -> "Response":
        """Return self if SW3 is the success code for ``command``, else raise its error."""
        expected = EXPECTED_STATUS.get(command.value, Status.OK)
        if self.sw3 != expected:
            raise status_error(self.sw3)
        return self


@dataclass(frozen=True)
class CommandFrame:
    cmd: int
    para: int
    data: bytes

    @classmethod
    def from_body(cls, body: bytes) -> "CommandFrame":
        if len(body) < 2:
            raise FrameLengthError(f"command body of {len(body)} bytes has no CMD PARA")
        return cls(body[0], body[1], bytes(body[2:]))


class FrameDecoder:
    """Incremental decoder: feed bytes, take complete frame bodies out.

    A bad length or check byte raises a :class:`ProtocolError` subclass for that one frame
    (so the caller can count and retry) and the decoder has already skipped past the bad
    preamble, so the next call continues with whatever follows. Garbage between frames is
    dropped silently but counted in ``skipped_bytes``.
    """

    def __init__(self, min_length: int = MIN_RESPONSE_LENGTH, max_length: int = MAX_LENGTH) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self._buf = bytearray()
        self.skipped_bytes = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def clear(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def needed(self) -> int:
        """How many more bytes would complete the frame being received (at least 1)."""
        start = self._buf.find(PREAMBLE)
        if start < 0 or len(self._buf) < start + 7:
            return max(1, 7 - len(self._buf))
        length = int.from_bytes(self._buf[start + 5:start + 7], "big")
        return max(1, start + 7 + length - len(self._buf))

    def next_body(self) -> bytes | None:
        """The body of the next complete frame, ``None`` if more bytes are needed."""
        start = self._buf.find(PREAMBLE)
        if start < 0:
            # Keep a tail that could be the start of a preamble split across reads.
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
                if self._buf.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            self.skipped_bytes += len(self._buf) - keep
            del self._buf[: len(self._buf) - keep]
            return None
        if start:
            self.skipped_bytes += start
            del self._buf[:start]
        if len(self._buf) < 7:
            return None
        length = int.from_bytes(self._buf[5:7], "big")
        if not self.min_length <= length <= self.max_length:
            self._drop_preamble()
            raise FrameLengthError(f"length field {length} outside {self.min_length}..{self.max_length}")
        end = 7 + length
        if len(self._buf) < end:
            return None
        frame = bytes(self._buf[:end])
        del self._buf[:end]
        length_and_body = frame[5:-1]
        if xor_check(length_and_body) != frame[-1]:
            raise ChecksumError(f"check byte 0x{frame[-1]:02X} != 0x{xor_check(length_and_body):02X}")
        return frame[7:-1]

    def _drop_preamble(self) -> None:
        # Skip one byte so the search continues inside what looked like a frame: a real
        # preamble may start right after a corrupted one.
        del self._buf[:1]
        self.skipped_bytes += 1


def decode_response(frame: bytes) -> Response:
    """Decode one complete response frame (used by tests and one-shot tools)."""
    decoder = FrameDecoder()
    decoder.feed(frame)
    body = decoder.next_body()
    if body is None:
        raise FrameLengthError("incomplete frame")
    return Response.from_body(body)


@dataclass(frozen=True)
class CardRecord:
    """The payload of a read command: text, photo and (optionally) fingerprint bytes."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def parse_read_data(data: bytes, with_fingerprint: bool = False) -> CardRecord:
    """Split the data of a ``30 01`` / ``30 10`` response.

    Layout: text length (2, big-endian), photo length (2), [fingerprint length (2)], then
    the blocks in that order. The lengths are taken from the frame, never assumed, so a
    reader that sends a shorter photo or no fingerprint is still understood.
    """
    n_fields = 3 if with_fingerprint else 2
    header = 2 * n_fields
    if len(data) < header:
        raise UnexpectedResponse(f"read data of {len(data)} bytes has no length fields")
    lengths = [int.from_bytes(data[i:i + 2], "big") for i in range(0, header, 2)]
    if header + sum(lengths) != len(data):
        raise UnexpectedResponse(f"length fields {lengths} do not add up to {len(data) - header} bytes")
    blocks, pos = [], header
    for n in lengths:
        blocks.append(bytes(data[pos:pos + n]))
        pos += n
    return CardRecord(*blocks) if with_fingerprint else CardRecord(blocks[0], blocks[1])


def build_read_data(record: CardRecord, with_fingerprint: bool = False) -> bytes:
    """The inverse of :func:`parse_read_data` (the simulator's side)."""
    blocks = [record.text, record.photo] + ([record.fingerprint] if with_fingerprint else [])
    return b"".join(len(b).to_bytes(2, "big") for b in blocks) + b"".join(blocks)
