"""What a scanned code means to the kiosk: receipt, electronic licence, URL or text.

Formats, checked in this order:

* **Our receipt QR** (受理凭证): ``ZWFW:CASE:<case number>``, the case number being 6-40
  letters, digits and ``-`` (upper-cased). The receipt printer puts exactly this into the
  QR on every acceptance receipt; the terminal then opens the progress query (办件查询) for
  that case. A code that starts with the prefix but carries no valid number is refused
  (``scan.bad_receipt``) rather than shown as text.
* **Phone-app identity code** (政务 App 身份码, 一码办事): ``ZWFW:ID:<token>``, the token being
  16-256 letters, digits and ``._-``; like a licence token it is only sent to the backend for
  verification. The prefix with a malformed token is refused (``scan.bad_identity_code``).
* **Electronic licence token** (扫码亮证): the whole text matches the configured
  ``licence_pattern`` (per province; the default is ``DZZZ:<token>``). The named group
  ``token``, when the pattern has one, is what is sent to the backend for verification;
  the kiosk never trusts the token by itself.
* **URL**: ``http(s)://`` with a host; shown, never opened automatically.
* **Text**: anything else that is readable text.

Refused with a message key for the screen, and logged without content: longer than
``max_payload_bytes`` (``scan.too_long``), binary or control characters
(``scan.unreadable``), empty (``scan.empty``). Licence tokens and texts may be personal
data, so accepted codes are logged with their kind and length only.
"""
from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

RECEIPT_PREFIX = "ZWFW:CASE:"
APP_IDENTITY_PREFIX = "ZWFW:ID:"
APP_TOKEN_RE = re.compile(r"[A-Za-z0-9._-]{16,256}")
CASE_NUMBER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{5,39}")
DEFAULT_LICENCE_PATTERN = r"^DZZZ:(?P<token>[A-Za-z0-9+/=_.-]{16,512})$"
DEFAULT_MAX_BYTES = 2048
_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)


class PayloadKind(str, enum.Enum):
    RECEIPT = "receipt"
    LICENCE = "licence"
    APP_IDENTITY = "app_identity"
    URL = "url"
    TEXT = "text"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Payload:
    kind: PayloadKind
    value: str = ""  # case number, licence token, URL or text; empty when rejected
    message_key: str = ""  # set only when rejected

    @property
    def accepted(self) -> bool:
        return self.kind is not PayloadKind.REJECTED


@dataclass(frozen=True)
class PayloadRules:
    licence_pattern: re.Pattern[str] = re.compile(DEFAULT_LICENCE_PATTERN)
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_config(cls, device_config: Any) -> "PayloadRules":
        """From a ``CameraConfig`` or ``ScannerConfig`` (both carry the code rules)."""
        return cls(re.compile(device_config.licence_pattern), device_config.max_payload_bytes)


DEFAULT_RULES = PayloadRules()


def classify(raw: bytes, text: str, encoding: str, rules: PayloadRules = DEFAULT_RULES) -> Payload:
    """Classify one decoded code (raw bytes, our text reading of them, and its encoding)."""
    if len(raw) > rules.max_bytes:
        return _reject("scan.too_long", len(raw))
    if encoding == "binary":
        return _reject("scan.unreadable", len(raw))
    text = text.strip()
    if not text:
        return _reject("scan.empty", len(raw))
    payload = (_receipt(text) or _app_identity(text) or _licence(text, rules) or _url(text)
               or Payload(PayloadKind.TEXT, text))
    if payload.accepted:
        log.info("code read: %s, %d bytes", payload.kind.value, len(raw))
    return payload


def classify_code(code: Any, rules: PayloadRules = DEFAULT_RULES) -> Payload:
    """Classify a :class:`drivers.scanner.codes.ScannedCode`."""
    return classify(code.raw, code.text, code.encoding, rules)


def _reject(key: str, size: int) -> Payload:
    log.warning("code refused: %s, %d bytes (content not logged)", key, size)
    return Payload(PayloadKind.REJECTED, message_key=key)


def _receipt(text: str) -> Payload | None:
    if not text.upper().startswith(RECEIPT_PREFIX):
        return None
    number = text[len(RECEIPT_PREFIX):]
    if not CASE_NUMBER_RE.fullmatch(number):
        return _reject("scan.bad_receipt", len(text))
    return Payload(PayloadKind.RECEIPT, number.upper())


def _app_identity(text: str) -> Payload | None:
    if not text.upper().startswith(APP_IDENTITY_PREFIX):
        return None
    token = text[len(APP_IDENTITY_PREFIX):]
    if not APP_TOKEN_RE.fullmatch(token):
        return _reject("scan.bad_identity_code", len(text))
    return Payload(PayloadKind.APP_IDENTITY, token)


def _licence(text: str, rules: PayloadRules) -> Payload | None:
    m = rules.licence_pattern.fullmatch(text) if rules.licence_pattern.pattern else None
    if m is None:
        return None
    token = m.group("token") if "token" in m.re.groupindex else text
    return Payload(PayloadKind.LICENCE, token)


def _url(text: str) -> Payload | None:
    if not _URL_RE.match(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return Payload(PayloadKind.URL, text) if parts.hostname else None


def receipt_payload(case_number: str) -> str:
    """The text to put into a receipt's QR code (used by the receipt printer)."""
    if not CASE_NUMBER_RE.fullmatch(case_number):
        raise ValueError("case number must be 6-40 letters, digits or '-'")
    return RECEIPT_PREFIX + case_number.upper()
