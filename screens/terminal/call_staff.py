"""The 呼叫工作人员 tile: queue the call, ring the local chime, confirm on screen.

The confirmation says the call went out even while the network is down: the event waits in
the outbox and reaches the dashboard when the link is back, and the chime already alerts staff
nearby.
"""
from __future__ import annotations

import logging
import weakref
from pathlib import Path

from kiosk.call_staff import StaffCaller
from screens.voice import play_wav

log = logging.getLogger(__name__)

CHIME = Path(__file__).resolve().parents[2] / "assets" / "sounds" / "chime.wav"
CONFIRM_S = 8.0

_callers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def caller_of(app) -> StaffCaller:
    """One caller per app, so its rate limit spans every press in that app."""
    caller = _callers.get(app)
    if caller is None:
        caller = StaffCaller(app.record, app.kiosk_config.ui.call_staff_interval_s)
        _callers[app] = caller
    return caller


def call_staff(app) -> bool:
    """Handle one press of the tile; returns whether a call was queued. Never raises."""
    try:
        sent = caller_of(app).press()
    except Exception:  # outbox full or unwritable: the citizen must still get an answer
        log.exception("call_staff could not be queued")
        app.show_toast(app.tr("home.out_of_service"), CONFIRM_S)
        return False
    if not sent:
        app.show_toast(app.tr("call_staff.too_soon"), CONFIRM_S)
        return False
    log.info("call_staff queued")
    try:
        app.record("usage", {"function": "call_staff", "outcome": "success"})
    except Exception:
        log.exception("call_staff usage not recorded")
    play_wav(CHIME)
    app.show_toast(app.tr("call_staff.sent"), CONFIRM_S)
    app.say("voice.call_staff")
    return True
