"""A4 certificates: the PDF itself (embedded CJK font, fields as text) and printing it through CUPS."""
from __future__ import annotations

import subprocess

import pytest

from drivers.health import HealthState
from drivers.printer.cups import A4PrintFailed, CupsPrinter, reasons_health
from kiosk.documents.certificate import render_certificate
from kiosk.documents.samples import SAMPLE_ID, SAMPLE_NAME, sample_certificate
from tests.fixtures.cups import TEST_TITLE_PREFIX


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def certificate_pdf() -> bytes:
    return render_certificate(sample_certificate())


def test_certificate_text_has_every_field_and_no_full_personal_data(certificate_pdf, tmp_path):
    cert = sample_certificate()
    text = "".join(_pdftotext(certificate_pdf, tmp_path).split())  # pdftotext drops or adds spaces
    for field in (cert.title, cert.number, cert.verify_code, "张**", "1101**********1239", "2026年11月23日",
                  "特此证明", "缴费年度", "2026", "500.00", "第1页共1页", "样章", "验证码"):
        assert field in text, field
    assert SAMPLE_ID not in text and SAMPLE_NAME not in text


def test_the_cjk_font_is_embedded_truetype(certificate_pdf, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(certificate_pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "TrueType" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)


def test_long_certificates_get_page_numbers(tmp_path):
    text = "".join(_pdftotext(render_certificate(sample_certificate(years=60)), tmp_path).split())
    assert "第1页共3页" in text and "第3页共3页" in text


def test_printer_state_reasons_become_health():
    assert reasons_health(3, ["none"]).is_ok
    assert reasons_health(3, ["media-empty-error"]).reason == "paper_out"
    assert reasons_health(3, ["toner-low-report"]).state is HealthState.DEGRADED
    assert reasons_health(3, ["toner-low-warning", "offline-report"]).reason == "printer_offline"
    assert reasons_health(5, ["paused"]).reason == "queue_disabled"
    assert reasons_health(3, ["media-empty-warning"]).state is HealthState.DEGRADED


@pytest.mark.cups
def test_a_certificate_job_completes_and_lands_as_pdf(cups_server, certificate_pdf, tmp_path):
    printer = CupsPrinter(cups_server.queue, cups_server.server, job_timeout_s=60)
    assert printer.health().is_ok
    result = printer.print_pdf(certificate_pdf, f"{TEST_TITLE_PREFIX}cert")
    assert result.state == "completed"
    landed = cups_server.output_for(result.job_id, result.title)
    assert landed.read_bytes().startswith(b"%PDF")
    ppm = subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(landed), str(tmp_path / "out")],
                         capture_output=True)
    assert ppm.returncode == 0 and (tmp_path / "out.png").stat().st_size > 1000


@pytest.mark.cups
def test_a_stopped_queue_is_a_fault_and_its_job_fails(cups_server, certificate_pdf):
    subprocess.run(["cupsdisable", "-h", cups_server.server, cups_server.queue], check=True)
    try:
        printer = CupsPrinter(cups_server.queue, cups_server.server, job_timeout_s=1.5)
        assert printer.health().reason == "queue_disabled"
        with pytest.raises(A4PrintFailed) as info:
            printer.print_pdf(certificate_pdf, f"{TEST_TITLE_PREFIX}stopped")
        assert info.value.reason == "queue_disabled"
    finally:
        subprocess.run(["cupsenable", "-h", cups_server.server, cups_server.queue], check=True)


@pytest.mark.cups
def test_missing_queue_and_unreachable_cupsd(cups_server):
    assert CupsPrinter("NoSuchQueue", cups_server.server).health().reason == "queue_missing"
    assert CupsPrinter("PDF", "127.0.0.1:1").health().reason == "cups_unreachable"


@pytest.mark.cups
def test_print_test_cli_prints_the_sample_certificate(cups_server, tmp_path, capsys):
    from kiosk.cli import main as kiosk

    config = tmp_path / "terminal.toml"
    config.write_text(f"""
role = "terminal"
[device]
id = "T-TEST-2"
[maintenance]
pin_hash = "pbkdf2_sha256$200000$SxYDectHYf1C3W+TGPCn/g==$m12Id60sSc9KbtNYH4V7X/mccqOm5bq/1e1bBAotrdI="
[devices.a4printer]
queue = "{cups_server.queue}"
server = "{cups_server.server}"
job_timeout_s = 60
""", encoding="utf-8")
    assert kiosk(["print-test", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "a4printer: job" in out and "completed" in out
    for pdf in cups_server.out_dir.glob("kiosk-print-test*.pdf"):
        pdf.unlink()
