"""``kiosk sim printer`` as a real child process (the launcher the demo uses), and the print CLIs."""
from __future__ import annotations

from pathlib import Path

from PIL import Image

from drivers.printer.thermal import ThermalPrinter
from kiosk.cli import main as kiosk
from kiosk.commands.sim import SIMULATORS
from kiosk.documents import receipts, samples

from .helpers import page_of


def test_sim_is_registered():
    assert SIMULATORS["printer"][0] == "kiosk.stack.printer_sim:sim_main"


def test_receipt_over_tcp_is_rendered_to_png_with_its_text(virtual_printer):
    data = receipts.acceptance_receipt(samples.ACCEPTANCE, samples.HEADER)
    assert ThermalPrinter(virtual_printer.port).print_job(data).verified
    job = virtual_printer.jobs()[-1]
    assert "受理凭证" in job["text"] and job["qr_codes"] == [samples.ACCEPTANCE.query_url]
    assert job["barcodes"] == [samples.ACCEPTANCE.case_number]
    image = Image.open(job["png"])
    assert image.width == 576 + 32 and image.height > 800
    assert image.convert("L").getextrema()[0] == 0  # there is ink on it


def test_serial_printer_on_the_pty(virtual_printer):
    printer = ThermalPrinter(virtual_printer.pty_path, timeout_s=3)
    assert printer.health().is_ok
    virtual_printer.control("cover open")
    assert printer.health().reason == "cover_open"


def test_control_port_reports_and_rejects(virtual_printer):
    answer = virtual_printer.control("near-end-after 12.5")
    assert answer["faults"]["near_end_after_cm"] == 12.5
    try:
        virtual_printer.control("explode")
    except RuntimeError as exc:
        assert "unknown command" in str(exc)
    else:
        raise AssertionError("unknown control command accepted")


def test_print_text_cli_to_a_file(tmp_path: Path, capsys):
    out = tmp_path / "out.bin"
    assert kiosk(["print-text", "--printer", f"file:{out}", "你好，世界！", "Hello 凭证", "全角：“引号”"]) == 0
    page = page_of(out.read_bytes())
    assert page.text_lines() == ["你好，世界！", "Hello 凭证", "全角：“引号”"]
    assert page.cut is not None
    assert "sent" in capsys.readouterr().out


def test_print_text_cli_reports_a_failure_by_reason(virtual_printer, capsys):
    virtual_printer.control("paper-out")
    assert kiosk(["print-text", "--printer", virtual_printer.port, "测试"]) == 1
    assert "paper_out" in capsys.readouterr().err


def test_print_test_cli_prints_on_the_configured_printer(virtual_printer, tmp_path, capsys):
    config = tmp_path / "terminal.toml"
    config.write_text(f"""
[terminal]
role = "terminal"
[terminal.device]
id = "T-TEST-1"
hall = "测试大厅"
[terminal.maintenance]
pin_hash = "pbkdf2_sha256$200000$SxYDectHYf1C3W+TGPCn/g==$m12Id60sSc9KbtNYH4V7X/mccqOm5bq/1e1bBAotrdI="
[terminal.devices.printer]
port = "{virtual_printer.port}"
""", encoding="utf-8")
    before = len(virtual_printer.jobs())
    assert kiosk(["print-test", "--config", str(config), "--section", "terminal"]) == 0
    assert "printer: printed" in capsys.readouterr().out
    job = virtual_printer.jobs()[before]
    assert "打印测试页" in job["text"] and job["cut"]


def test_a_printer_without_cutter_ends_the_job_when_the_connection_closes(virtual_printer):
    from drivers.printer.profiles import get_profile

    before = len(virtual_printer.jobs())
    data = receipts.queue_ticket(samples.TICKET, samples.HEADER, get_profile("xprinter-58"))
    assert ThermalPrinter(virtual_printer.port).print_job(data).verified
    job = virtual_printer.wait_for_jobs(before + 1)[before]
    assert not job["cut"] and "A023" in job["text"]


def test_signals_switch_paper_faults(virtual_printer):
    import os
    import signal
    import time

    os.kill(virtual_printer.pid, signal.SIGUSR1)
    for _ in range(100):  # the handler runs in the simulator's main thread within a moment
        if virtual_printer.control("status")["status"]["paper_out"]:
            break
        time.sleep(0.02)
    assert ThermalPrinter(virtual_printer.port).health().reason == "paper_out"
    os.kill(virtual_printer.pid, signal.SIGUSR2)
    for _ in range(100):
        if not virtual_printer.control("status")["status"]["paper_out"]:
            break
        time.sleep(0.02)
    assert ThermalPrinter(virtual_printer.port).health().is_ok
