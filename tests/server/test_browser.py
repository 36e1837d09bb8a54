"""The dashboard in headless Chromium: sign in, fleet overview, device detail, fault queue.

Screenshots go to ``docs/screenshots/server_*.png`` so the README can show the real pages.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.demo import seed
from tests.server.helpers import prepared_database
from tests.server.live import REPO, serve


def _wait(browser, by: str, selector: str):
    """The element on the page a click has just loaded: a click returns before navigation ends."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait as Wait

    return Wait(browser, 15).until(expected_conditions.presence_of_element_located((by, selector)))

pytestmark = pytest.mark.browser
SHOTS = REPO / "docs" / "screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator["object"]:
    if not CHROMIUM or not DRIVER:
        pytest.skip("chromium and chromium-driver are not installed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1280,860", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return prepared_database(tmp_path / "browser.db", lambda session: seed(session, devices_per_hall=6),
                             {"tech": "technician"})


def test_login_and_fleet_pages(browser, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(demo_url) as base:
        browser.get(f"{base}/fleet")
        assert "/login" in browser.current_url  # not signed in yet
        browser.find_element(By.ID, "username").send_keys("tech")
        browser.find_element(By.ID, "password").send_keys("wrong-password")
        browser.find_element(By.ID, "login-button").click()
        assert "用户名或密码错误" in _wait(browser, By.ID, "login-error").text
        browser.find_element(By.ID, "username").clear()
        browser.find_element(By.ID, "username").send_keys("tech")
        browser.find_element(By.ID, "password").send_keys("correct-horse")
        browser.save_screenshot(str(SHOTS / "server_login.png"))
        browser.find_element(By.ID, "login-button").click()

        _wait(browser, By.CSS_SELECTOR, "section.hall h2")
        assert browser.current_url.endswith("/fleet")
        halls = browser.find_elements(By.CSS_SELECTOR, "section.hall h2")
        assert any("演示区政务服务中心" in h.text for h in halls)
        statuses = {t.get_attribute("data-status") for t in browser.find_elements(By.CSS_SELECTOR, "a.tile")}
        assert {"ok", "fault", "offline"} <= statuses
        browser.save_screenshot(str(SHOTS / "server_fleet.png"))

        browser.find_element(By.CSS_SELECTOR, 'a.tile[data-status="fault"]').click()
        WebDriverWait(browser, 15).until(lambda b: "缺纸" in b.page_source)
        assert "缺纸" in browser.page_source
        browser.save_screenshot(str(SHOTS / "server_device.png"))

        browser.get(f"{base}/faults")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.faults tr[id^=fault-]")
        assert len(rows) >= 2
        rows[0].find_element(By.XPATH, ".//button[contains(., '确认')]").click()
        assert "已确认" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        browser.save_screenshot(str(SHOTS / "server_faults.png"))
