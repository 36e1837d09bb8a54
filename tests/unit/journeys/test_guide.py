"""办事指南 search and browse over the 示例 catalog."""
from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kiosk.journeys import guide
from kiosk.journeys.sample_backend import CATALOG


def names(items):
    return [i.name for i in items]


def test_initials_prefix_first_then_inside():
    assert names(guide.search(CATALOG.items, "SHBZ")) == ["社会保障卡申领"]
    assert names(guide.search(CATALOG.items, "bzk")) == ["社会保障卡申领"]  # inside the name, any case
    assert names(guide.search(CATALOG.items, "G")) == ["个人参保证明打印", "住房公积金提取"]  # prefix, then inside
    assert guide.search(CATALOG.items, "XYZ") == []


def test_empty_query_lists_everything():
    assert guide.search(CATALOG.items, "") == list(CATALOG.items)
    assert guide.search(CATALOG.items, "1-2 ") == list(CATALOG.items)  # nothing the keypad could type


@given(st.text(max_size=40))
def test_any_query_is_safe_and_a_subset(query):
    found = guide.search(CATALOG.items, query)
    assert all(item in CATALOG.items for item in found)
    assert len(guide.normalise_query(query)) <= guide.MAX_QUERY


def test_groups_by_department_and_life_event():
    departments = {g.code: names(g.items) for g in guide.by_department(CATALOG)}
    assert departments["gjj"] == ["住房公积金提取"]
    themes = {g.code: names(g.items) for g in guide.by_theme(CATALOG)}
    assert themes["retirement"] == ["个人参保证明打印", "住房公积金提取"]
    assert names(guide.items_for(CATALOG, "declare")) == ["社会保障卡申领"]


def test_guide_receipt_has_what_the_print_needs():
    item = CATALOG.items[0]
    receipt = guide.guide_receipt(item, dt.datetime(2026, 11, 23, 10, 5))
    assert receipt.time_limit_days == 5 and receipt.item_code == "000201001"
    assert receipt.materials == ["居民身份证", "近期免冠证件照"]
    assert receipt.steps == ["市民中心二楼社保专区 B区 12-15号窗口"]
