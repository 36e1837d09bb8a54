"""The session's rules for a read card, and no trace of the holder after the session."""
from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import replace

import pytest

from drivers.idcard.people import PEOPLE
from kiosk.events import EventBus
from kiosk.i18n import translate
from kiosk.identify import CardRefused, admit_card, check_card
from kiosk.logs import setup_logging
from kiosk.session import Session

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("key", ["zhang", "li", "ouyang", "gat", "foreigner2017", "foreigner2023"])
def test_valid_cards_are_admitted(key):
    session = Session(EventBus(), 60)
    identity = admit_card(session, PEOPLE[key], "idcard", TODAY)
    assert session.identity is identity and identity.name == PEOPLE[key].name


def test_expired_card_is_refused_with_a_clear_message():
    session = Session(EventBus(), 60)
    with pytest.raises(CardRefused) as err:
        admit_card(session, PEOPLE["expired"], "idcard", TODAY)
    assert session.identity is None
    assert translate(err.value.key) == "证件已过期，请使用有效证件，或到窗口办理"


def test_card_valid_until_today_is_still_valid():
    check_card(replace(PEOPLE["zhang"], valid_until=TODAY), TODAY)
    with pytest.raises(CardRefused):
        check_card(replace(PEOPLE["zhang"], valid_until=TODAY - dt.timedelta(days=1)), TODAY)


def test_bad_check_digit_is_refused():
    with pytest.raises(CardRefused) as err:
        check_card(PEOPLE["badcheck"], TODAY)
    assert err.value.key == "identify.invalid_number"


def test_no_trace_of_the_holder_after_a_session(tmp_path, sam_sim, find_leaks):
    """Card read from the simulator over a real pty, admitted, wiped: logs and data hold nothing."""
    from drivers.idcard.poller import poller_for_port

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    setup_logging(tmp_path / "log", level=logging.DEBUG, to_stderr=False)
    session = Session(EventBus(), 60)
    admitted = threading.Event()

    def on_identity(card):
        identity = admit_card(session, card, "idcard")
        logging.getLogger("test.flow").info("admitted %s %s %r", identity.name, identity.id_number, identity)
        admitted.set()

    poller = poller_for_port(sam_sim.path, on_identity, timeout_s=0.5)
    poller.start()
    try:
        sam_sim.place(PEOPLE["zhang"])
        assert admitted.wait(10)
    finally:
        poller.stop()
    session.wipe("finished")
    for handler in logging.getLogger().handlers:
        handler.flush()
    secrets = [PEOPLE["zhang"].id_number, PEOPLE["zhang"].name, PEOPLE["zhang"].address]
    assert find_leaks(tmp_path / "log", secrets) == []
    assert find_leaks(data_dir, secrets) == []
    assert "1101**********" in (tmp_path / "log" / "kiosk.log").read_text(encoding="utf-8")
    assert session.identity is None
