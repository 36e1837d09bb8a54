"""A ballast file that the outbox gives up when the disk fills.

When a kiosk's disk fills (logs, a runaway cache), SQLite cannot grow its WAL and a rating
would be refused at once. A reserve file, written while there is room and deleted at the
first "disk full", buys time: ratings are still kept, and the outbox already reports a
``disk_full`` fault so a technician frees space before anything is refused. A second
reserve is kept for acknowledgements, because deleting delivered events (the only way out
of a full outbox) needs a little room too.
"""
from __future__ import annotations

import os
from pathlib import Path


class DiskReserve:
    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = size

    @property
    def present(self) -> bool:
        return self.size <= 0 or self.path.exists()

    def ensure(self) -> bool:
        """Create the file if missing (fsync-ed, so the space is really taken); ``False`` if no room."""
        if self.present:
            return True
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(tmp, "wb") as fh:
                for _ in range(0, self.size, 1 << 16):
                    fh.write(b"\0" * min(1 << 16, self.size))
                fh.truncate(self.size)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)
            return False
        return True

    def release(self) -> bool:
        """Give the space back to the file system; ``False`` if there was nothing to give."""
        if self.size <= 0:
            return False
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True
