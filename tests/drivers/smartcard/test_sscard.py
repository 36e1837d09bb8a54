"""Social-security and staff cards through real pcscd + vsmartcard-vpcd."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from drivers.idcard.people import PEOPLE
from drivers.smartcard import errors
from drivers.smartcard.pcsc import PcscSession
from drivers.smartcard.simulator import CardFaults, SocialSecurityCard, StaffCard
from drivers.smartcard.sscard import read_sscard, read_uid
from drivers.smartcard.watcher import CardWatcher, staffcard_watcher

pytestmark = pytest.mark.pcsc
SS_READER, STAFF_READER = "Virtual PCD 00 00", "Virtual PCD 00 01"


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def session():
    s = PcscSession()
    yield s
    s.close()


def test_reads_social_security_identity(vpcd_card, session):
    vpcd_card(SocialSecurityCard(PEOPLE["zhang"]))
    assert wait_for(lambda: session.card_present(SS_READER))
    with session.connect(SS_READER) as conn:
        identity = read_sscard(conn)
    z = PEOPLE["zhang"]
    assert (identity.name, identity.id_number, identity.birth_date, identity.sex, identity.nation) == \
        (z.name, z.id_number, z.birth_date, "男", "汉族")
    assert identity.valid_until == z.valid_until
    assert z.name not in repr(identity)


def test_a_probe_during_a_read_waits_for_it(vpcd_card, session):
    """The device-health probe selects the application; were it to do so between our SELECT EF
    and READ RECORD the card would answer 69 86 (CI saw that). The read's transaction holds it off."""
    import threading

    from drivers.smartcard.probe import probe_sscard
    from drivers.smartcard.sscard import EF05, REC_EXPIRY, SSSE_AID, exchange, read_record, select_aid, select_file

    vpcd_card(SocialSecurityCard(PEOPLE["zhang"]))
    assert wait_for(lambda: session.card_present(SS_READER))
    probed: list = []
    probe = threading.Thread(target=lambda: probed.append(probe_sscard(type("C", (), {"reader": SS_READER}))))
    with session.connect(SS_READER) as conn:
        exchange(conn, select_aid(SSSE_AID), "select SSSE")
        exchange(conn, select_file(EF05), "select EF05")
        probe.start()
        probe.join(1.0)
        assert probe.is_alive() and not probed  # waiting for our transaction, not selecting
        assert read_record(conn, REC_EXPIRY) == bytes.fromhex(PEOPLE["zhang"].valid_until.strftime("%Y%m%d"))
    probe.join(10)
    assert probed and probed[0].state.value == "ok", probed


def test_staff_card_uid(vpcd_card, session):
    vpcd_card(StaffCard("04A1B2C3D4E5F6"), port=35964)
    assert wait_for(lambda: session.card_present(STAFF_READER))
    with session.connect(STAFF_READER) as conn:
        assert read_uid(conn) == "04A1B2C3D4E5F6"


def test_wrong_aid_is_typed(vpcd_card, session):
    vpcd_card(SocialSecurityCard(PEOPLE["li"], faults=CardFaults(wrong_aid=True)))
    assert wait_for(lambda: session.card_present(SS_READER))
    with session.connect(SS_READER) as conn, pytest.raises(errors.ApplicationNotFound) as info:
        read_sscard(conn)
    assert info.value.sw == 0x6A82


def test_staff_card_is_not_a_social_security_card(vpcd_card, session):
    vpcd_card(StaffCard())
    assert wait_for(lambda: session.card_present(SS_READER))
    with session.connect(SS_READER) as conn, pytest.raises(errors.StatusWordError):
        read_sscard(conn)


def test_card_pulled_mid_read(vpcd_card, session):
    vpcd_card(SocialSecurityCard(PEOPLE["zhang"], faults=CardFaults(pull_after=4)))
    assert wait_for(lambda: session.card_present(SS_READER))
    with pytest.raises(errors.SmartCardError) as info:
        with session.connect(SS_READER) as conn:
            read_sscard(conn)
    assert not isinstance(info.value, errors.CardDataError)


def test_invalid_number_is_card_data_error(vpcd_card, session):
    vpcd_card(SocialSecurityCard(PEOPLE["badcheck"]))
    assert wait_for(lambda: session.card_present(SS_READER))
    with session.connect(SS_READER) as conn, pytest.raises(errors.CardDataError):
        read_sscard(conn)


def test_missing_reader(session, pcscd):
    with pytest.raises(errors.ReaderMissing):
        session.find_reader("No Such Reader")


