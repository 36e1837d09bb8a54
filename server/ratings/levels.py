"""Labels of the rating levels, channels, states and bad-rating reasons (Chinese first).

The reason list is read from ``assets/rating/reasons.json``: a data file shared with the
devices (the server imports no device code, only the same data).
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from server.models.ratings import RatingLevel

REASONS_FILE = Path(__file__).resolve().parents[2] / "assets" / "rating" / "reasons.json"

LEVEL_LABELS = {
    RatingLevel.VERY_SATISFIED: "非常满意", RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意", RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}
CHANNEL_LABELS = {"evaluator": "评价器", "terminal": "自助终端", "qr": "二维码", "pc": "网上", "mobile": "移动端",
                  "other": "其他"}
TRIGGER_LABELS = {"window_system": "窗口系统邀请", "staff": "工作人员邀请", "applicant": "群众自主"}
STATE_LABELS = {"pending_visit": "待回访", "visited": "已回访", "rectifying": "整改中", "rectified": "已整改",
                "reviewed": "已复核"}
CLAIM_LABELS = {"pending": "待审核", "upheld": "认定恶意", "rejected": "驳回"}


@cache
def reason_labels() -> dict[str, str]:
    """Reason code -> Chinese label; unknown codes (a newer list) are shown as the code itself."""
    try:
        raw = json.loads(REASONS_FILE.read_text(encoding="utf-8"))
        return {r["code"]: r["zh_CN"] for r in raw["reasons"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def reason_text(codes: list[str]) -> str:
    labels = reason_labels()
    return "、".join(labels.get(c, c) for c in codes)
