"""The window line protocol: parser (hypothesis), the action mapping, and a real pty line."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.windowline.link import WindowLine
from drivers.windowline.protocol import MAX_LINE, VERBS, LineError, Request, parse_line
from drivers.windowline.simulator import QueueSystemSimulator
from kiosk.evaluator import EvaluatorService
from kiosk.rating import Context, Level, RatingLedger, RatingRules, current_reason_list
from kiosk.staff import StaffDirectory
from kiosk.window_serial import WindowSerial, start_window_serial


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def service(tmp_path):
    clock = Clock()
    stored: list = []
    ledger = RatingLedger(Context("TEST-E-1", "110105", "12"), current_reason_list(),
                          RatingRules(min_interval_s=30, invite_timeout_s=60), clock=clock)
    svc = EvaluatorService(ledger, stored.append, clock=clock)
    svc.login(StaffDirectory(tmp_path / "staff.json", seed_sample=True).by_card("04a1b2c3"))
    svc.stored, svc.clock = stored, clock
    return svc


def test_parse_examples() -> None:
    assert parse_line("CASE ZW1|居住证签注|张三".encode()) == Request("CASE", ("ZW1", "居住证签注", "张三"))
    assert parse_line("case ZW1".encode("gb18030")) == Request("CASE", ("ZW1",))
    assert parse_line("CASE ZW1|个体工商户设立登记||000116002|1111".encode("gb18030")).args[1] == "个体工商户设立登记"
    assert parse_line(b"invite consult") == Request("INVITE", ("consult",))
    assert parse_line(b"  STATUS?  ") == Request("STATUS?")
    for bad, reason in ((b"", "syntax"), (b"FOO", "unknown_command"), (b"CASE", "syntax"), (b"CASE |x", "syntax"),
                        (b"PAUSE now", "syntax"), (b"INVITE twice", "syntax"), (b"RESULT?", "syntax"),
                        (b"\xff\xfe\xfd", "bad_encoding"), (b"PING\x00", "syntax"), (b"X" * (MAX_LINE + 1), "too_long")):
        with pytest.raises(LineError) as exc:
            parse_line(bad)
        assert exc.value.reason == reason, bad


@given(st.binary(max_size=600))
def test_parser_never_fails_otherwise(raw: bytes) -> None:
    try:
        request = parse_line(raw)
    except LineError as exc:
        assert exc.reason in {"syntax", "unknown_command", "bad_encoding", "too_long"}
        return
    low, high = VERBS[request.verb]
    assert low <= len(request.args) <= high


@given(st.sampled_from(sorted(VERBS)), st.lists(st.text(alphabet=st.characters(
    blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="|"), min_size=1, max_size=12),
    max_size=5), st.sampled_from(["utf-8", "gb18030"]))
def test_well_formed_lines_round_trip(verb: str, args: list[str], encoding: str) -> None:
    low, high = VERBS[verb]
    args = args[:high]
    if len(args) < low or (verb == "INVITE" and args):
        return
    text = f"{verb} {'|'.join(args) if verb == 'CASE' else ' '.join(args)}".strip()
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return
    assert parse_line(raw) == Request(verb, tuple(args))


def test_actions_and_refusals_match_the_http_api(service) -> None:
    serial = WindowSerial(service)
    pushed: list[str] = []
    serial._push = lambda line: pushed.append(line) or True
    answer = lambda text: serial.answer(parse_line(text.encode()))  # noqa: E731
    assert answer("CASE ZW202611230001|居住证签注|张三") == "OK CASE ZW202611230001 rated=0"
    assert service.case.applicant_masked == "张*"  # masked on arrival, as over HTTP
    ok, verb, invitation_id, timeout = answer("INVITE").split()
    assert (ok, verb, timeout) == ("OK", "INVITE", "60")
    assert answer("STATUS?") == f"OK STATUS staff=10123 paused=0 case=ZW202611230001 invitation={invitation_id}"
    assert answer(f"RESULT? {invitation_id}") == f"OK RESULT {invitation_id} pending - -"
    service.submit(Level.DISSATISFIED, ("waiting", "other"))
    assert pushed == [f"RESULT {invitation_id} rated dissatisfied waiting,other"]
    assert answer("INVITE") == "ERR already_rated"  # 一次一评
    assert answer("RESULT? nope") == "ERR unknown_invitation"
    assert answer("PAUSE") == "OK" and answer("CASE ZW2") == "ERR paused" and answer("RESUME") == "OK"
    assert answer(f"CASE {'x' * 65}") == "ERR bad_request"
    assert answer("PING") == "OK PONG"


def test_over_a_real_pty_with_gbk_garbage_and_replug(service, tmp_path) -> None:
    link = str(tmp_path / "windowline")
    with_sim = QueueSystemSimulator(link).start()
    line = start_window_serial(service, link, reconnect_s=0.2)
    try:
        _wait_open(line)  # opening a port flushes what was sent before: a real queue system retries
        assert with_sim.request(b"PING") == "OK PONG"
        assert with_sim.request("CASE ZW9|城乡居民养老保险参保登记|李四".encode("gb18030")) == "OK CASE ZW9 rated=0"
        assert service.case.item_name == "城乡居民养老保险参保登记"
        assert with_sim.request(b"\xff\xff\xff") == "ERR bad_encoding"  # garbage answered, line still usable
        invitation_id = with_sim.request(b"INVITE").split()[2]
        service.submit(Level.VERY_SATISFIED)
        assert with_sim.wait_result(5) == f"RESULT {invitation_id} rated very_satisfied -"
        with_sim.unplug()  # the adapter is pulled, then plugged back: the evaluator reopens it
        with_sim.replug()
        for _ in range(50):
            try:
                if with_sim.request(b"STATUS?", timeout_s=0.5).startswith("OK STATUS"):
                    break
            except TimeoutError:
                continue
        else:
            pytest.fail("the evaluator did not reopen the line")
        assert line.health().state == "ok"
    finally:
        line.stop()
        with_sim.stop()


def _wait_open(line: WindowLine) -> None:
    import threading

    event = threading.Event()
    for _ in range(100):
        if line.health().state == "ok":
            return
        event.wait(0.05)
    pytest.fail(f"the window line did not open: {line.health()}")


def test_answer_survives_a_failing_handler() -> None:
    line = WindowLine("/nonexistent", lambda _r: 1 / 0)
    assert line.answer(b"PING") == "ERR internal_error" and line.errors == 1
    assert line.health().state == "fault"
