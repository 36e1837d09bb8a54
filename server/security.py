"""Secrets: dashboard passwords (argon2id), device tokens and enrol codes (random, stored hashed).

Device tokens and enrol codes are long random strings, so a fast SHA-256 digest is enough to
make a stolen table useless, and it keeps the per-request token check cheap; argon2 (slow by
design) is only for human-chosen passwords.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Crockford-like alphabet: no 0/O, 1/I/L, so a code read aloud or typed on a touch screen survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def digest(secret: str) -> str:
    """Hex SHA-256 of a high-entropy secret (a token or an enrol code)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrol_code() -> str:
    """A 12-character code shown as ``XXXX-XXXX-XXXX`` (about 59 bits, single use, expiring)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Accept codes typed in lower case, with spaces or without dashes."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
