"""GB/T 39046 export in both code orders, CSV, and the push against a real HTTP upstream that fails and recovers."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import select

from server.clock import LOCAL
from server.context import AppContext
from server.models.ratings import PushLog, RatingLevel
from server.ratings import claims, export, push
from server.ratings.access import Actor
from tests.server.conftest import make_settings
from tests.server.ratings.builders import add_rating, org
from tests.server.ratings.fake_upstream import upstream

NATIONAL, REVERSED = export.PROFILES["national"], export.PROFILES["reversed"]


@pytest.mark.parametrize(("level", "national", "reversed_"), [
    (RatingLevel.VERY_SATISFIED, 1, 5), (RatingLevel.SATISFIED, 2, 4), (RatingLevel.BASICALLY_SATISFIED, 3, 3),
    (RatingLevel.DISSATISFIED, 4, 2), (RatingLevel.VERY_DISSATISFIED, 5, 1)])
def test_level_codes_in_both_orders(level: RatingLevel, national: int, reversed_: int) -> None:
    assert NATIONAL.level_code(level) == national
    assert REVERSED.level_code(level) == reversed_


def test_channel_codes_per_profile() -> None:
    assert [NATIONAL.channel_code(c) for c in ("pc", "mobile", "qr", "evaluator", "terminal", "fax")] == [
        "1", "2", "3", "4", "5", "9"]
    assert [REVERSED.channel_code(c) for c in ("qr", "evaluator", "terminal", "fax")] == ["03", "05", "06", "99"]
    with pytest.raises(ValueError):
        export.profile("atlantis")


def test_export_record_json_and_csv(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        site = org(session)
        site.region_code = "110105001001"  # a 12-digit village code: 行政区划 keeps 9 digits
        bad = add_rating(session, "very_dissatisfied", site_id=site.id, region_code="", reasons=["waiting", "other"],
                         text="排队两小时", case_no="BJ2026112300001", channel="qr",
                         at=datetime(2026, 11, 23, 9, 30, 5, tzinfo=LOCAL))
        add_rating(session, None)  # 未评: not exported
        bad.contact_phone = "13800001234"
    with ctx.reading() as session:
        rows = export.records(session, export.select_range(session, date(2026, 11, 23), date(2026, 11, 23)), REVERSED)
    assert rows == [{
        "recordId": bad.id, "projectNo": "BJ2026112300001", "taskCode": "0002010010",
        "taskImplCode": "11010500020101000001", "taskName": "社会保障卡申领", "channel": "03", "rater": "",
        "assessTime": "20261123T093005", "assessNumber": 1, "satisfaction": 1, "satisfactionName": "非常不满意",
        "reasons": "等候时间过长、其他", "writingEvaluation": "排队两小时", "areaCode": "110105001", "deptCode": "rsj",
        "windowNo": "12", "valid": 1}]
    text = export.to_csv(rows)
    assert text.startswith("\ufeff评价编号,办件编号")
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0]["满意度代码"] == "1" and parsed[0]["评价渠道"] == "03"
    assert "13800001234" not in text  # the rater's phone never leaves the server


def _push_ctx(database_url: str, url: str) -> AppContext:
    return AppContext.build(make_settings(database_url, ratings_push_url=url, ratings_push_token="tok-123",
                                          ratings_push_attempts=3, ratings_push_backoff_s=0.01,
                                          ratings_push_batch=2))


def test_push_retries_logs_and_sends_each_state_once(database_url: str, ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        org(session)
        ids = [add_rating(session, level).id for level in ("satisfied", "very_dissatisfied", "very_satisfied")]
        add_rating(session, None)  # 未评 is never pushed
    with upstream() as fake:
        pctx = _push_ctx(database_url, fake.url)
        try:
            fake.fail_first = 5  # more failures than attempts: the first run gives up
            first = push.run(pctx, sleep=lambda _s: None)
            assert [(log.status, log.attempts, log.http_status) for log in first] == [("failed", 3, 503)]
            assert fake.bodies == []

            # the upstream recovers after two more failures: retried within one run, batches of 2
            fake.fail_first = fake.requests + 2
            second = push.run(pctx, sleep=lambda _s: None)
            assert [(log.status, log.attempts, log.records) for log in second] == [("ok", 3, 2), ("ok", 1, 1)]
            assert sorted(r["recordId"] for r in fake.records) == sorted(ids)
            assert fake.auth == ["Bearer tok-123", "Bearer tok-123"]

            assert push.run(pctx, sleep=lambda _s: None) == []  # nothing new: nothing sent again

            with pctx.transaction() as session:  # a malicious claim upheld: the record changed
                claim = claims.claim(session, ids[1], Actor("sup", "supervisor"), "恶意差评，有录像")
                claims.decide(session, claim.id, Actor("sup2", "admin"), True, "属实")
            third = push.run(pctx, sleep=lambda _s: None)
            assert [(log.status, log.records) for log in third] == [("ok", 1)]
            assert fake.records[-1]["recordId"] == ids[1] and fake.records[-1]["valid"] == 0

            with pctx.reading() as session:
                logs = session.scalars(select(PushLog).order_by(PushLog.id)).all()
            assert [log.status for log in logs] == ["failed", "ok", "ok", "ok"]
            assert logs[0].sent["records"][0]["recordId"] == logs[1].sent["records"][0]["recordId"]
            assert "busy" in logs[0].answer and "成功" in logs[1].answer
        finally:
            pctx.engine.dispose()


def test_push_survives_dropped_connections_and_refuses_without_url(database_url: str, ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.transaction() as session:
        org(session)
        add_rating(session, "satisfied")
    with upstream() as fake:
        fake.fail_first, fake.drop = 1, True
        pctx = _push_ctx(database_url, fake.url)
        try:
            logs = push.run(pctx, sleep=lambda _s: None)
        finally:
            pctx.engine.dispose()
    assert [(log.status, log.attempts) for log in logs] == [("ok", 2)]
    with pytest.raises(ValueError, match="ratings_push_url"):
        push.run(ctx)
