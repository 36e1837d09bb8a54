"""自助申报: the guided form, the scanned materials (in memory only), and the application.

Form values come from our own keypads: a choice is one of the item's options, a date is
typed as eight digits (``20261123``) and must be a real date, digits have their length
limits. Scanned pages are kept as JPEG bytes in memory and each material becomes one A4
PDF for the upload; nothing of the citizen's documents is written to disk, and
:meth:`Declaration.discard` drops it all when the session ends.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from kiosk.backend.base import Application, ApplicationReceipt, CatalogItem, FormField, Material, ScannedMaterial
from kiosk.documents.receipts import AcceptanceReceipt

JPEG_QUALITY = 85


def check_field(spec: FormField, value: str) -> str:
    """"" when ``value`` is acceptable, else an i18n key under ``declare.invalid``."""
    value = value.strip()
    if not value:
        return "declare.invalid.required" if spec.required else ""
    if spec.kind == "choice":
        return "" if value in spec.options else "declare.invalid.choice"
    if spec.kind == "date":
        if len(value) != 8 or not value.isdigit():
            return "declare.invalid.date"
        try:
            dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return "declare.invalid.date"
        return ""
    if not value.isdigit():
        return "declare.invalid.digits"
    if (spec.min_len and len(value) < spec.min_len) or (spec.max_len and len(value) > spec.max_len):
        return "declare.invalid.length"
    return ""


def shown_value(spec: FormField, value: str) -> str:
    """A date as 2026年11月23日 (what a Chinese user reads); other values as typed."""
    if spec.kind == "date" and len(value) == 8 and value.isdigit():
        return f"{int(value[:4])}年{int(value[4:6])}月{int(value[6:])}日"
    return value


def wire_value(spec: FormField, value: str) -> str:
    """A date as ISO ``2026-11-23`` on the wire."""
    if spec.kind == "date" and len(value) == 8:
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def encode_page(page) -> bytes:
    """One straightened page (a numpy image) as JPEG bytes in memory."""
    import cv2

    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("page could not be encoded")
    return data.tobytes()


def pages_pdf(pages: list[bytes], title: str) -> bytes:
    """One A4 PDF with every page fitted inside a 10 mm margin, built in memory."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    if not pages:
        raise ValueError("no pages")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    margin = 10 * mm
    box_w, box_h = A4[0] - 2 * margin, A4[1] - 2 * margin
    for jpeg in pages:
        image = ImageReader(io.BytesIO(jpeg))
        width, height = image.getSize()
        scale = min(box_w / width, box_h / height)
        w, h = width * scale, height * scale
        pdf.drawImage(image, (A4[0] - w) / 2, (A4[1] - h) / 2, w, h)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@dataclass
class Declaration:
    """One application being filled in at the terminal."""

    item: CatalogItem
    values: dict[str, str] = field(default_factory=dict)
    pages: dict[str, list[bytes]] = field(default_factory=dict)  # material code -> JPEG pages

    @property
    def materials(self) -> tuple[Material, ...]:
        """The materials to scan here (``scan``)."""
        return tuple(m for m in self.item.materials if m.scan)

    def set_value(self, key: str, value: str) -> str:
        """Store a value; returns the error key ("" when fine)."""
        spec = next(f for f in self.item.form if f.key == key)
        self.values[key] = value.strip()
        return check_field(spec, value)

    def form_errors(self) -> dict[str, str]:
        errors = {f.key: check_field(f, self.values.get(f.key, "")) for f in self.item.form}
        return {k: v for k, v in errors.items() if v}

    def add_page(self, code: str, jpeg: bytes) -> int:
        self.pages.setdefault(code, []).append(jpeg)
        return len(self.pages[code])

    def retake(self, code: str) -> int:
        """Drop the last page of a material."""
        if self.pages.get(code):
            self.pages[code].pop()
        return len(self.pages.get(code, []))

    def missing_materials(self) -> list[Material]:
        return [m for m in self.materials if not self.pages.get(m.code)]

    @property
    def complete(self) -> bool:
        return not self.form_errors() and not self.missing_materials()

    def application(self, id_number: str, name: str) -> Application:
        """What is submitted; each material as one PDF of its pages."""
        if not self.complete:
            raise ValueError("the application is not complete")
        form = {f.key: wire_value(f, self.values.get(f.key, "")) for f in self.item.form}
        materials = tuple(ScannedMaterial(m.code, pages_pdf(self.pages[m.code], m.name), len(self.pages[m.code]))
                          for m in self.materials)
        return Application(self.item.basic_code, id_number, name, form, materials)

    def discard(self) -> None:
        self.values.clear()
        self.pages.clear()


def acceptance_receipt(receipt: ApplicationReceipt) -> AcceptanceReceipt:
    """The 受理凭证 printed after submitting, from the server's (already masked) answer."""
    return AcceptanceReceipt(case_number=receipt.case_no, item=receipt.item_name,
                             applicant_name=receipt.applicant_masked, applicant_id=receipt.applicant_id_masked,
                             accepted_at=receipt.accepted_at, materials=list(receipt.materials),
                             promised_days=receipt.promised_days, query_url=receipt.query_url,
                             department=receipt.department_name)
