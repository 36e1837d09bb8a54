"""The state of one service window, shared by the local API thread and the evaluator UI.

The window system (through :mod:`kiosk.window_api`) and the screens change the same state:
who is signed in, whether the window is paused, the current case and the open invitation.
Keeping it here, without Kivy, means the API answers at once and truthfully (a refused
invitation is refused in the HTTP answer, not later on screen), the rules are testable
without a display, and the terminal can reuse :mod:`kiosk.rating` without this class.

Listeners are called after every change, outside the lock, from whichever thread made the
change; the UI re-schedules onto its own thread. A rating is persisted (outbox) inside
:meth:`submit` *before* it returns, so the thank-you screen can only follow a durable record.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.rating import Case, Invitation, Level, Persist, RatingLedger, RatingRecord, RatingRefused, Trigger
from kiosk.staff import StaffMember

log = logging.getLogger(__name__)

Listener = Callable[[str], None]
"""Gets the kind of change: ``staff``, ``pause``, ``case``, ``invite``, ``result``."""


@dataclass(frozen=True)
class Result:
    """What the window system learns about an invitation (no applicant data)."""

    invitation_id: str
    state: str  # pending, rated, not_rated
    case_no: str = ""
    level: str | None = None
    bad: bool = False
    reasons: tuple[str, ...] = ()
    rating_id: str = ""
    rated_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"invitation_id": self.invitation_id, "state": self.state, "case_no": self.case_no,
                "level": self.level, "bad": self.bad, "reasons": list(self.reasons), "rating_id": self.rating_id,
                "rated_at": self.rated_at}


def _result_of(record: RatingRecord) -> Result:
    return Result(record.invitation_id, record.outcome, record.case.case_no if record.case else "",
                  record.level.value if record.level else None, bool(record.level and record.level.is_bad),
                  record.reasons, record.id, record.rated_at)


class EvaluatorService:
    def __init__(self, ledger: RatingLedger, persist: Persist, *, require_staff: bool = True,
                 clock: Callable[[], float] = time.monotonic, keep_results: int = 500) -> None:
        self.ledger = ledger
        self._persist = persist
        self.require_staff = require_staff
        self._clock = clock
        self._keep = keep_results
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self._result_hooks: list[Callable[[Invitation, Result], None]] = []
        self.staff: StaffMember | None = None
        self.paused = False
        self.case: Case | None = None
        self.invitation: Invitation | None = None
        self._results: OrderedDict[str, Result] = OrderedDict()

    # ----- observers ---------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def on_result(self, hook: Callable[[Invitation, Result], None]) -> None:
        """Called once per finished invitation (rated or not rated), e.g. the API's callback."""
        self._result_hooks.append(hook)

    def _notify(self, kind: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind)
            except Exception:
                log.exception("evaluator listener failed on %s", kind)

    def _finished(self, invitation: Invitation, result: Result) -> None:
        for hook in list(self._result_hooks):
            try:
                hook(invitation, result)
            except Exception:
                log.exception("result hook failed")

    # ----- staff and pause ----------------------------------------------------------------------
    def login(self, member: StaffMember) -> None:
        with self._lock:
            self.staff = member
            self.ledger.set_staff(member.staff_no)
        log.info("staff %s signed in", member.staff_no)
        self._notify("staff")

    def logout(self, reason: str = "request") -> None:
        """Sign out; an open invitation ends as not rated, the case is closed."""
        with self._lock:
            if self.staff is None:
                return
            log.info("staff %s signed out (%s)", self.staff.staff_no, reason)
            self._close_invitation()
            self.staff, self.case = None, None
            self.ledger.set_staff("")
        self._notify("staff")

    def pause(self) -> None:
        with self._lock:
            self._close_invitation()
            self.paused = True
        self._notify("pause")

    def resume(self) -> None:
        with self._lock:
            self.paused = False
        self._notify("pause")

    # ----- cases and invitations ----------------------------------------------------------------
    def _check_serving(self) -> None:
        if self.paused:
            raise RatingRefused("paused")
        if self.require_staff and self.staff is None:
            raise RatingRefused("no_staff")

    def start_case(self, case: Case) -> None:
        """A new case at the window; an invitation still open for the previous one ends unrated."""
        with self._lock:
            self._check_serving()
            self._close_invitation()
            self.case = case
            self.ledger.case_started(case.case_no)
        self._notify("case")

    def end_case(self) -> None:
        with self._lock:
            self._close_invitation()
            self.case = None
        self._notify("case")

    def invite(self, trigger: Trigger = "window_system", consultation: bool = False) -> Invitation:
        """Ask the applicant to rate the current case (or a consultation without a case).

        Idempotent while an invitation is open: the window system may retry its request.
        """
        with self._lock:
            self._check_serving()
            if self.invitation is not None:
                return self.invitation
            case = None if consultation else self.case
            invitation = self.ledger.invite(case, trigger)
            self.invitation = invitation
            self._store(Result(invitation.id, "pending", case.case_no if case else ""))
        self._notify("invite")
        return invitation

    def submit(self, level: Level, reasons: tuple[str, ...] = (), text: str = "") -> RatingRecord:
        """The applicant's rating of the open invitation, written durably before it returns.

        Raises RatingRefused (``no_invitation``, ``reason_required`` …) or the persist error
        (``OutboxFull``); in both cases nothing is recorded and the invitation stays open.
        """
        with self._lock:
            invitation = self.invitation
            if invitation is None:
                raise RatingRefused("no_invitation")
            record = self.ledger.rate(invitation, level, self._persist, reasons, text)
            result = _result_of(record)
            self._store(result)
            self.invitation = None
        self._finished(invitation, result)
        self._notify("result")
        return record

    def expire_due(self) -> RatingRecord | None:
        """End an invitation whose time is up as not rated (called by the UI tick and the API)."""
        with self._lock:
            if self.invitation is None or not self.invitation.expired(self._clock()):
                return None
            record = self._close_invitation()
        self._notify("result")
        return record

    def cancel_invitation(self) -> RatingRecord | None:
        """Staff or the window system withdraws the invitation: recorded as not rated."""
        with self._lock:
            record = self._close_invitation()
        if record is not None:
            self._notify("result")
        return record

    def _close_invitation(self) -> RatingRecord | None:
        invitation = self.invitation
        if invitation is None:
            return None
        self.invitation = None
        try:
            record = self.ledger.not_rated(invitation, self._persist)
        except Exception:
            log.exception("could not record a not-rated invitation")
            return None
        result = _result_of(record)
        self._store(result)
        self._finished(invitation, result)
        return record

    # ----- queries --------------------------------------------------------------------------------
    def _store(self, result: Result) -> None:
        self._results[result.invitation_id] = result
        self._results.move_to_end(result.invitation_id)
        while len(self._results) > self._keep:
            self._results.popitem(last=False)

    def result(self, invitation_id: str) -> Result | None:
        self.expire_due()
        with self._lock:
            return self._results.get(invitation_id)

    def status(self) -> dict[str, Any]:
        self.expire_due()
        with self._lock:
            case = self.case
            return {
                "paused": self.paused,
                "staff": {"staff_no": self.staff.staff_no, "name": self.staff.name} if self.staff else None,
                "case": {"case_no": case.case_no, "item_name": case.item_name, "rated":
                         self.ledger.is_rated(case.case_no)} if case else None,
                "invitation": {"invitation_id": self.invitation.id,
                               "seconds_left": max(0, round(self.invitation.timeout_s
                                                            - (self._clock() - self.invitation.invited_at)))}
                if self.invitation else None,
            }
