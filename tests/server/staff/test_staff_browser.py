"""The staff page in headless Chromium, with the demo staff; screenshot docs/screenshots/server_staff.png."""
from __future__ import annotations

from pathlib import Path

import pytest

from server.demo import seed
from tests.server.helpers import prepared_database
from tests.server.live import serve
from tests.server.test_browser import SHOTS, _wait, browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_staff_page_shows_demo_staff_with_photos(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By

    url = prepared_database(tmp_path / "staff.db", lambda session: seed(session, devices_per_hall=2),
                            {"super": "supervisor"})
    with serve(url) as base:
        browser.get(f"{base}/staff")
        browser.find_element(By.ID, "username").send_keys("super")
        browser.find_element(By.ID, "password").send_keys("correct-horse")
        browser.find_element(By.ID, "login-button").click()
        table = _wait(browser, By.ID, "staff")
        assert "李明（示例）" in table.text and "已设置" in table.text
        thumbs = browser.find_elements(By.CSS_SELECTOR, "img.thumb")
        assert len(thumbs) == 3
        assert all(browser.execute_script("return arguments[0].naturalWidth", t) == 360 for t in thumbs)
        browser.find_element(By.NAME, "staff_no").send_keys("20002")
        browser.find_element(By.CSS_SELECTOR, "#new-staff input[name=name]").send_keys("周敏（示例）")
        browser.find_element(By.CSS_SELECTOR, "#new-staff button").click()
        assert "已添加工号 20002" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        browser.get(f"{base}/staff")
        _wait(browser, By.ID, "staff-20002")
        SHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SHOTS / "server_staff.png"))
