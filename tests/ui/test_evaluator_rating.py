"""The window evaluator driven like a window system drives it: through its local HTTP API."""
from __future__ import annotations

import socket

import pytest


pytestmark = pytest.mark.ui

TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def evaluator(ui, make_config):
    """Start the evaluator app with the API on a free port; returns (driver, client)."""
    from kiosk.config import KioskConfig
    from kiosk.window_sim import WindowClient

    def start(devices: dict | None = None, **settings):
        port = free_port()
        data = make_config("evaluator", devices=devices).to_dict()
        data["evaluator"] = {"api": {"port": port, "token": TOKEN}, "sample_staff": True, "voice": False,
                             "min_interval_s": 30, "invite_timeout_s": 60, "wake_at": "00:00", "sleep_at": "00:00",
                             "logout_at": "", **settings}
        driver = ui(KioskConfig.validate(data))
        return driver, WindowClient(port, TOKEN)

    return start


def sign_in_by_pin(driver, staff_no: str = "10123", pin: str = "1234") -> None:
    app = driver.app
    driver.tap(_button(driver, "工作人员登录"))
    assert app.manager.current == "evaluator_login"
    _type(driver, staff_no)
    driver.tap(_button(driver, "下一步"))
    _type(driver, pin)
    driver.tap(_button(driver, "确定"))


def _type(driver, digits: str) -> None:
    keypad = driver.screen.ids.keypad
    for digit in digits:
        driver.tap(next(w for w in keypad.children if getattr(w, "text", None) == digit))


def _button(driver, text: str):
    driver.pump(frames=3)
    found = [w for w in driver.screen.walk(restrict=True) if getattr(w, "text", None) == text
             and hasattr(w, "on_release") and not getattr(w, "disabled", False)]
    assert found, f"no button {text!r} on {driver.app.manager.current}: {driver.texts()}"
    return found[0]


def face(driver, level: str):
    driver.pump(frames=3)  # let a screen shown just now lay out
    return next(w for w in driver.find("Face", root=driver.screen) if w.level == level)


def ratings(app) -> list[dict]:
    """The rating events in the outbox, oldest first."""
    reporting = app.reporting or app._ensure_reporting()  # built 1 s after start otherwise
    return [e.payload for e in reporting.outbox.peek_batch(1000, 10_000_000) if e.type == "rating"]


def test_pin_sign_in_case_invite_and_rating_lands_in_outbox_before_thanks(evaluator):
    driver, client = evaluator()
    app = driver.app
    sign_in_by_pin(driver)
    assert driver.wait_for(lambda: app.manager.current == "home")
    assert "工作人员：李明（示例）" in driver.texts() and "工号：10123" in driver.texts()

    assert client.start_case("ZW202611230001", "居住证签注", "000105001", "11110105000105001000001",
                             "张三")["case_no"] == "ZW202611230001"
    assert driver.wait_for(lambda: app.manager.current == "evaluator_serving")
    texts = driver.texts()
    assert "申请人：张*" in texts and "办件编号：ZW202611230001" in texts
    assert not any("张三" in t for t in texts)

    invitation = client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    assert client.result(invitation["invitation_id"])["state"] == "pending"

    seen_at_thanks = []
    watch = app.manager.fbind(
        "current", lambda _m, name: seen_at_thanks.append(len(ratings(app))) if name == "evaluator_thanks" else None)
    driver.tap(face(driver, "satisfied"))
    app.manager.unbind_uid("current", watch)
    assert app.manager.current == "evaluator_thanks", app.toast_text
    assert seen_at_thanks == [1]  # durable in the outbox when the thank-you screen appeared
    record = ratings(app)[0]
    assert record["level"] == "satisfied" and record["outcome"] == "rated" and not record["consultation"]
    assert record["case_no"] == "ZW202611230001" and record["staff_no"] == "10123" and record["window"] == "12"
    assert record["region_code"] == "110105" and record["item_basic_code"] == "000105001"
    assert len(record["rated_at"]) == 15 and record["rated_at"][8] == "T"
    assert "张" not in str(record)  # never the applicant

    result = client.result(invitation["invitation_id"])
    assert result["state"] == "rated" and result["level"] == "satisfied"

    # 一次一评: the same case cannot be invited again
    from kiosk.window_sim import WindowApiError

    with pytest.raises(WindowApiError) as refused:
        client.invite()
    assert refused.value.error == "already_rated" and "已评价" in refused.value.body["message"]


def signed_in_with_case(evaluator, case_no: str = "ZW202611230002", **settings):
    driver, client = evaluator(**settings)
    app = driver.app
    app.evaluator.login(app.evaluator.staff.by_card("04A1B2C3"))
    client.start_case(case_no, "个体工商户设立登记")
    assert driver.wait_for(lambda: app.manager.current == "evaluator_serving")
    return driver, client


