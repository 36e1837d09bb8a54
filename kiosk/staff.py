"""Window staff: who may sign in on an evaluator, by staff card UID or staff number + PIN.

The management server owns the staff records and photos (dashboard page 窗口人员);
:mod:`kiosk.staff_sync` fetches the directory of this evaluator's hall with ETags, caches it
with the photos in the data directory (``staff.json`` + ``staff_photo_*.jpg``, written
atomically) so sign-in works offline, and swaps it in here. Without a server the file can be
placed by hand; ``sample_staff = true`` in the config seeds fictitious demo staff
(``assets/staff/sample.json``; every name is marked 示例). PINs are stored only as PBKDF2
hashes (:mod:`kiosk.pin`) and staff cards as SHA-256 of their UID (``card_uid_hash``; the
sample file may give a plain ``card_uid``); a run of wrong PINs locks the pad for a while,
because the keypad is on a screen in a public hall.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.atomic_file import clean_stale_temps, write_json_atomic
from kiosk.pin import verify_pin

STAFF_FILE = "staff.json"
SAMPLE_FILE = Path(__file__).resolve().parent.parent / "assets" / "staff" / "sample.json"
STAFF_NO_RE = re.compile(r"^[A-Za-z0-9]{1,16}$")
UID_RE = re.compile(r"^[0-9A-F]{8,20}$")
UID_HASH_RE = re.compile(r"^[0-9a-f]{64}$")


def card_uid_hash(uid: str) -> str:
    """SHA-256 (hex) of the upper-case hex UID: the server stores and sends only this."""
    return hashlib.sha256(uid.upper().encode("ascii", "replace")).hexdigest()


class StaffDirectoryError(ValueError):
    """A directory file or push that is not usable; the previous directory stays in force."""


@dataclass(frozen=True)
class StaffMember:
    staff_no: str
    name: str
    title: str = ""
    card_uid: str = ""  # SHA-256 hex of the UID (a plain UID in the sample file is hashed on load)
    pin_hash: str = ""
    photo: str = ""  # a file name in the directory's folder; empty = initials avatar

    def __repr__(self) -> str:  # the hash is not secret-free: keep it out of logs
        return f"StaffMember({self.staff_no!r}, {self.name!r})"


def parse_directory(raw: Any) -> tuple[int, dict[str, StaffMember]]:
    """Validate ``{"version": N, "staff": [...]}``; returns the version and members by number."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("staff"), list):
        raise StaffDirectoryError('a staff directory is {"version": N, "staff": [...]}')
    version = raw.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StaffDirectoryError("version must be a non-negative integer")
    members: dict[str, StaffMember] = {}
    uids: set[str] = set()
    for item in raw["staff"]:
        if not isinstance(item, Mapping):
            raise StaffDirectoryError("each staff entry is an object")
        no, name = str(item.get("staff_no", "")), str(item.get("name", ""))
        if not STAFF_NO_RE.match(no) or not 0 < len(name) <= 32:
            raise StaffDirectoryError(f"entry {no!r}: staff_no (1-16 letters/digits) and name are required")
        plain = str(item.get("card_uid", "")).upper()
        if plain and not UID_RE.match(plain):
            raise StaffDirectoryError(f"entry {no}: card_uid must be hex")
        uid = card_uid_hash(plain) if plain else str(item.get("card_uid_hash", ""))
        if uid and (not UID_HASH_RE.match(uid) or uid in uids):
            raise StaffDirectoryError(f"entry {no}: the card must be unique (card_uid_hash: 64 hex digits)")
        if no in members:
            raise StaffDirectoryError(f"duplicate staff_no {no}")
        uids.add(uid)
        photo = str(item.get("photo", ""))
        if photo and (Path(photo).name != photo):
            raise StaffDirectoryError(f"entry {no}: photo is a plain file name")
        members[no] = StaffMember(no, name, str(item.get("title", ""))[:32], uid, str(item.get("pin_hash", "")), photo)
    return version, members


class StaffDirectory:
    """Look-ups by card UID and by number + PIN; reloaded when a new directory is installed."""

    def __init__(self, path: Path, *, seed_sample: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        clean_stale_temps(self.path.parent, self.path.name, legacy=(self.path.with_suffix(".tmp").name,))
        if seed_sample and not self.path.exists():
            self.install(json.loads(SAMPLE_FILE.read_text(encoding="utf-8")))
        self.version, self._members = self._read()

    def _read(self) -> tuple[int, dict[str, StaffMember]]:
        try:
            return parse_directory(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return 0, {}
        except (OSError, ValueError):  # a damaged file: nobody can sign in by PIN, cards still refused
            return 0, {}

    def install(self, raw: Any) -> int:
        """Validate and atomically replace the directory (remote command ``update_staff``)."""
        version, members = parse_directory(raw)
        write_json_atomic(self.path, raw, mode=0o600)  # PIN hashes inside: readable by the kiosk user only
        with self._lock:
            self.version, self._members = version, members
        return len(members)

    def get(self, staff_no: str) -> StaffMember | None:
        with self._lock:
            return self._members.get(staff_no)

    def members(self) -> list[StaffMember]:
        with self._lock:
            return list(self._members.values())

    def __len__(self) -> int:
        return len(self._members)

    def by_card(self, uid: str) -> StaffMember | None:
        uid = card_uid_hash(uid)
        with self._lock:
            return next((m for m in self._members.values() if m.card_uid and m.card_uid == uid), None)

    def by_pin(self, staff_no: str, pin: str) -> StaffMember | None:
        with self._lock:
            member = self._members.get(staff_no)
        if member is None or not member.pin_hash or not verify_pin(pin, member.pin_hash):
            return None
        return member

    def photo_path(self, member: StaffMember) -> Path | None:
        path = self.path.parent / member.photo if member.photo else None
        return path if path is not None and path.is_file() else None


class AttemptLimiter:
    """``max_failures`` wrong PINs in a row lock sign-in for ``lockout_s`` seconds."""

    def __init__(self, max_failures: int = 5, lockout_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._clock = clock
        self._failures = 0
        self._locked_until = 0.0

    def locked_for(self) -> float:
        """Seconds left of a lock, 0 when not locked."""
        return max(0.0, self._locked_until - self._clock())

    def failed(self) -> None:
        self._failures += 1
        if self._failures >= self.max_failures:
            self._failures = 0
            self._locked_until = self._clock() + self.lockout_s

    def succeeded(self) -> None:
        self._failures = 0
