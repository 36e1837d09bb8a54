"""Key events of a keyboard-wedge scanner back into the text it typed.

A wedge scanner is a USB keyboard that types the code and presses Enter. It types with a
US layout, so only printable ASCII comes through (Chinese payloads need a serial scanner
or the camera). Key codes are the Linux input ABI (``linux/input-event-codes.h``), which
is stable, so this module does not need evdev to be installed.
"""
from __future__ import annotations

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
KEY_ENTER, KEY_KPENTER = 28, 96
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK = 42, 54, 58
KEY_BACKSPACE = 14


def _row(first_code: int, plain: str, shifted: str) -> dict[int, tuple[str, str]]:
    return {first_code + i: (p, s) for i, (p, s) in enumerate(zip(plain, shifted, strict=True))}


# code -> (unshifted, shifted)
KEYMAP: dict[int, tuple[str, str]] = {
    **_row(2, "1234567890-=", "!@#$%^&*()_+"),
    **_row(16, "qwertyuiop[]", "QWERTYUIOP{}"),
    **_row(30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    **_row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
    15: ("\t", "\t"), 57: (" ", " "), 55: ("*", "*"),
    **_row(71, "789-456+1230.", "789-456+1230."),
    98: ("/", "/"),
}

_SHIFTS = {KEY_LEFTSHIFT, KEY_RIGHTSHIFT}
_ENTERS = {KEY_ENTER, KEY_KPENTER}


class KeyDecoder:
    """Feed ``(type, code, value)`` events; :meth:`feed` returns a code when Enter is hit."""

    def __init__(self, max_chars: int = 4096) -> None:
        self.max_chars = max_chars
        self._chars: list[str] = []
        self._shift = False
        self._caps = False
        self.unknown_keys = 0

    def feed(self, ev_type: int, code: int, value: int) -> str | None:
        if ev_type != EV_KEY:
            return None
        if code in _SHIFTS:
            self._shift = value != KEY_UP
            return None
        if value != KEY_DOWN:
            return None  # key up, and auto-repeat (a scanner never holds a key)
        if code in _ENTERS:
            text = "".join(self._chars)
            self._chars.clear()
            return text or None
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif code == KEY_BACKSPACE:
            if self._chars:
                self._chars.pop()
        elif code in KEYMAP:
            plain, shifted = KEYMAP[code]
            char = shifted if self._shift else plain
            if self._caps and char.isalpha():
                char = char.swapcase()
            if len(self._chars) < self.max_chars:
                self._chars.append(char)
        else:
            self.unknown_keys += 1
        return None


def events_for(text: str) -> list[tuple[int, int, int]]:
    """The key events a wedge scanner sends to type ``text`` and Enter (for the simulator)."""
    reverse: dict[str, tuple[int, bool]] = {}
    for code, (plain, shifted) in KEYMAP.items():
        if code >= 71:
            continue  # type with the main block, like scanners do
        reverse.setdefault(plain, (code, False))
        reverse.setdefault(shifted, (code, True))
    events: list[tuple[int, int, int]] = []
    for char in text:
        if char not in reverse:
            raise ValueError(f"a US-layout wedge scanner cannot type {char!r}")
        code, shift = reverse[char]
        if shift:
            events.append((EV_KEY, KEY_LEFTSHIFT, KEY_DOWN))
        events += [(EV_KEY, code, KEY_DOWN), (EV_KEY, code, KEY_UP)]
        if shift:
            events.append((EV_KEY, KEY_LEFTSHIFT, KEY_UP))
    return events + [(EV_KEY, KEY_ENTER, KEY_DOWN), (EV_KEY, KEY_ENTER, KEY_UP)]
