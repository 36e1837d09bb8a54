"""Sample 好差评 data (示例数据) for the demo and the dashboard screenshots.

Deterministic (a seeded random generator) so screenshots are stable: three sample departments,
window staff with fictitious names, 30 days of ratings across windows, channels and levels,
未评 records, bad ratings whose cases stand at every step (some overdue), one rating-QR window
and one pending and one upheld 恶意差评 claim. Running it twice adds nothing.
"""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import LOCAL
from server.models import Department, Site, Staff, utcnow
from server.models.ratings import Rating, RatingWindow
from server.ratings import claims, payload as wire, qr, rectification
from server.ratings.access import Actor
from server.ratings.intake import store

# The departments and items of the content demo (server/content/demo_catalog.py), so ratings,
# cases and the catalog of the demo tell one story; created here only when that seed has not run.
DEPARTMENTS = [("rsj", "人力资源和社会保障局"), ("gaj", "公安分局"), ("zrzyj", "自然资源和规划局")]
STAFF = [("D001", "王晓明", "rsj", "12"), ("D002", "李佳", "rsj", "13"), ("D003", "陈思远", "gaj", "3"),
         ("D004", "赵敏", "zrzyj", "7")]
ITEMS = [("000201001", "社会保障卡申领"), ("000201002", "个人参保证明打印"), ("000105001", "不动产登记信息查询"),
         ("000101001", "居民身份证换领")]
LEVELS = ["very_satisfied"] * 55 + ["satisfied"] * 25 + ["basically_satisfied"] * 8 + ["dissatisfied"] * 5 + \
    ["very_dissatisfied"] * 3 + [None] * 10
SUPERVISOR = Actor("示例监督员", "supervisor")


def seed_ratings(session: Session, today: date, days: int = 30) -> str:
    if session.scalar(select(Rating.id).where(Rating.staff_no == "D001").limit(1)) is not None:
        return "sample ratings already present"
    site = session.scalar(select(Site).where(Site.slug == "demo")) or session.scalar(select(Site).order_by(Site.id))
    if site is None:
        raise ValueError("no hall yet: run seed-demo (or migrate) first")
    for code, name in DEPARTMENTS:
        if session.get(Department, code) is None:
            session.add(Department(code=code, name=name))
    for staff_no, name, dept, _window in STAFF:
        if session.get(Staff, staff_no) is None:
            session.add(Staff(staff_no=staff_no, name=name, department_code=dept, site_id=site.id, title="窗口受理员（示例）"))
    session.flush()
    rng = random.Random(20261123)
    made = bad = 0
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        for _ in range(rng.randint(6, 12)):
            staff_no, _name, dept, window = rng.choice(STAFF)
            level = rng.choice(LEVELS)
            moment = datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=LOCAL)
            if moment > utcnow():
                continue  # seeded in the morning: no ratings from the future
            rating = _rating(session, site, level, moment, staff_no, dept, window, rng)
            made += 1
            if rating.case is not None:
                bad += 1
                _advance(session, rating, offset, rng)
    _claims(session)
    if session.scalar(select(RatingWindow.id).limit(1)) is None:
        qr.create_window(session, site.id, "20", "zrzyj", "cli")
    return f"sample ratings: {made} records, {bad} bad ratings (示例数据)"


def _rating(session: Session, site: Site, level: str | None, moment: datetime, staff_no: str, dept: str, window: str,
            rng: random.Random) -> Rating:
    bad = level in ("dissatisfied", "very_dissatisfied")
    basic, name = rng.choice(ITEMS)
    channel = rng.choice(["evaluator"] * 6 + ["terminal"] * 2 + ["qr"])
    record = wire.parse({
        "id": str(uuid.UUID(int=rng.getrandbits(128))), "outcome": "rated" if level else "not_rated", "level": level,
        "bad": bad, "reasons": rng.sample(["attitude", "waiting", "unclear", "slow", "errands"], 1) if bad else [],
        "text": "示例：等候时间较长" if bad and rng.random() < .5 else "", "rated_at": moment.strftime("%Y%m%dT%H%M%S"),
        "case_no": f"SL{moment:%Y%m%d}{rng.randint(1000, 9999)}", "item_name": name, "item_basic_code": basic,
        "channel": channel, "region_code": site.region_code[:9], "window": window, "staff_no": staff_no,
        "trigger": "applicant" if channel == "qr" else "window_system"})
    phone = f"139{rng.randint(10000000, 99999999)}" if bad and channel == "qr" else ""
    return store(session, record, site_id=site.id, department_code=dept, contact_phone=phone,
                 now=moment.astimezone(timezone.utc) + timedelta(minutes=1))


def _advance(session: Session, rating: Rating, age_days: int, rng: random.Random) -> None:
    """Older cases went further; a few are left late on purpose, to show the overdue alerts."""
    steps = ["visit", "start", "finish", "review"]
    reach = 4 if age_days > 12 else 3 if age_days > 7 else 1 if age_days > 2 else 0
    if rng.random() < 0.25:
        reach = max(0, reach - 2)
    assert rating.case is not None
    for action in steps[:reach]:
        rectification.transition(session, rating.case.id, action, SUPERVISOR, "示例处理说明",
                                 satisfied=rng.random() < .8 if action == "review" else None,
                                 now=rating.case.opened_at + timedelta(hours=4 * (steps.index(action) + 1)))


def _claims(session: Session) -> None:
    bad = list(session.scalars(select(Rating).where(Rating.bad.is_(True)).order_by(Rating.rated_at.desc()).limit(2)))
    if len(bad) < 2:
        return
    first = claims.claim(session, bad[0].id, Actor("示例部门", "department", bad[0].department_code),
                         "示例：该群众当天未在本窗口办理业务，有叫号记录为证")
    second = claims.claim(session, bad[1].id, Actor("示例部门", "department", bad[1].department_code),
                          "示例：评价人当场辱骂工作人员后连续差评，有录像")
    claims.decide(session, second.id, SUPERVISOR, True, "示例：录像属实，认定恶意差评")
    del first  # left pending, for the review page
