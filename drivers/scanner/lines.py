"""Cutting a scanner's byte stream into codes at its suffix.

Scanners end each code with a configurable suffix, CR/LF by default; many are set to CR
or LF only. When the configured suffix is a line ending, any line ending ends a code and
empty lines are skipped, so a scanner reconfigured by a technician keeps working. A line
longer than ``max_bytes`` (garbage, or a scanner with its suffix turned off) is handed on
once, cut, so that the kiosk can say "code not recognised", and the rest of it is dropped.
"""
from __future__ import annotations

import re

_LINE_ENDINGS = {"\r\n", "\r", "\n"}
_ANY_EOL = re.compile(rb"\r\n|\r|\n")


class LineSplitter:
    def __init__(self, suffix: str = "\r\n", max_bytes: int = 4096) -> None:
        if not suffix:
            raise ValueError("a scanner suffix cannot be empty")
        self._any_eol = suffix in _LINE_ENDINGS
        self._suffix = suffix.encode("latin-1")
        self.max_bytes = max_bytes
        self._buffer = bytearray()
        self._discarding = False
        self.overflows = 0

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        out: list[bytes] = []
        while True:
            cut = self._find_end()
            if cut is None:
                break
            start, end = cut
            line = bytes(self._buffer[:start])
            del self._buffer[:end]
            if self._discarding:
                self._discarding = False
            elif line:
                out.append(line)
        if len(self._buffer) > self.max_bytes:
            if not self._discarding:
                out.append(bytes(self._buffer[: self.max_bytes]))
                self.overflows += 1
            self._discarding = True
            self._buffer.clear()
        return out

    def _find_end(self) -> tuple[int, int] | None:
        if self._any_eol:
            m = _ANY_EOL.search(self._buffer)
            if m is None:
                return None
            if m.group() == b"\r" and m.end() == len(self._buffer):
                return None  # a CR at the very end may be the first half of CR LF
            return m.start(), m.end()
        index = self._buffer.find(self._suffix)
        return None if index < 0 else (index, index + len(self._suffix))

    def idle(self) -> list[bytes]:
        """The line stopped (a read timed out): a trailing lone CR ends the code after all."""
        if self._any_eol and self._buffer.endswith(b"\r"):
            line = bytes(self._buffer[:-1])
            self.clear()
            return [line] if line else []
        return []

    def clear(self) -> None:
        self._buffer.clear()
        self._discarding = False
