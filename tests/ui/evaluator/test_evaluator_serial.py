"""The evaluator driven by an older queue system over a serial line (``kiosk sim window-serial`` on a pty)."""
from __future__ import annotations

import pytest

from kiosk.stack.sim_process import PtySimulatorProcess
from tests.ui.test_evaluator_rating import _button, face, ratings, sign_in_by_pin

pytestmark = pytest.mark.ui


class WindowSerialSim(PtySimulatorProcess):
    name = "window-serial"


@pytest.fixture
def queue_line(tmp_path):
    with WindowSerialSim(link=str(tmp_path / "windowline")) as sim:
        yield sim


def test_bad_rating_over_the_serial_line(ui, make_config, queue_line):
    from kiosk.config import KioskConfig

    data = make_config("evaluator").to_dict()
    data["evaluator"] = {"serial": {"port": queue_line.path, "reconnect_s": 0.2}, "sample_staff": True,
                         "voice": False, "wake_at": "00:00", "sleep_at": "00:00", "logout_at": ""}
    driver = ui(KioskConfig.validate(data))
    app = driver.app
    assert driver.wait_for(lambda: app.evaluator.serial_line.health().state == "ok", timeout=10)
    assert queue_line.send("send STATUS?") == "REPLY OK STATUS staff=- paused=0 case=- invitation=-"
    assert queue_line.send("send CASE ZW202611230077|居住证签注|张三") == "REPLY ERR no_staff"

    sign_in_by_pin(driver)
    assert driver.wait_for(lambda: app.manager.current == "home")
    assert queue_line.send("send-gbk CASE ZW202611230077|居住证签注|张三") == "REPLY OK CASE ZW202611230077 rated=0"
    assert driver.wait_for(lambda: app.manager.current == "evaluator_serving")
    assert "张*" in " ".join(driver.texts()) and "张三" not in " ".join(driver.texts())

    reply = queue_line.send("send INVITE")
    assert reply.startswith("REPLY OK INVITE ")
    invitation_id = reply.split()[3]
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, "very_dissatisfied"))
    assert app.manager.current == "evaluator_reasons"
    driver.pump(frames=3)
    driver.tap(driver.screen.toggle("attitude"))
    driver.tap(_button(driver, "提交评价"))
    assert app.manager.current == "evaluator_thanks"
    record = ratings(app)[0]
    assert (record["level"], record["reasons"], record["case_no"]) == ("very_dissatisfied", ["attitude"],
                                                                      "ZW202611230077")
    assert queue_line.send("wait-result 10") == f"RESULT {invitation_id} rated very_dissatisfied attitude"
    assert queue_line.send("send INVITE") == "REPLY ERR already_rated"  # 一次一评, as over HTTP
    assert queue_line.send("send PAUSE") == "REPLY OK"
    assert driver.wait_for(lambda: app.evaluator.service.paused)
    assert queue_line.send("send bogus") == "REPLY ERR unknown_command"
