"""Pinyin initials of item names for the terminal's keypad search (社会保障卡申领 -> ``SHBZKSL``).

pypinyin rather than a hand-made character table: it knows the readings of polyphonic
characters in context (银行 ``YH``, 重新 ``CX``), which a per-character table gets wrong.
"""
from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def initials(name: str) -> str:
    """Upper-case initials of the Chinese characters, letters and digits of ``name``; punctuation dropped."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(ch for part in letters for ch in part.upper() if ch.isascii() and ch.isalnum())
