"""The evaluator with a real ``kiosk-server``: staff and photo from the server, a pushed reason list.

The demo data (``seed-demo``) holds fictitious staff with PINs and drawn photos; the reason
list is edited on the server as the dashboard does. The evaluator fetches both through its
background worker (the same call the ``update_staff``/``update_reasons`` commands make).
"""
from __future__ import annotations

import pytest

from tests.ui.test_evaluator_rating import TOKEN, _button, face, free_port, sign_in_by_pin

pytestmark = pytest.mark.ui


def test_staff_photo_and_new_reason_list_from_the_server(ui, make_config, mgmt_server):
    from kiosk.config import KioskConfig
    from kiosk.window_sim import WindowClient

    mgmt_server.cli("seed-demo")
    port = free_port()
    data = make_config("evaluator").to_dict()
    data["server"] = {"url": mgmt_server.url, "enrol_code": mgmt_server.enrol_code(device_type="evaluator")}
    data["evaluator"] = {"api": {"port": port, "token": TOKEN}, "voice": False, "wake_at": "00:00",
                         "sleep_at": "00:00", "logout_at": ""}
    driver = ui(KioskConfig.validate(data))
    app, client = driver.app, WindowClient(port, TOKEN)
    assert driver.wait_for(lambda: app.evaluator.sync_worker is not None
                           and bool(app.reporting.reporter.link.token), timeout=20)
    ev = app.evaluator
    assert ev.sync_worker.run_now("staff") is True
    assert ev.staff.get("10456") is not None

    sign_in_by_pin(driver, "10123", "123456")  # the PIN set on the server
    assert driver.wait_for(lambda: app.manager.current == "home")
    idle = app.manager.get_screen("home")
    assert driver.wait_for(lambda: bool(idle.photo))
    assert idle.photo.endswith(".jpg") and idle.initial == ""
    assert "工作人员：李明（示例）" in driver.texts()

    from server.context import AppContext
    from server.settings import Settings
    from server.staff import reasons

    ctx = AppContext.build(Settings(database_url=f"sqlite:///{mgmt_server.db_path}", environment="test",
                                    secret_key="test-secret-0123456789abcdef"))
    with ctx.transaction() as session:
        reasons.publish(session, reasons.parse_lines(
            "queue | 排队时间太长 | Queue too long\nrude | 态度生硬 | Rude\nother | 其他 | Other"), "二版", "test")
    ctx.engine.dispose()
    assert ev.sync_worker.run_now("reasons").version == 2
    assert driver.wait_for(lambda: ev.reasons.version == 2)

    client.start_case("ZW202611230088", "居住证签注")
    client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, "dissatisfied"))
    driver.pump(frames=3)
    assert "排队时间太长" in driver.texts() and "等候时间过长" not in driver.texts()
    driver.tap(driver.screen.toggle("queue"))
    driver.tap(_button(driver, "提交评价"))
    assert app.manager.current == "evaluator_thanks"
    record = ev.last_record.payload()  # the outbox may already have delivered it to the server
    assert (record["reasons"], record["reason_list_version"]) == (["queue"], 2)
