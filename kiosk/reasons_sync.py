"""Fetch the 差评 reason list the server publishes and install it when it is valid and newer.

Terminals and evaluators both take bad ratings, so both run this (periodically and on the
``update_reasons`` remote command). :func:`kiosk.rating.install_reason_list` does the
validation and the atomic write; an older or equal version is not an error here (the server
serves the shipped list until someone edits it), an invalid one is, and it never replaces
the list in force.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.atomic_file import clean_stale_temps, write_text_atomic
from kiosk.rating import PUSHED_REASONS_FILE, ReasonList, ReasonListError, current_reason_list, install_reason_list
from kiosk.server_link import LinkDown, ServerLink, get_json

log = logging.getLogger(__name__)

ETAG_FILE = "rating_reasons.etag"


class ReasonsSyncError(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class ReasonsSync:
    """``refresh(link)`` returns the newly installed list, or None when nothing changed."""

    def __init__(self, data_dir: str | Path, on_installed: Callable[[ReasonList], None] = lambda _r: None) -> None:
        self.data_dir = Path(data_dir)
        self.etag_path = self.data_dir / ETAG_FILE
        self.on_installed = on_installed
        clean_stale_temps(self.data_dir, ETAG_FILE, legacy=(ETAG_FILE + ".tmp",))
        clean_stale_temps(self.data_dir, PUSHED_REASONS_FILE, legacy=(PUSHED_REASONS_FILE + ".tmp",))

    def refresh(self, link: ServerLink) -> ReasonList | None:
        try:
            etag = self.etag_path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            etag = ""
        pushed = self.data_dir / PUSHED_REASONS_FILE
        if etag and pushed.exists():
            try:
                ReasonList.load(pushed)
            except ReasonListError:  # damaged (power cut, hand edit): fetch it again, do not get a 304
                etag = ""
        try:
            fetched = get_json(link, "/rating-reasons", etag)
        except LinkDown as exc:
            raise ReasonsSyncError(exc.reason, exc.detail) from None
        if fetched.status == 304:
            return None
        if fetched.status != 200:
            raise ReasonsSyncError(f"http_{fetched.status}")
        try:
            candidate = ReasonList.from_dict(fetched.body)
        except ReasonListError as exc:
            raise ReasonsSyncError("bad_reason_list", str(exc)) from None
        installed = None
        current = current_reason_list(self.data_dir)
        if candidate.version > current.version:
            installed = install_reason_list(self.data_dir, fetched.body, current)
            log.info("reason list version %d installed", installed.version)
        write_text_atomic(self.etag_path, fetched.etag, encoding="ascii", errors="replace")
        if installed is not None:
            self.on_installed(installed)
        return installed
