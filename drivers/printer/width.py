"""Column arithmetic for a receipt where a Chinese character takes two columns.

On a thermal printer in Chinese mode every character sent as GB18030 is printed in a
full-width cell (24 dots for font A), and every ASCII character in a half-width cell (12
dots). So the rule here is deliberately the printer's, not Unicode's East-Asian-width
table: any non-ASCII character is two columns. An 80 mm printer has 48 columns, a 58 mm
printer 32.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

COLUMNS_BY_PAPER_MM = {80: 48, 58: 32}


def char_columns(ch: str) -> int:
    return 1 if ord(ch) < 0x80 else 2


def text_columns(text: str) -> int:
    if text.isascii():
        return len(text)
    # every character is one column, plus one more for each non-ASCII one (counted in C)
    return 2 * len(text) - len(text.encode("ascii", "ignore"))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(text: str) -> str:
    """Drop control characters: a stray ESC in user data must never reach the printer as a command."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` printer columns.

    ASCII words are kept whole where they fit (a case number must not be split in the
    middle); Chinese text breaks between any two characters, as Chinese typesetting does.
    """
    if columns < 2:
        raise ValueError("a line needs at least two columns")
    lines: list[str] = []
    for paragraph in clean_lines(text):
        lines.extend(_wrap_paragraph(paragraph, columns))
    return lines


def clean_lines(text: str) -> Iterator[str]:
    for part in text.split("\n"):
        yield clean(part)


def _tokens(text: str) -> Iterator[str]:
    word = ""
    for ch in text:
        if ord(ch) < 0x80 and ch != " ":
            word += ch
            continue
        if word:
            yield word
            word = ""
        yield ch
    if word:
        yield word


# Chinese line-breaking rule (避头点): these never start a line; the character before them moves down.
NO_LINE_START = set("，。、；：！？）》」』】〕”’…—·,.;:!?)]}%")


def _wrap_paragraph(text: str, columns: int) -> list[str]:
    if text_columns(text) <= columns:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for token in _tokens(text):
        width = text_columns(token)
        if used + width > columns and line:
            carry = ""
            if token in NO_LINE_START and not token.isascii():
                line, carry = _carry_back(line)
            lines.append(line.rstrip(" "))
            line, used = carry, text_columns(carry)
            if token == " ":
                continue
        while width > columns - used:  # a word longer than a line: hard break
            head, rest = _split_at(token, columns - used)
            lines.append(line + head)
            line, used, token = "", 0, rest
            width = text_columns(token)
        line += token
        used += width
    if line.strip(" ") or not lines:
        lines.append(line.rstrip(" "))
    return lines


def _carry_back(line: str, limit: int = 3) -> tuple[str, str]:
    """Move the last character(s) of a full line down so punctuation does not start the next one.

    Closing punctuation in a row (``”）。``) moves together with the character before it; ASCII
    words are never torn apart, and at most ``limit`` characters move.
    """
    line = line.rstrip(" ")
    cut = len(line)
    while cut > 1 and len(line) - cut < limit and not line[cut - 1].isascii():
        cut -= 1
        if line[cut] not in NO_LINE_START:
            return line[:cut], line[cut:]
    return line, ""


def _split_at(token: str, columns: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(token):
        used += char_columns(ch)
        if used > columns:
            return token[:i], token[i:]
    return token, ""


def pad(text: str, columns: int, align: str = "left") -> str:
    """Pad with spaces to exactly ``columns`` (text must already fit)."""
    gap = max(0, columns - text_columns(text))
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def leader_row(left: str, right: str, columns: int, leader: str = ".") -> list[str]:
    """``办件编号........BJ2026001``: label left, value right, dots between.

    When both do not fit on one line the label gets its own line(s) and the value is
    right-aligned below it, so a long value never pushes the label off the paper.
    """
    left, right = clean(left), clean(right)
    lw, rw = text_columns(left), text_columns(right)
    if lw + rw + 2 <= columns:
        fill = columns - lw - rw - 2
        return [f"{left} {leader * fill} {right}" if fill else f"{left}  {right}"]
    lines = wrap(left, columns)
    lines.extend(pad(part, columns, "right") for part in wrap(right, columns))
    return lines
