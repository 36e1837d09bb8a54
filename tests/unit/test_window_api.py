"""kiosk.window_api and kiosk.evaluator over real HTTP on 127.0.0.1, without Kivy."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.evaluator import EvaluatorService
from kiosk.rating import Context, Level, RatingLedger, RatingRules, current_reason_list
from kiosk.staff import StaffDirectory
from kiosk.window_api import ApiError, WindowApi, check_token, parse_case, parse_invite
from kiosk.window_sim import WindowApiError, WindowClient

TOKEN = "unit-test-token-0123"


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def window(tmp_path):
    clock = Clock()
    stored: list = []
    ledger = RatingLedger(Context("TEST-E-1", "110105", "12"), current_reason_list(),
                          RatingRules(min_interval_s=30, invite_timeout_s=60), clock=clock)
    service = EvaluatorService(ledger, stored.append, clock=clock)
    api = WindowApi(service, TOKEN, port=0).start()
    staff = StaffDirectory(tmp_path / "staff.json", seed_sample=True)
    service.login(staff.by_card("04a1b2c3"))
    yield service, WindowClient(api.port, TOKEN), stored, clock
    api.stop()


def test_case_invite_rate_and_poll(window):
    service, client, stored, _clock = window
    assert client.start_case("ZW202611230001", "居住证签注", applicant_name="张三")["case_no"] == "ZW202611230001"
    assert service.case.applicant_masked == "张*"
    assert "张三" not in json.dumps(client.status(), ensure_ascii=False)
    invitation = client.invite()
    assert client.invite()["invitation_id"] == invitation["invitation_id"]  # a retried request: same invitation
    assert client.result(invitation["invitation_id"])["state"] == "pending"
    service.submit(Level.VERY_SATISFIED)
    result = client.result(invitation["invitation_id"])
    assert result == {**result, "state": "rated", "level": "very_satisfied", "case_no": "ZW202611230001"}
    assert stored[0].payload()["staff_no"] == "10123"
    with pytest.raises(WindowApiError) as refused:
        client.invite()
    assert refused.value.status == 409 and refused.value.body["message"] == "该办件已评价，每次办事只能评价一次"


def test_timeout_is_not_rated_and_reported_by_poll(window):
    _service, client, stored, clock = window
    client.start_case("ZW202611230002")
    invitation = client.invite()
    clock.now += 61
    assert client.result(invitation["invitation_id"])["state"] == "not_rated"
    assert stored[0].outcome == "not_rated"


def test_pause_resume_and_new_case_closes_open_invitation(window):
    service, client, stored, _clock = window
    client.start_case("ZW202611230003")
    first = client.invite()
    client.start_case("ZW202611230004")  # the applicant left unrated; the next one is served
    assert client.result(first["invitation_id"])["state"] == "not_rated"
    assert client.pause()["paused"] is True
    with pytest.raises(WindowApiError) as refused:
        client.invite()
    assert refused.value.error == "paused"
    assert client.resume()["paused"] is False


def test_callback_goes_to_localhost_only(window):
    service, client, _stored, _clock = window
    got: list[dict] = []
    done = threading.Event()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()
            done.set()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client.start_case("ZW202611230005")
        with pytest.raises(WindowApiError) as refused:
            client.invite(callback_url="http://example.com/cb")
        assert refused.value.status == 400
        client.invite(callback_url=f"http://127.0.0.1:{server.server_port}/cb")
        service.submit(Level.DISSATISFIED, ("waiting",))
        assert done.wait(5)
        assert got[0]["state"] == "rated" and got[0]["reasons"] == ["waiting"] and got[0]["bad"]
    finally:
        server.shutdown()
        server.server_close()


def test_errors_are_json_with_status(window):
    _service, client, _stored, _clock = window
    for method, path, status in [("GET", "/v1/nothing", 404), ("GET", "/v1/case", 405),
                                 ("GET", "/v1/result/unknown", 404)]:
        with pytest.raises(WindowApiError) as err:
            client.call(method, path)
        assert err.value.status == status and err.value.error
    with pytest.raises(WindowApiError) as err:
        client.call("POST", "/v1/case", {"case_no": "ZW1", "surprise": 1})
    assert err.value.status == 400


def test_token_check():
    assert check_token(f"Bearer {TOKEN}", TOKEN)
    assert not check_token(None, TOKEN) and not check_token(TOKEN, TOKEN) and not check_token("Bearer x", TOKEN)


def test_parse_case_masks_the_applicant():
    case = parse_case(json.dumps({"case_no": "ZW1", "applicant_name": "欧阳娜娜"}).encode())
    assert case.applicant_masked == "欧***"


@given(st.binary(max_size=300))
def test_parsers_never_crash_on_bytes(body):
    for parse in (parse_case, parse_invite):
        try:
            parse(body)
        except ApiError as exc:
            assert exc.status == 400


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=12), kids,
                                                                                      max_size=3), max_leaves=10)


@given(st.fixed_dictionaries({}, optional={"case_no": json_values | st.from_regex(r"\AZW[0-9]{1,20}\Z"),
                                           "item_name": json_values, "basic_code": json_values,
                                           "impl_code": json_values, "applicant_name": json_values,
                                           "consultation": json_values, "callback_url": json_values}))
def test_parsers_accept_only_valid_shapes(body):
    raw = json.dumps(body).encode()
    try:
        case = parse_case(raw)
    except ApiError as exc:
        assert exc.status == 400
    else:
        assert case.case_no == body["case_no"].strip()
        assert case.applicant_masked == "" or "*" in case.applicant_masked or len(case.applicant_masked) == 1
    try:
        invite = parse_invite(raw)
    except ApiError:
        pass
    else:
        assert not invite.callback_url or invite.callback_url.startswith("http://127.0.0.1")


# ----- staff directory and screen hours (the evaluator's other kiosk-side pieces) -------------------
def test_staff_directory_card_and_pin(tmp_path):
    from kiosk.staff import AttemptLimiter, StaffDirectory, StaffDirectoryError

    staff = StaffDirectory(tmp_path / "staff.json", seed_sample=True)
    assert len(staff) == 2 and staff.by_card("04A1B2C3").staff_no == "10123"
    assert staff.by_pin("10123", "1234").name == "李明（示例）"
    assert staff.by_pin("10123", "0000") is None and staff.by_pin("99999", "1234") is None
    with pytest.raises(StaffDirectoryError):
        staff.install({"version": 2, "staff": [{"staff_no": "1", "name": "甲", "photo": "../x.png"}]})
    assert staff.install({"version": 2, "staff": [{"staff_no": "20001", "name": "赵（示例）"}]}) == 1
    assert StaffDirectory(tmp_path / "staff.json").by_card("04A1B2C3") is None  # replaced on disk too

    clock = Clock()
    limiter = AttemptLimiter(max_failures=3, lockout_s=60, clock=clock)
    for _ in range(3):
        limiter.failed()
    assert limiter.locked_for() == 60
    clock.now += 61
    assert limiter.locked_for() == 0


def test_screen_hours_and_end_of_day():
    import datetime as dt

    from kiosk.screen_hours import logout_due, screen_state, within_hours

    day = dt.datetime(2026, 11, 23, 10, 0)
    assert within_hours(day, "07:30", "19:00") and not within_hours(day.replace(hour=20), "07:30", "19:00")
    assert within_hours(day.replace(hour=23), "22:00", "06:00")  # wraps past midnight
    assert screen_state(day, 10, "07:30", "19:00", 300) == "awake"
    assert screen_state(day, 400, "07:30", "19:00", 300) == "dim"
    assert screen_state(day.replace(hour=21), 10, "07:30", "19:00", 300) == "asleep"
    assert screen_state(day.replace(hour=21), 10, "07:30", "19:00", 300, woken=True) == "awake"
    assert not logout_due(day, day.replace(hour=18, minute=29), "18:30")
    assert logout_due(day, day.replace(hour=18, minute=30), "18:30")
    assert not logout_due(day.replace(hour=19), day.replace(hour=20), "18:30")  # signed in after: next day
    assert not logout_due(day, day.replace(hour=23), None)


def test_voice_prompt_is_synthesised_once_and_cached(tmp_path):
    import shutil

    from kiosk.voice import prompt_wav

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    first = prompt_wav("请您对本次服务进行评价", tmp_path)
    assert first is not None and first.read_bytes()[:4] == b"RIFF"
    mtime = first.stat().st_mtime_ns
    assert prompt_wav("请您对本次服务进行评价", tmp_path) == first and first.stat().st_mtime_ns == mtime


def test_voice_prompt_rendered_by_several_at_once_is_whole_for_each(tmp_path):
    """The pre-render and a step's prompt (or two processes) may synthesise the same wav at once."""
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.voice import prompt_wav

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    with ThreadPoolExecutor(6) as pool:
        made = list(pool.map(lambda _i: prompt_wav("请出示身份证", tmp_path), range(6)))
    assert all(path is not None and path == made[0] for path in made)
    assert made[0].read_bytes()[:4] == b"RIFF"
    assert [p.name for p in tmp_path.iterdir()] == [made[0].name]  # no temporary file left behind


def test_sim_window_plays_a_case_through_the_api(window):
    import io
    import time

    from kiosk.window_sim import play

    service, client, stored, _clock = window
    out = io.StringIO()
    runner = threading.Thread(target=play, args=(client, 1, 0.0, 0.0, out))
    runner.start()
    deadline = time.monotonic() + 10
    while service.invitation is None and time.monotonic() < deadline:
        time.sleep(0.01)
    service.submit(Level.BASICALLY_SATISFIED)
    runner.join(10)
    text = out.getvalue()
    assert "started (居住证签注)" in text and "result: rated basically_satisfied" in text
    assert stored[0].payload()["item_basic_code"] == "000105001"
    assert service.case.applicant_masked == "张*"
