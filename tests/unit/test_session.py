"""The session: idle detection, and a wipe that leaves nothing of the citizen behind."""
from __future__ import annotations

import logging

from kiosk.events import EventBus, SessionStarted, SessionWiped
from kiosk.logs import setup_logging
from kiosk.privacy import SensitiveValues
from kiosk.session import Identity, Session

ID = "11010519491231002X"  # fictitious, valid check digit
NAME = "测试员甲"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _session(bus=None, clock=None):
    return Session(bus or EventBus(), idle_timeout_s=60, clock=clock or FakeClock(), sensitive=SensitiveValues())


def test_idle_only_after_activity_and_timeout():
    clock = FakeClock()
    session = _session(clock=clock)
    assert not session.is_idle()  # nobody there yet
    session.touch()
    clock.now += 59
    assert not session.is_idle()
    clock.now += 1
    assert session.is_idle()


def test_events_on_start_and_wipe():
    bus = EventBus()
    seen = []
    bus.subscribe(SessionStarted, seen.append)
    bus.subscribe(SessionWiped, seen.append)
    session = _session(bus)
    session.touch()
    session.touch()
    session.wipe("idle_timeout")
    session.wipe("idle_timeout")  # an inactive session wipes silently
    assert [type(e).__name__ for e in seen] == ["SessionStarted", "SessionWiped"]
    assert seen[1].reason == "idle_timeout"


def test_wipe_forgets_identity_everywhere(tmp_path):
    sensitive = SensitiveValues()
    session = Session(EventBus(), 60, clock=FakeClock(), sensitive=sensitive)
    identity = Identity("idcard", ID, NAME, {"address": "北京市东城区测试路1号"})
    session.set_identity(identity)
    session.data["case"] = "ZW2026-0001"
    assert repr(identity) == "Identity(source='idcard', id=1101**********002X, name=测***)"
    old_id = session.id
    session.wipe("finished")
    assert session.identity is None and session.data == {} and session.id != old_id
    assert identity.id_number == "" and identity.name == "" and identity.extra == {}
    assert sensitive.scrub(NAME) == NAME  # the log filter no longer needs to know the name


def test_log_file_never_holds_full_id_or_name(tmp_path):
    path = setup_logging(tmp_path, to_stderr=False)
    session = Session(EventBus(), 60, clock=FakeClock())
    identity = Identity("idcard", ID, NAME)
    session.set_identity(identity)
    log = logging.getLogger("test.privacy")
    log.info("read card %s of %s", ID, NAME)
    log.info("identity %r", identity)
    session.wipe("finished")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "1101**********002X" in text
    assert ID not in text and NAME not in text
