"""``python -m kiosk.documents.gallery [--via-cups] docs/receipts``: PNGs of every document, for people.

Receipts go through the same path as on a terminal, ending in the virtual printer: template
-> ESC/POS bytes -> parser -> paper layout -> PNG. The certificate is rasterised with
``pdftoppm``: the generated PDF, or with ``--via-cups`` the PDF that came out of a private
cupsd's cups-pdf queue (what a printer would have received).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from drivers.printer.profiles import get_profile
from drivers.printer.virtual.page import Page
from drivers.printer.virtual.parser import EscPosParser
from drivers.printer.virtual.render import Renderer
from kiosk.documents import receipts, samples
from kiosk.documents.certificate import render_certificate
from kiosk.fonts import find_cjk_font


def receipt_png(data: bytes, out: Path, renderer: Renderer, width_dots: int = 576) -> None:
    page, parser = Page(width_dots), EscPosParser()
    for event in parser.feed(data) + parser.close():
        page.apply(event)
    page.finish()
    renderer.render(page).save(out, optimize=True)


def certificate_png(out_base: Path, via_cups: bool) -> None:
    """pdftoppm of the generated PDF, or (``--via-cups``) of what a private cups-pdf queue printed."""
    pdf_bytes = render_certificate(samples.sample_certificate())
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "certificate.pdf"
        if via_cups:
            from drivers.printer.cups import CupsPrinter
            from kiosk.stack.cups import CupsServer

            with CupsServer() as cups:
                result = CupsPrinter(cups.queue, cups.server).print_pdf(pdf_bytes, "kiosk-gallery-certificate")
                landed = cups.output_for(result.job_id, result.title)
                pdf.write_bytes(landed.read_bytes())
                landed.unlink()
        else:
            pdf.write_bytes(pdf_bytes)
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-singlefile", str(pdf), str(out_base)], check=True)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    via_cups = "--via-cups" in args
    args = [a for a in args if a != "--via-cups"]
    out_dir = Path(args[0] if args else "docs/receipts")
    out_dir.mkdir(parents=True, exist_ok=True)
    font = find_cjk_font()
    renderer = Renderer(font.path, font.face_index)
    narrow = get_profile("xprinter-58")
    jobs = {
        "acceptance-receipt-80mm.png": (receipts.acceptance_receipt(samples.ACCEPTANCE, samples.HEADER), 576),
        "queue-ticket-80mm.png": (receipts.queue_ticket(samples.TICKET, samples.HEADER), 576),
        "service-guide-58mm.png": (receipts.service_guide(samples.GUIDE, samples.HEADER, narrow), 384),
        "print-receipt-80mm.png": (receipts.print_receipt(samples.PRINTED, samples.HEADER), 576),
    }
    for name, (data, width) in jobs.items():
        receipt_png(data, out_dir / name, renderer, width)
    certificate_png(out_dir / "certificate-a4", via_cups)
    for path in sorted(out_dir.glob("*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
