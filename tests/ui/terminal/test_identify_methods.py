"""Identify by social-security card (pcscd + vpcd) and by identity QR code (serial scanner on a pty),
with each failure's message and 重试; the identity stays in memory, masked in logs, and is wiped."""
from __future__ import annotations

import logging

import pytest

from drivers.idcard.people import PEOPLE
from kiosk.journeys.sample_backend import DEMO_APP_TOKEN, DEMO_EXPIRED_TOKEN, DEMO_LICENCE_TOKEN
from tests.fixtures.pcsc import _wait_until_empty
from tests.ui.terminal.steps import assert_nothing_personal, tap_text, wait_screen

pytestmark = pytest.mark.ui
SSCARD = {"sscard": {"reader": "Virtual PCD 00 00", "poll_interval_s": 0.1}}


def _to_identify(driver) -> None:
    """办件查询 → 查询我的办件: nobody is identified yet, so the Identify screen opens."""
    home = driver.app.manager.get_screen("home")
    driver.tap(home.tile("progress"))
    wait_screen(driver, "progress")
    driver.tap(driver.screen.ids.mine_tile)
    wait_screen(driver, "identify")


def _error(driver, timeout: float = 15) -> str:
    assert driver.wait_for(lambda: driver.screen.error, timeout=timeout), driver.texts()
    return driver.screen.error


def _no_full_number_logged(caplog, person: str) -> None:
    card = PEOPLE[person]
    assert card.id_number not in caplog.text and card.name not in caplog.text


def scanner_ready(screen) -> None:
    """The screen's hand scanner has its port open (a code sent before that is lost, as on a real port)."""
    reader = screen._codes._readers["scanner"]
    assert reader.wait_health(lambda health: health.state.value == "ok", timeout=5).state.value == "ok"


def _scanner(serial_scanner_sim) -> dict:
    return {"scanner": {"port": serial_scanner_sim.path, "reconnect_s": 0.2}}


@pytest.mark.pcsc
def test_social_security_card_identifies_and_is_wiped(terminal, vpcd_card, sam_sim, serial_scanner_sim, caplog):
    from drivers.smartcard.simulator import SocialSecurityCard

    caplog.set_level(logging.INFO)
    driver, backend = terminal(devices={**SSCARD, **_scanner(serial_scanner_sim)})
    app = driver.app
    _to_identify(driver)
    screen = driver.screen
    assert screen.heading_text == "请放置身份证、社保卡或出示二维码"
    assert screen.has_cards and screen.has_qr
    assert "社保卡：芯片朝上插入读卡口" in screen.status
    vpcd_card(SocialSecurityCard(PEOPLE["zhang"]))
    wait_screen(driver, "progress", timeout=20)
    identity = app.session.identity
    assert identity.source == "sscard" and identity.id_number == PEOPLE["zhang"].id_number
    assert "1101**********" in repr(identity) and PEOPLE["zhang"].id_number not in repr(identity)
    assert driver.wait_for(lambda: ("cases_of", "1101**********" + PEOPLE["zhang"].id_number[-4:]) in backend.calls,
                           timeout=10)
    tap_text(driver, "返回首页")
    wait_screen(driver, "home")
    assert_nothing_personal(app)
    _no_full_number_logged(caplog, "zhang")


@pytest.mark.pcsc
def test_expired_social_security_card_then_retry(terminal, vpcd_card):
    from drivers.smartcard.simulator import SocialSecurityCard

    driver, _backend = terminal(devices=SSCARD)
    _to_identify(driver)
    assert driver.screen.heading_text == "请放置身份证或社保卡" and not driver.screen.has_qr
    card = vpcd_card(SocialSecurityCard(PEOPLE["expired"]))
    assert _error(driver) == "证件已过期，请使用有效证件，或到窗口办理"
    assert driver.app.session.identity is None
    card.remove()
    _wait_until_empty([card.port])  # the citizen takes the card out, then taps 重试
    tap_text(driver, "重试")
    assert driver.screen.error == ""
    vpcd_card(SocialSecurityCard(PEOPLE["ouyang"]))
    wait_screen(driver, "progress", timeout=20)
    assert driver.app.session.identity.source == "sscard"


@pytest.mark.pcsc
def test_card_pulled_mid_read_is_not_admitted_and_the_next_insert_works(terminal, vpcd_card):
    from drivers.smartcard.simulator import CardFaults, SocialSecurityCard

    driver, _backend = terminal(devices=SSCARD)
    _to_identify(driver)
    pulled = vpcd_card(SocialSecurityCard(PEOPLE["zhang"], faults=CardFaults(pull_after=4)))
    # the card left during an APDU: pcscd says "removed" or the exchange fails; either way a clear message
    assert _error(driver) in ("读卡时社保卡被拔出，请重新插入并保持不动，然后点击重试",
                              "社保卡读取失败，请将芯片朝上重新插好，然后点击重试")
    assert driver.app.session.identity is None and driver.app.manager.current == "identify"
    pulled.remove()
    _wait_until_empty([pulled.port])
    tap_text(driver, "重试")
    vpcd_card(SocialSecurityCard(PEOPLE["zhang"]))
    wait_screen(driver, "progress", timeout=20)
    assert driver.app.session.identity.id_number == PEOPLE["zhang"].id_number