@pytest.mark.parametrize("level", ["very_satisfied", "satisfied", "basically_satisfied"])
def test_each_good_level_is_recorded_at_once(evaluator, level):
    driver, client = signed_in_with_case(evaluator)
    app = driver.app
    invitation = client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, level))
    assert app.manager.current == "evaluator_thanks"
    assert [(r["level"], r["reasons"], r["bad"]) for r in ratings(app)] == [(level, [], False)]
    assert client.result(invitation["invitation_id"])["level"] == level


@pytest.mark.parametrize("level", ["dissatisfied", "very_dissatisfied"])
def test_bad_level_needs_a_reason_before_it_is_recorded(evaluator, level):
    driver, client = signed_in_with_case(evaluator)
    app = driver.app
    invitation = client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, level))
    assert app.manager.current == "evaluator_reasons"
    driver.pump(frames=3)
    assert "其他" in driver.texts() and "等候时间过长" in driver.texts()
    assert driver.screen.ids.submit.disabled  # no reason yet: cannot submit
    assert ratings(app) == []
    driver.tap(driver.screen.toggle("waiting"))
    driver.tap(driver.screen.toggle("other"))
    driver.tap(_button(driver, "提交评价"))
    assert app.manager.current == "evaluator_thanks"
    assert "感谢您的评价，我们将在一个工作日内回访并整改" in driver.texts()
    record = ratings(app)[0]
    assert record["level"] == level and record["bad"] and record["reasons"] == ["waiting", "other"]
    assert record["reason_list_version"] == 1
    result = client.result(invitation["invitation_id"])
    assert result["state"] == "rated" and result["bad"] and result["reasons"] == ["waiting", "other"]


def test_unanswered_invitation_is_recorded_as_not_rated(evaluator):
    driver, client = signed_in_with_case(evaluator, invite_timeout_s=5)
    app = driver.app
    invitation = client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    assert driver.wait_for(lambda: app.manager.current == "evaluator_serving", timeout=15)
    record = ratings(app)[0]
    assert record["outcome"] == "not_rated" and record["level"] is None and not record["bad"]
    assert client.result(invitation["invitation_id"])["state"] == "not_rated"


def test_second_rating_of_a_case_is_refused_and_consultations_wait_the_interval(evaluator):
    from kiosk.window_sim import WindowApiError

    driver, client = signed_in_with_case(evaluator, "ZW202611230003")
    app = driver.app
    client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, "very_satisfied"))
    with pytest.raises(WindowApiError) as refused:
        client.invite()
    assert refused.value.status == 409 and refused.value.error == "already_rated"
    client.start_case("ZW202611230003")  # the same case announced again: still rated once
    with pytest.raises(WindowApiError):
        client.invite()
    # a consultation right after a rating, without a new case: too soon (repeated tapping)
    with pytest.raises(WindowApiError) as soon:
        client.invite(consultation=True)
    assert soon.value.error == "too_soon"
    client.start_case("ZW202611230004")  # a new case lifts the interval
    assert client.invite()["case_no"] == "ZW202611230004"
    assert len(ratings(app)) == 1


def test_consultation_without_case_is_marked(evaluator):
    driver, client = evaluator()
    app = driver.app
    app.evaluator.login(app.evaluator.staff.by_card("04A1B2C3"))
    invitation = client.invite(consultation=True)
    assert invitation["consultation"] and invitation["case_no"] == ""
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    assert any("咨询服务" in t for t in driver.texts(app.root))
    driver.tap(face(driver, "satisfied"))
    record = ratings(app)[0]
    assert record["consultation"] and record["case_no"] == ""


def test_pause_shows_banner_and_refuses_cases_until_resumed(evaluator):
    from kiosk.window_sim import WindowApiError

    driver, client = signed_in_with_case(evaluator)
    app = driver.app
    assert client.pause()["paused"] is True
    assert driver.wait_for(lambda: app.manager.current == "home")
    driver.pump(frames=3)
    assert any(t.startswith("暂停服务") for t in driver.texts())
    with pytest.raises(WindowApiError) as refused:
        client.start_case("ZW202611230009")
    assert refused.value.error == "paused"
    client.resume()
    client.start_case("ZW202611230009")
    assert driver.wait_for(lambda: app.manager.current == "evaluator_serving")


def test_api_needs_the_token(evaluator):
    from kiosk.window_sim import WindowApiError, WindowClient

    driver, client = evaluator()
    wrong = WindowClient(int(client.base.rsplit(":", 1)[1]), "not-the-token-at-all")
    with pytest.raises(WindowApiError) as refused:
        wrong.status()
    assert refused.value.status == 401


