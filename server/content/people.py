"""Citizens on the server: ID-number checks (GB 11643), the HMAC that finds a person, masking.

The server never keeps an ID number. A person's cases and certificates are found by
``person_key``: an HMAC-SHA256 of the normalised number under a key derived from the server
secret for this one purpose, so the same secret used for session cookies cannot be turned
into a lookup table of ID numbers and vice versa. Without the secret a stolen database does
not reveal who a row belongs to (a plain hash of an ID number is easy to brute-force: the
space is only about 10^11 plausible numbers).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")
_KEY_PURPOSE = b"kiosk-server/content/person-id-number/v1"


def check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id_number(raw: str) -> str:
    return raw.strip().upper()


def valid_id_number(raw: str) -> bool:
    """An 18-character citizen/permit number with a real birth date and the right check character."""
    number = normalise_id_number(raw)
    if not _SHAPE.match(number):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1880:
        return False
    return check_char(number[:17]) == number[17]


def person_key(secret_key: str, id_number: str) -> str:
    """Hex HMAC of the normalised ID number; the only form in which the server stores it."""
    derived = hmac.new(secret_key.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()
    return hmac.new(derived, normalise_id_number(id_number).encode("ascii"), hashlib.sha256).hexdigest()


def mask_id_number(number: str) -> str:
    """``370102198503150031`` -> ``3701**********0031`` (the terminal prints this form)."""
    number = normalise_id_number(number)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """``张三`` -> ``张*``, ``欧阳娜娜`` -> ``欧***``."""
    name = name.strip()
    return "" if not name else name[0] + "*" * max(1, len(name) - 1)
