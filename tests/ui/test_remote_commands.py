"""Remote commands from the management server, carried out by the running app."""
from __future__ import annotations

import threading

import pytest

pytestmark = pytest.mark.ui


def _handle(driver, commands: list[dict]) -> list:
    """Run the dispatcher on a worker thread (as the reporter does) while the UI keeps pumping."""
    reporting = driver.app._ensure_reporting()
    result: list = []
    worker = threading.Thread(target=lambda: result.extend(reporting.commands.handle(commands)))
    worker.start()
    assert driver.wait_for(lambda: not worker.is_alive(), timeout=15)
    return result


def _acks(driver) -> list[dict]:
    outbox = driver.app.reporting.outbox
    return [e.payload for e in outbox.peek_batch(1000, 10_000_000) if e.type == "command_ack"]


def test_lock_survives_restart_and_unlock_returns_home(ui, make_config, tmp_path):
    driver = ui()
    done = _handle(driver, [{"id": 1, "kind": "lock", "args": {"message": "设备维护中，请到 3 号窗口办理"}}])
    assert [(cid, r.status) for cid, r in done] == [(1, "ok")]
    assert driver.app.manager.current == "locked"
    driver.pump(frames=3)
    assert "设备维护中，请到 3 号窗口办理" in driver.texts() and "暂停服务" in driver.texts()
    driver.app.go_home()  # idle timeout, finished session ...: still locked
    assert driver.app.manager.current == "locked"
    driver.stop()

    again = ui(make_config())  # same data_dir: the app starts again, locked
    again.pump(frames=3)
    assert again.app.manager.current == "locked"
    _handle(again, [{"id": 2, "kind": "unlock", "args": {}}])
    assert again.app.manager.current == "home"
    assert {(a["command_id"], a["status"]) for a in _acks(again)} >= {(2, "done")}


def test_screenshot_only_of_a_screen_without_a_citizen(ui, tmp_path):
    from kiosk.session import Identity

    driver = ui()
    done = _handle(driver, [{"id": 3, "kind": "screenshot", "args": {}}])
    assert done[0][1].status == "ok"
    saved = done[0][1].data["saved"]
    assert saved.endswith("remote-3.png")
    driver.app.session.set_identity(Identity("idcard", "11010519491231002X", "测试员甲"))
    refused = _handle(driver, [{"id": 4, "kind": "screenshot", "args": {}}])
    assert refused[0][1].status == "refused" and refused[0][1].reason == "citizen_session"


def _hours_excluding_now() -> tuple[str, str]:
    import datetime as dt

    now = dt.datetime.now()
    start, end = now + dt.timedelta(hours=2), now + dt.timedelta(hours=3)
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def test_screen_schedule_darkens_outside_hours_wakes_on_touch_and_persists(ui, make_config):
    driver = ui()
    on, off = _hours_excluding_now()
    done = _handle(driver, [{"id": 5, "kind": "set_schedule", "args": {"on": on, "off": off}}])
    assert done[0][1].status == "ok"
    driver.pump(frames=3)
    dimmer = driver.app._dimmer
    assert dimmer.state == "asleep" and dimmer.text == "非服务时间，触摸屏幕唤醒"
    driver.tap_at(640, 400)  # the touch wakes the screen and does nothing else
    assert dimmer.state == "awake" and driver.app.manager.current == "home"
    driver.stop()

    again = ui(make_config())  # restarted with the same data directory: still outside the hours
    again.pump(frames=3)
    assert again.app._dimmer.state == "asleep"


def test_update_catalog_through_the_running_app(ui, make_config, mgmt_server):
    from kiosk.catalog_cache import CatalogCache
    from kiosk.config import KioskConfig

    mgmt_server.cli("seed-demo")
    data = make_config().to_dict()
    data["server"] = {"url": mgmt_server.url, "enrol_code": mgmt_server.enrol_code()}
    driver = ui(KioskConfig.validate(data))
    reporting = driver.app._ensure_reporting()
    reporting.start()
    assert driver.wait_for(lambda: reporting.reporter.credentials is not None, timeout=30)  # enrolled
    done = _handle(driver, [{"id": 6, "kind": "update_catalog", "args": {}}])
    assert done[0][1].status == "ok" and done[0][1].data == {"changed": True}
    catalog, etag = CatalogCache(driver.app.kiosk_config.paths.data_dir).load()
    assert catalog and etag
