"""Rating-QR windows: a public mobile page per window (``/rate/<token>``) and its printable QR code.

Windows without an evaluator get a QR code on the counter. The token in the URL is random (not
the window number), so nobody can rate a window of another hall by guessing. A rating made
there has channel ``qr``, trigger ``applicant``, the window's hall and department, and is one
per case: a second rating of a case number that already has one is refused with a message
(一次一评). The phone number a rater may leave is for the 回访 call only.
"""
from __future__ import annotations

import io
import re
import secrets
import uuid
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Department, Site, utcnow
from server.models.ratings import Rating, RatingLevel, RatingWindow
from server.ratings import payload as wire
from server.ratings.intake import case_rated, store
from server.ratings.levels import reason_labels
from server.services import audit

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
CASE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")


class RateRefused(ValueError):
    """A QR-page rating the rules refuse; the message is shown to the applicant as it is."""


@dataclass(frozen=True)
class QrForm:
    case_no: str
    level: str
    reasons: list[str]
    text: str
    phone: str


def create_window(session: Session, site_id: int, window: str, department_code: str | None, actor: str) -> RatingWindow:
    window = window.strip()
    if not window or len(window) > 20:
        raise ValueError("窗口号 1-20 个字符 (window: 1-20 characters)")
    if session.get(Site, site_id) is None:
        raise ValueError("大厅不存在 (no such hall)")
    if department_code and session.get(Department, department_code) is None:
        raise ValueError("部门不存在 (no such department)")
    row = RatingWindow(token=secrets.token_urlsafe(16), site_id=site_id, window=window,
                       department_code=department_code or None)
    session.add(row)
    session.flush()
    audit.record(session, actor, "rating_window.create", f"rating_window:{row.id}", window=window)
    return row


def window_for(session: Session, token: str) -> RatingWindow | None:
    row = session.scalar(select(RatingWindow).where(RatingWindow.token == token))
    return row if row is not None and row.active else None


def submit(session: Session, window: RatingWindow, form: QrForm) -> Rating:
    """Validate and store a QR-page rating; raises RateRefused with a Chinese message."""
    case_no = form.case_no.strip()
    if not CASE_RE.match(case_no):
        raise RateRefused("请填写正确的办件编号（字母、数字，最长 64 位）")
    try:
        level = RatingLevel(form.level)
    except ValueError:
        raise RateRefused("请选择满意程度") from None
    known = reason_labels()
    reasons = [r for r in dict.fromkeys(form.reasons) if r in known]
    if level.is_bad and not reasons:
        raise RateRefused("选择“不满意”或“非常不满意”时，请至少选择一项原因")
    phone = form.phone.strip().replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        raise RateRefused("联系电话格式不正确（手机号 11 位，或区号-座机号）")
    text = form.text.strip()
    if len(text) > 500:
        raise RateRefused("文字评价最多 500 字")
    # serialise ratings of one window (PostgreSQL; SQLite writers are serial anyway) so two
    # quick submissions of one case cannot both pass the check below
    session.execute(select(RatingWindow.id).where(RatingWindow.id == window.id).with_for_update())
    if case_rated(session, case_no):
        raise RateRefused("该办件已经评价过了，感谢您的参与（一次一评）")
    record = wire.parse({
        "id": str(uuid.uuid4()), "outcome": "rated", "level": level.value, "bad": level.is_bad,
        "reasons": reasons if level.is_bad else [], "text": text,
        "rated_at": utcnow().astimezone(LOCAL).strftime("%Y%m%dT%H%M%S"), "case_no": case_no, "channel": "qr",
        "window": window.window, "trigger": "applicant",
    })
    # the phone is only kept for a bad rating: it exists for the 回访 call and nothing else
    return store(session, record, site_id=window.site_id, department_code=window.department_code,
                 contact_phone=phone if level.is_bad else "")


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, box_size=10, border=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    return image.to_string(encoding="unicode")