def test_watcher_reads_once_and_notices_removal(vpcd_card, pcscd):
    got, removed, health = [], [], []
    watcher = staffcard_watcher(got.append, reader=STAFF_READER, on_removed=lambda: removed.append(1),
                                on_health=lambda h: health.append(h.reason))
    try:
        watcher.poll_once()
        assert watcher.health.is_ok and got == []
        card = vpcd_card(StaffCard("11223344"), port=35964)
        assert wait_for(lambda: (watcher.poll_once(), got)[1] != [])
        for _ in range(3):
            watcher.poll_once()
        assert got == ["11223344"]
        card.remove()
        assert wait_for(lambda: (watcher.poll_once(), removed)[1] != [])
    finally:
        watcher.stop()


def test_watcher_survives_pcscd_restart(vpcd_card, pcscd):
    if not pcscd.owned:
        pytest.skip("pcscd belongs to someone else; not restarting it")
    got, health = [], []
    watcher = CardWatcher(read_sscard, got.append, reader=SS_READER, on_health=lambda h: health.append(h.reason))
    try:
        watcher.poll_once()
        rebuilds = watcher.session.rebuilds
        pcscd.stop()
        watcher.poll_once()
        assert watcher.health.is_fault and watcher.health.reason == "pcscd_unreachable"
        pcscd.start()
        vpcd_card(SocialSecurityCard(PEOPLE["li"]))
        assert wait_for(lambda: (watcher.poll_once(), got)[1] != [])
        assert watcher.health.is_ok and watcher.session.rebuilds > rebuilds
        assert got[0].id_number == PEOPLE["li"].id_number
    finally:
        watcher.stop()


def test_read_card_cli_pcsc(vpcd_card):
    vpcd_card(SocialSecurityCard(PEOPLE["li"]))
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "read-card", "--pcsc", SS_READER, "--json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["id_number_masked"].startswith(PEOPLE["li"].id_number[:4]) and "*" in data["id_number_masked"]
    assert PEOPLE["li"].id_number not in out.stdout
    assert data["name"] == PEOPLE["li"].name and data["birth_date"] == "1958-11-20"


def test_probes(vpcd_card, pcscd):
    from types import SimpleNamespace

    from drivers.smartcard.probe import probe_sscard, probe_staffcard

    assert probe_sscard(SimpleNamespace(reader=SS_READER)).is_ok
    assert probe_staffcard(SimpleNamespace(reader="Nope")).reason == "reader_missing"
    vpcd_card(StaffCard(), port=35964)
    session = PcscSession()
    assert wait_for(lambda: session.card_present(STAFF_READER))
    session.close()
    assert "UID" in probe_staffcard(SimpleNamespace(reader=STAFF_READER)).detail


def test_sim_process_with_faults(pcscd, session):
    from kiosk.stack.vcard import VirtualCardSimulator

    with VirtualCardSimulator(kind="sscard", port=35963, card="zhang", args=["--removed"]) as sim:
        assert sim.reader == SS_READER
        assert not session.card_present(SS_READER)
        sim.send("fault wrong-aid")
        sim.insert()
        assert wait_for(lambda: session.card_present(SS_READER))
        with session.connect(SS_READER) as conn, pytest.raises(errors.ApplicationNotFound):
            read_sscard(conn)
        sim.remove()
        assert wait_for(lambda: not session.card_present(SS_READER))
        sim.send("fault clear")
        sim.card_holder("li")
        sim.insert()
        assert wait_for(lambda: session.card_present(SS_READER))
        with session.connect(SS_READER) as conn:
            assert read_sscard(conn).id_number == PEOPLE["li"].id_number
        sim.remove()
        assert wait_for(lambda: not session.card_present(SS_READER))


def test_no_identity_in_logs_after_sscard_read(vpcd_card, tmp_path, find_leaks):
    import logging

    from drivers.smartcard.watcher import sscard_watcher
    from kiosk.logs import setup_logging

    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    setup_logging(tmp_path / "data" / "log", level=logging.DEBUG, to_stderr=False)
    got = []
    watcher = sscard_watcher(got.append, reader=SS_READER)
    try:
        vpcd_card(SocialSecurityCard(PEOPLE["zhang"]))
        assert wait_for(lambda: (watcher.poll_once(), got)[1] != [])
        logging.getLogger("test").info("identity event %r", got[0])
    finally:
        watcher.stop()
        for handler in list(root.handlers):
            if handler not in before_handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before_level)
    assert find_leaks(tmp_path / "data", [PEOPLE["zhang"].id_number, PEOPLE["zhang"].name]) == []


def test_read_card_cli_refuses_a_staff_card(vpcd_card):
    vpcd_card(StaffCard())
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "read-card", "--pcsc", SS_READER, "--json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 5 and out.stdout == "" and "card refused" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
