"""After cards are read (with faults, at DEBUG level) no log file and nothing in the data
directory holds a full ID number or a name, in any encoding a card or log could use."""
from __future__ import annotations

import logging

from drivers.idcard.people import PEOPLE
from drivers.idcard.poller import IdCardPoller
from drivers.idcard.reader import SamReader
from kiosk.logs import setup_logging


def test_no_identity_in_logs_or_data_dir(sam_sim, tmp_path, find_leaks):
    data_dir = tmp_path / "data"
    log_dir = data_dir / "log"
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    setup_logging(log_dir, level=logging.DEBUG, to_stderr=False)
    try:
        people = [PEOPLE["zhang"], PEOPLE["gat"], PEOPLE["foreigner2023"]]
        got = []
        poller = IdCardPoller(lambda: SamReader.open(sam_sim.path, timeout_s=0.3), got.append,
                              on_error=lambda exc: logging.getLogger("test").error("card error: %s", exc))
        sam_sim.faults.checksum_every = 4
        for person in people + [PEOPLE["badcheck"]]:
            sam_sim.place(person)
            poller.poll_once()
            logging.getLogger("test").info("identity event %r", got[-1] if got else None)
            sam_sim.remove()
            poller.poll_once()
            poller.poll_once()
        poller.stop()
        assert got == people
    finally:
        for handler in list(root.handlers):
            if handler not in before_handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before_level)
    assert any(log_dir.iterdir())
    secrets = [p.id_number for p in people] + [p.name for p in people] + [PEOPLE["badcheck"].id_number]
    assert find_leaks(data_dir, secrets) == []
