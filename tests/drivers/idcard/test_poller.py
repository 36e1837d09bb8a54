"""The polling thread: read once, not again while the card stays, notice removal, and
survive the port going away (health fault) and coming back (health ok)."""
from __future__ import annotations

import threading

from drivers.idcard.people import PEOPLE
from drivers.idcard.poller import IdCardPoller
from drivers.idcard.protocol import Command
from drivers.idcard.reader import SamReader


class Recorder:
    def __init__(self):
        self.identities, self.removed, self.errors, self.health = [], 0, [], []
        self.event = threading.Event()

    def on_identity(self, identity):
        self.identities.append(identity)
        self.event.set()

    def on_removed(self):
        self.removed += 1
        self.event.set()

    def on_error(self, exc):
        self.errors.append(exc)
        self.event.set()

    def on_health(self, health):
        self.health.append((health.state.value, health.reason))
        self.event.set()


def make_poller(sim, rec, interval=0.02):
    return IdCardPoller(lambda: SamReader.open(sim.path, timeout_s=0.3), rec.on_identity, rec.on_removed,
                        rec.on_error, rec.on_health, poll_interval_s=interval)


def reads(sim):
    return sum(1 for c in sim.commands if c == Command.READ_TEXT_PHOTO.value)


def test_reads_once_while_the_card_stays_then_notices_removal(sam_sim):
    rec = Recorder()
    poller = make_poller(sam_sim, rec)
    poller.poll_once()
    assert rec.health == [("ok", "")] and rec.identities == []
    sam_sim.place(PEOPLE["zhang"])
    for _ in range(5):
        poller.poll_once()
    assert rec.identities == [PEOPLE["zhang"]] and reads(sam_sim) == 1
    sam_sim.remove()
    poller.poll_once()
    poller.poll_once()
    assert rec.removed == 1
    sam_sim.place(PEOPLE["li"])
    poller.poll_once()
    assert rec.identities[-1] == PEOPLE["li"] and reads(sam_sim) == 2
    poller.stop()


def test_bad_card_is_reported_once_not_read_in_a_loop(sam_sim):
    rec = Recorder()
    poller = make_poller(sam_sim, rec)
    sam_sim.place(PEOPLE["badcheck"])
    for _ in range(4):
        poller.poll_once()
    assert len(rec.errors) == 1 and rec.identities == [] and reads(sam_sim) == 1
    poller.stop()


def test_port_disappears_and_comes_back(sam_sim):
    rec = Recorder()
    poller = make_poller(sam_sim, rec)
    sam_sim.place(PEOPLE["zhang"])
    poller.poll_once()
    assert rec.identities == [PEOPLE["zhang"]]
    sam_sim.unplug()
    poller.poll_once()
    poller.poll_once()
    assert rec.health[-1] == ("fault", "port_missing")
    assert poller.health.is_fault and rec.removed == 1
    sam_sim.replug()
    poller.poll_once()
    assert rec.health[-1] == ("ok", "")
    assert rec.identities == [PEOPLE["zhang"], PEOPLE["zhang"]]  # the card is read again after replug
    poller.stop()


def test_sam_failure_is_a_health_fault(sam_sim):
    rec = Recorder()
    poller = make_poller(sam_sim, rec)
    poller.poll_once()
    sam_sim.faults.sam_failed = True
    poller.poll_once()
    assert rec.health[-1] == ("fault", "sam_self_test")
    sam_sim.faults.sam_failed = False
    poller.poll_once()
    assert rec.health[-1] == ("ok", "")
    poller.stop()


def test_thread_delivers_identity(sam_sim):
    rec = Recorder()
    with make_poller(sam_sim, rec):
        sam_sim.place(PEOPLE["foreigner2023"])
        for _ in range(100):
            if rec.identities:
                break
            rec.event.wait(0.1)
            rec.event.clear()
    assert rec.identities == [PEOPLE["foreigner2023"]]


def test_poller_for_port_from_settings(sam_sim):
    from drivers.idcard.poller import poller_for_port

    rec = Recorder()
    poller = poller_for_port(sam_sim.path, rec.on_identity, timeout_s=0.3, on_health=rec.on_health)
    sam_sim.place(PEOPLE["ouyang"])
    poller.poll_once()
    assert rec.identities == [PEOPLE["ouyang"]] and rec.health == [("ok", "")]
    poller.stop()
