"""GB 11643-1999 citizen identity numbers: check digit and embedded birth date.

Resident cards, Hong Kong/Macao/Taiwan residence permits (``81``/``82``/``83`` prefixes)
and the 2023 foreigner permanent residence cards (``9`` prefix) all use the 18-character
form with the ISO 7064 MOD 11-2 check character. A number that fails is reported with a
stable reason key so the screen can say *why* the card is refused without repeating it.
"""
from __future__ import annotations

import datetime as dt
import re

from drivers.idcard.errors import InvalidIdNumber

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_FORM_RE = re.compile(r"^\d{17}[\dX]$")
# 2017 foreigner card: 3-letter nationality, 2-digit area, YYMMDD, 2-digit seq, check.
_FOREIGNER_2017_RE = re.compile(r"^[A-Z]{3}\d{12}$")


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def birth_date_of(number: str) -> dt.date:
    """The birth date encoded in an 18-character number (positions 7-14)."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date", "positions 7-14 are not a calendar date") from None


def validate_id_number(number: str, today: dt.date | None = None) -> str:
    """Return the number (upper-cased ``X``) if it is a valid GB 11643 number, else raise."""
    number = number.strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber("length", f"{len(number)} characters, 18 expected")
    if not _FORM_RE.match(number):
        raise InvalidIdNumber("format", "17 digits and a digit or X expected")
    born = birth_date_of(number)
    if born.year < 1900 or born > (today or dt.date.today()):
        raise InvalidIdNumber("birth_date", "birth date out of range")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("check_digit", "check character does not match")
    return number


def validate_foreigner_2017_number(number: str) -> str:
    """The 15-character 2017 permanent residence number: its form only.

    It is not a GB 11643 number (3-letter nationality code, then 12 digits) and its check
    algorithm is not public, so only the form is verified.
    """
    number = number.strip().upper()
    if not _FOREIGNER_2017_RE.match(number):
        raise InvalidIdNumber("format", "3 letters and 12 digits expected")
    return number


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid number (used by the simulator's fictitious people and by tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("region must be 6 digits and sequence 0..999")
    return first17 + check_char(first17)