def test_invite_without_staff_is_refused(evaluator):
    from kiosk.window_sim import WindowApiError

    driver, client = evaluator()
    with pytest.raises(WindowApiError) as refused:
        client.start_case("ZW202611230010")
    assert refused.value.error == "no_staff"


def test_wrong_pin_is_refused(evaluator):
    driver, _client = evaluator()
    sign_in_by_pin(driver, "10123", "9999")
    assert driver.app.manager.current == "evaluator_login"
    assert driver.screen.message == "工号或密码错误"
    assert driver.app.evaluator.service.staff is None


def test_screen_sleeps_outside_hours_and_wakes_on_a_new_case_or_touch(evaluator):
    import datetime as dt

    later = dt.datetime.now() + dt.timedelta(hours=2)
    driver, client = evaluator(wake_at=f"{later:%H}:00", sleep_at=f"{(later + dt.timedelta(hours=1)):%H}:00")
    app = driver.app
    assert driver.wait_for(lambda: app.evaluator.screen_state == "asleep", timeout=5)
    assert app._dimmer.opacity > 0.9 and "非服务时间" in app._dimmer.text
    app.evaluator.login(app.evaluator.staff.by_card("04A1B2C3"))
    client.start_case("ZW202611230020")
    assert driver.wait_for(lambda: app.evaluator.screen_state == "awake" and app._dimmer.opacity == 0, timeout=5)
    assert app.manager.current == "evaluator_serving"
    app.evaluator._apply_state("asleep")
    driver.tap_at(500, 300)  # a touch while asleep only wakes: it is swallowed by the dark layer
    assert app.evaluator.screen_state == "awake" and app.manager.current == "evaluator_serving"


def test_staff_invites_from_the_strip_and_logs_out_at_end_of_day(evaluator):
    import datetime as dt

    driver, client = signed_in_with_case(evaluator)
    app = driver.app
    driver.tap(_button(driver, "邀请评价"))
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")
    driver.tap(face(driver, "satisfied"))
    assert ratings(app)[0]["trigger"] == "staff"
    app.evaluator.after_thanks()
    # end of day: a sign-in from yesterday is signed out by the next tick
    app.evaluator.settings = app.evaluator.settings.replace(logout_at="18:30")
    app.evaluator.signed_in_at = dt.datetime.now() - dt.timedelta(days=1)
    assert driver.wait_for(lambda: app.evaluator.service.staff is None, timeout=5)
    assert client.status()["staff"] is None


def test_remote_set_schedule_changes_the_screen_hours(evaluator):
    import datetime as dt

    from kiosk.remote_commands import Command, ScreenScheduleArgs

    driver, _client = evaluator()
    app = driver.app
    assert driver.wait_for(lambda: app.reporting is not None and "set_schedule" in app.reporting.commands._handlers,
                           timeout=10)
    later = dt.datetime.now() + dt.timedelta(hours=2)
    handler = app.reporting.commands._handlers["set_schedule"]
    result = handler(Command(7, "set_schedule", ScreenScheduleArgs(on=f"{later:%H}:00", off=f"{later:%H}:59")))
    assert result.status == "ok"
    assert driver.wait_for(lambda: app.evaluator.screen_state == "asleep", timeout=5)
    driver.stop()
    again, _client = evaluator()  # the same data folder: the remote hours outlive the restart
    assert (again.app.evaluator.settings.wake_at, again.app.evaluator.settings.sleep_at) == (
        f"{later:%H}:00", f"{later:%H}:59")
    assert again.wait_for(lambda: again.app.evaluator.screen_state == "asleep", timeout=5)


def test_a_rating_that_cannot_be_stored_shows_no_thanks(evaluator, monkeypatch):
    from kiosk.outbox import OutboxFull

    driver, client = signed_in_with_case(evaluator)
    app = driver.app
    invitation = client.invite()
    assert driver.wait_for(lambda: app.manager.current == "evaluator_rating")

    def full(_type, _payload):
        raise OutboxFull("disk_full")

    monkeypatch.setattr(app, "record", full)
    driver.tap(face(driver, "satisfied"))
    assert app.manager.current == "evaluator_rating" and app.toast_text == "评价未能保存，请联系工作人员"
    assert client.result(invitation["invitation_id"])["state"] == "pending"  # still open: can be tried again
    monkeypatch.undo()
    driver.tap(face(driver, "satisfied"))
    assert app.manager.current == "evaluator_thanks" and ratings(app)[0]["level"] == "satisfied"
