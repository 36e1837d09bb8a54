"""自助申报 end to end: ID card, the guided form on our keypads, each material through the
document camera (a folder of generated photos of a page), review, submit, 受理凭证 printed."""
from __future__ import annotations

import pytest

from tests.ui.terminal.steps import (
    assert_nothing_personal,
    events,
    identify_with_card,
    tap_text,
    type_keys,
    wait_idle,
    wait_screen,
)

pytestmark = pytest.mark.ui


@pytest.fixture
def doc_camera_folder(tmp_path):
    import cv2

    from drivers.docscan.synthetic import photograph, render_page

    folder = tmp_path / "doc-camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "page.png"), photograph(render_page(), seed=3).image)
    return folder


def test_apply_with_form_scans_and_receipt(terminal, sam_sim, printer_sim, doc_camera_folder):
    driver, backend = terminal(devices={"doc_camera": {"source": str(doc_camera_folder), "fps": 5}})
    app = driver.app
    tile = app.manager.get_screen("home").tile("declare")
    assert not tile.disabled, tile.reason
    driver.tap(tile)
    identify_with_card(driver, sam_sim)
    wait_screen(driver, "declare")
    wait_idle(driver)
    screen = driver.screen
    tap_text(driver, "社会保障卡申领")
    assert screen.mode == "form" and screen.field_key == "reason"

    tap_text(driver, "首次申领")  # a choice
    assert screen.field_key == "start_date"
    type_keys(driver, screen.ids.digits, "20260230")  # no such day
    driver.tap(screen.ids.field_ok)
    assert screen.field_error == "日期不正确，请按年月日输入 8 位数字" and screen.field_key == "start_date"
    driver.tap(next(w for w in screen.ids.digits.children if w.text == "清除"))
    type_keys(driver, screen.ids.digits, "20261201")
    driver.tap(screen.ids.field_ok)
    assert screen.field_key == "phone"
    type_keys(driver, screen.ids.digits, "13800000000")
    driver.tap(screen.ids.field_ok)
    assert "开始日期：2026年12月1日" in [w.text for w in screen.ids.fields.children]
    driver.tap(screen.ids.form_next)

    assert screen.mode == "scan" and screen.material_name == "居民身份证"
    assert driver.wait_for(lambda: screen.preview is not None, timeout=10)  # the live preview
    for _ in range(2):
        driver.tap(screen.ids.capture_button)
        wait_idle(driver)
    assert screen.page_count == 2 and not screen.error
    driver.tap(screen.ids.retake_button)
    assert screen.page_count == 1
    driver.tap(screen.ids.material_next)
    assert screen.material_name == "近期免冠证件照"
    driver.tap(screen.ids.material_next)
    assert screen.error == "请至少拍摄一页后再继续"
    driver.tap(screen.ids.capture_button)
    wait_idle(driver)
    driver.tap(screen.ids.material_next)

    assert screen.mode == "review" and "居民身份证：已拍摄 1 页" in screen.summary and "张**" in screen.summary
    driver.tap(screen.ids.submit_button)
    wait_idle(driver)
    assert screen.mode == "done" and screen.case_no == "SB20261123000001"
    submitted = backend.submitted[-1]
    assert submitted.form == {"reason": "首次申领", "start_date": "2026-12-01", "phone": "13800000000"}
    assert [(m.code, m.pages) for m in submitted.materials] == [("id_card", 1), ("photo", 1)]
    assert all(m.pdf.startswith(b"%PDF") for m in submitted.materials)
    receipt = printer_sim.device.state.jobs[-1]
    assert any("受理" in line for line in receipt.text) and receipt.png
    assert "https://zwfw.example.gov.cn/case/SB20261123000001" in receipt.qr_codes
    assert [e["function"] for e in events(app, "usage")] == ["declare"]
    assert not any(app.kiosk_config.paths.data_dir.rglob("*.jpg"))  # scans stayed in memory

    driver.tap(screen.ids.done_button)
    wait_screen(driver, "terminal_rating")
    face = next(w for w in driver.find("Face", root=driver.screen) if w.level == "very_dissatisfied")
    driver.tap(face)
    driver.tap(driver.screen.ids.reasons.toggle("waiting"))
    driver.tap(driver.screen.ids.submit)
    rating = events(app, "rating")[-1]
    assert rating["level"] == "very_dissatisfied" and rating["reasons"] == ["waiting"]
    assert rating["case_no"] == "SB20261123000001" and rating["channel"] == "terminal"
    wait_screen(driver, "home", timeout=8)
    sam_sim.remove()
    assert_nothing_personal(app)
