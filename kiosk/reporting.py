"""Reporting for one kiosk, wired from its config: the one object the UI app holds.

It owns the outbox, the health monitor, the command dispatcher and (when the config has a
``[server]`` section) the reporter thread, and starts and stops them together. A kiosk
without a server still records everything in its outbox, so nothing is lost when a server
is configured later.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from drivers.health import Health
from kiosk.config import KioskConfig
from kiosk.health_monitor import HealthMonitor, HealthProbe
from kiosk.outbox import Outbox, OutboxEvent
from kiosk.remote_commands import SCREENSHOT_SAFE_SCREENS, CommandDispatcher, Handler
from kiosk.report_events import scrub
from kiosk.reporter import Reporter, ReporterSettings, ReporterStatus

OUTBOX_FILE = "outbox.sqlite3"


def outbox_path(config: KioskConfig) -> Path:
    return Path(config.paths.data_dir) / OUTBOX_FILE


class Reporting:
    """``start()`` once the app is up, ``stop()`` on the way out; everything else is thread-safe."""

    def __init__(
        self,
        config: KioskConfig,
        *,
        probes: Mapping[str, HealthProbe] | None = None,
        screen: Callable[[], str] = lambda: "unknown",
        safe_screens: frozenset[str] = SCREENSHOT_SAFE_SCREENS,
        settings: ReporterSettings = ReporterSettings(),
        health_interval_s: float = 5.0,
    ) -> None:
        self.config = config
        self.outbox = Outbox(outbox_path(config), config.device.id)
        self.monitor = HealthMonitor(self.outbox, {**(probes or {}), "outbox": self.outbox.health},
                                     interval_s=health_interval_s, config_version=config.config_version,
                                     disk_path=config.paths.data_dir)
        self.commands = CommandDispatcher(self.outbox, screen=screen, safe_screens=safe_screens)
        self.reporter: Reporter | None = None
        if config.server is not None:
            self.reporter = Reporter(self.outbox, config.server, config.paths.data_dir, settings=settings,
                                     heartbeat=self.monitor.heartbeat_payload, on_commands=self.commands.handle)

    def start(self) -> "Reporting":
        self.monitor.start()
        if self.reporter is not None:
            self.reporter.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.monitor.stop(timeout)
        if self.reporter is not None:
            self.reporter.stop(timeout)
        self.outbox.close()

    def record(self, type_: str, payload: Mapping[str, Any]) -> OutboxEvent:
        """Durably queue one event (payload masked); raises ``OutboxFull`` when it cannot be kept."""
        return self.outbox.enqueue(type_, scrub(payload))

    def register_command(self, name: str, handler: Handler) -> None:
        self.commands.register(name, handler)

    def status(self) -> ReporterStatus:
        if self.reporter is not None:
            return self.reporter.status()
        return ReporterStatus(self.outbox.pending_count(), None, Health.degraded("no_server", "no [server] in config"),
                              None, self.outbox.rejected_count())
