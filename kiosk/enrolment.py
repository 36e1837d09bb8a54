"""Enrolment: swap the one-time code from the dashboard for this device's token, and keep it safe.

The token is the device's only credential, so it is written with 0600 permissions (never
world-readable, even for a moment: the file is created with that mode, not chmod-ed after),
atomically (a power cut leaves the old file or the new one, never half a token) and bound to
the server URL it came from. A revoked token is moved aside rather than deleted so that a
technician can see what happened, and so the next start does not keep trying it.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.atomic_file import clean_stale_temps, replace_durably, write_json_atomic
from kiosk.server_link import LinkDown, ServerLink

TOKEN_FILE = "server_token.json"
_INSTANCE_IDS: dict[tuple[str, str], str] = {}  # (server, code) -> this process's enrolment instance id
REVOKED_FILE = "server_token.revoked.json"


class EnrolmentError(Exception):
    """Enrolment did not give a token; ``reason`` is a Health reason key."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


@dataclass(frozen=True)
class Credentials:
    device_id: str
    token: str
    server_url: str

    def __repr__(self) -> str:  # never print the token in a log line or a traceback
        return f"Credentials(device_id={self.device_id!r}, server_url={self.server_url!r}, token=***)"


class TokenStore:
    """The token file in the kiosk's data directory."""

    def __init__(self, data_dir: str | Path) -> None:
        self.dir = Path(data_dir)
        self.path = self.dir / TOKEN_FILE
        clean_stale_temps(self.dir, TOKEN_FILE, legacy=("server_token.tmp",))

    def load(self, server_url: str) -> Credentials | None:
        """The stored credentials for ``server_url``; ``None`` if absent, unreadable or for another server."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            creds = Credentials(str(data["device_id"]), str(data["token"]), str(data["server_url"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return creds if creds.server_url == server_url.rstrip("/") and creds.token else None

    def save(self, creds: Credentials) -> None:
        write_json_atomic(self.path, {"device_id": creds.device_id, "token": creds.token,
                                      "server_url": creds.server_url}, mode=0o600)

    def mark_revoked(self) -> None:
        """Keep the refused token for the record but stop using it."""
        try:
            replace_durably(self.path, self.dir / REVOKED_FILE)
        except FileNotFoundError:
            pass


def enrol(link: ServerLink, code: str) -> Credentials:
    """POST the one-time code; the answer's token authenticates everything afterwards.

    The code goes with a random ``instance_id`` kept for this process and code: when an answer
    is lost on the network, the retry sends the same pair and the server answers again (same
    device id, fresh token) instead of refusing a code it already counts as used.
    """
    if not code.strip():
        raise EnrolmentError("not_enrolled", "no enrol_code in the [server] config")
    instance_id = _INSTANCE_IDS.setdefault((link.base_url, code.strip()), secrets.token_urlsafe(24))
    try:
        reply = link.post("/devices/enrol", {"code": code.strip(), "instance_id": instance_id}, auth=False)
    except LinkDown as exc:
        raise EnrolmentError(exc.reason, exc.detail) from None
    if reply.ok and isinstance(reply.body, dict) and reply.body.get("token") and reply.body.get("device_id"):
        return Credentials(str(reply.body["device_id"]), str(reply.body["token"]), link.base_url)
    if 400 <= reply.status < 500:
        raise EnrolmentError("enrolment_refused", f"HTTP {reply.status}: {reply.error_text()}")
    raise EnrolmentError("server_error", f"HTTP {reply.status}: {reply.error_text()}")
