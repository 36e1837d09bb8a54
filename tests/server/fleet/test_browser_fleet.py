"""The fleet-side pages in headless Chromium: staff calls, 实时可办率, device timeline, reports,
users and webhooks. Screenshots go to docs/screenshots/server_*.png for the README.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.fleet import data
from tests.server.helpers import prepared_database
from tests.server.live import serve
from tests.server.test_browser import SHOTS, _wait, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def fleet_url(tmp_path: Path) -> str:
    return prepared_database(tmp_path / "fleet.db", data.build, {"admin": "admin"})


def _sign_in(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/login")
    browser.find_element(By.ID, "username").send_keys("admin")
    browser.find_element(By.ID, "password").send_keys("correct-horse")
    browser.find_element(By.ID, "login-button").click()
    _wait(browser, By.CSS_SELECTOR, "section.hall h2")


def test_fleet_reports_users_webhooks(browser, fleet_url: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(fleet_url, notify_every_s="0") as base:
        _sign_in(browser, base)
        browser.set_window_size(1280, 1200)  # the report pages are long; show more of each
        calls = browser.find_element(By.ID, "staff-calls")
        assert "群众呼叫工作人员" in calls.text and "市民中心一体机 1" in calls.text
        summary = browser.find_element(By.ID, "fleet-workable").text
        assert "实时可办率" in summary and "目标 90%" in summary
        browser.save_screenshot(str(SHOTS / "server_fleet_calls.png"))

        browser.get(f"{base}/faults")
        browser.find_element(By.CSS_SELECTOR, "#staff-calls button").click()  # 前往 Ack
        assert "已响应呼叫" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        assert "已响应 · admin" in browser.find_element(By.ID, "staff-calls").text

        browser.get(f"{base}/devices/T-FAIL")
        timeline = _wait(browser, By.ID, "timeline").text
        assert "故障已确认" in timeline and "设备注册" in timeline
        assert browser.find_elements(By.CSS_SELECTOR, "#usage-chart svg rect")
        browser.execute_script("document.getElementById('usage-chart').scrollIntoView()")
        browser.save_screenshot(str(SHOTS / "server_device_timeline.png"))
        browser.get(f"{base}/devices/T-NOA4")
        assert "60.0%" in _wait(browser, By.ID, "device-workable").text  # 3 of 5 items need no A4 printer

        browser.get(f"{base}/reports/usage")
        low = _wait(browser, By.ID, "low-usage").text
        assert "西区一体机 1" in low and "建议迁移至" in low
        assert "东区一体机 1" in browser.find_element(By.ID, "high-failure").text
        assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        browser.save_screenshot(str(SHOTS / "server_reports_usage.png"))
        browser.execute_script("document.getElementById('low-usage').scrollIntoView()")
        browser.save_screenshot(str(SHOTS / "server_reports_rankings.png"))

        browser.get(f"{base}/reports/reliability")
        by_peripheral = _wait(browser, By.ID, "by-peripheral").text
        assert "身份证阅读器" in by_peripheral
        browser.save_screenshot(str(SHOTS / "server_reports_reliability.png"))

        browser.get(f"{base}/users")
        form = _wait(browser, By.ID, "new-user")
        form.find_element(By.NAME, "username").send_keys("zhangsan")
        form.find_element(By.NAME, "password").send_keys("a-long-password")
        form.find_element(By.CSS_SELECTOR, "button").click()
        assert "已创建用户 zhangsan" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        assert browser.find_element(By.ID, "user-zhangsan")
        browser.save_screenshot(str(SHOTS / "server_users.png"))

        browser.get(f"{base}/webhooks")
        form = _wait(browser, By.ID, "webhook-form")
        form.find_element(By.NAME, "name").send_keys("大厅值班群")
        form.find_element(By.NAME, "url").send_keys("http://127.0.0.1:9/cgi-bin/webhook/send?key=demo")
        form.find_element(By.CSS_SELECTOR, "select[name=format] option[value=wecom]").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert "已添加通知地址" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        assert "企业微信群机器人" in browser.find_element(By.ID, "webhooks").text
        browser.save_screenshot(str(SHOTS / "server_webhooks.png"))
