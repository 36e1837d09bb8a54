"""Status before and after a job, and print-then-commit against the virtual printer's faults."""
from __future__ import annotations

import socket

import pytest

from drivers.health import HealthState
from drivers.printer.encoder import ReceiptEncoder
from drivers.printer.errors import PrinterDisconnected, PrinterError, PrinterNoResponse, PrinterUnreachable, PrintFailed
from drivers.printer.thermal import ThermalPrinter


def _receipt(lines: int = 3) -> bytes:
    return ReceiptEncoder().lines([f"第{i}行 受理凭证测试" for i in range(lines)]).cut().getvalue()


def _printer(sim) -> ThermalPrinter:
    return ThermalPrinter(sim.port, timeout_s=3)


def test_a_good_job_is_verified_and_recorded(printer_sim):
    outcome = _printer(printer_sim).print_job(_receipt())
    assert outcome.verified and outcome.warning == ""
    job = printer_sim.device.state.jobs[-1]
    assert job.cut and job.text[0] == "第0行 受理凭证测试"


def test_near_end_prints_but_warns(printer_sim):
    printer_sim.control("near-end-after 0")
    outcome = _printer(printer_sim).print_job(_receipt())
    assert outcome.verified and outcome.warning == "paper_near_end"
    assert _printer(printer_sim).health().state is HealthState.DEGRADED


@pytest.mark.parametrize("command, reason", [("cover open", "cover_open"), ("paper-out", "paper_out")])
def test_a_printer_that_cannot_print_refuses_before_the_job(printer_sim, command, reason):
    printer_sim.control(command)
    with pytest.raises(PrintFailed) as info:
        _printer(printer_sim).print_job(_receipt())
    assert info.value.reason == reason and info.value.stage == "before"
    assert printer_sim.device.state.jobs == []  # nothing was sent
    assert _printer(printer_sim).health().reason == reason


def test_paper_running_out_mid_job_fails_after_and_the_receipt_is_cut_short(printer_sim):
    used_cm = printer_sim.control("status")["used_cm"]
    printer_sim.control(f"paper-out-after {used_cm + 3}")  # 3 cm left: about 8 lines
    with pytest.raises(PrintFailed) as info:
        _printer(printer_sim).print_job(_receipt(40))
    assert info.value.reason == "paper_out" and info.value.stage == "after"
    assert printer_sim.device.state.jobs == [] or len(printer_sim.device.state.jobs[-1].text) < 40


def test_paper_out_job_is_rendered_when_the_connection_ends(printer_sim):
    used_cm = printer_sim.control("status")["used_cm"]
    printer_sim.control(f"paper-out-after {used_cm + 3}")
    with pytest.raises(PrintFailed):
        _printer(printer_sim).print_job(_receipt(40))
    printer_sim.server.stop()  # make sure the connection has been handled to its end
    job = printer_sim.device.state.jobs[-1]
    assert not job.cut and 0 < len(job.text) < 40 and job.dropped_events > 0


def test_disconnect_mid_job_is_a_failure(printer_sim):
    printer_sim.control("disconnect-after 40")
    with pytest.raises(PrinterDisconnected) as info:
        _printer(printer_sim).print_job(_receipt(30))
    assert info.value.reason == "printer_disconnected"
    assert _printer(printer_sim).print_job(_receipt()).verified  # one-shot: the next job works


def test_cutter_jam_fails_after_the_job(printer_sim):
    printer_sim.control("cutter-jam on")
    with pytest.raises(PrintFailed) as info:
        _printer(printer_sim).print_job(_receipt())
    assert info.value.reason == "cutter_error" and info.value.stage == "after"
    printer_sim.control("reload")
    assert _printer(printer_sim).health().is_ok


def test_unreachable_printer():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PrinterUnreachable) as info:
        ThermalPrinter(f"127.0.0.1:{port}", timeout_s=1).print_job(_receipt())
    assert info.value.reason == "unreachable"
    assert ThermalPrinter(f"127.0.0.1:{port}", timeout_s=1).health().reason == "unreachable"


def test_a_device_that_never_answers_status():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with pytest.raises(PrinterNoResponse):
            ThermalPrinter(f"127.0.0.1:{port}", timeout_s=0.3).print_job(_receipt())


def test_file_transport_sends_without_verification(tmp_path):
    out = tmp_path / "r.bin"
    outcome = ThermalPrinter(f"file:{out}").print_job(_receipt())
    assert not outcome.verified and out.read_bytes() == _receipt()


def test_every_failure_is_a_printer_error_with_a_reason_key():
    for cls in (PrintFailed, PrinterDisconnected, PrinterNoResponse, PrinterUnreachable):
        assert issubclass(cls, PrinterError)


def test_faults_can_be_set_at_start(tmp_path):
    from drivers.printer.virtual.server import build_parser, make_printer

    args = build_parser().parse_args(["--cover-open", "--near-end-after-cm", "0", "--out", str(tmp_path)])
    status = make_printer(args).status()
    assert status.cover_open and status.paper_near_end and not status.online
