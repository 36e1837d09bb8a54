"""Reporting against the real ``kiosk-server`` (started by the ``mgmt_server`` fixture)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.health import Health
from kiosk import report_events
from kiosk.config import KioskConfig, ServerLinkConfig
from kiosk.outbox import Outbox
from kiosk.remote_commands import Command, CommandResult
from kiosk.reporter import Reporter, ReporterSettings
from kiosk.reporting import Reporting
from kiosk.server_link import ServerLink
from kiosk.stack.mgmt_server import MgmtServer

from . import server_db
from .conftest import schema_errors

FAST = ReporterSettings(heartbeat_interval_s=3600, backoff_base_s=0.05, backoff_cap_s=0.5,
                        follow_server_interval=False)
PIN_HASH = "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="


def kiosk_config(tmp_path: Path, server: MgmtServer, device: str = "term-01") -> KioskConfig:
    return KioskConfig.validate({
        "role": "terminal", "config_version": "42", "device": {"id": device},
        "maintenance": {"pin_hash": PIN_HASH},
        "server": {"url": server.url, "enrol_code": server.enrol_code()},
        "paths": {"data_dir": str(tmp_path / "data"), "log_dir": str(tmp_path / "log")},
    })


@pytest.fixture
def reporting(tmp_path: Path, mgmt_server: MgmtServer) -> Iterator[Reporting]:
    paper = {"state": Health.ok()}
    screen = {"now": "idle"}
    rep = Reporting(kiosk_config(tmp_path, mgmt_server), probes={"printer": lambda: paper["state"]},
                    screen=lambda: screen["now"], settings=FAST, health_interval_s=3600)
    rep.test_paper = paper  # type: ignore[attr-defined]
    rep.test_screen = screen  # type: ignore[attr-defined]
    yield rep
    rep.stop()


def device_id(rep: Reporting) -> str:
    """The server's id for this kiosk, waiting for enrolment when the reporter has just started."""
    assert rep.reporter is not None
    deadline = time.monotonic() + 20
    while rep.reporter.credentials is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rep.reporter.credentials is not None, rep.status()
    return rep.reporter.credentials.device_id


def flush(rep: Reporting) -> None:
    assert rep.reporter is not None
    assert rep.reporter.wait_until_empty(30), rep.status()


def test_usage_ratings_faults_and_heartbeat_reach_the_server_once(reporting: Reporting,
                                                                  mgmt_server: MgmtServer) -> None:
    reporting.start()
    reporting.record("usage", report_events.usage("print_certificate", "success", pages=2, duration_ms=5300))
    reporting.record("rating", report_events.rating("very_dissatisfied", window="A03", reason="等待时间过长",
                                                    comment="身份证 110101199003071234 读不出"))
    reporting.record("print_job", report_events.print_job("a4printer", 2, "success", document="certificate"))
    reporting.test_paper["state"] = Health.fault("paper_out", "DLE EOT 4 = 0x72")  # type: ignore[attr-defined]
    reporting.monitor.debounce = 1
    reporting.monitor.poll_once()
    flush(reporting)
    stored = server_db.events(mgmt_server.db_path, device_id(reporting))
    assert [e["type"] for e in stored] == ["usage", "rating", "print_job", "fault_raised"]
    assert "110101199003071234" not in str(stored) and "1101**********1234" in str(stored)
    assert server_db.open_faults(mgmt_server.db_path, device_id(reporting)) == [("printer", "paper_out", "open")]
    reporting.test_paper["state"] = Health.ok()  # type: ignore[attr-defined]
    reporting.monitor.poll_once()
    flush(reporting)
    assert server_db.open_faults(mgmt_server.db_path, device_id(reporting))[0][2] == "resolved"
    status = reporting.status()
    assert status.pending == 0 and status.last_upload_at and status.link.is_ok
    assert abs(status.clock_offset_s or 0) < 2  # same machine: no skew


def test_resending_a_batch_gives_duplicates_not_doubles(tmp_path: Path, mgmt_server: MgmtServer) -> None:
    link = ServerLink(ServerLinkConfig(url=mgmt_server.url))
    with Outbox(tmp_path / "o.sqlite3", "dup") as box:
        reporter = Reporter(box, ServerLinkConfig(url=mgmt_server.url, enrol_code=mgmt_server.enrol_code()),
                            tmp_path, settings=FAST)
        reporter.step()  # enrols
        link.token = reporter.credentials.token  # type: ignore[union-attr]
        events = box.enqueue_many([("usage", report_events.usage("query_case", "success"))] * 3)
        body = {"events": [e.wire() for e in events]}
        first = link.post("/events", body)
        second = link.post("/events", body)
    assert sorted(first.body["accepted"]) == sorted(e.id for e in events) and first.body["duplicates"] == []
    assert second.body["accepted"] == [] and sorted(second.body["duplicates"]) == sorted(e.id for e in events)
    assert schema_errors("events.response", second.body) == []
    assert len(server_db.events(mgmt_server.db_path, reporter.credentials.device_id)) == 3  # type: ignore[union-attr]


