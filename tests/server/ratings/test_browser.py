"""The 好差评 pages in headless Chromium against a real ``kiosk-server`` process, with screenshots.

Screenshots: ``docs/screenshots/server_ratings_*.png``. The push goes to a real local HTTP
upstream that fails once and then answers.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.context import AppContext
from server.demo import seed
from server.models import User
from server.models.ratings import DepartmentMember, PushLog, RatingWindow
from server.dashboard.ratings.common import today
from server.ratings.sample import seed_ratings
from tests.server.conftest import make_settings
from tests.server.helpers import prepared_database
from tests.server.live import serve
from tests.server.ratings.fake_upstream import upstream
from tests.server.test_browser import SHOTS, _wait, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def ratings_url(tmp_path: Path) -> str:
    def fill(session: Session) -> None:
        seed(session, devices_per_hall=2)
        seed_ratings(session, today())  # the server's today: the default range shows it

    url = prepared_database(tmp_path / "ratings.db", fill, {"sup": "supervisor", "rsj": "department"})
    ctx = AppContext.build(make_settings(url))
    with ctx.transaction() as session:
        uid = session.scalar(select(User.id).where(User.username == "rsj"))
        session.add(DepartmentMember(user_id=uid, department_code="rsj"))
    ctx.engine.dispose()
    return url


def _login(browser, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{base}/login?next=/ratings")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys("correct-horse")
    browser.find_element(By.ID, "login-button").click()
    _wait(browser, By.ID, "totals")


def test_ratings_pages_in_chromium(browser, ratings_url: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    SHOTS.mkdir(parents=True, exist_ok=True)
    with upstream() as fake, serve(ratings_url, ratings_push_url=fake.url, ratings_push_backoff_s="0") as base:
        fake.fail_first = 1
        _login(browser, base, "sup")
        assert "好评率" in browser.find_element(By.ID, "totals").text
        overdue = int(browser.find_element(By.CSS_SELECTOR, "#overdue-count b").text)
        assert overdue > 0  # the sample leaves some cases late
        assert len(browser.find_elements(By.CSS_SELECTOR, ".charts svg")) == 3
        browser.save_screenshot(str(SHOTS / "server_ratings_stats.png"))
        browser.execute_script("document.getElementById('trend').scrollIntoView()")
        browser.save_screenshot(str(SHOTS / "server_ratings_trend.png"))

        Select(browser.find_element(By.ID, "dimension")).select_by_value("window")
        browser.find_element(By.ID, "apply").click()
        _wait(browser, By.XPATH, "//table[@id='stats-table']//td[contains(., '号窗口')]")

        browser.get(f"{base}/ratings/cases?show=overdue")
        late_rows = browser.find_elements(By.CSS_SELECTOR, "#cases tr.late")
        assert len(late_rows) == overdue
        browser.save_screenshot(str(SHOTS / "server_ratings_cases.png"))
        late_rows[0].find_element(By.TAG_NAME, "a").click()
        form = _wait(browser, By.ID, "step-form")
        form.find_element(By.TAG_NAME, "textarea").send_keys("已电话联系群众，说明情况")
        if form.find_elements(By.CSS_SELECTOR, "input[type=radio]"):
            form.find_element(By.CSS_SELECTOR, "input[value=yes]").click()
        browser.find_element(By.ID, "step-button").click()
        assert "已保存" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        browser.save_screenshot(str(SHOTS / "server_ratings_case.png"))

        browser.get(f"{base}/ratings/claims")
        rows = browser.find_elements(By.CSS_SELECTOR, "#claims tr[id^=claim-]")
        assert len(rows) == 1  # the pending sample claim
        browser.save_screenshot(str(SHOTS / "server_ratings_claims.png"))
        rows[0].find_element(By.NAME, "note").send_keys("证据不足")
        rows[0].find_element(By.XPATH, ".//button[@value='reject']").click()
        assert "已驳回" in _wait(browser, By.CSS_SELECTOR, "p.flash").text

        browser.get(f"{base}/ratings/export")
        browser.find_element(By.ID, "push-button").click()
        assert "已推送" in _wait(browser, By.CSS_SELECTOR, "p.flash").text
        assert fake.requests == 2 and fake.records  # one 503, then accepted
        assert "成功" in browser.find_element(By.ID, "push-log").text
        browser.save_screenshot(str(SHOTS / "server_ratings_export.png"))

        browser.get(f"{base}/ratings/windows")
        card = _wait(browser, By.CSS_SELECTOR, ".qrcard")
        rate_url = card.get_attribute("data-url")
        browser.save_screenshot(str(SHOTS / "server_ratings_windows.png"))

        browser.delete_all_cookies()  # the applicant is not signed in
        browser.set_window_size(420, 900)
        browser.get(rate_url)
        browser.find_element(By.ID, "case_no").send_keys("SL202611230001")
        browser.find_element(By.CSS_SELECTOR, "input[value=very_dissatisfied]").click()
        reasons = browser.find_element(By.ID, "reasons-box")
        assert reasons.is_displayed()  # shown once a bad level is picked
        browser.find_element(By.CSS_SELECTOR, "input[name=reasons][value=waiting]").click()
        browser.find_element(By.NAME, "phone").send_keys("13912345678")
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(str(SHOTS / "server_ratings_rate.png"))
        browser.find_element(By.ID, "rate-submit").click()
        assert "感谢您的评价" in _wait(browser, By.ID, "rate-done").text
        browser.get(rate_url)
        browser.find_element(By.ID, "case_no").send_keys("SL202611230001")
        browser.find_element(By.CSS_SELECTOR, "input[value=satisfied]").click()
        browser.find_element(By.ID, "rate-submit").click()
        assert "已经评价过了" in _wait(browser, By.ID, "rate-error").text
        browser.set_window_size(1280, 860)

    ctx = AppContext.build(make_settings(ratings_url))
    with ctx.reading() as session:
        assert session.scalar(select(PushLog.status).order_by(PushLog.id.desc())) == "ok"
        assert session.scalar(select(RatingWindow.id)) is not None
    ctx.engine.dispose()
