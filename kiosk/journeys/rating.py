"""The self-service rating (好差评) at the end of every terminal journey.

One ledger per terminal (channel ``terminal``); each journey's invitation is rated once, or
recorded as 未评 (``not_rated``) when the citizen skips it or walks away: an unanswered
invitation never counts as a good rating. Only a case created here (自助申报) is rated as a
case; a guide, a query or a print is rated as a consultation (no case number).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.rating import Case, Context, Invitation, Level, RatingLedger, RatingRecord, RatingRules, current_reason_list

RATED_FILE = "terminal_rated.json"


def terminal_ledger(config) -> RatingLedger:
    """The terminal's ledger: its device and region, reasons from the data directory (pushed) or assets."""
    data_dir = Path(config.paths.data_dir)
    context = Context(device_id=config.device.id, region_code=config.device.region_code or "", channel="terminal")
    # One invitation per journey is the flow's own guard against repeated ratings.
    rules = RatingRules(min_interval_s=0.0, invite_timeout_s=30.0)
    return RatingLedger(context, current_reason_list(data_dir), rules, rated_file=data_dir / RATED_FILE)


class JourneyRating:
    """One journey's invitation and its single outcome (rated or not rated)."""

    def __init__(self, ledger: RatingLedger, persist: Callable[[RatingRecord], None], case_no: str = "",
                 item_name: str = "") -> None:
        self.ledger = ledger
        self._persist = persist
        case = Case(case_no, item_name[:100]) if case_no else None
        self.invitation: Invitation = ledger.invite(case, "applicant")
        self.record: RatingRecord | None = None

    @property
    def open(self) -> bool:
        return self.record is None

    def rate(self, level: Level | str, reasons: tuple[str, ...] = ()) -> RatingRecord:
        """Persist the rating (RatingRefused for a bad level without a reason)."""
        if self.record is not None:
            return self.record
        self.record = self.ledger.rate(self.invitation, Level(level), self._persist, reasons)
        return self.record

    def skip(self) -> RatingRecord | None:
        """Skipped or walked away: 未评, once."""
        if self.record is not None:
            return None
        self.record = self.ledger.not_rated(self.invitation, self._persist)
        return self.record
