"""The screenshot gallery: every screen of both roles, as a person would review them.

``python -m screens.gallery --out docs/screenshots`` (or ``kiosk screenshots``) builds the
real app for each scenario on a virtual display and saves one PNG per screen. Only
fictitious sample data appears.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "config" / "demo.toml"


def _scenarios() -> list[tuple[str, str, Callable]]:
    """(file name, demo.toml section, how to bring the app into the state)."""

    def lang(code):
        return lambda d: d.app.set_language(code)

    def elderly(d):
        d.app.set_elderly(True)
        d.app.toast_text = ""

    def maintenance_pin(d):
        d.app.show("maintenance_pin")

    def maintenance(d):
        d.app.show("maintenance")
        d.wait_for(lambda: bool(d.app.device_rows), timeout=10)

    nothing = lambda d: None  # noqa: E731
    return [
        ("terminal_home.png", "terminal", nothing),
        ("terminal_home_en.png", "terminal", lang("en")),
        ("terminal_home_elderly.png", "terminal", elderly),
        ("evaluator_idle.png", "evaluator", nothing),
        ("evaluator_idle_en.png", "evaluator", lang("en")),
        ("maintenance_pin.png", "terminal", maintenance_pin),
        ("maintenance.png", "terminal", maintenance),
    ]


def _gallery_config(section: str, tmp: Path):
    from kiosk.config import KioskConfig, load_kiosk_config

    config = load_kiosk_config(DEMO_CONFIG, section)
    data = config.model_dump(mode="json")
    data["paths"] = {"data_dir": str(tmp / section), "log_dir": str(tmp / section / "log")}
    data["server"] = None  # no live link: the status corner stays neutral in the docs
    return KioskConfig.model_validate(data)


def render(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        from screens.boot import configure_kivy

        configure_kivy(_gallery_config("terminal", tmp))
        from screens.driver import UiDriver

        written = []
        for file_name, section, prepare in _scenarios():
            driver = UiDriver.start(_gallery_config(section, tmp))
            try:
                prepare(driver)
                driver.pump(seconds=0.3, frames=5)
                written.append(driver.screenshot(out_dir / file_name))
            finally:
                driver.stop()
        return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m screens.gallery")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    xvfb = None
    if not os.environ.get("DISPLAY"):
        from kiosk.stack.xvfb import Xvfb

        xvfb = Xvfb(1280, 800).start()
        os.environ["DISPLAY"] = xvfb.display
    try:
        for path in render(args.out):
            print(path)
    finally:
        if xvfb is not None:
            xvfb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
