"""The reporter against a scripted server: pacing, splitting, revocation, TLS, skew.

``step()`` is driven by hand (no thread), so each answer's effect is checked on its own.
"""
from __future__ import annotations

import shutil
import ssl
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.health import HealthState
from kiosk.config import ServerLinkConfig
from kiosk.enrolment import REVOKED_FILE, TOKEN_FILE
from kiosk.outbox import Outbox
from kiosk.reporter import Reporter, ReporterSettings

from .stub_server import StubServer

USAGE = {"function": "print_certificate", "outcome": "success"}


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def make_reporter(outbox: Outbox, url: str, data_dir: Path, **kw) -> Reporter:
    settings = kw.pop("settings", ReporterSettings(batch_max_events=50, follow_server_interval=False))
    config = ServerLinkConfig(url=url, enrol_code=kw.pop("code", "ABCD-EFGH"), **kw.pop("link", {}))
    return Reporter(outbox, config, data_dir, settings=settings, rng=lambda: 0.999, **kw)


def drain(reporter: Reporter, steps: int = 50) -> None:
    for _ in range(steps):
        if reporter.outbox.pending_count() == 0:
            return
        reporter.step()


def test_enrols_once_keeps_the_token_private_and_uses_it(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("usage", USAGE)
    drain(make_reporter(outbox, stub.url, tmp_path))
    token_file = tmp_path / TOKEN_FILE
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stub.paths() == ["/api/v1/devices/enrol", "/api/v1/events"]
    assert stub.requests[0][2]["code"] == "ABCD-EFGH" and len(stub.requests[0][2]["instance_id"]) >= 16
    assert stub.requests[1][1]["Authorization"] == "Bearer secret-token"
    outbox.enqueue("usage", USAGE)
    again = make_reporter(outbox, stub.url, tmp_path)  # an app restart
    assert "secret-token" not in repr(again.credentials)
    drain(again)
    assert stub.paths()[-1] == "/api/v1/events" and stub.paths().count("/api/v1/devices/enrol") == 1


def test_refused_enrol_code_is_a_clear_fault(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    stub.push("/api/v1/devices/enrol", (403, {}, {"detail": "unknown or used code"}))
    reporter = make_reporter(outbox, stub.url, tmp_path)
    reporter.step()
    assert reporter.status().link.reason == "enrolment_refused"
    assert not (tmp_path / TOKEN_FILE).exists()


def test_429_honours_retry_after_and_keeps_events(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("usage", USAGE)
    reporter = make_reporter(outbox, stub.url, tmp_path)
    reporter.step()  # enrol + upload
    outbox.enqueue("usage", USAGE)
    stub.push("/api/v1/events", (429, {"Retry-After": "7"}, {"detail": "slow down"}))
    delay = reporter.step()
    assert 6.5 < delay <= 7.0
    assert reporter.status().link.reason == "rate_limited" and outbox.pending_count() == 1
    reporter.step()
    assert outbox.pending_count() == 0 and reporter.status().link.is_ok


def test_server_errors_back_off_exponentially(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("usage", USAGE)
    reporter = make_reporter(outbox, stub.url, tmp_path)
    reporter.step()
    outbox.enqueue("usage", USAGE)
    stub.push("/api/v1/events", *[(503, {}, {"detail": "db locked"})] * 4)
    delays = [reporter.step() for _ in range(4)]
    assert delays == sorted(delays) and delays[-1] > 4 * delays[0]
    assert reporter.status().link.state is HealthState.FAULT
    reporter.step()
    assert outbox.pending_count() == 0


def test_connection_refused_is_a_fault_and_nothing_is_lost(outbox: Outbox, tmp_path: Path) -> None:
    from kiosk.stack.mgmt_server import free_port

    outbox.enqueue("rating", {"level": "satisfied"})
    reporter = make_reporter(outbox, f"http://127.0.0.1:{free_port()}", tmp_path)
    assert reporter.step() > 0
    assert reporter.status().link.reason == "server_unreachable" and outbox.pending_count() == 1


def test_413_halves_the_batch(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue_many([("usage", USAGE)] * 40)
    reporter = make_reporter(outbox, stub.url, tmp_path)
    stub.push("/api/v1/events", (413, {}, {"detail": "body larger than 1048576 bytes"}))
    drain(reporter)
    sizes = [len(b["events"]) for p, _, b in stub.requests if p == "/api/v1/events"]
    assert sizes[:2] == [40, 20] and sum(sizes[1:]) == 40
    assert outbox.pending_count() == 0


def test_a_malformed_event_is_found_set_aside_and_the_rest_delivered(
        stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    events = outbox.enqueue_many([("usage", USAGE)] * 9 + [("usage", {"function": "x", "outcome": "exploded"})]
                                 + [("usage", USAGE)] * 6)
    bad_id = events[9].id

    def strict(body: dict):  # like the real server: one bad event refuses the whole batch
        if any(e["payload"].get("outcome") == "exploded" for e in body["events"]):
            return 422, {}, {"detail": ["/events/9/payload/outcome: not one of the enum"]}
        return 200, {}, stub.ingest(body)

    stub.push("/api/v1/events", *[strict] * 20)
    reporter = make_reporter(outbox, stub.url, tmp_path)
    drain(reporter)
    assert outbox.pending_count() == 0 and outbox.rejected_count() == 1
    assert stub.stored == {e.id for e in events} - {bad_id}
    assert reporter.status().rejected == 1  # shown on the maintenance screen and by kiosk doctor


def test_ids_the_server_does_not_mention_are_sent_again(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    events = outbox.enqueue_many([("usage", USAGE)] * 3)
    stub.push("/api/v1/events", lambda body: (200, {}, {"accepted": [body["events"][0]["id"]], "duplicates": []}))
    reporter = make_reporter(outbox, stub.url, tmp_path)
    reporter.step()
    assert [e.id for e in outbox.peek_batch(10, 1 << 20)] == [events[1].id, events[2].id]
    reporter.step()
    assert outbox.pending_count() == 0


def test_revoked_token_stops_reporting_with_a_clear_fault(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("usage", USAGE)
    reporter = make_reporter(outbox, stub.url, tmp_path)
    reporter.step()
    outbox.enqueue("rating", {"level": "satisfied"})
    stub.push("/api/v1/events", (401, {}, {"detail": "token revoked"}))
    reporter.step()
    sent = len(stub.requests)
    for _ in range(3):
        reporter.step()
    assert len(stub.requests) == sent  # no hammering with a dead token
    status = reporter.status()
    assert reporter.revoked and status.link.state is HealthState.FAULT and status.link.reason == "token_revoked"
    assert status.pending == 1  # the rating stays for when the device is enrolled again
    assert (tmp_path / REVOKED_FILE).exists() and not (tmp_path / TOKEN_FILE).exists()
    # After a restart with the same (used) code it stays a clear revocation, without a request;
    # a new code from the dashboard enrols the device again and the rating goes out.
    sent = len(stub.requests)
    restarted = make_reporter(outbox, stub.url, tmp_path)
    restarted.step()
    assert restarted.status().link.reason == "token_revoked" and len(stub.requests) == sent
    drain(make_reporter(outbox, stub.url, tmp_path, code="NEW-CODE"))
    assert outbox.pending_count() == 0 and stub.requests[sent][2]["code"] == "NEW-CODE"


def test_big_batches_are_gzipped(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue_many([("usage", USAGE)] * 30)
    drain(make_reporter(outbox, stub.url, tmp_path))
    headers = stub.requests[-1][1]
    assert headers.get("Content-Encoding") == "gzip"


def test_heartbeat_measures_skew_and_delivers_commands(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    stub.server_time_offset_s = 3600.0  # the device clock is an hour slow
    stub.commands = [{"id": 3, "kind": "lock", "args": {}}]
    received: list = []
    reporter = make_reporter(outbox, stub.url, tmp_path, heartbeat=lambda: {"app_version": "0.1.0"},
                             on_commands=received.extend)
    reporter.step()
    assert received == [{"id": 3, "kind": "lock", "args": {}}]
    assert abs((reporter.status().clock_offset_s or 0) - 3600) < 5
    reporter.heartbeat_now()
    reporter.step()
    beat = [b for p, _, b in stub.requests if p == "/api/v1/heartbeat"][-1]
    assert abs(beat["clock_offset_s"] - 3600) < 5 and beat["app_version"] == "0.1.0"


def test_a_clock_jump_triggers_a_fresh_measurement(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    reporter = make_reporter(outbox, stub.url, tmp_path, heartbeat=lambda: {})
    wall = [time.time()]
    reporter.skew._wall = lambda: wall[0]
    reporter.step()
    beats = stub.paths().count("/api/v1/heartbeat")
    reporter.step()
    assert stub.paths().count("/api/v1/heartbeat") == beats  # not due yet
    wall[0] += 86400  # the clock jumped a day ahead
    reporter.step()
    assert stub.paths().count("/api/v1/heartbeat") == beats + 1
    assert reporter.skew.jumps == 1


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def tls_stub(cert: Path, key: Path) -> StubServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return StubServer(context)


def test_tls_is_verified_by_default(tls_files: tuple[Path, Path], outbox: Outbox, tmp_path: Path) -> None:
    with tls_stub(*tls_files) as server:
        outbox.enqueue("usage", USAGE)
        reporter = make_reporter(outbox, server.url, tmp_path)
        reporter.step()
        assert reporter.status().link.reason == "tls_error" and outbox.pending_count() == 1
        assert not (tmp_path / TOKEN_FILE).exists()


def test_a_private_ca_is_trusted_when_configured(tls_files: tuple[Path, Path], outbox: Outbox, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cert, _ = tls_files
    # requests would let this variable override a session-level CA; the link must not.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    with tls_stub(*tls_files) as server:
        outbox.enqueue("usage", USAGE)
        drain(make_reporter(outbox, server.url, tmp_path, link={"ca_file": cert}))
        assert outbox.pending_count() == 0 and len(server.stored) == 1


def test_reporter_thread_delivers_promptly_and_stops(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    reporter = make_reporter(outbox, stub.url, tmp_path, heartbeat=lambda: {}).start()
    try:
        for i in range(20):
            outbox.enqueue("usage", {**USAGE, "n": i})
        assert reporter.wait_until_empty(20)
        assert reporter.status().last_upload_at is not None
    finally:
        reporter.stop()
    assert len(stub.stored) == 20


def test_an_answer_that_confirms_nothing_backs_off_instead_of_spinning(
        stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue("usage", USAGE)
    stub.push("/api/v1/events", (200, {}, {"accepted": [], "duplicates": []}))
    reporter = make_reporter(outbox, stub.url, tmp_path)
    assert reporter.step() > 0
    assert reporter.status().link.reason == "bad_response" and outbox.pending_count() == 1


def test_one_event_too_big_for_the_server_is_set_aside(stub: StubServer, outbox: Outbox, tmp_path: Path) -> None:
    huge = outbox.enqueue("usage", {**USAGE, "blob": "x" * 5000})
    outbox.enqueue("usage", USAGE)
    stub.push("/api/v1/events", (413, {}, {"detail": "body larger than 4096 bytes"}),
              (413, {}, {"detail": "body larger than 4096 bytes"}))
    drain(make_reporter(outbox, stub.url, tmp_path))
    assert outbox.rejected_count() == 1 and huge.id not in stub.stored and len(stub.stored) == 1
