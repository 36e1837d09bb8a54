"""The maintenance screen: identity of the device, versions, and every device's state."""
from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import StringProperty
from screens.base import KioskScreen

from kiosk import __version__

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class MaintenanceScreen(KioskScreen):
    info_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._refresh = Clock.create_trigger(lambda _dt: self.refresh())
        self.app.bind(device_rows=self._refresh, lang=self._refresh)

    def on_pre_enter(self, *_args) -> None:
        self.app.refresh_device_health()
        self.refresh()

    def refresh(self) -> None:
        if not self.app_running:
            return
        app = self.app
        cfg = app.kiosk_config
        self.info_text = "    ".join([
            f"{app.tr('maintenance.device_id')}: {cfg.device.id}",
            f"{app.tr('maintenance.app_version')}: {__version__}",
            f"{app.tr('maintenance.config_version')}: {cfg.config_version}",
        ])
        table = self.ids.table
        table.clear_widgets()
        headers = ("maintenance.device", "maintenance.link", "maintenance.state", "maintenance.reason")
        for key in headers:
            table.add_widget(Factory.MaintLabel(text=app.tr(key), bold=True))
        for row in app.device_rows:
            health = row.health
            reason = app.tr(f"health.{health.reason}") if health.reason else ""
            colour = {"ok": "ok", "degraded": "warn", "fault": "fault"}[health.state.value]
            table.add_widget(Factory.MaintLabel(text=app.tr(f"device.{row.device}")))
            table.add_widget(Factory.MaintLabel(text=row.link))
            table.add_widget(Factory.MaintLabel(text=app.tr(f"health.{health.state.value}"), color=app.col(colour)))
            table.add_widget(Factory.MaintLabel(text=reason))
