"""The acceptance contract, end to end through the real CLI and a real server process."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from server.cli import main

from tests.server.live import cli, serve


def test_contract_migrate_enrol_code_run_enrol_events(database_url: str) -> None:
    # (the fixture already migrated the database; ``migrate`` itself is run in the next test)
    code = cli("enrol-code", "--type", "evaluator", database_url=database_url).stdout.strip().splitlines()[-1]
    with serve(database_url) as base:
        enrolled = httpx.post(f"{base}/api/v1/devices/enrol", json={"code": code})
        assert enrolled.status_code == 200, enrolled.text
        auth = {"Authorization": f"Bearer {enrolled.json()['token']}"}
        event = {"id": str(uuid.uuid4()), "type": "usage", "seq": 1,
                 "occurred_at": datetime.now(timezone.utc).isoformat(),
                 "payload": {"function": "rate", "outcome": "success"}}
        first = httpx.post(f"{base}/api/v1/events", json={"events": [event]}, headers=auth).json()
        second = httpx.post(f"{base}/api/v1/events", json={"events": [event]}, headers=auth).json()
        assert first == {"accepted": [event["id"]], "duplicates": []}
        assert second == {"accepted": [], "duplicates": [event["id"]]}
        assert httpx.post(f"{base}/api/v1/heartbeat", json={}, headers=auth).status_code == 200
        assert httpx.get(f"{base}/openapi.json").json()["paths"]["/api/v1/events"]


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    """The same ``main`` the console script calls, in-process (a subprocess costs seconds here)."""
    monkeypatch.setenv("DATABASE_URL", url)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_enrol_code_for_a_named_site_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run_cli(monkeypatch, capsys, url, "migrate")[0] == 0
    code, _, err = run_cli(monkeypatch, capsys, url, "enrol-code", "--site", "nowhere")
    assert code == 2 and "unknown site" in err
    run_cli(monkeypatch, capsys, url, "seed-demo")
    out = run_cli(monkeypatch, capsys, url, "enrol-code", "--site", "demo")[1].strip().splitlines()
    assert "site demo" in out[0] and len(out[-1]) == 14
    assert "created user boss" in run_cli(monkeypatch, capsys, url, "create-admin", "--username", "boss",
                                          "--password", "long-enough-pw")[1]
    code, _, err = run_cli(monkeypatch, capsys, url, "create-admin", "--password", "short")
    assert code == 2 and "at least 8" in err
    code, _, err = run_cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'new.db'}", "run", "--port", "1")
    assert code == 2 and "kiosk-server migrate" in err
