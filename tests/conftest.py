"""Test-wide setup.

Each service fixture (Xvfb, pcscd+vpcd, cupsd, PostgreSQL, simulators) lives in its own
module under ``tests/fixtures`` and is loaded here automatically, so adding one never
means editing a shared file.
"""
from __future__ import annotations

import os
from pathlib import Path

# Kivy reads these at import time; no test may write ~/.kivy or parse pytest's argv.
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

_FIXTURES = Path(__file__).parent / "fixtures"
pytest_plugins = sorted(
    f"tests.fixtures.{p.stem}" for p in _FIXTURES.glob("*.py") if p.stem != "__init__"
)
