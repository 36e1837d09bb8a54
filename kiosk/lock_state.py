"""Whether the terminal is locked out of service by a technician (remote ``lock`` command).

The state is a small file in the data directory, written atomically and durably (the unlock's
removal too), so a locked terminal stays locked across an app restart or a power cut until
someone unlocks it, and an unlocked one stays unlocked. A lock file damaged by a cut still locks.
"""
from __future__ import annotations

import json
from pathlib import Path

from kiosk.atomic_file import clean_stale_temps, remove_durably, write_json_atomic

LOCK_FILE = "locked.json"


class LockState:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        clean_stale_temps(self.path.parent, LOCK_FILE, legacy=("locked.tmp",))

    @property
    def locked(self) -> bool:
        return self.path.exists()

    @property
    def message(self) -> str:
        try:
            return str(json.loads(self.path.read_text(encoding="utf-8")).get("message", ""))
        except (OSError, ValueError, AttributeError):
            return ""

    def lock(self, message: str = "") -> None:
        write_json_atomic(self.path, {"message": message})

    def unlock(self) -> None:
        remove_durably(self.path)
