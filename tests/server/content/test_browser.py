"""The content pages in headless Chromium against a real ``kiosk-server run``; screenshots go to
``docs/screenshots/server_content_*.png``."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from server.content import generator
from server.context import AppContext
from server.db import make_engine
from server.demo import seed
from server.migrate import upgrade
from server.services import enrolment
from tests.server.conftest import make_settings
from tests.server.content.builders import DECLARABLE, application
from tests.server.helpers import add_user
from tests.server.live import serve
from tests.server.test_browser import SHOTS, _wait, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def content_url(tmp_path: Path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'content-browser.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    ctx = AppContext.build(make_settings(url))
    with ctx.transaction() as session:
        seed(session, devices_per_hall=2)  # the server under test runs with the development secret, as seed's default
        code = enrolment.issue_code(session, actor="test", ttl_hours=1).code
    add_user(ctx, "sup", "supervisor")
    ctx.engine.dispose()
    return url, code


def _sign_in(browser, base: str, target: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(f"{base}{target}")
    browser.find_element(By.ID, "username").send_keys("sup")
    browser.find_element(By.ID, "password").send_keys("correct-horse")
    browser.find_element(By.ID, "login-button").click()


def test_catalog_cases_and_applications(browser, content_url: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, code = content_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(url) as base:
        token = httpx.post(f"{base}/api/v1/devices/enrol", json={"code": code}).json()["token"]
        receipt = httpx.post(f"{base}/api/v1/applications", files=application(),
                             headers={"Authorization": f"Bearer {token}"})
        assert receipt.status_code == 201, receipt.text

        _sign_in(browser, base, "/content/catalog")
        _wait(browser, By.CSS_SELECTOR, "table.catalog")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.catalog tr[id^=item-]")
        assert len(rows) >= 30
        assert "社会保障卡申领" in browser.find_element(By.ID, f"item-{DECLARABLE}").text
        browser.save_screenshot(str(SHOTS / "server_content_catalog.png"))

        browser.find_element(By.LINK_TEXT, DECLARABLE).click()
        name = _wait(browser, By.ID, "name")
        name.clear()
        name.send_keys("社会保障卡申领（示例修改）")
        browser.save_screenshot(str(SHOTS / "server_content_item.png"))
        browser.find_element(By.ID, "save-button").click()
        WebDriverWait(browser, 15).until(lambda b: "已保存为草稿" in b.page_source)
        browser.get(f"{base}/content/catalog")
        assert _wait(browser, By.ID, "pending").text == "1"
        browser.find_element(By.ID, "publish-button").click()
        WebDriverWait(browser, 15).until(lambda b: "已发布目录版本" in b.page_source)
        assert browser.find_element(By.ID, "pending").text == "0"
        catalog = httpx.get(f"{base}/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}).json()
        assert any(i["name"] == "社会保障卡申领（示例修改）" for i in catalog["items"])

        browser.get(f"{base}/content/cases")
        _wait(browser, By.CSS_SELECTOR, "table.cases")
        assert len(browser.find_elements(By.CSS_SELECTOR, "table.cases tr[id^=case-]")) == 50
        browser.save_screenshot(str(SHOTS / "server_content_cases.png"))

        case_no = generator.DEMO_CASES[0][0]
        browser.get(f"{base}/content/cases/{case_no}")
        _wait(browser, By.ID, "advance-button").click()
        WebDriverWait(browser, 15).until(lambda b: "已推进到「出证」" in b.page_source)
        assert "t-resolved" in browser.find_element(By.ID, "step-issued").get_attribute("class")
        browser.save_screenshot(str(SHOTS / "server_content_case.png"))

        browser.get(f"{base}/content/applications")
        row = _wait(browser, By.CSS_SELECTOR, "table.applications tr[id^=application-]")
        assert receipt.json()["case_no"] in row.text and "居民身份证" in row.text
        browser.save_screenshot(str(SHOTS / "server_content_applications.png"))
