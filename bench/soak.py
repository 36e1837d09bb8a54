"""Soak of the window evaluator (issue 12): 10,000 ratings through its real local API under Xvfb.

Prints a sample table (memory, file descriptors, threads, live textures) and the least-squares
slope of each per 1,000 ratings after warm-up; the README's Reliability section records them.

    .venv/bin/python bench/soak.py [--ratings 10000] [--every 500]
"""
from __future__ import annotations

import argparse
import os
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args(argv)

    from kiosk.stack.xvfb import Xvfb

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        xvfb = Xvfb(1280, 800).start()
        os.environ["DISPLAY"] = xvfb.display
        os.environ["KIVY_HOME"] = str(Path(tmp) / "kivy_home")
        try:
            return _run(Path(tmp), args.ratings, args.every)
        finally:
            xvfb.stop()


def _run(tmp: Path, ratings: int, every: int) -> int:
    from tests.helpers import soak

    port = soak.free_port()
    config = soak.evaluator_config(tmp, port)
    from screens.boot import configure_kivy

    configure_kivy(config)
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    from kiosk.window_sim import WindowClient
    from screens.driver import UiDriver

    driver = UiDriver.start(config)
    started = time.monotonic()
    print(f"{'ratings':>8} {'RSS MB':>8} {'fds':>5} {'threads':>7} {'textures':>8} {'s':>6}")

    def show(s: soak.Sample) -> None:
        print(f"{s.cycle:>8} {s.rss_kb / 1024:>8.1f} {s.fds:>5} {s.threads:>7} {s.textures:>8} "
              f"{time.monotonic() - started:>6.0f}", flush=True)

    try:
        samples = soak.run(driver, WindowClient(port, soak.TOKEN), ratings, every, show)
    finally:
        driver.stop()
    elapsed = time.monotonic() - started
    print(f"\n{ratings} ratings in {elapsed:.0f} s ({ratings / elapsed:.1f}/s); slopes per 1,000 ratings after warm-up:")
    print(f"  RSS {soak.slope(samples, 'rss_kb'):+.0f} KB, fds {soak.slope(samples, 'fds'):+.2f}, "
          f"threads {soak.slope(samples, 'threads'):+.2f}, textures {soak.slope(samples, 'textures'):+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
