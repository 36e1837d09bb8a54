"""What every 好差评 page needs: the signed-in user as an :class:`Actor`, filters, template helpers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException

from server.api.deps import Ctx
from server.dashboard.auth import Viewer, current_viewer
from server.dashboard.routes import templates
from server.models import utcnow
from server.clock import LOCAL
from server.ratings import access, levels, stats

templates.env.filters.setdefault("pct", lambda v: "—" if v is None else f"{v:.1%}")


def due_day(deadline: datetime) -> str:
    """A deadline (00:00 after the last working day) as that day's end: ``2026年11月19日 24:00``."""
    last = (deadline - timedelta(microseconds=1)).astimezone(LOCAL)
    return f"{last.year}年{last.month}月{last.day}日 24:00"


templates.env.filters["due"] = due_day
templates.env.globals.update(LEVEL_LABELS={k.value: v for k, v in levels.LEVEL_LABELS.items()},
                             CHANNEL_LABELS=levels.CHANNEL_LABELS, STATE_LABELS=levels.STATE_LABELS,
                             CLAIM_LABELS=levels.CLAIM_LABELS, TRIGGER_LABELS=levels.TRIGGER_LABELS,
                             reason_text=levels.reason_text, mask_phone=access.mask_phone)


@dataclass(frozen=True)
class RatingUser:
    viewer: Viewer
    actor: access.Actor


def rating_user(ctx: Ctx, viewer: Annotated[Viewer, Depends(current_viewer)]) -> RatingUser:
    with ctx.reading() as session:
        return RatingUser(viewer, access.actor_for(session, viewer.id, viewer.username, viewer.role))


def supervisor(user: Annotated[RatingUser, Depends(rating_user)]) -> RatingUser:
    if not user.actor.supervises:
        raise HTTPException(403, "只有监督员或管理员可以操作 (supervisors and administrators only)")
    return user


CurrentRatingUser = Annotated[RatingUser, Depends(rating_user)]
Supervisor = Annotated[RatingUser, Depends(supervisor)]


def today() -> date:
    return utcnow().astimezone(LOCAL).date()


def parse_filters(start: str, end: str, site: str = "", department: str = "", channel: str = "",
                  default_days: int = 30) -> stats.Filters:
    """Query parameters to filters; a bad date is a 400 with a Chinese message, never a traceback."""
    last = today()
    try:
        end_day = date.fromisoformat(end) if end else last
        start_day = date.fromisoformat(start) if start else end_day - timedelta(days=default_days - 1)
        site_id = int(site) if site else None
        return stats.Filters(start_day, end_day, site_id=site_id, department_code=department or None,
                             channel=channel or None)
    except ValueError as exc:
        raise HTTPException(400, f"筛选条件无效: {exc} (bad filter)") from None
