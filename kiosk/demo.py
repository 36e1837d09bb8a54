"""The demo stack on one machine: management server, a terminal and an evaluator.

Everything runs as child processes in their own process groups; ``stop()`` ends them in
reverse order (UIs first, simulators, server last). Without a display the UIs run on a
virtual one (Xvfb) and write a screenshot every few seconds into a folder the demo names,
so a person on a headless host can still watch them.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from kiosk.config import KioskConfig, StrictModel, load_kiosk_config, read_toml, validate_model
from kiosk.stack.process import ManagedProcess
from kiosk.stack.xvfb import Xvfb

log = logging.getLogger(__name__)


class DemoSettings(StrictModel):
    data_dir: Path = Path("var/demo")
    screenshot_every_s: float = Field(default=5, gt=0)
    server_port: int = Field(default=8700, gt=0, lt=65536)
    display_size: str = Field(default="2000x820", pattern=r"^\d{3,5}x\d{3,5}$")


@dataclass
class DemoStack:
    config_path: Path
    settings: DemoSettings
    terminal: KioskConfig
    evaluator: KioskConfig
    processes: list[ManagedProcess] = field(default_factory=list)
    xvfb: Xvfb | None = None

    @classmethod
    def load(cls, config_path: str | Path) -> "DemoStack":
        path = Path(config_path)
        data = read_toml(path)
        settings = validate_model(DemoSettings, data.get("demo", {}), path, ("demo",))
        return cls(path, settings, load_kiosk_config(path, "terminal"), load_kiosk_config(path, "evaluator"))

    @property
    def screenshot_dir(self) -> Path:
        return self.settings.data_dir / "screenshots"

    @property
    def server_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.server_port}"

    def _env(self) -> dict[str, str]:
        env = self.xvfb.env() if self.xvfb else dict(os.environ)
        env.setdefault("KIVY_NO_CONSOLELOG", "1")
        return env

    def start(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("DISPLAY"):
            width, height = (int(v) for v in self.settings.display_size.split("x"))
            self.xvfb = Xvfb(width, height).start()
            log.info("no display: started Xvfb on %s", self.xvfb.display)
        self._start_server()
        for role in ("terminal", "evaluator"):
            self._start_ui(role)

    def _start_server(self) -> None:
        from kiosk.stack.mgmt_server import ManagementServer

        server = ManagementServer(self.settings.data_dir / "server", port=self.settings.server_port,
                                  log_path=self.settings.data_dir / "server.log")
        server.start()
        self.processes.append(server)  # type: ignore[arg-type]

    def _start_ui(self, role: str) -> None:
        command = [sys.executable, "-m", "kiosk.cli", "run", "--config", str(self.config_path), "--section", role,
                   "--screenshot-dir", str(self.screenshot_dir)]
        process = ManagedProcess(role, command, env=self._env(), log_path=self.settings.data_dir / f"{role}.out")
        self.processes.append(process.start())

    def check(self) -> list[str]:
        """Names of processes that have died (the supervisors restart UIs; this should stay empty)."""
        return [p.name for p in self.processes if not p.running()]

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()
        if self.xvfb is not None:
            self.xvfb.stop()
            self.xvfb = None

    def wait(self, duration_s: float | None = None) -> None:
        deadline = None if duration_s is None else time.monotonic() + duration_s
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.5)
