"""PIN and staff-card hashes in the format the evaluators verify offline.

Evaluators check a PIN without the server (a hall's network goes down; sign-in must not), so
the server ships each staff member's PIN hash to the evaluators of *their own site only*.
The format is the device's ``pbkdf2_sha256$ITER$SALT_B64$DIGEST_B64`` (PBKDF2-HMAC-SHA256,
random 16-byte salt): standard-library code on both sides, no shared import. A short PIN's
hash can be brute-forced by someone who already holds root on an evaluator, which is why the
dashboard asks for 6 digits, the pad locks after wrong tries, and the staff card is the main
sign-in. The card UID is stored and shipped only as SHA-256 of its upper-case hex, so neither
the database nor a device's cache holds a usable card number.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

PIN_ITERATIONS = 200_000
PIN_RE = re.compile(r"^[0-9]{6,8}$")
UID_RE = re.compile(r"^[0-9A-F]{8,20}$")


class CredentialError(ValueError):
    """A PIN or card UID that cannot be used; the message is shown on the dashboard."""


def hash_pin(pin: str, *, iterations: int = PIN_ITERATIONS, salt: bytes | None = None) -> str:
    if not PIN_RE.match(pin):
        raise CredentialError("PIN 须为 6-8 位数字 (6-8 digits)")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_pin(pin: str, encoded: str) -> bool:
    """Used only by tests and tools on the server; the device has its own verifier."""
    try:
        algo, iterations, salt_b64, digest_b64 = encoded.split("$")
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), base64.b64decode(salt_b64), int(iterations))
    except (ValueError, TypeError):
        return False
    return algo == "pbkdf2_sha256" and hmac.compare_digest(digest, base64.b64decode(digest_b64))


def normalise_uid(uid: str) -> str:
    cleaned = re.sub(r"[\s:-]", "", uid).upper()
    if not UID_RE.match(cleaned):
        raise CredentialError("卡号须为 8-20 位十六进制 (card UID: 8-20 hex digits)")
    return cleaned


def hash_card_uid(uid: str) -> str:
    """SHA-256 (lower-case hex) of the upper-case hex UID, as the evaluator computes it."""
    return hashlib.sha256(normalise_uid(uid).encode("ascii")).hexdigest()
