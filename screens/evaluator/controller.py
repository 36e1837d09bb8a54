"""Wires the evaluator role: window state, local API, staff card, screen flow, hours.

``install(app)`` is the one hook :class:`screens.app.KioskApp` calls in ``on_start`` for the
evaluator role. Everything that decides (rules, state, HTTP) is in ``kiosk``; this module
only moves the screens to follow :class:`kiosk.evaluator.EvaluatorService`, on the UI
thread (service listeners fire on the API or card thread and re-schedule here).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.config import EvaluatorConfig
from kiosk.evaluator import EvaluatorService
from kiosk.events import SessionWiped
from kiosk.rating import Context, Level, RatingLedger, RatingRecord, RatingRefused, RatingRules, current_reason_list
from kiosk.screen_hours import logout_due, screen_state
from kiosk.staff import STAFF_FILE, AttemptLimiter, StaffDirectory, StaffMember

log = logging.getLogger(__name__)

RATING_SCREENS = ("evaluator_rating", "evaluator_reasons")
TICK_S = 0.5
RATED_CASES_FILE = "rated_cases.json"


class EvaluatorController:
    def __init__(self, app) -> None:
        self.app = app
        cfg = app.kiosk_config
        self.settings: EvaluatorConfig = cfg.evaluator or EvaluatorConfig()
        data_dir = Path(cfg.paths.data_dir)
        self.data_dir = data_dir
        self.staff = StaffDirectory(self.settings.staff_file or data_dir / STAFF_FILE,
                                    seed_sample=self.settings.sample_staff)
        self.pin_limiter = AttemptLimiter()
        self.reasons = current_reason_list(data_dir)
        ledger = RatingLedger(Context(cfg.device.id, cfg.device.region_code, cfg.device.window),
                              self.reasons, RatingRules(self.settings.min_interval_s, self.settings.invite_timeout_s),
                              rated_file=data_dir / RATED_CASES_FILE)
        self.service = EvaluatorService(ledger, self._persist, require_staff=self.settings.require_staff)
        self.service.subscribe(lambda kind: Clock.schedule_once(lambda _dt: self.sync(kind), 0))
        self.last_record: RatingRecord | None = None
        self.signed_in_at: dt.datetime | None = None
        self.woken_until: dt.datetime | None = None
        self.last_activity = time.monotonic()
        self.screen_state = "awake"
        self.stopped = False
        self.service_days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)  # set by the remote set_schedule command
        self._apply_stored_schedule()
        self.api = None
        self.sync_worker = None  # staff directory + reason list from the server (kiosk.sync_worker)
        self.serial_line = None  # an older queue system on a serial port (kiosk.window_serial)
        self.card_watcher = None
        self._events = []

    # ----- life cycle -------------------------------------------------------------------------------
    def start(self) -> None:
        api_cfg = self.settings.api
        if api_cfg is not None and api_cfg.enabled:
            from kiosk.window_api import WindowApi

            try:
                self.api = WindowApi(self.service, api_cfg.token, api_cfg.port, self.app.lang).start()
            except OSError as exc:
                log.error("window API could not listen on 127.0.0.1:%d: %s", api_cfg.port, exc)
        serial_cfg = self.settings.serial
        if serial_cfg is not None and serial_cfg.enabled:
            from kiosk.window_serial import start_window_serial

            self.serial_line = start_window_serial(self.service, serial_cfg.port, serial_cfg.baudrate,
                                                   serial_cfg.reconnect_s)
        staffcard = self.app.kiosk_config.devices.staffcard
        if staffcard is not None:
            threading.Thread(target=self._start_card_watcher, args=(staffcard,), daemon=True,
                             name="staffcard-start").start()
        self._events.append(Clock.schedule_interval(self._tick, TICK_S))
        Window.bind(on_touch_down=self._on_touch)
        self.app.bind(on_stop=lambda *_: self.stop())
        self._events.append(Clock.schedule_interval(self._register_commands, 1.0))
        # the app's idle wipe sends everything home; come back to the case or the open invitation
        self.app.bus.subscribe(SessionWiped, lambda _e: Clock.schedule_once(lambda _dt: self.sync("wipe"), 0.05))

    def _start_card_watcher(self, staffcard) -> None:
        try:
            from kiosk.hardware import staff_card_watcher

            watcher = staff_card_watcher(staffcard, lambda uid: Clock.schedule_once(lambda _dt: self.card(uid), 0))
            watcher.start()
            self.card_watcher = watcher
            if self.stopped:  # the app stopped while the reader was being opened
                watcher.stop()
        except Exception:  # pyscard missing or broken: PIN sign-in still works
            log.exception("staff card reader not available")

    def stop(self) -> None:
        self.stopped = True
        for event in self._events:
            event.cancel()
        self._events.clear()
        Window.unbind(on_touch_down=self._on_touch)
        if self.api is not None:
            self.api.stop()
            self.api = None
        if self.card_watcher is not None:
            self.card_watcher.stop()
            self.card_watcher = None
        if self.serial_line is not None:
            self.serial_line.stop(timeout=2.0)
            self.serial_line = None
        if self.sync_worker is not None:
            self.sync_worker.stop(timeout=1.0)
            self.sync_worker = None

    def _register_commands(self, *_args) -> bool:
        """Once reporting is up (it starts after the first frame): screen hours from the dashboard."""
        if self.app.reporting is None:
            return True  # keep polling
        self.app.reporting.register_command("set_schedule", self._set_schedule)
        from kiosk.sync_worker import start_server_sync

        self.sync_worker = start_server_sync(
            self.app.kiosk_config, self.app.reporting, staff=self.staff, interval_s=self.settings.sync_interval_s,
            on_staff=lambda: Clock.schedule_once(lambda _dt: self._staff_updated(), 0),
            on_reasons=lambda new: Clock.schedule_once(lambda _dt: self._reasons_updated(new), 0))
        return False

    def _staff_updated(self) -> None:
        """A new directory from the server: a staff member no longer in it is signed out."""
        current = self.service.staff
        if current is not None and self.staff.get(current.staff_no) is None:
            self.logout("removed")
        self.sync("staff")

    def _reasons_updated(self, reasons) -> None:
        """A newer reason list for the next bad rating; not while one is on screen (its codes must stay valid)."""
        if self.app.manager.current in RATING_SCREENS:
            Clock.schedule_once(lambda _dt: self._reasons_updated(reasons), 1.0)
            return
        self.reasons = reasons
        self.service.ledger.set_reasons(reasons)

    def _set_schedule(self, command):
        """Remote ``set_schedule`` (reporter thread): kept on disk (it outlives a restart, as on the
        terminal) and applied from the next tick."""
        from kiosk.remote_commands import CommandResult
        from kiosk.screen_schedule import ScheduleStore, ScreenSchedule

        args = command.args
        ScheduleStore(self.data_dir).save(ScreenSchedule(args.on, args.off, tuple(args.days)))
        self.settings = self.settings.replace(wake_at=args.on, sleep_at=args.off)
        self.service_days = tuple(args.days)
        return CommandResult.ok(wake_at=args.on, sleep_at=args.off)

    def _apply_stored_schedule(self) -> None:
        """Screen hours a technician set remotely win over the config file's, until set again."""
        from kiosk.screen_schedule import ScheduleStore

        stored = ScheduleStore(self.data_dir).load()
        if stored is not None:
            self.settings = self.settings.replace(wake_at=stored.on, sleep_at=stored.off)
            self.service_days = stored.days

    # ----- rating -----------------------------------------------------------------------------------
    def _persist(self, record: RatingRecord) -> None:
        """Durable before anything else: the outbox has the rating when this returns."""
        self.app.record("rating", record.payload())

    def submit(self, level: Level, reasons: tuple[str, ...] = ()) -> bool:
        """Called by the rating screens; shows the thank-you screen only after the record is stored."""
        try:
            self.last_record = self.service.submit(level, reasons)
        except RatingRefused as exc:
            self.app.show_toast(self.app.tr(f"evaluator.refused.{exc.reason}"))
            return False
        except Exception:
            log.exception("rating could not be stored")
            self.app.show_toast(self.app.tr("evaluator.refused.not_recorded"))
            return False
        self.app.show("evaluator_thanks")
        return True

    def invite_by_staff(self) -> None:
        try:
            self.service.invite("staff", consultation=self.service.case is None)
        except RatingRefused as exc:
            self.app.show_toast(self.app.tr(f"evaluator.refused.{exc.reason}"))

    # ----- staff ----------------------------------------------------------------------------------------
    def card(self, uid: str) -> None:
        if self.stopped:
            return
        member = self.staff.by_card(uid)
        if member is None:
            self.app.show_toast(self.app.tr("evaluator.ui.unknown_card"))
            return
        current = self.service.staff
        if current is not None and current.staff_no == member.staff_no:
            self.logout()
        else:
            self.login(member)

    def login(self, member: StaffMember) -> None:
        self.signed_in_at = dt.datetime.now()
        self.service.login(member)
        self.app.show_toast(self.app.tr("evaluator.ui.signed_in", name=member.name))

    def logout(self, reason: str = "request") -> None:
        self.service.logout(reason)
        self.signed_in_at = None
        self.app.show_toast(self.app.tr("evaluator.ui.signed_out"))

    # ----- screen flow ----------------------------------------------------------------------------------
    def state_screen(self) -> str:
        return "evaluator_serving" if self.service.case is not None and not self.service.paused else "home"

    def sync(self, kind: str = "") -> None:
        """Bring the screen in line with the service (UI thread)."""
        if self.stopped:
            return
        self._navigate(kind)
        for screen in self.app.manager.screens:
            for widget in screen.walk(restrict=True):
                if hasattr(widget, "show_state"):
                    widget.show_state(self)

    def _navigate(self, kind: str) -> None:
        app, service = self.app, self.service
        current = app.manager.current
        if kind in ("case", "invite"):
            self.wake()
        if service.invitation is not None:
            if current not in RATING_SCREENS:
                app.show("evaluator_rating")
            return
        if current in RATING_SCREENS or current in ("home", "evaluator_serving"):
            target = self.state_screen()
            if current != target:
                app.show(target)
        elif current == "evaluator_login" and service.staff is not None:
            app.show(self.state_screen())

    def after_thanks(self) -> None:
        if not self.stopped and self.app.manager.current == "evaluator_thanks":
            self.app.show(self.state_screen())

    # ----- hours ------------------------------------------------------------------------------------------
    def wake(self) -> None:
        """A touch or a new case: awake now, and for ``dim_after_s`` even outside the hours."""
        self.last_activity = time.monotonic()
        self.woken_until = dt.datetime.now() + dt.timedelta(seconds=self.settings.dim_after_s)
        if self.screen_state != "awake":
            self._apply_state("awake")

    def _on_touch(self, *_args) -> bool:
        # while dimmed or asleep the Dimmer layer swallows the touch and calls wake()
        if self.screen_state == "awake":
            self.last_activity = time.monotonic()
        return False

    def _apply_state(self, state: str) -> None:
        from screens.widgets.dimmer import apply_screen_state

        self.screen_state = state
        apply_screen_state(self.app, state, on_wake=self.wake)

    def _tick(self, *_args) -> None:
        self.service.expire_due()
        now = dt.datetime.now()
        if self.signed_in_at is not None and logout_due(self.signed_in_at, now, self.settings.logout_at):
            self.logout("end_of_day")
        woken = self.woken_until is not None and now < self.woken_until
        busy = self.service.invitation is not None or self.app.manager.current in RATING_SCREENS
        if busy:
            state = "awake"
        elif now.isoweekday() not in self.service_days:  # a closed day (remote set_schedule): dark unless woken
            state = "awake" if woken else "asleep"
        else:
            state = screen_state(now, time.monotonic() - self.last_activity, self.settings.wake_at,
                                 self.settings.sleep_at, self.settings.dim_after_s, woken)
        if state != self.screen_state:
            self._apply_state(state)


def install(app) -> EvaluatorController:
    """The hook called from ``KioskApp.on_start`` for the evaluator role."""
    controller = EvaluatorController(app)
    app.evaluator = controller
    controller.start()
    Clock.schedule_once(lambda _dt: controller.sync(), 0)
    return controller


def controller_of(app) -> EvaluatorController:
    return app.evaluator
