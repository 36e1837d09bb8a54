"""The PC/SC polling loop's reactions, driven step by step with a scripted session
(pcscd gone, reader unplugged, card in, card out); the real-pcscd versions are in
test_sscard.py."""
from __future__ import annotations

from contextlib import contextmanager

from drivers.smartcard.errors import CardDataError, PcscUnavailable, ReaderMissing
from drivers.smartcard.watcher import CardWatcher


class ScriptedSession:
    def __init__(self):
        self.state = "ok"  # ok | no_pcscd | no_reader
        self.present = False
        self.invalidated = 0
        self.connects = 0

    def find_reader(self, wanted):
        if self.state == "no_pcscd":
            raise PcscUnavailable("cannot reach pcscd")
        if self.state == "no_reader":
            raise ReaderMissing("no reader")
        return "Reader 0"

    def card_present(self, name):
        return self.present

    @contextmanager
    def connect(self, name):
        self.connects += 1
        yield object()

    def invalidate(self):
        self.invalidated += 1

    close = invalidate


def make(read=lambda conn: "card"):
    events, health = [], []
    session = ScriptedSession()
    watcher = CardWatcher(read, events.append, on_removed=lambda: events.append("removed"),
                          on_error=lambda exc: events.append(type(exc).__name__),
                          on_health=lambda h: health.append(h.reason or h.state.value), session=session)
    return watcher, session, events, health


def test_reader_unplugged_and_back():
    watcher, session, events, health = make()
    session.present = True
    watcher.poll_once()
    assert events == ["card"]
    session.state = "no_reader"
    watcher.poll_once()
    assert health[-1] == "reader_missing" and events == ["card", "removed"]
    session.state = "ok"
    watcher.poll_once()
    assert health[-1] == "ok" and events == ["card", "removed", "card"]


def test_pcscd_gone_invalidates_the_context():
    watcher, session, events, health = make()
    watcher.poll_once()
    session.state = "no_pcscd"
    watcher.poll_once()
    assert health == ["ok", "pcscd_unreachable"] and session.invalidated == 1
    session.state = "ok"
    watcher.poll_once()
    assert health[-1] == "ok"


def test_card_read_once_while_present():
    watcher, session, events, _ = make()
    session.present = True
    for _ in range(4):
        watcher.poll_once()
    assert events == ["card"] and session.connects == 1
    session.present = False
    watcher.poll_once()
    assert events == ["card", "removed"]


def test_bad_card_reported_once():
    def bad(conn):
        raise CardDataError("not a card we know")

    watcher, session, events, _ = make(bad)
    session.present = True
    for _ in range(3):
        watcher.poll_once()
    assert events == ["CardDataError"] and session.connects == 1
