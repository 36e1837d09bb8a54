"""Structured logging to a rotating file, with personal data masked before it is written.

A terminal runs for months, so the file rotates by size. Every record passes through
:class:`kiosk.privacy.MaskingFilter` at the handler, which also covers records from
third-party libraries: an ID number in a pyserial exception or a Kivy warning is masked
just the same.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path

from kiosk.privacy import MaskingFilter

LOG_FILE_NAME = "kiosk.log"


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: easy to grep on site and to ship to a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created)) + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(log_dir: Path, level: int = logging.INFO, to_stderr: bool = True,
                  max_bytes: int = 5 * 1024 * 1024, backups: int = 5, file_name: str = LOG_FILE_NAME) -> Path:
    """Send the root logger to ``log_dir/file_name`` (and stderr); returns the file path.

    Each process gets its own file (the supervisor writes ``supervisor.log``): two processes
    rotating one file would lose lines.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / file_name
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    file_handler.setFormatter(JsonLineFormatter())
    handlers: list[logging.Handler] = [file_handler]
    if to_stderr:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(stream)
    for handler in handlers:
        handler.addFilter(MaskingFilter())
        handler._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    os.chmod(path, 0o640)
    return path
