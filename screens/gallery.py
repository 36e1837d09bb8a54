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
        *_terminal_scenarios(),
        *_support_scenarios(),
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

    def signed_in_photo(d):
        """As the server's directory arrives (kiosk.staff_sync): a fictitious drawn photo, cached."""
        import json
        import shutil

        ev = d.app.evaluator
        sample = json.loads((ROOT / "assets" / "staff" / "sample.json").read_text(encoding="utf-8"))
        shutil.copyfile(ROOT / "assets" / "staff" / "sample_photo_10123.jpg", ev.staff.path.parent / "photo_10123.jpg")
        sample["staff"][0]["photo"] = "photo_10123.jpg"
        ev.staff.install(sample)
        return signed_in(d)

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
        ev.settings = ev.settings.replace(wake_at=f"{later:%H}:00", sleep_at=f"{later:%H}:59")
        ev.woken_until = None
        d.wait_for(lambda: ev.screen_state == "asleep", timeout=5)

    return [
        ("evaluator_idle_staff.png", "evaluator", signed_in),
        ("evaluator_idle_photo.png", "evaluator", signed_in_photo),
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


def _terminal_scenarios() -> list[tuple[str, str, Callable]]:
    """The terminal's citizen journeys (issue 11) with the 示例 backend, in standard and 长者模式."""

    def ready(d, elderly: bool):
        from kiosk.journeys.sample_backend import SampleBackend

        d.app._backend = SampleBackend()
        if elderly:
            d.app.set_elderly(True)
        d.app.toast_text = ""

    def identified(d):
        from kiosk.hardware import sample_people
        from kiosk.identify import admit_card

        admit_card(d.app.session, sample_people()["zhang"], "idcard")

    def settle(d):
        d.wait_for(lambda: not getattr(d.app.manager.current_screen, "busy", False), timeout=10)
        d.pump(frames=4)

    def identify(d):
        d.app.show("identify")

    def guide(d):
        d.app.show("guide")
        settle(d)

    def guide_search(d):
        guide(d)
        screen = d.app.manager.current_screen
        screen.set_mode("search")
        screen.ids.letters.value = "SHB"
        d.pump(frames=3)

    def guide_detail(d):
        guide(d)
        d.app.manager.current_screen.open_item("000201001")
        d.pump(frames=3)

    def progress(d):
        d.app.show("progress")

    def progress_number(d):
        progress(d)
        screen = d.app.manager.current_screen
        screen.by_number()
        screen.ids.number.value = "SB2026112000"

    def progress_list(d):
        identified(d)
        d.app.show("progress")
        d.app.manager.current_screen.load_mine()
        settle(d)

    def progress_case(d):
        progress_list(d)
        screen = d.app.manager.current_screen
        screen._show_case(screen.ids.cases.children[-1].record)
        d.pump(frames=3)

    def rating(d):
        from screens.terminal.flow import ask_rating

        ask_rating(d.app, "progress")
        d.pump(frames=3)

    def rating_reasons(d):
        rating(d)
        d.app.manager.current_screen.choose("dissatisfied")
        d.pump(frames=3)

    def thanks(d):
        rating(d)
        d.app.manager.current_screen.choose("satisfied")
        d.pump(frames=3)

    def countdown(d):
        guide(d)
        session = d.app.session
        session.touch()
        session.last_activity -= session.idle_timeout_s - 15  # 15 s before the wipe
        d.pump(seconds=0.8)

    def print_list(d):
        identified(d)
        d.app.show("print")
        settle(d)

    def print_preview(d):
        print_list(d)
        screen = d.app.manager.current_screen
        screen.choose(screen.ids.documents.children[-1].record)
        settle(d)

    def print_done(d):
        print_preview(d)
        screen = d.app.manager.current_screen
        screen.mode = "done"
        screen.result_text = d.app.tr("print.done", title=screen.document_title, pages=1)
        d.pump(frames=3)

    def declare_choose(d):
        identified(d)
        d.app.show("declare")
        settle(d)

    def declare_form(d):
        declare_choose(d)
        screen = d.app.manager.current_screen
        screen.choose(screen.ids.item_list.children[-1].record)
        screen.answer("首次申领")
        screen.ids.digits.value = "2026120"
        d.pump(frames=3)

    def declare_scan(d):
        declare_form(d)
        screen = d.app.manager.current_screen
        for key, value in (("start_date", "20261201"), ("phone", "13800000000")):
            screen.declaration.set_value(key, value)
        screen.start_scan()
        d.pump(seconds=1.0)

    def declare_review(d):
        declare_scan(d)
        screen = d.app.manager.current_screen
        for material in screen.declaration.materials:
            screen.declaration.add_page(material.code, b"")
        screen.review()
        d.pump(frames=3)

    def declare_done(d):
        import datetime as dt

        from kiosk.backend.base import ApplicationReceipt

        declare_review(d)
        screen = d.app.manager.current_screen
        screen._submitted((ApplicationReceipt(
            "SB20261123000001", dt.datetime(2026, 11, 23, 10, 0), "社会保障卡申领", "人力资源和社会保障局", 5,
            ("居民身份证",), "https://zwfw.example.gov.cn/case/SB20261123000001", "张**", "1101**********1233"), True))
        d.pump(frames=3)

    steps = [("identify", identify), ("guide", guide), ("guide_search", guide_search),
             ("guide_detail", guide_detail), ("progress", progress), ("progress_number", progress_number),
             ("progress_list", progress_list), ("progress_case", progress_case), ("rating", rating),
             ("print", print_list), ("print_preview", print_preview), ("print_done", print_done),
             ("declare", declare_choose), ("declare_form", declare_form), ("declare_scan", declare_scan),
             ("declare_review", declare_review), ("declare_done", declare_done),
             ("rating", rating), ("rating_reasons", rating_reasons), ("thanks", thanks),
             ("idle_countdown", countdown)]

    def variant(step, elderly):
        def run(d):
            ready(d, elderly)
            step(d)

        return run

    return [(f"terminal_{name}{'_elderly' if elderly else ''}.png", "terminal", variant(step, elderly))
            for name, step in steps for elderly in (False, True)
            if not (elderly and name.startswith("declare"))]  # 自助申报 is not offered in 长者模式


def _support_scenarios() -> list[tuple[str, str, Callable]]:
    """Out of service, and maintenance after its self-tests (issue 11), in both modes."""

    def out_of_service(elderly: bool):
        def run(d):
            from kiosk.hardware import Health

            if elderly:
                d.app.set_elderly(True)
            d.app.toast_text = ""
            d.app.device_health = {"a4printer": Health.fault("paper_out"), "idcard": Health.fault("port_missing")}
            d.app.show("out_of_service")
        return run

    def self_tests(d):
        """The real self-tests against the demo's device settings (simulators not running: real failures)."""
        d.app.show("maintenance")
        screen = d.app.manager.current_screen
        for name in ("print", "card", "capture"):
            screen.run_self_test(name)
        d.wait_for(lambda: not any(screen.running.values()), timeout=30)
        d.wait_for(lambda: bool(d.app.device_rows), timeout=10)

    return [
        ("terminal_out_of_service.png", "terminal", out_of_service(False)),
        ("terminal_out_of_service_elderly.png", "terminal", out_of_service(True)),
        ("maintenance_self_tests.png", "terminal", self_tests),
    ]


def _gallery_config(section: str, tmp: Path):
    from kiosk.config import KioskConfig, load_kiosk_config

    config = load_kiosk_config(DEMO_CONFIG, section)
    data = config.to_dict()
    data["paths"] = {"data_dir": str(tmp / section), "log_dir": str(tmp / section / "log")}
    data["server"] = None  # no live link: the status corner stays neutral in the docs
    if section == "terminal":
        data["backend"] = {"source": "sample"}  # the journeys' 示例 content, without a live server
    if section == "evaluator":  # the evaluator's own screen size; sample staff, no voice, always awake
        data["ui"].update(width=1024, height=600)
        data["evaluator"] = {**(data.get("evaluator") or {}), "sample_staff": True, "voice": False,
                             "wake_at": "00:00", "sleep_at": "00:00", "api": None}
    return KioskConfig.validate(data)


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
