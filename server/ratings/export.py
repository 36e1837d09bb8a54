"""GB/T 39046 records for the provincial 好差评 system, as JSON and CSV, per province profile.

Levels are stored as an enum; codes are made here only. The national code is 1 = 非常满意 …
5 = 非常不满意; some provincial interfaces use the reverse (1 = 非常不满意) and their own channel
codes, so a :class:`Profile` holds both. Only rated records are exported (a 未评 has no
满意度). 评价人 is always empty: the rater's identity stays confidential and the devices never
hold it; the phone a rater may leave on the QR page is never exported. ``valid`` is 0 for a
rating judged malicious (恶意差评), so the upstream learns of the decision.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Site
from server.models.ratings import Rating, RatingLevel
from server.ratings.levels import LEVEL_LABELS, reason_text

LEVEL_ORDER = list(RatingLevel)  # best first


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    reverse_levels: bool
    channel_codes: dict[str, str] = field(default_factory=dict)
    default_channel: str = "9"

    def level_code(self, level: RatingLevel) -> int:
        code = LEVEL_ORDER.index(level) + 1
        return 6 - code if self.reverse_levels else code

    def channel_code(self, channel: str) -> str:
        return self.channel_codes.get(channel, self.default_channel)


PROFILES = {
    "national": Profile("national", "国家标准 (1=非常满意)", False,
                        {"pc": "1", "mobile": "2", "qr": "3", "evaluator": "4", "terminal": "5"}),
    "reversed": Profile("reversed", "省级接口示例 (1=非常不满意，渠道码另编)", True,
                        {"pc": "01", "mobile": "02", "qr": "03", "evaluator": "05", "terminal": "06"}, "99"),
}

# (JSON key, CSV heading): the GB/T 39046 field set plus the record id, department, window, validity.
FIELDS = [
    ("recordId", "评价编号"), ("projectNo", "办件编号"), ("taskCode", "事项基本编码"),
    ("taskImplCode", "事项实施编码"), ("taskName", "事项名称"), ("channel", "评价渠道"), ("rater", "评价人"),
    ("assessTime", "评价时间"), ("assessNumber", "评价次数"), ("satisfaction", "满意度代码"),
    ("satisfactionName", "满意度"), ("reasons", "差评原因"), ("writingEvaluation", "文字评价"),
    ("areaCode", "行政区划"), ("deptCode", "部门编码"), ("windowNo", "窗口"), ("valid", "有效标志"),
]


def profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None


def record(rating: Rating, prof: Profile, site_region: str = "") -> dict[str, Any]:
    """One rating in the export field set (rated records only)."""
    if rating.level is None:
        raise ValueError("a not_rated record has no 满意度 and is not exported")
    area = "".join(ch for ch in (rating.region_code or site_region) if ch.isdigit())[:9]
    return {
        "recordId": rating.id, "projectNo": rating.case_no, "taskCode": rating.item_basic_code,
        "taskImplCode": rating.item_impl_code, "taskName": rating.item_name,
        "channel": prof.channel_code(rating.channel), "rater": "",
        "assessTime": rating.rated_at.astimezone(LOCAL).strftime("%Y%m%dT%H%M%S"),
        "assessNumber": rating.rating_count, "satisfaction": prof.level_code(rating.level),
        "satisfactionName": LEVEL_LABELS[rating.level], "reasons": reason_text(rating.reasons),
        "writingEvaluation": rating.text, "areaCode": area, "deptCode": rating.department_code or "",
        "windowNo": rating.window, "valid": 0 if rating.excluded else 1,
    }


def records(session: Session, ratings: Iterable[Rating], prof: Profile) -> list[dict[str, Any]]:
    regions = dict(session.execute(select(Site.id, Site.region_code)).all())
    return [record(r, prof, regions.get(r.site_id, "")) for r in ratings]


def select_range(session: Session, start: date, end: date) -> list[Rating]:
    return list(session.scalars(select(Rating).where(Rating.outcome == "rated", Rating.rated_on >= start,
                                                     Rating.rated_on <= end).order_by(Rating.rated_at, Rating.id)))


def to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV with Chinese headings and a UTF-8 BOM, so Excel on a Chinese Windows opens it right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for _, heading in FIELDS])
    for row in rows:
        writer.writerow([row[key] for key, _ in FIELDS])
    return "\ufeff" + out.getvalue()
