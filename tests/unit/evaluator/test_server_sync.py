"""Staff directory, photos and reason list fetched from a real ``kiosk-server`` and cached.

The server runs with the demo data (``seed-demo`` adds the fictitious staff); changes are made
through the server's own service functions on its database, as the dashboard would.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ServerLinkConfig
from kiosk.enrolment import enrol
from kiosk.rating import current_reason_list
from kiosk.reasons_sync import ReasonsSync, ReasonsSyncError
from kiosk.server_link import ServerLink
from kiosk.staff import StaffDirectory
from kiosk.staff_sync import PHOTO_PREFIX, StaffSync, StaffSyncError
from kiosk.sync_worker import SyncWorker


def _server_ctx(server):  # type: ignore[no-untyped-def]
    from server.context import AppContext
    from server.settings import Settings

    return AppContext.build(Settings(database_url=f"sqlite:///{server.db_path}", environment="test",
                                     secret_key="test-secret-0123456789abcdef"))


@pytest.fixture(scope="module")
def seeded(mgmt_server):  # type: ignore[no-untyped-def]
    mgmt_server.cli("seed-demo")
    return mgmt_server


def _link(server, device_type: str = "evaluator") -> ServerLink:  # type: ignore[no-untyped-def]
    link = ServerLink(ServerLinkConfig(url=server.url, timeout_s=10))
    link.token = enrol(link, server.enrol_code(device_type=device_type)).token
    return link


def test_directory_and_photos_are_cached_and_used_offline(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    directory = StaffDirectory(tmp_path / "staff.json")
    sync = StaffSync(directory)
    link = _link(seeded)
    assert sync.refresh(link) is True
    assert {m.staff_no for m in directory.members()} >= {"10123", "10456", "10789"}
    li = directory.by_card("04a1b2c3")
    assert li is not None and li.staff_no == "10123"
    assert directory.by_pin("10123", "123456") is li and directory.by_pin("10123", "1234") is None
    photo = directory.photo_path(li)
    assert photo is not None and photo.read_bytes()[:3] == b"\xff\xd8\xff"
    assert (tmp_path / "staff.json").stat().st_mode & 0o077 == 0  # PIN hashes: owner only
    assert "04A1B2C3" not in (tmp_path / "staff.json").read_text(encoding="utf-8")  # only the card's hash

    assert sync.refresh(link) is False  # 304: nothing rewritten

    # a photo changes and a staff member leaves: new photo file, old one removed, member gone
    ctx = _server_ctx(seeded)
    from server.staff import editing
    from server.staff.seed import drawn_photo

    with ctx.transaction() as session:
        editing.set_photo(session, "test", "10123", drawn_photo("李", (0, 0, 0)))
        editing.set_active(session, "test", "10789", False)
    ctx.engine.dispose()
    assert sync.refresh(link) is True
    assert directory.get("10789") is None
    new_photo = directory.photo_path(directory.get("10123"))  # type: ignore[arg-type]
    assert new_photo is not None and new_photo != photo and not photo.exists()
    assert len(list(tmp_path.glob(PHOTO_PREFIX + "*.jpg"))) == 2

    # offline: the error is typed, the cache keeps working, a restart reads it back
    offline = ServerLink(ServerLinkConfig(url="http://127.0.0.1:9", timeout_s=2))
    offline.token = "x"
    with pytest.raises(StaffSyncError) as err:
        sync.refresh(offline)
    assert err.value.reason == "server_unreachable"
    reloaded = StaffDirectory(tmp_path / "staff.json")
    assert reloaded.by_card("04A1B2C3") is not None and reloaded.photo_path(reloaded.get("10123")) == new_photo  # type: ignore[arg-type]


def test_terminal_gets_no_staff(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StaffSyncError) as err:
        StaffSync(StaffDirectory(tmp_path / "staff.json")).refresh(_link(seeded, "terminal"))
    assert err.value.reason == "http_403"


def test_reason_list_installed_only_when_newer(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    installed = []
    sync = ReasonsSync(tmp_path, installed.append)
    link = _link(seeded, "terminal")
    before = current_reason_list(tmp_path)
    assert sync.refresh(link) is None  # the server's version 1 is not newer than the shipped one
    assert current_reason_list(tmp_path) == before

    ctx = _server_ctx(seeded)
    from server.staff import reasons

    with ctx.transaction() as session:
        reasons.publish(session, reasons.parse_lines("queue | 排队太久 | Queue too long\nother | 其他 | Other"),
                        "测试", "test")
    ctx.engine.dispose()
    worker = SyncWorker(link, lambda: link.token, {"reasons": sync.refresh})
    new = worker.run_now("reasons")
    assert new is not None and new.version == 2 and installed == [new]
    assert current_reason_list(tmp_path).get("queue") is not None
    assert worker.run_now("reasons") is None  # 304


def test_invalid_pushed_list_keeps_the_old_one(tmp_path: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    class Bad(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b'{"version": 99, "reasons": [{"code": "Bad Code", "zh_CN": "x", "en": "x"}]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", '"bad"')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Bad)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        link = ServerLink(ServerLinkConfig(url=f"http://127.0.0.1:{httpd.server_address[1]}"))
        link.token = "t"
        with pytest.raises(ReasonsSyncError) as err:
            ReasonsSync(tmp_path).refresh(link)
        assert err.value.reason == "bad_reason_list"
        assert current_reason_list(tmp_path).version == 1
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_update_commands_run_once_and_ack_truthfully(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``update_staff``/``update_reasons`` through the real dispatcher and outbox: ack says what happened."""
    from types import SimpleNamespace

    from kiosk.config import PathsConfig
    from kiosk.outbox import Outbox
    from kiosk.remote_commands import CommandDispatcher
    from kiosk.sync_worker import start_server_sync

    outbox = Outbox(tmp_path / "outbox.sqlite3", "TEST-E-1")
    dispatcher = CommandDispatcher(outbox)
    link = _link(seeded)
    reporting = SimpleNamespace(reporter=SimpleNamespace(link=link), register_command=dispatcher.register)
    config = SimpleNamespace(server=ServerLinkConfig(url=seeded.url), paths=PathsConfig(data_dir=tmp_path))
    staff = StaffDirectory(tmp_path / "staff.json")
    refreshed: list[bool] = []
    worker = start_server_sync(config, reporting, staff=staff, on_staff=lambda: refreshed.append(True),
                               interval_s=3600)
    try:
        done = dispatcher.handle([{"id": 1, "kind": "update_staff", "args": {}},
                                  {"id": 2, "kind": "update_reasons", "args": {}},
                                  {"id": 1, "kind": "update_staff", "args": {}}])  # a repeat runs once
        assert [(i, r.status) for i, r in done] == [(1, "ok"), (2, "ok")] and done[0][1].data["changed"] is True
        from kiosk.server_link import get_json

        served = get_json(link, "/rating-reasons").body["version"]  # 1, or 2 after the test above
        assert done[1][1].data["changed"] is (served > 1)
        assert current_reason_list(tmp_path).version == served
        assert refreshed == [True] and staff.get("10123") is not None
        acks = [e.payload for e in outbox.peek_batch(10, 1_000_000) if e.type == "command_ack"]
        assert [(a["command"], a["status"]) for a in acks] == [("update_staff", "done"), ("update_reasons", "done")]
        link.token = None  # not enrolled (yet): the command fails with the reason, nothing is lost
        failed = dispatcher.handle([{"id": 3, "kind": "update_staff", "args": {}}])
        assert [(r.status, r.reason) for _i, r in failed] == [("failed", "not_enrolled")]
    finally:
        assert worker is not None
        worker.stop()
        outbox.close()
