"""What ``kiosk doctor`` and ``kiosk report-status`` read: the figures the running app persisted."""
from __future__ import annotations

import json
from pathlib import Path

from drivers.health import Health, HealthState
from kiosk.cli import main
from kiosk.outbox import Outbox
from kiosk.report_status import read_outbox_status, report_status
from kiosk.reporter import META_LAST_UPLOAD, Reporter, ReporterSettings
from kiosk.config import ServerLinkConfig, load_kiosk_config

from .stub_server import StubServer

CONFIG = """
role = "terminal"
[device]
id = "term-07"
[maintenance]
pin_hash = "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="
[server]
url = "{url}"
enrol_code = "ABCD"
[paths]
data_dir = "{data}"
log_dir = "{data}/log"
"""


def write_config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(CONFIG.format(url=url, data=tmp_path / "data"), "utf-8")
    return path


def test_before_the_app_ever_ran(tmp_path: Path) -> None:
    status = report_status(load_kiosk_config(write_config(tmp_path, "http://127.0.0.1:9")))
    assert status.pending == 0 and status.last_upload_at is None and status.link.reason == "no_outbox"


def test_figures_written_by_the_reporter_are_read_by_another_process(tmp_path: Path, capsys) -> None:
    with StubServer() as stub:
        config_path = write_config(tmp_path, stub.url)
        config = load_kiosk_config(config_path)
        with Outbox(tmp_path / "data" / "outbox.sqlite3", "term-07") as box:
            reporter = Reporter(box, config.server, config.paths.data_dir,  # type: ignore[arg-type]
                                settings=ReporterSettings())
            box.enqueue("usage", {"function": "x", "outcome": "success"})
            reporter.step()
            box.enqueue("rating", {"level": "satisfied"})
            box.enqueue("rating", {"level": "satisfied"})
            status = report_status(config)  # read-only, while the app holds the outbox open
            assert status.pending == 2 and status.last_upload_at is not None and status.link.is_ok
            assert status.last_upload_at == float(box.get_meta(META_LAST_UPLOAD) or 0)
        assert main(["report-status", "--config", str(config_path), "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["pending"] == 2 and shown["link"]["state"] == "ok" and shown["last_upload_at"]


def test_a_revoked_device_is_a_fault_for_doctor(tmp_path: Path) -> None:
    with StubServer() as stub:
        stub.push("/api/v1/events", (401, {}, {"detail": "unknown or revoked token"}))
        path = tmp_path / "o.sqlite3"
        with Outbox(path, "dev") as box:
            box.enqueue("usage", {"function": "x", "outcome": "success"})
            Reporter(box, ServerLinkConfig(url=stub.url, enrol_code="A"), tmp_path).step()
        status = read_outbox_status(path)
    assert status.link == Health(HealthState.FAULT, "token_revoked", status.link.detail)
    assert status.pending == 1


def test_cli_text_output_and_requeue(tmp_path: Path, capsys) -> None:
    config_path = write_config(tmp_path, "http://127.0.0.1:9")
    with Outbox(tmp_path / "data" / "outbox.sqlite3", "term-07") as box:
        box.reject(box.enqueue("usage", {"function": "x", "outcome": "boom"}), "422: outcome")
    assert main(["report-status", "--config", str(config_path), "--requeue-rejected"]) == 0
    out = capsys.readouterr().out
    assert "requeued 1 rejected events" in out and "pending events : 1" in out and "last upload    : never" in out
