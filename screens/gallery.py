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
        *_evaluator_scenarios(),
        ("maintenance_pin.png", "terminal", maintenance_pin),
        ("maintenance.png", "terminal", maintenance),
    ]


def _evaluator_scenarios() -> list[tuple[str, str, Callable]]:
    """Every evaluator screen (issue 10), with fictitious sample staff and cases."""
    from kiosk.rating import Case, Level

    case_numbers: list[str] = []

    def signed_in(d):
        ev = d.app.evaluator
        ev.login(ev.staff.by_card("04A1B2C3"))
        d.app.toast_text = ""
        d.pump(frames=3)
        return ev

    def with_case(d):
        ev = signed_in(d)
        case_numbers.append(f"ZW2026112300{12 + len(case_numbers)}")  # scenarios share one data dir
        ev.service.start_case(Case(case_numbers[-1], "居住证签注", "000105001", "11110105000105001000001", "张*"))
        d.pump(frames=3)
        return ev

    def invited(d):
        ev = with_case(d)
        ev.service.invite("window_system")
        d.pump(frames=3)
        return ev

    def paused(d):
        signed_in(d).service.pause()

    def reasons(d):
        invited(d)
        d.app.manager.current_screen.choose(Level.DISSATISFIED.value)
        d.pump(frames=3)
        for code in ("waiting", "unclear"):
            d.app.manager.current_screen.toggle(code).state = "down"

    def thanks(level):
        def run(d):
            ev = invited(d)
            ev.submit(level, ("waiting",) if level.is_bad else ())
        return run

    def login(d):
        d.app.show("evaluator_login")
        d.pump(frames=2)
        for digit in "10123":
            d.app.manager.current_screen.ids.keypad.press(digit)

    def rating_elderly(d):
        invited(d)
        d.app.set_elderly(True)
        d.app.toast_text = ""

    def dimmed(d):
        import datetime as dt

        ev = signed_in(d)
        later = dt.datetime.now() + dt.timedelta(hours=2)  # service hours that have not begun yet
        ev.settings = ev.settings.model_copy(update={"wake_at": f"{later:%H}:00", "sleep_at": f"{later:%H}:59"})
        ev.woken_until = None
        d.wait_for(lambda: ev.screen_state == "asleep", timeout=5)

    return [
        ("evaluator_idle_staff.png", "evaluator", signed_in),
        ("evaluator_paused.png", "evaluator", paused),
        ("evaluator_serving.png", "evaluator", with_case),
        ("evaluator_rating.png", "evaluator", invited),
        ("evaluator_rating_elderly.png", "evaluator", rating_elderly),
        ("evaluator_reasons.png", "evaluator", reasons),
        ("evaluator_thanks.png", "evaluator", thanks(Level.SATISFIED)),
        ("evaluator_thanks_bad.png", "evaluator", thanks(Level.VERY_DISSATISFIED)),
        ("evaluator_login.png", "evaluator", login),
        ("evaluator_asleep.png", "evaluator", dimmed),
    ]


def _gallery_config(section: str, tmp: Path):
    from kiosk.config import KioskConfig, load_kiosk_config

    config = load_kiosk_config(DEMO_CONFIG, section)
    data = config.model_dump(mode="json")
    data["paths"] = {"data_dir": str(tmp / section), "log_dir": str(tmp / section / "log")}
    data["server"] = None  # no live link: the status corner stays neutral in the docs
    if section == "evaluator":  # the evaluator's own screen size; sample staff, no voice, always awake
        data["ui"].update(width=1024, height=600)
        data["evaluator"] = {**(data.get("evaluator") or {}), "sample_staff": True, "voice": False,
                             "wake_at": "00:00", "sleep_at": "00:00", "api": None}
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
