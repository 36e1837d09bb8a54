"""The rating at the end of every journey: the five faces shared with the window evaluator,
the reasons for a bad rating, a skip button and a countdown; then a thank-you and home.

Leaving without a rating (skip, countdown, idle wipe) records 未评, never a good rating.
"""
from __future__ import annotations

import logging
from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from kiosk.journeys.rating import JourneyRating, terminal_ledger
from kiosk.rating import Level, RatingRefused
from screens.terminal.journey import JourneyScreen, say
from screens.widgets.rating import RatingFaces, ReasonGrid  # noqa: F401  (the shared component, in the kv file)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)

TIMEOUT_S = 30.0  # ×1.5 in 长者模式
THANKS_S = 3.0


def ledger_of(app):
    ledger = getattr(app, "_terminal_ledger", None)
    if ledger is None:
        ledger = app._terminal_ledger = terminal_ledger(app.kiosk_config)
    return ledger


class TerminalRatingScreen(JourneyScreen):
    voice_key = "voice.rate"
    mode = StringProperty("faces")  # faces | reasons | thanks
    level = StringProperty("")
    chosen = ListProperty([])
    seconds_left = NumericProperty(0)
    bad = BooleanProperty(False)
    subject = StringProperty("")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rating: JourneyRating | None = None
        self._tick = None
        self._end = None

    def on_pre_enter(self, *_args) -> None:
        super().on_pre_enter()
        app = self.app
        about = app.session.data.get("rating") or {"journey": "rate"}
        self.subject = app.tr(f"tile.{about['journey']}")
        self.mode, self.level, self.bad = "faces", "", False
        try:
            self.rating = JourneyRating(ledger_of(app), lambda record: app.record("rating", record.payload()),
                                        about.get("case_no", ""), about.get("item_name", ""))
        except RatingRefused as exc:  # already rated: nothing to ask
            log.info("no rating invitation: %s", exc.reason)
            app.finish_session("finished")
            return
        self.seconds_left = int(TIMEOUT_S * (1.5 if app.elderly else 1.0))
        self._tick = Clock.schedule_interval(self._count, 1.0)

    def _count(self, _dt) -> None:
        self.seconds_left = max(0, self.seconds_left - 1)
        if self.seconds_left == 0 and self.mode != "thanks":
            self.skip()

    def choose(self, level: str) -> None:
        if Level(level).is_bad:
            self.level = level
            self.mode = "reasons"
            self.ids.reasons.show(ledger_of(self.app).reasons, self.app.lang)
            return
        self._submit(level, ())

    def submit_reasons(self) -> None:
        if self.chosen:
            self._submit(self.level, tuple(self.chosen))

    def _submit(self, level: str, reasons: tuple[str, ...]) -> None:
        if self.rating is None:
            return
        try:
            self.rating.rate(level, reasons)
        except RatingRefused as exc:
            self.error = self.app.tr(f"evaluator.refused.{exc.reason}")
            return
        except Exception:
            log.exception("rating could not be stored")
            self.error = self.app.tr("evaluator.refused.not_recorded")
            return
        self.bad = Level(level).is_bad
        self._thanks()

    def skip(self) -> None:
        """未评: recorded as not rated, then home."""
        self._record_skip()
        self._stop_tick()
        self.app.finish_session("finished")

    def _record_skip(self) -> None:
        if self.rating is not None and self.rating.open:
            try:
                self.rating.skip()
            except Exception:
                log.exception("not-rated record could not be stored")

    def _thanks(self) -> None:
        self._stop_tick()
        self.mode = "thanks"
        say(self.app, "voice.thanks")
        self._end = Clock.schedule_once(lambda _dt: self.app.finish_session("finished"), THANKS_S)

    def _stop_tick(self) -> None:
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None

    def stop_work(self) -> None:
        super().stop_work()
        self._stop_tick()
        if self._end is not None:
            self._end.cancel()

    def back_to_faces(self) -> None:
        self.mode = "faces"
        self.level = ""

    def on_leave(self, *_args) -> None:
        self._record_skip()  # an idle wipe or home while asked: not rated
        self._stop_tick()
        if self._end is not None:
            self._end.cancel()
            self._end = None
        self.rating = None
        super().on_leave()

    def home(self) -> None:
        self.skip()
