"""Reading a ``rating`` event payload (``kiosk.rating.RatingRecord.payload()``) strictly.

A payload that does not make sense (a bad rating without reason, a level on a 未评 record, a
time that is not ``YYYYMMDDThhmmss``) is refused with one line naming the field, so the
dashboard can show why an event did not become a rating.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from server.clock import LOCAL
from server.models.ratings import RatingLevel

RATED_AT_RE = re.compile(r"^\d{8}T\d{6}$")
CODE = r"^[A-Za-z0-9]*$"


class RatingPayload(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$")
    invitation_id: str = Field(default="", max_length=64)
    outcome: str = Field(pattern=r"^(rated|not_rated)$")
    level: RatingLevel | None = None
    bad: bool = False
    reasons: list[str] = Field(default_factory=list, max_length=16)
    reason_list_version: int | None = Field(default=None, ge=1)
    text: str = Field(default="", max_length=500)
    rated_at: str
    rating_count: int = Field(default=1, ge=1, le=99)
    case_no: str = Field(default="", max_length=64)
    consultation: bool = False
    item_name: str = Field(default="", max_length=100)
    item_basic_code: str = Field(default="", max_length=10, pattern=CODE)
    item_impl_code: str = Field(default="", max_length=24, pattern=CODE)
    channel: str = Field(default="evaluator", pattern=r"^[a-z][a-z0-9_]{0,15}$")
    region_code: str = Field(default="", max_length=12, pattern=r"^\d*$")
    window: str = Field(default="", max_length=20)
    staff_no: str = Field(default="", max_length=32)
    trigger: str = Field(default="", max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> "RatingPayload":
        if self.outcome == "rated" and self.level is None:
            raise ValueError("level: required when outcome is rated")
        if self.outcome == "not_rated" and (self.level is not None or self.reasons):
            raise ValueError("level: a not_rated record carries no level or reasons")
        is_bad = self.level is not None and self.level.is_bad
        if self.bad != is_bad:
            raise ValueError("bad: does not match the level")
        if is_bad and not self.reasons:
            raise ValueError("reasons: a bad rating needs at least one reason")
        if any(not re.match(r"^[a-z][a-z0-9_]{0,31}$", r) for r in self.reasons):
            raise ValueError("reasons: codes are lower-case words")
        local_time(self.rated_at)  # raises ValueError
        return self

    @property
    def rated_at_utc(self) -> datetime:
        return local_time(self.rated_at).astimezone(timezone.utc)


def local_time(value: str) -> datetime:
    """GB/T 39046 评价时间 (local Beijing time) as an aware datetime; ValueError when malformed."""
    if not RATED_AT_RE.match(value):
        raise ValueError("rated_at: not YYYYMMDDThhmmss")
    try:
        # the pattern fixed the shape; fromisoformat reads that basic form ~10x faster than strptime
        return datetime.fromisoformat(value).replace(tzinfo=LOCAL)
    except ValueError:
        raise ValueError("rated_at: not a real date and time") from None


def parse(payload: object) -> RatingPayload:
    """Validate a payload; raises ``ValueError`` with one short line (field: reason)."""
    try:
        return RatingPayload.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise ValueError(f"{where}: {first['msg']}"[:300]) from None
