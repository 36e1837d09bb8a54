"""Terminal UI under scripted journeys (issues 11, 12): screen-switch latency and resource growth.

The real KioskApp runs under Xvfb, driven in-process by :class:`screens.driver.UiDriver` with
the journeys of :mod:`screens.scripted` (办事指南 browse and detail, 办件查询 by case number,
证照打印 with the ID card on the SAM pty simulator, the A4 page through a private CUPS into
cups-pdf and the 打印回执 on the TCP receipt-printer simulator, the 评价 tile, and an idle
wipe), in turn, accelerated: no screen transitions, no 谢谢 pause, the idle wipe by back-dating
the last touch.

Screen switch time: from the touch-down of the tap that changes the screen to the end of the
first frame that shows the new screen complete. :class:`SwitchTimer` notes the time of every
touch-down (a Window ``on_touch_down`` handler, which runs before the widgets see the touch);
when the ScreenManager's ``current`` changes while that tap is being handled, a switch is
pending; each ``on_flip`` (which Kivy dispatches after the frame is drawn, just before the
buffer swap) checks whether the new screen is current and not ``busy`` (a screen that loads
its content in a worker is complete only when the content is there), calls ``glFinish`` so the
software renderer has really drawn it, and records the time. A touch waits for the next turn
of the event loop before it is dispatched (at most one frame at Kivy's 60 fps cap); that wait
is not in the figure, the same for the app and the baseline. Switches not started by a tap (a
card read, a wipe) are not counted. The baseline, in the same run and window, is the same
measurement on a bare ScreenManager switching between two screens holding one button each;
it runs before and after the journeys (a shared machine's load drifts) and the ratio is app p95 /
baseline p95. The first ``--warmup`` journeys (every screen built once, caches filled) are
timed and sampled separately.

Resources: resident memory, open file descriptors, threads and live Kivy textures are sampled
after the warm-up and every ``--every`` journeys (``tests.helpers.soak``), and the least-squares
slope per 1,000 journeys is printed; ``--journeys 10000`` is issue 12's long soak.

    .venv/bin/python bench/ui.py [--journeys 1000] [--every 100] [--warmup 25] [--baseline 200]

Ctrl-C (SIGINT) ends the run after the journey under way and reports up to the last sample.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")


class SwitchTimer:
    """Tap-to-complete-frame times of the screen switches of one ScreenManager (see the module doc)."""

    def __init__(self, manager) -> None:
        self.manager = manager
        self.samples: list[tuple[str, float]] = []  # (screen, seconds)
        self._tap: float | None = None
        self._pending: tuple[str, float] | None = None

    def install(self) -> "SwitchTimer":
        from kivy.core.window import Window

        Window.bind(on_touch_down=self._touch_down, on_flip=self._flip)
        self.manager.bind(current=self._switched)
        return self

    def uninstall(self) -> None:
        from kivy.core.window import Window

        Window.unbind(on_touch_down=self._touch_down, on_flip=self._flip)
        self.manager.unbind(current=self._switched)

    def _touch_down(self, *_args) -> bool:
        self._tap = time.perf_counter()
        return False  # the touch goes on to the widgets

    def _switched(self, _manager, name: str) -> None:
        if self._tap is not None:  # the screen changed while the tap is handled
            self._pending = (name, self._tap)
            self._tap = None

    def _flip(self, *_args) -> None:
        from kivy.graphics.opengl import glFinish

        self._tap = None  # a tap that changed no screen ends with its frame
        if self._pending is None:
            return
        name, started = self._pending
        if self.manager.current != name:
            self._pending = None  # moved on before it was complete
            return
        if getattr(self.manager.current_screen, "busy", False):
            return
        glFinish()
        self.samples.append((name, time.perf_counter() - started))
        self._pending = None

    def times(self) -> list[float]:
        return [seconds for _name, seconds in self.samples]


def measure_baseline(switches: int) -> list[float]:
    """The same measurement on a bare ScreenManager with two one-button screens."""
    from kivy.core.window import Window
    from kivy.uix.button import Button
    from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

    from screens.driver import UiDriver

    manager = ScreenManager(transition=NoTransition())
    for name, other in (("a", "b"), ("b", "a")):
        screen = Screen(name=name)
        screen.add_widget(Button(text=name, on_release=lambda _w, to=other: setattr(manager, "current", to)))
        manager.add_widget(screen)
    Window.add_widget(manager)
    driver = UiDriver(None)  # only its frame pump and taps: no app
    timer = SwitchTimer(manager).install()
    try:
        for _ in range(switches):
            driver.tap_at(Window.width / 2, Window.height / 2)
            driver.pump(frames=2)
    finally:
        timer.uninstall()
        Window.remove_widget(manager)
    return timer.times()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) >= 2 else sum(values)


class _Stop(Exception):
    """Ctrl-C was pressed: end before the next journey (one cut midway leaves the app half-way)."""


_stop_requested = False


def _stop_after_this_journey(_signum, _frame) -> None:
    global _stop_requested
    _stop_requested = True


def _journey(terminal, cycle: int) -> None:
    from screens.scripted import run_journey

    if _stop_requested:
        raise _Stop
    run_journey(terminal, cycle)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1000, help="journeys after the warm-up (default 1000)")
    parser.add_argument("--every", type=int, default=100, help="sample resources every N journeys")
    parser.add_argument("--warmup", type=int, default=25, help="journeys before the first sample")
    parser.add_argument("--baseline", type=int, default=200, help="switches of the bare ScreenManager")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, _stop_after_this_journey)  # also when started in the background

    from kiosk.stack.cups import CupsServer
    from kiosk.stack.printer_sim import VirtualPrinterLauncher
    from kiosk.stack.xvfb import Xvfb

    if os.geteuid() != 0:
        print("bench/ui.py needs root: the cups-pdf backend runs only under a cupsd started as root", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        xvfb = Xvfb(1280, 800).start()
        os.environ["DISPLAY"] = xvfb.display
        os.environ["KIVY_HOME"] = str(Path(tmp) / "kivy_home")
        try:
            with CupsServer() as cups, VirtualPrinterLauncher(Path(tmp) / "receipts") as receipts:
                return _run(Path(tmp), args, cups, receipts)
        finally:
            xvfb.stop()


def _run(tmp: Path, args, cups, receipts) -> int:
    from drivers.idcard.people import PEOPLE
    from drivers.idcard.simulator import SamSimulator
    from tests.helpers import soak

    sam = SamSimulator(link=str(tmp / "ttyIDCARD"), pace=False)
    sam.start()
    config = soak.terminal_config(tmp, receipts.port, sam.path, {"queue": cups.queue, "server": cups.server})
    from screens.boot import configure_kivy

    configure_kivy(config)
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from screens.driver import UiDriver
    from screens.scripted import Terminal, run_journey

    baseline = measure_baseline(args.baseline)
    driver = UiDriver.start(config)
    pdfs = soak.CupsPdfCollector(cups.out_dir, config.device.id)

    def after_print() -> None:
        """Check and remove the filed PDF; counted, not fatal, since cups-pdf's folder is shared with
        other runs on the machine (an older test's clean-up may take our file first)."""
        expected = driver.screen.pages
        try:
            filed = pdfs.collect()
        except AssertionError:
            filed = []
        if filed != [expected]:
            terminal.counts["pdf_not_as_previewed"] = terminal.counts.get("pdf_not_as_previewed", 0) + 1

    terminal = Terminal(driver, lambda: sam.place(PEOPLE["zhang"]), sam.remove, after_print)
    started = time.monotonic()
    try:
        soak.await_device_checks(driver)
        timer = SwitchTimer(driver.app.manager).install()
        for cycle in range(args.warmup):
            run_journey(terminal, cycle)
        warm_times, timer.samples = timer.times(), []
        print(f"warm-up: {args.warmup} journeys in {time.monotonic() - started:.0f} s\n")
        print(f"{'journeys':>8} {'RSS MB':>8} {'fds':>5} {'threads':>7} {'textures':>8} {'p95 ms':>7} {'s':>6}")

        samples: list[soak.Sample] = []

        def show(s: soak.Sample) -> None:
            samples.append(s)
            print(f"{s.cycle - args.warmup:>8} {s.rss_kb / 1024:>8.1f} {s.fds:>5} {s.threads:>7} {s.textures:>8} "
                  f"{p95(timer.times()) * 1000:>7.1f} {time.monotonic() - started:>6.0f}", flush=True)

        try:
            soak.sampled(lambda cycle: _journey(terminal, cycle), args.journeys, args.every, show, first=args.warmup)
        except _Stop:  # Ctrl-C: report the samples taken so far
            args.journeys = samples[-1].cycle - args.warmup
            print(f"interrupted: reporting the first {args.journeys} journeys")
        timer.uninstall()
    finally:
        driver.stop()
        sam.stop()
    elapsed = time.monotonic() - started
    baseline += measure_baseline(args.baseline)  # again after the run: the load of a shared machine drifts
    _report(args, timer, warm_times, baseline, samples, terminal.counts, pdfs.pages, elapsed)
    return 0


def _report(args, timer: SwitchTimer, warm_times, baseline, samples, counts, pages, elapsed) -> None:
    times = timer.times()
    print(f"\n{args.journeys} journeys after warm-up in {elapsed:.0f} s; with the warm-up: "
          + ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
          + f"; {len(pages)} certificates filed by cups-pdf ({sum(pages)} pages)")
    print("\n| screen switch (tap to complete frame) | switches | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    rows = [("bare ScreenManager (baseline)", baseline), ("KioskApp, warm-up", warm_times), ("KioskApp", times)]
    by_screen: dict[str, list[float]] = {}
    for name, seconds in timer.samples:
        by_screen.setdefault(name, []).append(seconds)
    rows += [(f"  to {name}", values) for name, values in sorted(by_screen.items())]
    for label, values in rows:
        if values:
            print(f"| {label} | {len(values)} | {statistics.median(values) * 1000:.1f} | {p95(values) * 1000:.1f} | "
                  f"{max(values) * 1000:.1f} |")
    if times and baseline:
        print(f"\np95 switch {p95(times) * 1000:.1f} ms (target <= 100 ms on 2 cores); "
              f"ratio KioskApp / bare ScreenManager p95: {p95(times) / p95(baseline):.2f}x")
    from tests.helpers import soak

    first, last = samples[0], samples[-1]
    print(f"\nafter warm-up -> after {args.journeys} journeys: RSS {first.rss_kb / 1024:.1f} -> {last.rss_kb / 1024:.1f} MB "
          f"({(last.rss_kb - first.rss_kb) / 1024:+.1f} MB, target < 20 MB), fds {first.fds} -> {last.fds}, "
          f"threads {first.threads} -> {last.threads}, textures {first.textures} -> {last.textures}")
    print(f"slopes per 1,000 journeys (least squares, after the first 20 %): RSS {soak.slope(samples, 'rss_kb') / 1024:+.2f} MB, "
          f"fds {soak.slope(samples, 'fds'):+.2f}, threads {soak.slope(samples, 'threads'):+.2f}, "
          f"textures {soak.slope(samples, 'textures'):+.2f}")


if __name__ == "__main__":
    sys.exit(main())
