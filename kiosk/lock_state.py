"""Whether the terminal is locked out of service by a technician (remote ``lock`` command).

The state is a small file in the data directory, written atomically, so a locked terminal
stays locked across an app restart or a power cut until someone unlocks it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

LOCK_FILE = "locked.json"


class LockState:
    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"message": message}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

    def unlock(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
