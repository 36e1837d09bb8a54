"""kiosk.rating: levels, reasons, records and the one-rating-per-visit rules (no UI)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.rating import (
    Case, Context, Level, RatingLedger, RatingRefused, RatingRules, ReasonList, ReasonListError,
    current_reason_list, install_reason_list, rating_time,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ledger(clock):
    context = Context("TEST-E-1", "110105", "12", "10123")
    return RatingLedger(context, current_reason_list(), RatingRules(min_interval_s=30, invite_timeout_s=60),
                        clock=clock, wall=lambda: dt.datetime(2026, 11, 23, 9, 5, 7))


CASE = Case("ZW202611230001", "居住证签注", "000105001", "11110105000105001000001", "张*")


def test_levels_bad_and_codes():
    assert [lv.label_zh for lv in Level] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [lv.is_bad for lv in Level] == [False, False, False, True, True]
    assert Level.VERY_SATISFIED.national_code() == 1 and Level.VERY_DISSATISFIED.national_code() == 5
    assert Level.VERY_SATISFIED.national_code(reverse=True) == 5


def test_rating_time_format():
    assert rating_time(dt.datetime(2026, 1, 2, 3, 4, 5)) == "20260102T030405"


def test_record_carries_gbt_39046_fields_and_no_applicant(ledger):
    stored = []
    record = ledger.rate(ledger.invite(CASE), Level.SATISFIED, stored.append)
    payload = record.payload()
    assert stored == [record]
    assert payload["case_no"] == "ZW202611230001" and payload["rated_at"] == "20261123T090507"
    assert payload["region_code"] == "110105" and payload["item_basic_code"] == "000105001"
    assert payload["item_impl_code"] == "11110105000105001000001" and payload["window"] == "12"
    assert payload["staff_no"] == "10123" and payload["channel"] == "evaluator" and payload["rating_count"] == 1
    assert payload["outcome"] == "rated" and payload["level"] == "satisfied" and not payload["consultation"]
    assert len(payload["id"]) == 36 and payload["id"] != payload["invitation_id"]
    assert "张" not in json.dumps(payload, ensure_ascii=False)


def test_bad_rating_needs_a_known_reason(ledger):
    invitation = ledger.invite(CASE)
    for reasons, key in [((), "reason_required"), (("nope",), "unknown_reason")]:
        with pytest.raises(RatingRefused) as refused:
            ledger.rate(invitation, Level.DISSATISFIED, lambda r: None, reasons)
        assert refused.value.reason == key
    with pytest.raises(RatingRefused, match="reasons_only_for_bad"):
        ledger.rate(invitation, Level.SATISFIED, lambda r: None, ("waiting",))
    with pytest.raises(RatingRefused, match="text_needs_other"):
        ledger.rate(invitation, Level.DISSATISFIED, lambda r: None, ("waiting",), "太慢")
    record = ledger.rate(invitation, Level.VERY_DISSATISFIED, lambda r: None, ("waiting", "other", "waiting"),
                         "证件号 110101199003071234 办了两次")
    assert record.reasons == ("waiting", "other") and record.reason_list_version == 1
    assert "110101199003071234" not in record.text and "1101**********1234" in record.text


def test_one_rating_per_case_and_interval_without_a_new_case(ledger, clock):
    ledger.rate(ledger.invite(CASE), Level.SATISFIED, lambda r: None)
    with pytest.raises(RatingRefused, match="already_rated"):
        ledger.invite(CASE)
    with pytest.raises(RatingRefused, match="too_soon"):
        ledger.invite(None)  # a consultation right after: repeated tapping
    clock.now += 31
    assert ledger.invite(None).consultation
    ledger.case_started(CASE.case_no)  # the rated case again does not lift the interval
    clock.now += 1
    ledger.rate(ledger.invite(None), Level.SATISFIED, lambda r: None)
    with pytest.raises(RatingRefused, match="too_soon"):
        ledger.invite(None)
    ledger.case_started("ZW202611230002")
    assert ledger.invite(Case("ZW202611230002")).case.case_no == "ZW202611230002"


def test_nothing_is_committed_when_persisting_fails(ledger):
    invitation = ledger.invite(CASE)

    def broken(_record):
        raise OSError("disk full")

    with pytest.raises(OSError):
        ledger.rate(invitation, Level.SATISFIED, broken)
    assert not ledger.is_rated(CASE.case_no)
    ledger.rate(invitation, Level.SATISFIED, lambda r: None)
    assert ledger.is_rated(CASE.case_no)


def test_not_rated_is_its_own_outcome_and_allows_a_new_invitation(ledger, clock):
    invitation = ledger.invite(CASE)
    clock.now += 60
    assert invitation.expired(clock.now)
    record = ledger.not_rated(invitation, lambda r: None)
    assert record.outcome == "not_rated" and record.level is None and record.payload()["bad"] is False
    assert not ledger.is_rated(CASE.case_no)
    ledger.invite(CASE)


def test_case_validation():
    with pytest.raises(ValueError):
        Case("")
    with pytest.raises(ValueError):
        Case("ZW1", basic_code="12345678901")  # 基本编码 up to 10
    with pytest.raises(ValueError):
        Case("ZW1", impl_code="1" * 25)  # 实施编码 up to 24


def test_pushed_reason_list_replaces_the_default_only_when_newer(tmp_path):
    default = current_reason_list(tmp_path)
    newer = {"version": default.version + 1, "reasons": [
        {"code": "slow", "zh_CN": "太慢", "en": "Too slow"},
        {"code": "other", "zh_CN": "其他", "en": "Other", "free_text": True}]}
    assert install_reason_list(tmp_path, newer).version == 2
    assert [r.code for r in current_reason_list(tmp_path).reasons] == ["slow", "other"]
    with pytest.raises(ReasonListError):
        install_reason_list(tmp_path, newer)  # same version again
    (tmp_path / "rating_reasons.json").write_text("{broken", encoding="utf-8")
    assert current_reason_list(tmp_path).version == default.version  # damaged file: default stays


@pytest.mark.parametrize("raw", [
    [], {"version": 0, "reasons": []}, {"version": 1, "reasons": [{"code": "a", "zh_CN": "甲", "en": "A"}]},
    {"version": 1, "reasons": [{"code": "Bad Code", "zh_CN": "甲", "en": "A", "free_text": True}]},
    {"version": True, "reasons": [{"code": "a", "zh_CN": "甲", "en": "A", "free_text": True}]},
])
def test_invalid_reason_lists_are_refused(raw):
    with pytest.raises(ReasonListError):
        ReasonList.from_dict(raw)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
                    max_leaves=20))
def test_reason_list_parser_never_crashes(raw):
    try:
        parsed = ReasonList.from_dict(raw)
    except ReasonListError:
        return
    assert sum(r.free_text for r in parsed.reasons) == 1


def test_rated_cases_survive_a_restart(tmp_path, clock):
    path = tmp_path / "rated_cases.json"
    first = RatingLedger(Context("TEST-E-1"), current_reason_list(), rated_file=path, clock=clock)
    first.rate(first.invite(CASE), Level.SATISFIED, lambda r: None)
    again = RatingLedger(Context("TEST-E-1"), current_reason_list(), rated_file=path, clock=clock)
    with pytest.raises(RatingRefused, match="already_rated"):
        again.invite(CASE)
    path.write_text("not json", encoding="utf-8")
    assert RatingLedger(Context("TEST-E-1"), current_reason_list(), rated_file=path).invite(CASE)
