"""Masking of personal data before it is shown, logged or reported.

Rules from the product brief: never log or store a full ID number, a name together with an
ID number, a photo or card data. Screens show ``1101**********1234`` and ``张*``; logs go
through :class:`MaskingFilter`, which masks every ID-number-shaped string it sees and every
name the current session has registered as sensitive.
"""
from __future__ import annotations

import logging
import re
import threading

# 18-digit resident/permit numbers (last may be X) and legacy 15-digit numbers; also the
# 15/18-character foreigner permanent residence numbers that start with letters.
ID_NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
    r"|[A-Z]{3}\d{12}|9\d{17})(?![0-9A-Za-z])"
)


def mask_id_number(number: str) -> str:
    """``110101199003071234`` -> ``1101**********1234``: keep four at each end."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """``张三`` -> ``张*``, ``欧阳娜娜`` -> ``欧***``; Latin names keep their first letter."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_text(text: str) -> str:
    """Mask every ID-number-shaped substring of free text."""
    return ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)


class SensitiveValues:
    """Names (and other strings) of the person currently at the terminal.

    The session registers them when a card is read and forgets them on wipe; the log filter
    replaces them wherever they appear, so a name cannot leak even in an exception message.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] = {}

    def add(self, value: str, masked: str | None = None) -> None:
        if len(value.strip()) < 2:
            return
        with self._lock:
            self._values[value] = masked if masked is not None else mask_name(value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def scrub(self, text: str) -> str:
        with self._lock:
            items = sorted(self._values.items(), key=lambda kv: -len(kv[0]))
        for value, masked in items:
            text = text.replace(value, masked)
        return text


SENSITIVE = SensitiveValues()


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with ID numbers and registered names masked."""

    def __init__(self, sensitive: SensitiveValues = SENSITIVE) -> None:
        super().__init__()
        self.sensitive = sensitive

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format must not lose the record
            message = str(record.msg)
        masked = self.sensitive.scrub(mask_text(message))
        if record.exc_info:
            # Render the traceback now so that it is masked too, then drop the raw one.
            formatter = logging.Formatter()
            masked += "\n" + self.sensitive.scrub(mask_text(formatter.formatException(record.exc_info)))
            record.exc_info = None
            record.exc_text = None
        record.msg = masked
        record.args = None
        return True