def test_a_batch_with_one_malformed_event_is_refused_whole_and_the_reporter_sets_it_aside(
        reporting: Reporting, mgmt_server: MgmtServer) -> None:
    good = reporting.record("usage", report_events.usage("print_receipt", "success"))
    bad = reporting.outbox.enqueue("usage", {"function": "print_receipt", "outcome": "exploded"})
    late = reporting.record("usage", report_events.usage("print_receipt", "failure"))
    reporting.start()
    flush(reporting)
    stored = {e["id"] for e in server_db.events(mgmt_server.db_path, device_id(reporting))}
    assert stored == {good.id, late.id}
    assert reporting.status().rejected == 1 and bad.id not in stored


def test_every_remote_command_is_run_and_acknowledged(reporting: Reporting, mgmt_server: MgmtServer) -> None:
    calls: list[Command] = []

    def handler(command: Command) -> CommandResult:
        calls.append(command)
        return CommandResult.ok()

    for kind in ("reload_config", "update_catalog", "restart_app", "lock", "unlock", "screenshot", "set_schedule"):
        reporting.register_command(kind, handler)
    reporting.start()
    db, dev = mgmt_server.db_path, device_id(reporting)
    reporting.test_screen["now"] = "session"  # type: ignore[attr-defined]
    ids = {
        "reload_config": server_db.queue_command(db, dev, "reload_config"),
        "update_catalog": server_db.queue_command(db, dev, "update_catalog", {"version": "v7"}),
        "restart_app": server_db.queue_command(db, dev, "restart_app"),
        "lock": server_db.queue_command(db, dev, "lock", {"message": "暂停服务"}),
        "unlock": server_db.queue_command(db, dev, "unlock"),
        "screenshot": server_db.queue_command(db, dev, "screenshot"),
        "set_schedule": server_db.queue_command(db, dev, "set_schedule", {"on": "08:00", "off": "18:00"}),
    }
    for _ in range(2):  # the second heartbeat repeats unacked commands; they must not run twice
        assert reporting.reporter is not None
        reporting.reporter.heartbeat_now()
        time.sleep(0.3)
    flush(reporting)
    reporting.reporter.heartbeat_now()  # type: ignore[union-attr]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        states = server_db.command_states(db, dev)
        if all(states[i][0] in ("done", "failed") for i in ids.values()):
            break
        reporting.reporter.heartbeat_now()  # type: ignore[union-attr]
        time.sleep(0.2)
    assert sorted(c.name for c in calls) == sorted(k for k in ids if k != "screenshot")
    assert len(calls) == 6
    assert states[ids["screenshot"]] == ("failed", "rejected: citizen_session")
    assert all(states[i] == ("done", "done") for k, i in ids.items() if k != "screenshot")


def test_heartbeat_body_follows_the_schema(reporting: Reporting) -> None:
    reporting.monitor.poll_once()
    assert schema_errors("heartbeat", reporting.monitor.heartbeat_payload()) == []


def test_revoked_token_stops_reporting_and_keeps_the_events(reporting: Reporting, mgmt_server: MgmtServer) -> None:
    reporting.start()
    reporting.record("usage", report_events.usage("query_guide", "success"))
    flush(reporting)
    server_db.revoke_tokens(mgmt_server.db_path, device_id(reporting))
    kept = reporting.record("rating", report_events.rating("satisfied", window="B01"))
    deadline = time.monotonic() + 20
    while not reporting.reporter.revoked and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.05)
    status = reporting.status()
    assert status.link.reason == "token_revoked" and status.pending == 1
    assert reporting.outbox.peek_batch(1, 1 << 20)[0].id == kept.id


def test_clock_jumps_do_not_lose_or_reorder_events(tmp_path: Path, mgmt_server: MgmtServer) -> None:
    """The device clock goes back a day, then jumps to next week: every event still arrives, in seq order."""
    now = [time.time()]
    with Outbox(tmp_path / "o.sqlite3", "clock", clock=lambda: now[0]) as box:
        reporter = Reporter(box, ServerLinkConfig(url=mgmt_server.url, enrol_code=mgmt_server.enrol_code()),
                            tmp_path, settings=FAST)
        made: list[Any] = []
        for step in (0, -86400, 7 * 86400):
            now[0] += step
            made += box.enqueue_many([("usage", report_events.usage("query_case", "success"))] * 3)
        while box.pending_count():
            reporter.step()
        stored = server_db.events(mgmt_server.db_path, reporter.credentials.device_id)  # type: ignore[union-attr]
    assert [e["id"] for e in stored] == [e.id for e in made]
    assert [e["seq"] for e in stored] == sorted(e["seq"] for e in stored)
    assert [e.id for e in made] == sorted(e.id for e in made)  # UUIDv7 order survived the clock going back
