"""Fixtures for the reporting tests: a fresh outbox and the server's wire schemas.

The schemas are read from ``server/schemas/`` as files (the wire format is what client and
server share; the client never imports server code).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.outbox import Outbox

SCHEMAS = Path(__file__).resolve().parents[2] / "server" / "schemas"


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3", "term-01", reserve_bytes=64 * 1024)
    yield box
    box.close()


def schema_errors(name: str, instance: Any) -> list[str]:
    """Violations of ``server/schemas/NAME.schema.json``; skips the test when the file is absent."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    path = SCHEMAS / f"{name}.schema.json"
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    validator = jsonschema_rs.validator_for(json.loads(path.read_text("utf-8")), validate_formats=True)
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(instance)]
