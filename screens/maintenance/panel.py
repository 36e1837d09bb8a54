"""The maintenance screen: the device's identity and versions, every device's state, self-tests.

Reached through the corner gesture and the PIN. A technician sees at a glance what is at fault,
whether the server link works and how many reports wait, runs each device's self-test (a real
print, card read, code scan and page capture) with its result on screen, and can lock the
terminal (citizens then see the out-of-service screen), unlock it, or restart the app.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, StringProperty

from kiosk import __version__
from kiosk.self_tests import SELF_TESTS, SelfTestResult
from screens.base import KioskScreen

Builder.load_file(str(Path(__file__).with_suffix(".kv")))
log = logging.getLogger(__name__)


class MaintenanceScreen(KioskScreen):
    info_text = StringProperty("")
    link_text = StringProperty("")
    faults_text = StringProperty("")
    results = DictProperty({})  # self-test name -> text shown under its button
    running = DictProperty({})  # self-test name -> True while it runs
    locked = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._refresh = Clock.create_trigger(lambda _dt: self.refresh())
        self.app.bind(device_rows=self._refresh, lang=self._refresh, pending_reports=self._refresh)

    def on_pre_enter(self, *_args) -> None:
        self.app.refresh_device_health()
        self.refresh()

    def refresh(self) -> None:
        if not self.app_running:
            return
        app = self.app
        cfg = app.kiosk_config
        self.locked = app.lock_state.locked
        self.info_text = "    ".join([
            f"{app.tr('maintenance.device_id')}: {cfg.device.id}",
            f"{app.tr('maintenance.app_version')}: {__version__}",
            f"{app.tr('maintenance.config_version')}: {cfg.config_version}",
        ])
        self.link_text = "    ".join([self._server_text(), self._pending_text()]
                                     + ([app.tr("maintenance.locked_state")] if self.locked else []))
        faults = [f"{app.tr(f'device.{row.device}')}（{self._reason(row.health.reason)}）"
                  for row in app.device_rows if row.health.is_fault]
        self.faults_text = (app.tr("maintenance.faults", faults="、".join(faults)) if faults
                            else app.tr("maintenance.no_faults"))
        table = self.ids.table
        table.clear_widgets()
        headers = ("maintenance.device", "maintenance.link", "maintenance.state", "maintenance.reason")
        for key in headers:
            table.add_widget(Factory.MaintLabel(text=app.tr(key), bold=True))
        for row in app.device_rows:
            health = row.health
            colour = {"ok": "ok", "degraded": "warn", "fault": "fault"}[health.state.value]
            table.add_widget(Factory.MaintLabel(text=app.tr(f"device.{row.device}")))
            table.add_widget(Factory.MaintLabel(text=row.link))
            table.add_widget(Factory.MaintLabel(text=app.tr(f"health.{health.state.value}"), color=app.col(colour)))
            table.add_widget(Factory.MaintLabel(text=self._reason(health.reason)))

    def _reason(self, reason: str) -> str:
        return self.app.tr(f"health.{reason}") if reason else ""

    def _server_text(self) -> str:
        app = self.app
        label = app.tr("device.server")
        if app.kiosk_config.server is None:
            return f"{label}: {app.tr('health.no_server')}"
        health = app.health_of("server")
        if health is None:
            return f"{label}: {app.tr('maintenance.checking')}"
        state = app.tr("health.ok") if health.is_ok else self._reason(health.reason) or app.tr("health.fault")
        return f"{label}: {state}"

    def _pending_text(self) -> str:
        pending = int(self.app.pending_reports)
        if pending < 0:  # reporting has not started (yet)
            return self.app.tr("maintenance.pending_unknown")
        return self.app.tr("maintenance.pending", count=pending)

    # ----- self-tests -----------------------------------------------------------------------
    def run_self_test(self, name: str) -> None:
        """Run one self-test in a worker thread; its result replaces "running" when it ends."""
        if self.running.get(name):
            return
        test, _devices = SELF_TESTS[name]
        app = self.app
        self.running[name] = True
        self._set_result(name, app.tr("selftest.running"), "")
        config = app.kiosk_config

        def work() -> None:
            try:
                result = test(config)
            except Exception:  # a self-test must end with a message, whatever breaks
                log.exception("self-test %s failed", name)
                result = SelfTestResult(False, "selftest.failed", {"reason": "driver_error", "detail": ""})
            log.info("self-test %s: %s", name, result.key)
            Clock.schedule_once(lambda _dt: self._show_result(name, result), 0)

        threading.Thread(target=work, name=f"self-test-{name}", daemon=True).start()

    def _show_result(self, name: str, result: SelfTestResult) -> None:
        self.running[name] = False
        if not self.app_running:
            return
        app = self.app
        values = dict(result.values)
        if "reason" in values:
            values["reason"] = self._reason(values["reason"]) or values["reason"]
        text = app.tr(result.key, **values)
        if values.get("warning"):
            text += f"（{self._reason(values['warning'])}）"
        self._set_result(name, text, "ok" if result.ok else "fault")
        app.refresh_device_health()  # a self-test often reveals (or clears) a fault

    def _set_result(self, name: str, text: str, outcome: str) -> None:
        self.results[name] = text
        box = self.ids.get(f"test_{name}")
        if box is not None:
            box.result, box.outcome = text, outcome

    # ----- lock, restart ------------------------------------------------------------------------
    def toggle_lock(self) -> None:
        app = self.app
        if app.lock_state.locked:
            app.lock_state.unlock()
            log.info("device unlocked from the maintenance screen")
        else:
            app.lock_state.lock(app.tr("home.out_of_service"))  # shown when the technician leaves
            log.info("device locked from the maintenance screen")
        self.refresh()
