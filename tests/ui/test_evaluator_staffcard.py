"""Staff sign-in and sign-out with the simulated contactless staff card (pcscd + vpcd)."""
from __future__ import annotations

import pytest

from tests.ui.test_evaluator_rating import evaluator  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]

STAFF_READER = {"staffcard": {"reader": "Virtual PCD 00 01", "poll_interval_s": 0.1}}


def test_staff_card_signs_in_and_a_second_tap_signs_out(evaluator, vpcd_card):  # noqa: F811
    from drivers.smartcard.simulator import StaffCard

    driver, client = evaluator(devices=STAFF_READER)
    app = driver.app
    assert "请工作人员登录" in driver.texts()
    card = vpcd_card(StaffCard("04A1B2C3"), port=35964)
    assert driver.wait_for(lambda: app.evaluator.service.staff is not None, timeout=15)
    driver.pump(frames=3)
    assert "工作人员：李明（示例）" in driver.texts()
    assert client.status()["staff"] == {"staff_no": "10123", "name": "李明（示例）"}

    # the card is pulled and presented again: signs out
    card.remove()
    assert driver.wait_for(lambda: not app.evaluator.card_watcher.card_present, timeout=15)
    card.insert()
    assert driver.wait_for(lambda: app.evaluator.service.staff is None, timeout=15)
    driver.pump(frames=3)
    assert "请工作人员登录" in driver.texts()


def test_unknown_staff_card_is_refused(evaluator, vpcd_card):  # noqa: F811
    from drivers.smartcard.simulator import StaffCard

    driver, _client = evaluator(devices=STAFF_READER)
    vpcd_card(StaffCard("0499999999"), port=35964)
    assert driver.wait_for(lambda: driver.app.toast_text == "未登记的工作证", timeout=15)
    assert driver.app.evaluator.service.staff is None
