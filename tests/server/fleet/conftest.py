"""Fleet tests drive the webhook sender themselves (with a clock they move), so the app's own
background sender is off here."""
from __future__ import annotations

import pytest

from server.settings import Settings
from tests.server.conftest import make_settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, notify_every_s=0)
