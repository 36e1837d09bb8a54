"""Fictitious demo staff (示例) for ``kiosk-server seed-demo``: names, PINs, cards and photos.

The card UIDs are those of the simulated staff cards used by the demo and the tests, so a
demo evaluator that synced its directory signs in with the same virtual card. The photos are
drawn here (a coloured card with the surname), never pictures of real people.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from server.models import Site, Staff
from server.staff import editing

DEPARTMENT = ("zwfwzx", "政务服务中心综合窗口（示例）", "Service centre, combined windows (sample)")
# staff_no, name, title, PIN, card UID, colour of the drawn photo
DEMO_STAFF = [
    ("10123", "李明（示例）", "综合窗口受理员", "123456", "04A1B2C3", (46, 110, 180)),
    ("10456", "王芳（示例）", "综合窗口受理员", "567890", "04D5E6F7", (180, 80, 70)),
    ("10789", "赵磊（示例）", "帮办代办", "246810", "", (60, 140, 90)),
]
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
ACTOR = "seed-demo"


def seed_staff(session: Session, site: Site) -> int:
    """Add the demo staff to ``site`` once (existing numbers are left alone); returns how many were added."""
    editing.department(session, DEPARTMENT[0], DEPARTMENT[1], name_en=DEPARTMENT[2], region_code=site.region_code)
    added = 0
    for staff_no, name, title, pin, uid, colour in DEMO_STAFF:
        if session.get(Staff, staff_no) is not None:
            continue
        editing.save(session, ACTOR, staff_no=staff_no, name=name, title=title, site_id=site.id,
                     department_code=DEPARTMENT[0], create=True)
        editing.set_pin(session, ACTOR, staff_no, pin)
        if uid:
            editing.set_card(session, ACTOR, staff_no, uid)
        editing.set_photo(session, ACTOR, staff_no, drawn_photo(name[0], colour))
        added += 1
    return added


def drawn_photo(initial: str, colour: tuple[int, int, int]) -> bytes:
    """A portrait-format PNG with a head-and-shoulders shape and the surname, for demo staff."""
    img = Image.new("RGB", (360, 480), tuple(min(255, c + 150) for c in colour))
    draw = ImageDraw.Draw(img)
    draw.ellipse((110, 90, 250, 230), fill=colour)
    draw.pieslice((40, 250, 320, 560), 180, 360, fill=colour)
    font = _font(88)
    if font is not None:
        draw.text((180, 160), initial, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return None
