"""Identify, 办事指南 and 办件查询 driven through the real app with the simulators."""
from __future__ import annotations

import pytest

from tests.helpers.content_backend import CASE_NO
from tests.ui.terminal.steps import (
    assert_nothing_personal,
    button,
    events,
    identify_with_card,
    tap_text,
    type_keys,
    wait_idle,
    wait_screen,
)

pytestmark = pytest.mark.ui


def _home_tile(driver, key):
    tile = driver.app.manager.get_screen("home").tile(key)
    assert tile is not None and not tile.disabled, (key, tile and tile.reason)
    return tile


def _codes_in(png) -> list[str]:
    import cv2
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(cv2.imread(str(png)))]


def test_guide_browse_search_detail_print_and_rating(terminal, printer_sim, tmp_path):
    driver, backend = terminal()
    app = driver.app
    driver.tap(_home_tile(driver, "guide"))
    wait_screen(driver, "guide")
    wait_idle(driver)
    screen = driver.screen
    assert [w.text for w in reversed(screen.ids.results.children)] == ["社会保障卡申领", "个人参保证明打印"]
    tap_text(driver, "住房公积金管理中心")
    assert [w.text for w in screen.ids.results.children] == ["住房公积金提取"]
    tap_text(driver, "按主题")
    tap_text(driver, "出生")
    assert [w.text for w in screen.ids.results.children] == ["出生登记"]

    tap_text(driver, "拼音搜索")
    type_keys(driver, screen.ids.letters, "BZK")  # initials inside the name: 社会保(B)障(Z)卡(K)
    assert [w.text for w in screen.ids.results.children] == ["社会保障卡申领"]
    type_keys(driver, screen.ids.letters, "Q")
    assert "没有找到相关事项，请换个关键字" in driver.texts()
    driver.tap(screen.ids.letters.key("删除"))
    driver.tap(screen.item_button("社会保障卡申领"))

    wait_screen(driver, "guide_detail")
    body = driver.screen.body
    assert "受理条件" in body and "本市参保人员" in body and "居民身份证" in body and "5 个工作日" in body
    assert "B区 12-15号窗口" in body
    online = driver.screen.online_url
    assert online and _codes_in(driver.screenshot(tmp_path / "guide_detail.png")) == [online]  # it scans
    driver.tap(driver.screen.ids.print_button)
    wait_idle(driver)
    assert driver.wait_for(lambda: printer_sim.device.state.jobs, timeout=5)
    job = printer_sim.device.state.jobs[-1]
    assert any("办事指南" in line for line in job.text) and "https://zwfw.example.gov.cn/item/000201001" in job.qr_codes
    assert [e["document"] for e in events(app, "print_job")] == ["service_guide"]

    driver.tap(driver.screen.ids.done_button)
    wait_screen(driver, "terminal_rating")
    assert "评价内容：办事指南" in driver.texts()
    face = next(w for w in driver.find("Face", root=driver.screen) if w.level == "very_satisfied")
    driver.tap(face)
    assert driver.screen.mode == "thanks"
    rating = events(app, "rating")[-1]
    assert rating["outcome"] == "rated" and rating["level"] == "very_satisfied" and rating["channel"] == "terminal"
    assert rating["consultation"] is True
    wait_screen(driver, "home", timeout=8)


def test_my_cases_after_id_card_timeline_skip_rating_and_wipe(terminal, sam_sim):
    driver, backend = terminal()
    app = driver.app
    driver.tap(_home_tile(driver, "progress"))
    wait_screen(driver, "progress")
    driver.tap(driver.screen.ids.mine_tile)
    identify_with_card(driver, sam_sim)
    wait_screen(driver, "progress")
    wait_idle(driver)
    screen = driver.screen
    assert screen.mode == "list"
    assert {w.code for w in screen.ids.cases.children} == {CASE_NO, "GJ20261118000045"}
    assert backend.calls[-1] == ("cases_of", "1101**********" + sam_sim_number()[-4:])
    driver.tap(screen.case_button(CASE_NO))
    assert screen.mode == "case"
    steps = screen.ids.timeline.steps
    assert [(s.name, s.state) for s in steps] == [("收件", "done"), ("受理", "done"), ("审查", "current"),
                                                 ("出证", "todo"), ("寄递", "todo")]
    texts = " ".join(driver.texts())
    assert "中国邮政EMS 1190012345678" in texts and "11月20日\n09:31" in texts

    tap_text(driver, "完成")
    wait_screen(driver, "terminal_rating")
    tap_text(driver, "不评价，结束")
    wait_screen(driver, "home")
    not_rated = events(app, "rating")[-1]
    assert not_rated["outcome"] == "not_rated" and not_rated["level"] is None
    sam_sim.remove()
    assert_nothing_personal(app)


def sam_sim_number() -> str:
    from drivers.idcard.people import PEOPLE

    return PEOPLE["zhang"].id_number


def test_case_by_number_with_errors_and_retry(terminal):
    driver, backend = terminal()
    driver.tap(_home_tile(driver, "progress"))
    wait_screen(driver, "progress")
    screen = driver.screen
    driver.tap(screen.ids.number_tile)
    keypad = screen.ids.number
    type_keys(driver, keypad, "SB2026")
    driver.tap(screen.ids.query_button)
    assert screen.error == "未查询到该办件，请核对办件编号"
    type_keys(driver, keypad, "1120000123")
    backend.fail_next("case_by_number", "offline")
    driver.tap(screen.ids.query_button)
    wait_idle(driver)
    assert "网络连接中断，请稍后重试" in driver.texts()
    tap_text(driver, "重试")
    wait_idle(driver)
    assert screen.mode == "case" and screen.case.case_no == CASE_NO and not screen.error


def test_expired_card_is_refused_with_a_retry(terminal, sam_sim):
    driver, _backend = terminal()
    driver.tap(_home_tile(driver, "progress"))
    wait_screen(driver, "progress")
    driver.tap(driver.screen.ids.mine_tile)
    identify_with_card(driver, sam_sim, "expired")
    assert driver.wait_for(lambda: driver.screen.error, timeout=10)
    assert driver.screen.error == "证件已过期，请使用有效证件，或到窗口办理"
    assert driver.app.session.identity is None
    sam_sim.remove()
    tap_text(driver, "重试")
    sam_sim.place(__import__("drivers.idcard.people", fromlist=["PEOPLE"]).PEOPLE["zhang"])
    wait_screen(driver, "progress")
    assert driver.app.session.identity is not None
    tap_text(driver, "返回首页")
    wait_screen(driver, "home")
    assert_nothing_personal(driver.app)
