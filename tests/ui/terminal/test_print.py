"""证照打印 end to end: ID card on the simulated reader, the certificate through a private CUPS
into cups-pdf, the 打印回执 on the virtual receipt printer; a refused job never counts."""
from __future__ import annotations

import subprocess

import pytest

from tests.helpers.soak import CupsPdfCollector
from tests.ui.terminal.steps import assert_nothing_personal, events, identify_with_card, tap_text, wait_idle, wait_screen

pytestmark = pytest.mark.ui


def _start_print(terminal, cups_server, sam_sim, title="个人参保证明", number="SB-2026-000123", **ui):
    driver, backend = terminal(devices={"a4printer": {"queue": cups_server.queue, "server": cups_server.server}}, **ui)
    tile = driver.app.manager.get_screen("home").tile("print")
    assert not tile.disabled, tile.reason
    driver.tap(tile)
    identify_with_card(driver, sam_sim)
    wait_screen(driver, "print")
    wait_idle(driver)
    driver.tap(driver.screen.document_button(title))
    wait_idle(driver)
    assert driver.screen.mode == "preview" and driver.screen.preview is not None
    assert f"编号 {number}" in driver.screen.document_info
    return driver, backend


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_certificate_prints_to_cups_pdf_with_a_receipt(terminal, cups_server, sam_sim, printer_sim, elderly):
    driver, _backend = _start_print(terminal, cups_server, sam_sim)
    app = driver.app
    pdfs = CupsPdfCollector(cups_server.out_dir, app.kiosk_config.device.id)
    if elderly:
        app.set_elderly(True)
        driver.pump(frames=3)
    driver.tap(driver.screen.ids.confirm_button)
    assert driver.wait_for(lambda: driver.screen.mode in ("done", "failed"), timeout=60)
    assert driver.screen.mode == "done", driver.screen.error
    assert pdfs.collect() == [1]  # one job, a PDF of one page (removed from cups-pdf's folder)
    receipt = printer_sim.device.state.jobs[-1]
    assert any("打印回执" in line for line in receipt.text) and receipt.png
    assert [e["outcome"] for e in events(app, "usage") if e["function"] == "print"] == ["success"]
    assert [e["printer"] for e in events(app, "print_job")] == ["a4printer", "printer"]

    driver.tap(driver.screen.ids.done_button)
    wait_screen(driver, "terminal_rating")
    face = next(w for w in driver.find("Face", root=driver.screen) if w.level == "satisfied")
    driver.tap(face)
    assert events(app, "rating")[-1]["level"] == "satisfied"
    wait_screen(driver, "home", timeout=8)
    sam_sim.remove()
    assert_nothing_personal(app)


def test_refused_print_does_not_count_as_printed(terminal, cups_server, sam_sim, printer_sim):
    driver, _backend = _start_print(terminal, cups_server, sam_sim)
    app = driver.app
    pdfs = CupsPdfCollector(cups_server.out_dir, app.kiosk_config.device.id)
    subprocess.run(["cupsreject", "-h", cups_server.server, cups_server.queue], check=True)
    try:
        driver.tap(driver.screen.ids.confirm_button)
        assert driver.wait_for(lambda: driver.screen.mode in ("done", "failed"), timeout=60)
    finally:
        subprocess.run(["cupsaccept", "-h", cups_server.server, cups_server.queue], check=True)
    assert driver.screen.mode == "failed"
    assert "打印未完成，本次不计为已打印" in driver.screen.error
    assert [e["outcome"] for e in events(app, "usage") if e["function"] == "print"] == ["failure"]
    assert events(app, "print_job") == [] and printer_sim.device.state.jobs == []

    tap_text(driver, "重试")  # the queue accepts again: the retry prints
    assert driver.wait_for(lambda: driver.screen.mode in ("done", "failed") and not driver.screen.busy, timeout=60)
    assert driver.screen.mode == "done", (driver.screen.error, events(app, "usage"))
    assert pdfs.collect() == [1]


def test_preview_pages_through_every_page_and_prints_them_all(terminal, cups_server, sam_sim, printer_sim,
                                                              monkeypatch):
    from kiosk.journeys import preview
    from screens.theme import MIN_TARGET_MM, px_per_mm

    rendered: list[int] = []
    real_render = preview.pdf_page_png

    def counting_render(pdf, page=1, *args, **kwargs):
        rendered.append(page)
        return real_render(pdf, page, *args, **kwargs)

    monkeypatch.setattr(preview, "pdf_page_png", counting_render)
    driver, _backend = _start_print(terminal, cups_server, sam_sim, title="个人参保缴费明细", number="SB-2026-000124")
    app, screen = driver.app, driver.screen
    pdfs = CupsPdfCollector(cups_server.out_dir, app.kiosk_config.device.id)
    ids = screen.ids
    assert rendered == [1] and "共 3 页" in screen.document_info  # only the page shown is rendered
    assert ids.page_label.text == "第 1/3 页" and ids.previous_page.disabled and not ids.next_page.disabled
    first = screen.preview.pixels

    driver.tap(ids.next_page)
    wait_idle(driver)
    assert ids.page_label.text == "第 2/3 页" and screen.preview.pixels != first
    tap_text(driver, "下一页")
    wait_idle(driver)
    assert ids.page_label.text == "第 3/3 页" and ids.next_page.disabled and not ids.previous_page.disabled
    third = screen.preview.pixels

    app.set_elderly(True)  # 长者模式: the same controls, larger
    driver.pump(frames=3)
    limit = MIN_TARGET_MM * px_per_mm(app.kiosk_config.ui.width, app.kiosk_config.ui.height,
                                      app.kiosk_config.ui.screen_diagonal_in)
    for control in (ids.previous_page, ids.next_page, ids.confirm_button):
        assert min(control.size) >= limit, (control.text, control.size, limit)
    tap_text(driver, "上一页")
    tap_text(driver, "上一页")
    assert ids.page_label.text == "第 1/3 页" and screen.preview.pixels == first
    assert rendered == [1, 2, 3], rendered  # paging back shows the kept pages: no second render
    tap_text(driver, "下一页")
    tap_text(driver, "下一页")
    assert screen.preview.pixels == third

    driver.tap(ids.confirm_button)
    assert driver.wait_for(lambda: screen.mode in ("done", "failed"), timeout=90)
    assert screen.mode == "done", screen.error
    assert pdfs.collect() == [3]  # every page of the document, as one job
    assert [e["pages"] for e in events(app, "usage") if e["function"] == "print"] == [3]
    assert "（3页）" in screen.result_text

    kept = screen._pages
    driver.tap(ids.done_button)
    wait_screen(driver, "terminal_rating")
    tap_text(driver, "不评价，结束")
    wait_screen(driver, "home")
    assert screen._pages is None and screen.preview is None and screen.page == screen.pages == 1
    assert not any(kept.cached(page) for page in (1, 2, 3))  # the rendered pages went with the session
    sam_sim.remove()
    assert_nothing_personal(app)
