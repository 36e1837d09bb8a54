"""The 好差评 dashboard pages and the public rating-QR page through the real app (TestClient)."""
from __future__ import annotations

import logging
import re

from sqlalchemy import select

from server.models import AuditEntry, Event, User
from server.models.ratings import DepartmentMember, MaliciousClaim, Rating, RatingWindow, RectificationCase
from server.ratings import qr
from tests.server.helpers import add_user, csrf_of, login
from tests.server.ratings.builders import add_rating, org

PHONE = "13912345678"


def _setup(ctx) -> dict:  # type: ignore[no-untyped-def]
    for name, role in (("adm", "admin"), ("sup", "supervisor"), ("rsj1", "department"), ("gaj1", "department"),
                       ("v", "viewer"), ("t", "technician")):
        add_user(ctx, name, role)
    with ctx.transaction() as session:
        site = org(session)
        for name, dept in (("rsj1", "rsj"), ("gaj1", "gaj")):
            uid = session.scalar(select(User.id).where(User.username == name))
            session.add(DepartmentMember(user_id=uid, department_code=dept))
        window = qr.create_window(session, site.id, "12", "rsj", "test")
        return {"token": window.token, "window_id": window.id, "site_id": site.id}


def _as(client, name: str):  # type: ignore[no-untyped-def]
    client.cookies.clear()
    assert login(client, name).status_code == 303
    return client


def _rate(client, token: str, **form: object):  # type: ignore[no-untyped-def]
    page = client.get(f"/rate/{token}")
    assert page.status_code == 200
    data = {"csrf": csrf_of(page.text), "case_no": "BJ2026-0001", "level": "very_satisfied", "text": "", "phone": ""}
    data.update(form)  # type: ignore[arg-type]
    return client.post(f"/rate/{token}", data=data)


def test_qr_page_rates_once_per_case_and_needs_a_reason_for_bad(client, ctx, caplog) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(ctx)
    caplog.set_level(logging.DEBUG)
    assert client.get("/rate/not-a-token").status_code == 404
    refused = _rate(client, ids["token"], level="very_dissatisfied", case_no="BJ2026-0002")
    assert refused.status_code == 422 and "至少选择一项原因" in refused.text
    bad_phone = _rate(client, ids["token"], level="dissatisfied", reasons=["waiting"], phone="12345")
    assert bad_phone.status_code == 422 and "联系电话格式不正确" in bad_phone.text
    done = _rate(client, ids["token"], level="dissatisfied", reasons=["waiting", "other"], text="等了很久",
                 phone=PHONE, case_no="BJ2026-0002")
    assert done.status_code == 200 and "感谢您的评价" in done.text
    again = _rate(client, ids["token"], level="very_satisfied", case_no="BJ2026-0002")
    assert again.status_code == 409 and "已经评价过了" in again.text
    with ctx.reading() as session:
        rating = session.scalar(select(Rating))
        assert (rating.channel, rating.trigger, rating.window, rating.department_code, rating.site_id) == (
            "qr", "applicant", "12", "rsj", ids["site_id"])
        assert rating.contact_phone == PHONE and rating.case is not None
        audit_text = " ".join(str(e.detail) + e.target for e in session.scalars(select(AuditEntry)))
    assert PHONE not in audit_text and PHONE not in caplog.text  # never logged


def test_contact_shown_only_to_allowed_roles(client, ctx) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(ctx)
    _rate(client, ids["token"], level="very_dissatisfied", reasons=["attitude"], phone=PHONE)
    with ctx.reading() as session:
        case_id = session.scalar(select(RectificationCase.id))
    for name, clear in (("adm", True), ("sup", True), ("rsj1", True), ("gaj1", False), ("v", False), ("t", False)):
        page = _as(client, name).get(f"/ratings/cases/{case_id}")
        if name == "gaj1":  # another department's user does not see the case at all
            assert page.status_code == 404
            continue
        assert page.status_code == 200
        contact = re.search(r'<dd id="contact">(.*?)</dd>', page.text, re.S).group(1)
        assert (PHONE in contact) is clear, name
        if not clear:
            assert "139****5678" in contact


def test_transitions_through_the_pages_with_roles(client, ctx) -> None:  # type: ignore[no-untyped-def]
    _setup(ctx)
    with ctx.transaction() as session:
        case_id = add_rating(session, "dissatisfied").case.id
    url = f"/ratings/cases/{case_id}"
    page = _as(client, "v").get(url)
    assert 'id="step-form"' not in page.text  # a viewer gets no forms
    assert client.post(f"{url}/visit", data={"csrf": csrf_of(page.text), "note": "x"}).status_code == 403
    assert _as(client, "gaj1").get(url).status_code == 404  # another department's case is not shown
    page = client.get("/ratings/cases")
    assert client.post(f"{url}/visit", data={"csrf": csrf_of(page.text), "note": "x"}).status_code == 403
    page = _as(client, "rsj1").get(url)
    assert client.post(f"{url}/visit", data={"csrf": "wrong", "note": "x"}).status_code == 403  # CSRF
    for action in ("visit", "start", "finish"):
        answer = client.post(f"{url}/{action}", data={"csrf": csrf_of(page.text), "note": f"{action} 说明"},
                             follow_redirects=True)
        assert "已保存" in answer.text
    assert client.post(f"{url}/review", data={"csrf": csrf_of(page.text), "note": "x", "satisfied": "yes"}).status_code == 403
    page = _as(client, "sup").get(url)
    answer = client.post(f"{url}/review", data={"csrf": csrf_of(page.text), "note": "回访确认满意", "satisfied": "yes"},
                         follow_redirects=True)
    assert "已复核" in answer.text
    with ctx.reading() as session:
        case = session.get(RectificationCase, case_id)
        assert (case.state, case.review_satisfied) == ("reviewed", True)


