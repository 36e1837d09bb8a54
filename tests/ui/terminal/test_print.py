"""证照打印 end to end: ID card on the simulated reader, the certificate through a private CUPS
into cups-pdf, the 打印回执 on the virtual receipt printer; a refused job never counts."""
from __future__ import annotations

import subprocess

import pytest

from tests.ui.terminal.steps import assert_nothing_personal, events, identify_with_card, tap_text, wait_idle, wait_screen

pytestmark = pytest.mark.ui


def _start_print(terminal, cups_server, sam_sim, **ui):
    driver, backend = terminal(devices={"a4printer": {"queue": cups_server.queue, "server": cups_server.server}}, **ui)
    tile = driver.app.manager.get_screen("home").tile("print")
    assert not tile.disabled, tile.reason
    driver.tap(tile)
    identify_with_card(driver, sam_sim)
    wait_screen(driver, "print")
    wait_idle(driver)
    driver.tap(driver.screen.document_button("个人参保证明"))
    wait_idle(driver)
    assert driver.screen.mode == "preview" and driver.screen.preview is not None
    assert "编号 SB-2026-000123" in driver.screen.document_info
    return driver, backend


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_certificate_prints_to_cups_pdf_with_a_receipt(terminal, cups_server, sam_sim, printer_sim, elderly):
    before = set(cups_server.out_dir.glob("kiosk-cert-*.pdf"))
    driver, _backend = _start_print(terminal, cups_server, sam_sim)
    app = driver.app
    if elderly:
        app.set_elderly(True)
        driver.pump(frames=3)
    driver.tap(driver.screen.ids.confirm_button)
    assert driver.wait_for(lambda: driver.screen.mode in ("done", "failed"), timeout=60)
    assert driver.screen.mode == "done", driver.screen.error
    landed = set(cups_server.out_dir.glob("kiosk-cert-*.pdf")) - before
    try:
        assert len(landed) == 1
        pdf = next(iter(landed)).read_bytes()
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    finally:
        for path in landed:
            path.unlink(missing_ok=True)
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
    for path in cups_server.out_dir.glob("kiosk-cert-*.pdf"):
        path.unlink(missing_ok=True)
