"""The service catalog (事项目录) kept on the device, refreshed from the server with ETags.

The terminal must work offline, so the last catalog it received is kept in the data
directory (written atomically) and used until a newer one arrives; a refresh that the
server answers with 304 costs one small request.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.atomic_file import clean_stale_temps, write_json_atomic
from kiosk.server_link import LinkDown, ServerLink, get_json

CATALOG_FILE = "catalog.json"


class CatalogRefreshError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CatalogCache:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / CATALOG_FILE
        clean_stale_temps(self.path.parent, CATALOG_FILE, legacy=("catalog.tmp",))

    def load(self) -> tuple[Any, str]:
        """``(catalog, etag)`` as last stored; ``(None, "")`` before the first refresh."""
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            return stored["catalog"], str(stored.get("etag", ""))
        except (OSError, ValueError, KeyError, TypeError):
            return None, ""

    def refresh(self, link: ServerLink) -> bool:
        """Fetch if changed; returns whether a new catalog was stored. Raises CatalogRefreshError."""
        _catalog, etag = self.load()
        try:
            fetched = get_json(link, "/catalog", etag)
        except LinkDown as exc:
            raise CatalogRefreshError(exc.reason) from None
        if fetched.status == 304:
            return False
        if fetched.status != 200 or fetched.body is None:
            raise CatalogRefreshError(f"http_{fetched.status}")
        write_json_atomic(self.path, {"etag": fetched.etag, "catalog": fetched.body})
        return True