def test_claim_and_decision_through_the_pages(client, ctx) -> None:  # type: ignore[no-untyped-def]
    _setup(ctx)
    with ctx.transaction() as session:
        rating_id = add_rating(session, "very_dissatisfied").id
    page = _as(client, "rsj1").get("/ratings/claims")
    answer = client.post(f"/ratings/{rating_id}/claim", data={"csrf": csrf_of(page.text), "evidence": "录像显示无业务办理"},
                         files={"file": ("截图.png", b"\x89PNG\r\n\x1a\n", "image/png")}, follow_redirects=True)
    assert "已提交恶意差评申诉" in answer.text
    with ctx.reading() as session:
        claim_id = session.scalar(select(MaliciousClaim.id))
    assert client.get(f"/ratings/claims/{claim_id}/evidence").content == b"\x89PNG\r\n\x1a\n"
    assert _as(client, "gaj1").get(f"/ratings/claims/{claim_id}/evidence").status_code == 403
    page = _as(client, "sup").get("/ratings/claims")
    assert "录像显示无业务办理" in page.text
    answer = client.post(f"/ratings/claims/{claim_id}/decide", data={"csrf": csrf_of(page.text), "decision": "uphold",
                                                                     "note": "属实"}, follow_redirects=True)
    assert "不再计入统计" in answer.text
    stats_page = client.get("/ratings?start=2026-11-23&end=2026-11-23")
    assert re.search(r'<div><b>0</b>差评数</div>', stats_page.text)


def test_stats_export_windows_and_settings_pages(client, ctx) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(ctx)
    with ctx.transaction() as session:
        add_rating(session, "very_satisfied")
        add_rating(session, "dissatisfied")
        add_rating(session, None)
    page = _as(client, "v").get("/ratings?start=2026-11-23&end=2026-11-23&dimension=department")
    assert page.status_code == 200
    assert '<div data-rate="good_rate"><b>50.0%</b>好评率</div>' in page.text
    assert '<div data-rate="unrated_rate"><b>33.3%</b>未评率</div>' in page.text
    assert "指标口径" in page.text and "<svg" in page.text
    assert client.get("/ratings?start=2026-13-01").status_code == 400
    csv_answer = client.get("/ratings/export.csv?start=2026-11-23&end=2026-11-23&profile=reversed")
    assert csv_answer.status_code == 200 and csv_answer.text.count("\r\n") == 3  # heading + 2 rated
    json_answer = client.get("/ratings/export.json?start=2026-11-23&end=2026-11-23")
    assert sorted(r["satisfaction"] for r in json_answer.json()["records"]) == [1, 4]
    assert client.post("/ratings/push", data={"csrf": csrf_of(page.text)}).status_code == 403  # viewer
    windows = client.get("/ratings/windows")
    assert f"/rate/{ids['token']}" in windows.text and "<svg" in windows.text
    assert client.get(f"/ratings/windows/{ids['window_id']}/qr.png").content.startswith(b"\x89PNG")
    assert client.get("/ratings/settings").status_code == 403
    page = _as(client, "adm").get("/ratings/settings")
    answer = client.post("/ratings/holidays", data={"csrf": csrf_of(page.text), "days": "2027-02-06 班\n2027-02-08 休 春节"},
                         follow_redirects=True)
    assert "已保存 2 天" in answer.text and "调休上班" in answer.text
    bad = client.post("/ratings/holidays", data={"csrf": csrf_of(page.text), "days": "2027-02-30 休"}, follow_redirects=True)
    assert "第 1 行" in bad.text
    with ctx.reading() as session:
        assert session.scalar(select(RatingWindow.window)) == "12"
        assert session.scalar(select(Event.id)) is None


def test_qr_page_limits_bursts_from_one_address(client, ctx) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(ctx)
    codes = [_rate(client, ids["token"], case_no=f"BJ-{n}").status_code for n in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_department_users_see_and_act_on_their_own_cases_only(client, ctx) -> None:  # type: ignore[no-untyped-def]
    _setup(ctx)
    with ctx.transaction() as session:
        ours = add_rating(session, "dissatisfied", department="rsj").case.id
        theirs = add_rating(session, "dissatisfied", department="gaj").case.id
    queue = _as(client, "rsj1").get("/ratings/cases")
    assert f'id="case-{ours}"' in queue.text and f'id="case-{theirs}"' not in queue.text
    everything = _as(client, "sup").get("/ratings/cases")
    assert f'id="case-{ours}"' in everything.text and f'id="case-{theirs}"' in everything.text