@pytest.mark.pcsc
def test_wrong_kind_of_card_says_so(terminal, vpcd_card):
    from drivers.smartcard.simulator import CardFaults, SocialSecurityCard

    driver, _backend = terminal(devices=SSCARD)
    _to_identify(driver)
    vpcd_card(SocialSecurityCard(PEOPLE["zhang"], faults=CardFaults(wrong_aid=True)))
    assert _error(driver) == "这张卡不是社会保障卡，请插入社保卡或改用身份证"
    assert driver.app.session.identity is None


def test_e_licence_code_identifies_the_demo_person(terminal, serial_scanner_sim, caplog):
    caplog.set_level(logging.INFO)
    driver, backend = terminal(devices=_scanner(serial_scanner_sim))
    app = driver.app
    _to_identify(driver)
    assert driver.screen.heading_text == "请放置身份证或出示二维码"  # the SAM reader and the scanner
    scanner_ready(driver.screen)
    serial_scanner_sim.send(f"DZZZ:{DEMO_LICENCE_TOKEN}".encode())
    wait_screen(driver, "progress", timeout=15)
    identity = app.session.identity
    assert (identity.source, identity.name, identity.id_number) == ("qr", "李建华", PEOPLE["demo"].id_number)
    assert identity.extra["code_kind"] == "licence"
    assert ("verify_identity_code", "DEMO") in backend.calls
    assert DEMO_LICENCE_TOKEN not in caplog.text and "DEMO…(27)" in caplog.text
    _no_full_number_logged(caplog, "demo")
    tap_text(driver, "返回首页")
    wait_screen(driver, "home")
    assert_nothing_personal(app, "demo")


def test_identity_code_failures_each_say_what_to_do(terminal, serial_scanner_sim):
    driver, backend = terminal(devices=_scanner(serial_scanner_sim))
    _to_identify(driver)
    cases = [
        (f"DZZZ:{DEMO_EXPIRED_TOKEN}", "身份码已过期，请在手机上刷新后点击重试"),
        ("DZZZ:DEMO-UNKNOWN-2026-0000", "身份码无效，请在手机上重新生成后点击重试，或改用证件"),
        ("ZWFW:CASE:SB20261120000123", "该二维码不是身份码，请出示电子证照或政务App身份码"),
        ("ZWFW:ID:bad", "身份码格式有误，请在手机上刷新后重试"),
    ]
    for text, message in cases:
        scanner_ready(driver.screen)
        serial_scanner_sim.send(text.encode())
        assert _error(driver) == message, text
        assert driver.app.session.identity is None
        tap_text(driver, "重试")
        assert driver.screen.error == ""
    backend.fail_next("verify_identity_code", "offline")
    scanner_ready(driver.screen)
    serial_scanner_sim.send(f"ZWFW:ID:{DEMO_APP_TOKEN}".encode())
    assert _error(driver) == "网络连接中断，暂时无法核验身份码，请点击重试或改用证件"
    tap_text(driver, "重试")
    scanner_ready(driver.screen)
    serial_scanner_sim.send(f"ZWFW:ID:{DEMO_APP_TOKEN}".encode())  # the same code again, now the server answers
    wait_screen(driver, "progress", timeout=15)
    assert driver.app.session.identity.extra["code_kind"] == "app"


def test_app_identity_code_through_the_qr_camera(terminal, image_folder):
    """The camera (an image folder played as video) reads the phone's 政务 App code; the backend vouches."""
    from drivers.scanner.synthetic import make_scene

    phone = make_scene(3, 0.1, (640, 480), payload=f"ZWFW:ID:{DEMO_APP_TOKEN}".encode()).image
    folder = image_folder([phone] * 4)
    driver, backend = terminal(devices={"qr_camera": {"source": str(folder), "fps": 5, "width": 640, "height": 480}})
    from screens.terminal.flow import require_identity

    # what 查询我的办件 does, without the 办件查询 screen's own camera seeing the phone first
    driver.app.session.data["progress_mode"] = "mine"
    require_identity(driver.app, "progress")
    wait_screen(driver, "progress", timeout=30)
    assert driver.app.manager.get_screen("identify").heading_text == "请放置身份证或出示二维码"
    identity = driver.app.session.identity
    assert (identity.source, identity.name, identity.extra["code_kind"]) == ("qr", "李建华", "app")
    assert [c for c in backend.calls if c[0] == "verify_identity_code"] == [("verify_identity_code", "DEMO")]
