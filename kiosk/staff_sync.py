"""Fetch this evaluator's staff directory and photos from the server and cache them.

Sign-in and the idle screen must work while the hall's network is down, so the last directory
received is kept in the data directory and used until a newer one arrives. The directory is
fetched with ``If-None-Match`` (an unchanged one costs a 304), photos only when their ETag is
new; every file is written atomically, photos first and the directory last, so a crash
leaves either the old or the new directory, each with all its photos. Staff photos are not
citizens' data: the privacy rule against photos on disk is about applicants.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from kiosk.atomic_file import clean_stale_temps, write_atomic
from kiosk.server_link import LinkDown, ServerLink, get_bytes, get_json
from kiosk.staff import StaffDirectory, StaffDirectoryError, parse_directory

log = logging.getLogger(__name__)

ETAG_FILE = "staff.etag"
PHOTO_PREFIX = "staff_photo_"
MAX_PHOTO_BYTES = 2 * 1024 * 1024
JPEG_MAGIC = b"\xff\xd8\xff"


class StaffSyncError(Exception):
    """The directory could not be refreshed; ``reason`` is a stable key for the command ack."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def photo_file_name(staff_no: str, etag: str) -> str:
    """A file name that changes with the photo, so a new photo never overwrites one in use."""
    return f"{PHOTO_PREFIX}{staff_no}_{hashlib.sha256(etag.encode()).hexdigest()[:16]}.jpg"


class StaffSync:
    """``refresh(link)`` brings ``directory`` up to date; safe to call from one thread at a time."""

    def __init__(self, directory: StaffDirectory) -> None:
        self.directory = directory
        self.folder = directory.path.parent
        self.etag_path = self.folder / ETAG_FILE
        clean_stale_temps(self.folder, ETAG_FILE, legacy=(ETAG_FILE + ".tmp",))
        clean_stale_temps(self.folder, PHOTO_PREFIX + "*.jpg")
        for legacy in self.folder.glob(PHOTO_PREFIX + "*.jpg.tmp"):  # the fixed temp name of earlier versions
            legacy.unlink(missing_ok=True)

    def _etag(self) -> str:
        """The stored ETag, but only while the stored directory is whole: a file damaged by a power
        cut (or by hand) must be fetched again, not kept forever by a 304."""
        try:
            parse_directory(json.loads(self.directory.path.read_text(encoding="utf-8")))
            return self.etag_path.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return ""

    def refresh(self, link: ServerLink) -> bool:
        """True when a new directory was installed; raises StaffSyncError (the old one stays)."""
        try:
            fetched = get_json(link, "/staff", self._etag())
        except LinkDown as exc:
            raise StaffSyncError(exc.reason, exc.detail) from None
        if fetched.status == 304:
            return False
        if fetched.status != 200 or not isinstance(fetched.body, dict) or not isinstance(fetched.body.get("staff"), list):
            raise StaffSyncError(f"http_{fetched.status}" if fetched.status != 200 else "bad_directory")
        entries = [self._entry(link, item) for item in fetched.body["staff"] if isinstance(item, dict)]
        raw = {"version": fetched.body.get("version", 0), "staff": entries}
        try:
            count = self.directory.install(raw)
        except StaffDirectoryError as exc:
            raise StaffSyncError("bad_directory", str(exc)) from None
        write_atomic(self.etag_path, fetched.etag.encode("ascii", "replace"))
        self._remove_stale_photos({e["photo"] for e in entries if e["photo"]})
        log.info("staff directory version %s installed: %d staff", raw["version"], count)
        return True

    def _entry(self, link: ServerLink, item: dict[str, Any]) -> dict[str, Any]:
        entry = {k: item.get(k, "") for k in ("staff_no", "name", "title", "pin_hash", "card_uid_hash")}
        entry["photo"] = self._photo(link, str(item.get("staff_no", "")), str(item.get("photo_etag", "")),
                                     str(item.get("photo_url", "")))
        return entry

    def _photo(self, link: ServerLink, staff_no: str, etag: str, url: str) -> str:
        """The cached photo's file name ('' when there is none or it cannot be fetched now)."""
        prefix = "/api/v1"
        if not etag or not url.startswith(prefix + "/staff/"):
            return ""
        name = photo_file_name(staff_no, etag)
        if (self.folder / name).is_file():
            return name
        try:
            fetched = get_bytes(link, url[len(prefix):], accept="image/jpeg")
        except LinkDown as exc:
            raise StaffSyncError(exc.reason, exc.detail) from None  # try the whole directory again later
        data = fetched.body
        if fetched.status != 200 or not isinstance(data, bytes) or not data.startswith(JPEG_MAGIC) \
                or len(data) > MAX_PHOTO_BYTES:
            log.warning("photo of staff %s not usable (HTTP %s); showing initials", staff_no, fetched.status)
            return ""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / name, data)
        return name

    def _remove_stale_photos(self, keep: set[str]) -> None:
        for path in self.folder.glob(PHOTO_PREFIX + "*.jpg"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

