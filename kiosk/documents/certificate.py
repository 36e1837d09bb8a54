"""A4 certificates (证明) as PDF, with the CJK font embedded so every viewer and printer shows it.

ReportLab's CID fonts (``STSong-Light``) are *not* embedded: the PDF then depends on the
viewer having that font, and CUPS filters replace it with boxes. So a TrueType face is
embedded (subset) instead, found by :mod:`kiosk.fonts`. Every page carries a "自助打印"
watermark, page numbers (第 1 页 共 2 页), and the last page a verification QR code and
code and a sample seal that says 样章 and is obviously not an official seal.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk.documents.cn_format import cn_date, cn_datetime
from kiosk.fonts import CjkFont, find_cjk_font
from kiosk.privacy import mask_id_number, mask_name

FONT_NAME = "KioskCJK"
SEAL_RED = colors.Color(0.85, 0.1, 0.1, alpha=0.85)


class CertificateFontError(RuntimeError):
    """The CJK font found cannot be embedded (ReportLab embeds TrueType outlines, not CFF)."""


@dataclass(frozen=True)
class Certificate:
    title: str
    number: str
    holder_name: str
    holder_id: str
    body: list[str]  # paragraphs; ``{holder}`` is replaced by the masked name and ID number
    table_header: list[str]
    table_rows: list[list[str]]
    issuer: str
    issued_at: datetime
    verify_code: str
    verify_url: str
    notes: list[str] = field(default_factory=list)


def register_font(font: CjkFont | None = None) -> str:
    """Register the CJK TrueType face with ReportLab once; returns the font name to use."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    font = font or find_cjk_font()
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font.path), subfontIndex=font.face_index))
    except Exception as exc:  # ReportLab raises TTFError or bare exceptions for CFF/odd fonts
        raise CertificateFontError(f"{font.path} cannot be embedded ({exc}); install fonts-wqy-microhei") from None
    return FONT_NAME


class _NumberedCanvas(rl_canvas.Canvas):
    """Holds pages back until the end so each can say how many pages there are (共 N 页)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(FONT_NAME, 9)
            self.setFillColor(colors.black)
            self.drawCentredString(A4[0] / 2, 12 * mm, f"第 {number} 页  共 {total} 页")
            super().showPage()
        super().save()


def _watermark(canvas: rl_canvas.Canvas, _doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT_NAME, 40)
    canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.18))
    for row in range(5):
        for col in range(3):
            canvas.saveState()
            canvas.translate(35 * mm + col * 70 * mm, 40 * mm + row * 55 * mm)
            canvas.rotate(30)
            canvas.drawCentredString(0, 0, "自助打印")
            canvas.restoreState()
    canvas.restoreState()


class SampleSeal(Flowable):
    """A red round stamp reading 演示专用 around a star and 样章: a demo seal, never a real one."""

    def __init__(self, ring_text: str, size: float = 42 * mm) -> None:
        super().__init__()
        self.ring_text = ring_text
        self.width = self.height = size

    def draw(self) -> None:
        c, r = self.canv, self.width / 2
        c.saveState()
        c.translate(r, r)
        c.setStrokeColor(SEAL_RED)
        c.setFillColor(SEAL_RED)
        c.setLineWidth(2.2)
        c.circle(0, 0, r - 2, stroke=1, fill=0)
        self._star(c, r * 0.22)
        c.setFont(FONT_NAME, r * 0.3)
        c.drawCentredString(0, -r * 0.55, "样章")
        self._ring(c, r)
        c.restoreState()

    @staticmethod
    def _star(c: rl_canvas.Canvas, size: float) -> None:
        points = [(size * (1 if i % 2 == 0 else 0.4) * math.sin(i * math.pi / 5),
                   size * (1 if i % 2 == 0 else 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
        path = c.beginPath()
        path.moveTo(*points[0])
        for p in points[1:]:
            path.lineTo(*p)
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    def _ring(self, c: rl_canvas.Canvas, outer: float) -> None:
        """The seal's name along the upper rim, each character upright towards the centre."""
        text = self.ring_text
        size = outer * 0.2
        radius = outer - 5 - size * 0.9  # baseline radius: the glyph tops stay inside the rim
        c.setFont(FONT_NAME, size)
        span = math.radians(250)
        for i, ch in enumerate(text):
            angle = math.pi / 2 + span / 2 - span * (i + 0.5) / len(text)
            c.saveState()
            c.translate(radius * math.cos(angle), radius * math.sin(angle))
            c.rotate(math.degrees(angle) - 90)
            c.drawCentredString(0, 0, ch)
            c.restoreState()


def _qr_image(url: str) -> ImageReader:
    import qrcode

    image = qrcode.make(url, box_size=8, border=1).get_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT_NAME, fontSize=12, leading=21, wordWrap="CJK",
                          firstLineIndent=24)
    return {
        "body": base,
        "hall": ParagraphStyle("hall", parent=base, fontSize=11, alignment=1, firstLineIndent=0),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=32, alignment=1, firstLineIndent=0,
                                spaceBefore=4, spaceAfter=4),
        "number": ParagraphStyle("number", parent=base, fontSize=10, alignment=2, firstLineIndent=0),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=14, firstLineIndent=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=15, firstLineIndent=0, alignment=1),
        "right": ParagraphStyle("right", parent=base, alignment=2, firstLineIndent=0),
    }


def render_certificate(cert: Certificate, font: CjkFont | None = None) -> bytes:
    """The certificate as PDF bytes (A4, CJK font embedded as a subset)."""
    register_font(font)
    st = _styles()
    holder = f"{mask_name(cert.holder_name)}（公民身份号码：{mask_id_number(cert.holder_id)}）"
    story: list[Flowable] = [
        Paragraph(cert.issuer, st["hall"]),
        Paragraph(cert.title, st["title"]),
        Paragraph(f"证明编号：{cert.number}", st["number"]),
        Spacer(1, 4 * mm),
    ]
    story += [Paragraph(p.replace("{holder}", holder), st["body"]) for p in cert.body]
    story.append(Spacer(1, 3 * mm))
    rows = [[Paragraph(c, st["cell"]) for c in cert.table_header]]
    rows += [[Paragraph(c, st["cell"]) for c in row] for row in cert.table_rows]
    table = Table(rows, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 4 * mm), Paragraph("特此证明。", st["body"]), Spacer(1, 6 * mm)]
    issuer_block = [Paragraph(cert.issuer, st["right"]), Paragraph(cn_date(cert.issued_at), st["right"])]
    verify_block = Table([[_QrFlowable(cert.verify_url, 30 * mm),
                           [Paragraph(f"验证码：{cert.verify_code}", st["small"]),
                            Paragraph("扫描二维码或在政务服务网输入验证码核验本证明。", st["small"]),
                            Paragraph(f"打印时间：{cn_datetime(cert.issued_at)}", st["small"])]]],
                         colWidths=[33 * mm, 62 * mm])
    verify_block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    closing = Table([[verify_block, [*issuer_block, SampleSeal("演示区政务服务中心示例专用章")]]],
                    colWidths=[97 * mm, 73 * mm])
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    story += [closing, Spacer(1, 4 * mm)]
    story += [Paragraph(n, st["small"]) for n in cert.notes]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=22 * mm, title=cert.title, author=cert.issuer, subject=cert.number,
                            initialFontName=FONT_NAME)
    doc.build(story, onFirstPage=_watermark, onLaterPages=_watermark, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


class _QrFlowable(Flowable):
    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url = url
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.drawImage(_qr_image(self.url), 0, 0, self.width, self.height)
