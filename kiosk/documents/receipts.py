"""The four receipts a terminal prints on the thermal printer, as ESC/POS bytes.

Each template is a function from plain data to bytes, laid out by columns so that the
same code prints on 80 mm and 58 mm paper. Personal data is masked here (and masking is
idempotent, so already-masked input stays as it is).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image

from drivers.printer.encoder import ReceiptEncoder
from drivers.printer.profiles import PrinterProfile
from kiosk.documents.cn_format import cn_date, cn_datetime, working_days
from kiosk.privacy import mask_id_number, mask_name


@dataclass(frozen=True)
class Header:
    """Who prints: the hall and the terminal, on top of every receipt."""

    hall: str
    terminal_id: str
    phone: str = ""
    logo: Image.Image | None = None


@dataclass(frozen=True)
class AcceptanceReceipt:
    """受理凭证: proof that an application was accepted, with a QR code to follow it."""

    case_number: str
    item: str
    applicant_name: str
    applicant_id: str
    accepted_at: datetime
    materials: list[str]
    promised_days: int
    query_url: str
    department: str = ""


@dataclass(frozen=True)
class QueueTicket:
    number: str
    business: str
    waiting_ahead: int
    issued_at: datetime
    window_hint: str = ""


@dataclass(frozen=True)
class ServiceGuide:
    """办事指南 printed for someone to take home."""

    item: str
    item_code: str
    conditions: list[str]
    materials: list[str]
    steps: list[str]
    time_limit_days: int
    fee: str
    online_url: str
    printed_at: datetime


@dataclass(frozen=True)
class PrintReceipt:
    """打印回执: what the terminal printed on A4 for the person, and how to verify it."""

    document_title: str
    document_number: str
    pages: int
    copies: int
    verify_code: str
    verify_url: str
    owner_name: str
    printed_at: datetime
    notes: list[str] = field(default_factory=list)


def _head(enc: ReceiptEncoder, header: Header, title: str) -> None:
    if header.logo is not None and enc.profile.raster:
        enc.image(header.logo)
    enc.line(header.hall, align="center")
    enc.line(title, align="center", bold=True, size=2)
    enc.rule("=")


def _foot(enc: ReceiptEncoder, header: Header, printed_at: datetime) -> bytes:
    enc.rule("-")
    enc.row("终端编号", header.terminal_id, leader=" ")
    enc.row("打印时间", cn_datetime(printed_at), leader=" ")
    if header.phone:
        enc.row("咨询电话", header.phone, leader=" ")
    enc.line("自助终端打印，请妥善保管。", align="center")
    return enc.feed(2).cut().getvalue()


def acceptance_receipt(r: AcceptanceReceipt, header: Header, profile: PrinterProfile | None = None) -> bytes:
    enc = ReceiptEncoder(profile)
    _head(enc, header, "受理凭证")
    enc.row("办件编号", r.case_number)
    enc.row("事项名称", r.item)
    if r.department:
        enc.row("受理部门", r.department)
    enc.row("申请人", mask_name(r.applicant_name))
    enc.row("证件号码", mask_id_number(r.applicant_id))
    enc.row("受理时间", cn_datetime(r.accepted_at))
    enc.row("承诺时限", working_days(r.promised_days))
    enc.rule("-")
    enc.line("已收材料：", bold=True)
    for i, material in enumerate(r.materials, 1):
        enc.line(f"{i}. {material}")
    enc.rule("-")
    enc.qr(r.query_url, module=6)
    enc.line("扫码查询办件进度", align="center")
    if enc.profile.barcode_b:
        enc.barcode(r.case_number, height=60)
    return _foot(enc, header, r.accepted_at)


def queue_ticket(t: QueueTicket, header: Header, profile: PrinterProfile | None = None) -> bytes:
    enc = ReceiptEncoder(profile)
    _head(enc, header, "排队凭条")
    enc.line(t.business, align="center", bold=True)
    enc.line(t.number, align="center", bold=True, size=4)
    enc.line(f"您前面还有 {t.waiting_ahead} 人等候", align="center")
    if t.window_hint:
        enc.line(t.window_hint, align="center")
    enc.line("请留意叫号，过号请重新取号。", align="center")
    return _foot(enc, header, t.issued_at)


def service_guide(g: ServiceGuide, header: Header, profile: PrinterProfile | None = None) -> bytes:
    enc = ReceiptEncoder(profile)
    _head(enc, header, "办事指南")
    enc.line(g.item, bold=True)
    enc.row("事项编码", g.item_code)
    enc.row("办理时限", working_days(g.time_limit_days))
    enc.row("收费标准", g.fee)
    for title, entries in (("受理条件", g.conditions), ("申请材料", g.materials), ("办理流程", g.steps)):
        enc.rule("-")
        enc.line(f"【{title}】", bold=True)
        for i, entry in enumerate(entries, 1):
            enc.line(f"{i}. {entry}")
    enc.rule("-")
    enc.qr(g.online_url, module=5)
    enc.line("扫码网上办理", align="center")
    return _foot(enc, header, g.printed_at)


def print_receipt(p: PrintReceipt, header: Header, profile: PrinterProfile | None = None) -> bytes:
    enc = ReceiptEncoder(profile)
    _head(enc, header, "打印回执")
    enc.row("文件名称", p.document_title)
    enc.row("文件编号", p.document_number)
    enc.row("持有人", mask_name(p.owner_name))
    enc.row("页数/份数", f"{p.pages}页 × {p.copies}份")
    enc.row("打印日期", cn_date(p.printed_at))
    enc.row("验证码", p.verify_code, bold=True)
    for note in p.notes:
        enc.line(note)
    enc.qr(p.verify_url, module=5)
    enc.line("扫码或输入验证码核验真伪", align="center")
    return _foot(enc, header, p.printed_at)


def test_page(header: Header, printed_at: datetime, details: list[tuple[str, str]],
              profile: PrinterProfile | None = None) -> bytes:
    """``kiosk print-test``: every feature once, so a technician sees at a glance what works."""
    enc = ReceiptEncoder(profile)
    _head(enc, header, "打印测试页")
    for label, value in details:
        enc.row(label, value)
    enc.rule("-")
    enc.line("中文：政务服务“一网通办”，《办事指南》；全角标点！？")
    enc.line("ASCII: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    enc.line("".join(str(i % 10) for i in range(enc.columns)))
    enc.line("加粗 Bold", bold=True)
    enc.line("居中", align="center")
    enc.line("右对齐", align="right")
    enc.line("倍宽倍高", size=2)
    enc.qr("https://zwfw.example.gov.cn/printer-test", module=5)
    if enc.profile.barcode_b:
        enc.barcode("TEST-0123456789", height=50)
    return _foot(enc, header, printed_at)
