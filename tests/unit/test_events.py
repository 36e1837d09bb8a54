from dataclasses import dataclass

from kiosk.events import Event, EventBus, UserActivity


@dataclass(frozen=True)
class Ping(Event):
    n: int


def test_subscribers_get_their_type_and_subclasses_only():
    bus = EventBus()
    pings, everything = [], []
    bus.subscribe(Ping, pings.append)
    bus.subscribe(Event, everything.append)
    bus.publish(Ping(1))
    bus.publish(UserActivity())
    assert [p.n for p in pings] == [1]
    assert len(everything) == 2


def test_failing_handler_does_not_stop_others(caplog):
    bus = EventBus()
    got = []
    bus.subscribe(Ping, lambda e: 1 / 0)
    bus.subscribe(Ping, got.append)
    assert bus.publish(Ping(2)) == 1
    assert got and "failed on Ping" in caplog.text


def test_unsubscribe():
    bus = EventBus()
    got = []
    off = bus.subscribe(Ping, got.append)
    off()
    bus.publish(Ping(3))
    assert got == []
