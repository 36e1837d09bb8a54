"""The one Kivy App for both roles: a self-service terminal or a window evaluator.

The App owns only cross-cutting things: language, elderly mode, the session's idle
timeout, the liveness heartbeat, the hidden maintenance gesture and periodic screenshots.
Each screen is its own module with its own ``.kv`` file; screens call ``kiosk`` only.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, DictProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.hardware import Health
from kiosk import __version__
from kiosk.config import KioskConfig
from kiosk.events import EventBus, SessionWiped
from kiosk.gc_policy import IdleCollector
from kiosk.i18n import format_datetime, translate
from kiosk.logs import setup_logging
from kiosk.exit_codes import EXIT_RESTART
from kiosk.lock_state import LockState
from kiosk.screen_schedule import ScheduleStore, ScreenSchedule
from kiosk.session import Session
from screens.screenshot import save_window_png
from screens.theme import ELDERLY_SCALE, HIGH_CONTRAST, STANDARD, Palette, register_cjk_font, rgba
from screens.widgets.corner import CornerTapDetector

log = logging.getLogger(__name__)

KV_DIR = Path(__file__).parent
IDLE_COLLECT_AFTER_S = 10.0  # untouched this long between visits: a full collection may run (every 60 s)

Builder.load_file(str(KV_DIR / "common.kv"))


class KioskRoot(FloatLayout):
    """Screen manager below, the maintenance corner and the toast line above it."""


class KioskApp(App):
    lang = StringProperty("zh_CN")
    elderly = BooleanProperty(False)
    scale = NumericProperty(1.0)
    palette = ObjectProperty(STANDARD)
    clock_text = StringProperty("")
    toast_text = StringProperty("")
    device_health = DictProperty({})
    device_rows = ListProperty([])
    pending_reports = NumericProperty(-1)  # -1: reporting not started yet

    def __init__(self, config: KioskConfig, heartbeat_fd: int | None = None, screenshot_dir: Path | None = None,
                 exit_after_first_frame: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.title = translate(f"app.{config.role}_title", config.ui.language)
        self.lang = config.ui.language
        self.heartbeat_fd = heartbeat_fd
        self.screenshot_dir = screenshot_dir or config.ui.screenshot_dir
        self.exit_after_first_frame = exit_after_first_frame
        self.exit_code = 0
        self.bus = EventBus()
        self.session = Session(self.bus, config.ui.idle_timeout_s)
        self.lock_state = LockState(config.paths.data_dir)
        self.bus.subscribe(SessionWiped, lambda e: Clock.schedule_once(lambda _dt: self._after_visit(), 0))
        self.gc = IdleCollector()  # full collections when nobody waits (kiosk/gc_policy.py)
        self._clock_events: list = []
        self._checks_lock = threading.Lock()
        self._checks_running = False  # a device-check round is under way
        self._checks_again = False  # asked for while one ran: run one more round after it
        self.reporting = None  # kiosk.reporting.Reporting, built after the first frame
        self._reporting_lock = threading.RLock()
        self._stopped = False
        self._toast_event = None
        self._woken_until: dt.datetime | None = None
        self._backend = None  # kiosk.backend: built on first use (imports HTTP libraries)
        self._voice = None  # screens.voice.VoicePrompter, built when 长者模式 first needs it
        self._backend_lock = threading.Lock()

    # ----- helpers used from kv -------------------------------------------------
    def tr(self, key: str, *_bindings, **values) -> str:
        """Translate; kv passes ``app.lang`` as an extra argument so the text follows the language."""
        return translate(key, self.lang, **values)

    def col(self, name: str, _palette: Palette | None = None, index: int | None = None, alpha: float = 1.0):
        value = getattr(self.palette, name)
        return rgba(value[index % len(value)] if index is not None else value, alpha)

    def sp(self, size: float, _scale: float | None = None) -> float:
        return sp(size * self.scale)

    def dp(self, size: float, _scale: float | None = None) -> float:
        return dp(size * self.scale)

    # ----- building ------------------------------------------------------------------
    def build(self):
        cfg = self.kiosk_config
        setup_logging(Path(cfg.paths.log_dir), to_stderr=False)
        register_cjk_font(cfg.ui.font)
        log.info("starting %s %s as %s, config %s", cfg.device.id, __version__, cfg.role, cfg.config_version)
        root = KioskRoot()
        self.manager: ScreenManager = root.ids.manager
        self.manager.transition = NoTransition()
        for screen in self._role_screens():
            self.manager.add_widget(screen)
        corner: CornerTapDetector = root.ids.corner
        corner.taps_needed = cfg.maintenance.corner_taps
        corner.window_s = cfg.maintenance.corner_window_s
        corner.bind(on_gesture=lambda *_: self.open_maintenance())
        self.manager.current = self.home_screen_name
        if self.lock_state.locked:
            Clock.schedule_once(lambda _dt: self.go_home(), 0)
        return root

    def _role_screens(self):
        if self.kiosk_config.role == "terminal":
            from screens.terminal.home import HomeScreen

            return [HomeScreen(name="home")]
        from screens.evaluator.idle import EvaluatorIdleScreen

        return [EvaluatorIdleScreen(name="home")]

    # Screens other than home are built on first use: less work before the first frame.
    LAZY_SCREENS = {
        "maintenance_pin": "screens.maintenance.pin:PinScreen",
        "maintenance": "screens.maintenance.panel:MaintenanceScreen",
        "locked": "screens.locked:LockedScreen",
        "out_of_service": "screens.terminal.out_of_service:OutOfServiceScreen",
        "evaluator_serving": "screens.evaluator.serving:EvaluatorServingScreen",
        "evaluator_rating": "screens.evaluator.rating:EvaluatorRatingScreen",
        "evaluator_reasons": "screens.evaluator.reasons:EvaluatorReasonsScreen",
        "evaluator_thanks": "screens.evaluator.thanks:EvaluatorThanksScreen",
        "evaluator_login": "screens.evaluator.login:EvaluatorLoginScreen",
        # the terminal's citizen journeys (issue 11)
        "identify": "screens.terminal.identify:IdentifyScreen",
        "guide": "screens.terminal.guide:GuideScreen",
        "guide_detail": "screens.terminal.guide_detail:GuideDetailScreen",
        "progress": "screens.terminal.progress:ProgressScreen",
        "print": "screens.terminal.print:PrintScreen",
        "declare": "screens.terminal.declare:DeclareScreen",
        "terminal_rating": "screens.terminal.terminal_rating:TerminalRatingScreen",
    }

    def show(self, name: str) -> None:
        """Switch to a screen, building it first if this is its first use."""
        if not self.manager.has_screen(name):
            module_name, class_name = self.LAZY_SCREENS[name].split(":")
            import importlib

            self.manager.add_widget(getattr(importlib.import_module(module_name), class_name)(name=name))
        self.manager.current = name

    @property
    def home_screen_name(self) -> str:
        return "home"

    def on_start(self) -> None:
        self.gc.install()
        Window.bind(on_request_close=self._refuse_close, on_keyboard=self._on_keyboard)
        Window.bind(on_touch_down=self._on_activity)
        self._tick()
        self._schedule(self._tick, 1.0)
        if self.screenshot_dir:
            self._schedule(self._write_screenshot, self.kiosk_config.ui.screenshot_every_s)
        if self.exit_after_first_frame:
            Window.bind(on_flip=self._first_frame)
        if self.kiosk_config.role == "evaluator":
            from screens.evaluator.controller import install

            install(self)  # window state, local API, staff card, screen flow (issue 10)
        # Device checks and reporting import HTTP and serial libraries: start them after the first frame.
        # (kept with the other events so that an app stopped within the first second starts neither)
        self._clock_events.append(Clock.schedule_once(lambda _dt: self.refresh_device_health(), 1.5))
        self._clock_events.append(Clock.schedule_once(lambda _dt: self._start_reporting(), 1.0))
        self._schedule(lambda _dt: self.refresh_device_health(), 60.0)
        self._schedule(self._poll_reporting, 5.0)
        if self.kiosk_config.role == "terminal":
            from screens.terminal.out_of_service import install as watch_service

            watch_service(self)  # out-of-service screen while no citizen service is usable
            from screens.terminal.idle import install as watch_idle

            watch_idle(self)  # the "more time?" countdown and 长者模式's slower timeout
            self._apply_screen_schedule()
            self._schedule(lambda _dt: self._apply_screen_schedule(), 20.0)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: Clock.schedule_once(lambda _dt: self.stop(), 0))

    def _schedule(self, func, interval: float) -> None:
        self._clock_events.append(Clock.schedule_interval(func, interval))

    def on_stop(self) -> None:
        self._stopped = True
        self.gc.uninstall()
        for event in self._clock_events:
            event.cancel()
        self._clock_events.clear()
        if self._toast_event is not None:
            self._toast_event.cancel()
        with self._reporting_lock:  # a start still under way sees _stopped and does nothing
            reporting, self.reporting = self.reporting, None
            server_sync, self.server_sync = getattr(self, "server_sync", None), None
        if server_sync is not None:  # staff/reason refresh worker (terminal role)
            server_sync.stop(timeout=1.0)
        if reporting is not None:
            reporting.stop()
        if self._voice is not None:
            self._voice.close()
        close = getattr(self._backend, "close", None)
        if close is not None:
            close()
        Window.unbind(on_request_close=self._refuse_close, on_keyboard=self._on_keyboard)
        Window.unbind(on_touch_down=self._on_activity)
        self.session.wipe("shutdown")

    # ----- liveness, clock, idle ------------------------------------------------------
    def _tick(self, *_args) -> None:
        """Runs on the UI thread every second: a frozen UI stops the heartbeat."""
        self.clock_text = format_datetime(dt.datetime.now(), self.lang)
        if self.heartbeat_fd is not None:
            try:
                os.write(self.heartbeat_fd, b".")
            except (BlockingIOError, BrokenPipeError, OSError):
                pass
        if self.session.is_idle():
            log.info("idle for %.0f s: wiping the session", self.session.idle_for())
            self.session.wipe("idle_timeout")
            self.show_toast(self.tr("idle.returning"))
        elif not self.session.active and self.session.idle_for() >= IDLE_COLLECT_AFTER_S:
            self.gc.collect_if_due(idle=True)

    def _after_visit(self) -> None:
        """Home, and a full garbage collection once its frame is drawn (nobody is waiting then)."""
        self.go_home()
        self._clock_events.append(Clock.schedule_once(lambda _dt: self._collect_after_visit(), 0.5))

    def _collect_after_visit(self) -> None:
        if not self._stopped and not self.session.active:  # not if the next citizen already touched
            self.gc.collect()

    def _on_activity(self, *_args) -> bool:
        self.session.touch()
        return False

    def _first_frame(self, *_args) -> None:
        Window.unbind(on_flip=self._first_frame)
        print("FIRST_FRAME", flush=True)
        Clock.schedule_once(lambda _dt: self.stop(), 0)

    # ----- navigation -----------------------------------------------------------------
    def go_home(self) -> None:
        """Home, or the out-of-service screen while the device is locked."""
        if self.lock_state.locked:
            self.show("locked")
        elif self.manager.current != self.home_screen_name:
            self.manager.current = self.home_screen_name

    def set_locked(self, locked: bool, message: str = "") -> None:
        if locked:
            self.lock_state.lock(message)
            self.session.wipe("locked")
            log.info("device locked remotely")
        else:
            self.lock_state.unlock()
            log.info("device unlocked remotely")
        if self.manager.current in (self.home_screen_name, "locked"):
            self.go_home()

    def finish_session(self, reason: str = "finished") -> None:
        self.session.wipe(reason)
        self.go_home()

    def open_maintenance(self) -> None:
        log.info("maintenance gesture: asking for the PIN")
        self.show("maintenance_pin")

    def restart(self) -> None:
        log.info("restart requested from the maintenance screen")
        self.exit_code = EXIT_RESTART
        self.stop()

    def set_language(self, language: str) -> None:
        self.lang = language

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "zh_CN" else "zh_CN")

    def set_elderly(self, on: bool) -> None:
        self.elderly = on
        self.scale = ELDERLY_SCALE if on else 1.0
        self.palette = HIGH_CONTRAST if on else STANDARD
        self.show_toast(self.tr("home.elderly_on" if on else "home.elderly_off"))
        if self.kiosk_config.role != "terminal":
            return  # the evaluator speaks its own invitation (screens.evaluator.rating)
        if on:
            self.voice.prerender()  # every step's prompt ready before the citizen reaches it
            self.say("voice.home")
        elif self._voice is not None:
            self._voice.stop()

    @property
    def voice(self):
        """The spoken prompts of 长者模式 (screens.voice.VoicePrompter), built on first use."""
        if self._voice is None:
            from screens.voice import VoicePrompter

            speaker = self.kiosk_config.devices.speaker
            self._voice = VoicePrompter(lambda: self.lang, Path(self.kiosk_config.paths.data_dir) / "voice",
                                        speaker.voice if speaker else None)
        return self._voice

    def say(self, key: str) -> None:
        """Speak the prompt ``key`` (``voice.identify`` ...) in 长者模式; otherwise nothing. Never raises."""
        if not self.elderly or self.kiosk_config.role != "terminal":
            return
        try:
            self.voice.say(key)
        except Exception:
            log.exception("voice prompt %s failed", key)

    def show_toast(self, text: str, seconds: float = 4.0) -> None:
        self.toast_text = text
        if self._toast_event is not None:
            self._toast_event.cancel()
        self._toast_event = Clock.schedule_once(lambda _dt: setattr(self, "toast_text", ""), seconds)

    # ----- screen hours (terminal) -----------------------------------------------------
    def _apply_screen_schedule(self) -> None:
        """Dark outside the scheduled hours, unless someone is using or has just touched it."""
        schedule = ScheduleStore(self.kiosk_config.paths.data_dir).load()
        if schedule is None and getattr(self, "_dimmer", None) is None:
            return
        now = dt.datetime.now()
        woken = self._woken_until is not None and now < self._woken_until
        awake = schedule is None or schedule.is_on(now) or woken or self.session.active
        from screens.widgets.dimmer import apply_screen_state

        apply_screen_state(self, "awake" if awake else "asleep", on_wake=self._wake_screen)

    def _wake_screen(self) -> None:
        self._woken_until = dt.datetime.now() + dt.timedelta(seconds=2 * self.kiosk_config.ui.idle_timeout_s)
        self._apply_screen_schedule()

    # ----- reporting to the management server ------------------------------------------
    def _ensure_reporting(self):
        """The outbox and reporter, built on first need (thread-safe)."""
        with self._reporting_lock:
            if self.reporting is None:
                from kiosk.probes import device_probes
                from kiosk.reporting import Reporting

                self.reporting = Reporting(self.kiosk_config, probes=device_probes(self.kiosk_config),
                                           screen=self._screen_for_commands)
                self._register_commands(self.reporting)
            return self.reporting

    def _screen_for_commands(self) -> str:
        """Home or locked with nobody identified counts as idle: safe for a remote screenshot."""
        current = self.manager.current
        idle = current in (self.home_screen_name, "locked") and self.session.identity is None
        return "idle" if idle else current

    def _register_commands(self, reporting) -> None:
        """Remote commands this app carries out; the others are acknowledged as not supported."""
        from kiosk.remote_commands import CommandResult

        def on_ui_thread(func, timeout_s: float = 10.0):
            done, box = threading.Event(), {}

            def run(_dt):
                try:
                    box["value"] = func()
                finally:
                    done.set()

            Clock.schedule_once(run, 0)
            if not done.wait(timeout_s):
                return CommandResult("failed", "ui_timeout")
            return box.get("value", CommandResult("failed", "handler_error"))

        def restart(_command):
            Clock.schedule_once(lambda _dt: self.restart(), 0.5)  # after the ack is queued
            return CommandResult.ok()

        def screenshot(command):
            path = Path(self.kiosk_config.paths.data_dir) / "screenshots" / f"remote-{command.id}.png"
            return on_ui_thread(lambda: CommandResult.ok(saved=str(save_window_png(path))))

        def lock(command):
            def apply():
                self.set_locked(True, command.args.message)
                return CommandResult.ok()

            return on_ui_thread(apply)

        def unlock(_command):
            def apply():
                self.set_locked(False)
                return CommandResult.ok()

            return on_ui_thread(apply)

        def update_catalog(_command):
            """Runs on the reporter thread, which owns the server link."""
            from kiosk.catalog_cache import CatalogCache, CatalogRefreshError

            if reporting.reporter is None:
                return CommandResult.refused("no_server")
            try:
                changed = CatalogCache(self.kiosk_config.paths.data_dir).refresh(reporting.reporter.link)
            except CatalogRefreshError as exc:
                return CommandResult("failed", exc.reason)
            return CommandResult.ok(changed=changed)

        def set_schedule(command):
            schedule = ScreenSchedule(command.args.on, command.args.off, tuple(command.args.days))
            ScheduleStore(self.kiosk_config.paths.data_dir).save(schedule)
            Clock.schedule_once(lambda _dt: self._apply_screen_schedule(), 0)
            return CommandResult.ok(on=schedule.on, off=schedule.off, days=list(schedule.days))

        if self.kiosk_config.role == "terminal":  # the evaluator's controller has its own screen hours
            reporting.register_command("set_schedule", set_schedule)
        reporting.register_command("update_catalog", update_catalog)
        reporting.register_command("restart_app", restart)
        reporting.register_command("reload_config", restart)  # the UI reads its config file when it starts
        reporting.register_command("screenshot", screenshot)
        reporting.register_command("lock", lock)
        reporting.register_command("unlock", unlock)

    def _start_server_sync(self, reporting) -> None:
        """The terminal's staff/reason refresh (the evaluator's controller runs its own, with staff)."""
        if self.kiosk_config.role != "terminal":
            return
        from kiosk.sync_worker import start_server_sync

        def reasons_installed(new) -> None:  # worker thread; the next bad rating uses the new list
            ledger = getattr(self, "_terminal_ledger", None)
            if ledger is not None:
                ledger.set_reasons(new)

        self.server_sync = start_server_sync(self.kiosk_config, reporting, on_reasons=reasons_installed)

    def _start_reporting(self) -> None:
        """Start heartbeats and delivery off the UI thread (imports HTTP libraries)."""

        def work() -> None:
            try:
                with self._reporting_lock:
                    if self._stopped:  # the app stopped before this thread ran: start nothing
                        return
                    reporting = self._ensure_reporting().start()
                    self._start_server_sync(reporting)
            except Exception:
                log.exception("reporting could not start; events stay in the outbox")

        threading.Thread(target=work, name="reporting-start", daemon=True).start()

    def _poll_reporting(self, *_args) -> None:
        if self.reporting is not None:
            self.pending_reports = self.reporting.outbox.pending_count()

    def record(self, event_type: str, payload: dict) -> None:
        """Queue a usage, rating or fault event durably before the UI moves on."""
        self._ensure_reporting().record(event_type, payload)

    @property
    def built_backend(self):
        """The backend if something has built (or set) it already; ``None`` otherwise. Builds nothing."""
        return self._backend

    @property
    def backend(self):
        """The content backend (catalog, cases, certificates, applications), built on first use."""
        with self._backend_lock:
            if self._backend is None:
                from kiosk.backend.factory import make_backend

                self._backend = make_backend(self.kiosk_config)
            return self._backend

    # ----- devices --------------------------------------------------------------------
    def refresh_device_health(self) -> None:
        """Probe devices in a worker thread (never on the UI thread) and publish the result.

        A request made while a check runs is not dropped: that check may have probed a device
        before the change the caller wants to see (a technician opens the printer cover and taps
        刷新), so one more round follows it. Requests made meanwhile are coalesced into that round.
        """
        with self._checks_lock:
            if self._checks_running:
                self._checks_again = True
                return
            self._checks_running = True

        def work() -> None:
            from kiosk.doctor import run_checks

            while True:
                try:
                    rows = run_checks(self.kiosk_config)
                except Exception:
                    log.exception("device checks failed")
                    rows = []
                Clock.schedule_once(lambda _dt, rows=rows: self._apply_rows(rows), 0)
                with self._checks_lock:
                    if not self._checks_again or self._stopped:
                        self._checks_running = False
                        return
                    self._checks_again = False

        threading.Thread(target=work, name="device-checks", daemon=True).start()

    @property
    def device_checks_running(self) -> bool:
        """A device-check round (or one asked for after it) is still to finish."""
        return self._checks_running

    def _apply_rows(self, rows) -> None:
        if self._stopped:
            return  # a late answer for an app that has ended
        self.device_rows = rows
        self.device_health = {r.device: r.health for r in rows}

    def health_of(self, device: str) -> Health | None:
        return self.device_health.get(device)

    # ----- kiosk lock-down --------------------------------------------------------------
    def _refuse_close(self, *_args, **_kwargs) -> bool:
        log.info("window close request refused (kiosk mode)")
        return True

    def _on_keyboard(self, _window, key, *_args) -> bool:
        return key == 27  # Esc (and Android back) is swallowed

    def _write_screenshot(self, *_args) -> None:
        # Only screens without a citizen's data are ever written to disk.
        if self.session.identity is not None or self.manager.current not in ("home", "maintenance"):
            return
        try:
            save_window_png(Path(self.screenshot_dir) / f"{self.kiosk_config.device.id}.png")
        except Exception:
            log.exception("screenshot failed")
