"""The demo stack on one machine: management server, a terminal and an evaluator.

Everything runs as child processes in their own process groups; ``stop()`` ends them in
reverse order (UIs first, simulators, server last). Without a display the UIs run on a
virtual one (Xvfb) and write a screenshot every few seconds into a folder the demo names,
so a person on a headless host can still watch them.
"""
from __future__ import annotations

import logging
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from kiosk.config import ConfigSection, KioskConfig, load_kiosk_config, read_toml, validate_model
from kiosk.stack.process import ManagedProcess
from kiosk.stack.simulated_devices import SimulatedDevices
from kiosk.stack.xvfb import Xvfb

if TYPE_CHECKING:
    from kiosk.stack.mgmt_server import MgmtServer

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class DemoSettings(ConfigSection):
    data_dir: Path = Path("var/demo")
    screenshot_every_s: Annotated[float, Field(gt=0)] = 5
    server_port: Annotated[int, Field(gt=0, lt=65536)] = 8700
    display_size: Annotated[str, Field(pattern=r"^\d{3,5}x\d{3,5}$")] = "2000x820"
    paper_out_at_s: Annotated[float, Field(ge=0, description="virtual printer out of paper then; 0 = never")] = 0
    paper_reload_at_s: Annotated[float, Field(ge=0, description="and a new roll then; 0 = never")] = 0


@dataclass
class DemoStack:
    config_path: Path
    settings: DemoSettings
    terminal: KioskConfig
    evaluator: KioskConfig
    processes: list[ManagedProcess] = field(default_factory=list)
    xvfb: Xvfb | None = None
    server: "MgmtServer | None" = None
    admin_password: str = ""
    simulators: SimulatedDevices | None = None

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
        return self.xvfb.env() if self.xvfb else dict(os.environ)

    def _fresh_data_dir(self) -> None:
        """Each demo starts from a clean slate; only a folder the demo made itself is removed."""
        data_dir = self.settings.data_dir
        marker = data_dir / ".kiosk-demo"
        if data_dir.exists() and marker.exists():
            shutil.rmtree(data_dir)
        elif data_dir.exists() and any(data_dir.iterdir()):
            raise RuntimeError(f"{data_dir} exists and was not made by the demo; choose another [demo] data_dir")
        data_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text("made by kiosk demo; removed at the next demo start\n", encoding="utf-8")

    def _enrol(self, config: KioskConfig) -> None:
        """Do what a technician does with the dashboard's one-time code, through the real API."""
        from kiosk.enrolment import TokenStore, enrol
        from kiosk.server_link import ServerLink

        assert self.server is not None and config.server is not None
        device = config.device
        args = ["enrol-code", "--type", config.role, "--location", device.location or device.name]
        if device.window:
            args += ["--window", device.window]
        code = self.server.cli(*args).strip().splitlines()[-1].strip()
        link = ServerLink(config.server)
        try:
            TokenStore(config.paths.data_dir).save(enrol(link, code))
        finally:
            link.close()

    def start(self) -> None:
        self._fresh_data_dir()
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("DISPLAY"):
            width, height = (int(v) for v in self.settings.display_size.split("x"))
            self.xvfb = Xvfb(width, height).start()
            log.info("no display: started Xvfb on %s", self.xvfb.display)
        self._start_server()
        self.simulators = SimulatedDevices(self.settings.data_dir / "devices")
        for config in (self.terminal, self.evaluator):
            self.simulators.start_for(config)
        for config in (self.terminal, self.evaluator):
            if config.server is not None:
                self._enrol(config)
        for role in ("terminal", "evaluator"):
            self._start_ui(role)
        self._start_window_system()

    def _start_server(self) -> None:
        """Migrate, seed the sample halls, make a demo admin, then serve on the configured port."""
        from kiosk.stack.mgmt_server import MgmtServer

        workdir = (self.settings.data_dir / "server").resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        self.server = MgmtServer(workdir=workdir, port=self.settings.server_port)
        self.server.cli("migrate")
        self.server.cli("seed-demo")
        self.admin_password = secrets.token_urlsafe(9)
        # "--password=…" in one word: a random password may begin with "-", which argparse would
        # otherwise take for an option.
        self.server.cli("create-admin", "--username", "admin", f"--password={self.admin_password}")
        self.server.start()

    def _start_ui(self, role: str) -> None:
        command = [sys.executable, "-m", "kiosk.cli", "run", "--config", str(self.config_path), "--section", role,
                   "--screenshot-dir", str(self.screenshot_dir)]
        process = ManagedProcess(role, command, env=self._env(), log_path=self.settings.data_dir / f"{role}.out")
        self.processes.append(process.start())

    def _start_window_system(self) -> None:
        """A simulated queue system that starts cases at the evaluator and invites ratings."""
        evaluator = self.evaluator.evaluator
        if evaluator is None or evaluator.api is None or not evaluator.api.enabled:
            return
        command = [sys.executable, "-m", "kiosk.cli", "sim", "window", "--port", str(evaluator.api.port),
                   "--token", evaluator.api.token, "play", "--handle-s", "15", "--pause-s", "10"]
        process = ManagedProcess("window-system", command, log_path=self.settings.data_dir / "window-system.out")
        self.processes.append(process.start())

    def check(self) -> list[str]:
        """Names of processes that have died (the supervisors restart UIs; this should stay empty)."""
        dead = [p.name for p in self.processes if not p.running()]
        if self.server is not None and not self.server.running:
            dead.append("server")
        return dead

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()
        if self.simulators is not None:
            self.simulators.stop()
            self.simulators = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.xvfb is not None:
            self.xvfb.stop()
            self.xvfb = None

    def wait(self, duration_s: float | None = None, say: Callable[[str], None] = print) -> None:
        """Run until the duration is over (or Ctrl-C), playing the scripted printer fault."""
        started = time.monotonic()
        script = [(self.settings.paper_out_at_s, "paper-out", "演示：凭条打印机缺纸 / demo: receipt printer out of paper"),
                  (self.settings.paper_reload_at_s, "reload", "演示：已换新纸卷 / demo: new paper roll loaded")]
        script = sorted(step for step in script if step[0] > 0)
        while duration_s is None or time.monotonic() - started < duration_s:
            elapsed = time.monotonic() - started
            while script and elapsed >= script[0][0]:
                _at, command, message = script.pop(0)
                printer = self._virtual_printer()
                if printer is not None:
                    printer.control(command)
                    say(message)
            time.sleep(0.5)

    def _virtual_printer(self):
        key = f"{self.terminal.device.id}:printer"
        return self.simulators.started.get(key) if self.simulators is not None else None
