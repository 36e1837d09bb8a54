"""An accelerated soak of the window evaluator: thousands of ratings through its real local API.

Each cycle is what a window does all day: the window system starts a case, invites a rating,
the applicant taps a face (every seventh a bad one, with two reasons), the rating goes to the
outbox, the thank-you screen returns to the idle screen. Only the thank-you pause is skipped
(``after_thanks`` is called at once, the same call its timer makes). Every ``sample_every``
cycles the process's resident memory, open file descriptors, threads and live Kivy textures
are sampled; :func:`slope` fits a least-squares line so growth shows as KB per 1,000 ratings.
Used by ``tests/soak`` (a few hundred cycles in CI) and ``bench/soak.py`` (10,000); the terminal's
scripted journeys (``screens.scripted``) are sampled the same way by ``bench/ui.py`` and
``tests/soak/test_terminal_soak.py``.
"""
from __future__ import annotations

import gc
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from kiosk.gc_policy import release_free_memory

TOKEN = "soak-token-0123456789"
GOOD = ("very_satisfied", "satisfied", "basically_satisfied")


@dataclass(frozen=True)
class Sample:
    cycle: int
    rss_kb: int
    fds: int
    threads: int
    textures: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def evaluator_config(tmp: Path, port: int):
    """A windowed evaluator with sample staff, the local API on ``port``, no voice, always awake."""
    from kiosk.config import KioskConfig
    from tests.fixtures.kivy_ui import kiosk_config_dict

    data = kiosk_config_dict("evaluator", tmp)
    data["evaluator"] = {"api": {"port": port, "token": TOKEN}, "sample_staff": True, "voice": False,
                         "min_interval_s": 0, "invite_timeout_s": 600, "thanks_s": 60, "wake_at": "00:00", "sleep_at": "00:00",
                         "logout_at": ""}
    return KioskConfig.validate(data)


def live_textures() -> int:
    from kivy.graphics.texture import Texture

    # type(), not isinstance(): isinstance asks a weak proxy for __class__, and a dead one raises
    return sum(1 for o in gc.get_objects() if issubclass(type(o), Texture))


def sample(cycle: int) -> Sample:
    """Resources after a full collection and an allocator trim.

    The app does both after every visit once home is drawn (``kiosk.gc_policy``); the
    accelerated journeys start the next visit at once and leave it no such moment, so the
    sampler takes it. Without the trim the resident size counts the C allocator's free
    space, which climbed by 40 MB over the first 50 journeys and then stayed (bench/ui.py).
    """
    me = psutil.Process()
    gc.collect()
    release_free_memory()
    return Sample(cycle, me.memory_info().rss // 1024, me.num_fds(), me.num_threads(), live_textures())


def _wait(driver, screen: str) -> None:
    if not driver.wait_for(lambda: driver.app.manager.current == screen, timeout=20):
        raise AssertionError(f"soak: expected {screen}, on {driver.app.manager.current}: {driver.app.toast_text}")


def _face(driver, level: str):
    driver.pump(frames=2)
    return next(w for w in driver.find("Face", root=driver.screen) if w.level == level)


def one_rating(driver, client, cycle: int) -> str:
    """One case from start to the idle screen; returns the level given."""
    app = driver.app
    client.start_case(f"SOAK{cycle:010d}", "居住证签注（示例）", "000105001")
    _wait(driver, "evaluator_serving")
    client.invite()
    _wait(driver, "evaluator_rating")
    bad = cycle % 7 == 6
    level = ("dissatisfied" if cycle % 2 else "very_dissatisfied") if bad else GOOD[cycle % 3]
    driver.tap(_face(driver, level))
    if bad:
        _wait(driver, "evaluator_reasons")
        driver.pump(frames=2)
        driver.tap(driver.screen.toggle("waiting"))
        driver.tap(driver.screen.toggle("other"))
        driver.tap(driver.screen.ids.submit)
    _wait(driver, "evaluator_thanks")
    app.evaluator.after_thanks()
    driver.pump(frames=1)
    return level


def run(driver, client, cycles: int, sample_every: int,
        progress: Callable[[Sample], None] = lambda s: None) -> list[Sample]:
    """``cycles`` ratings; samples at 0 and after every ``sample_every`` cycles."""
    app = driver.app
    app.evaluator.login(app.evaluator.staff.by_card("04A1B2C3"))
    driver.pump(frames=3)
    return sampled(lambda cycle: one_rating(driver, client, cycle), cycles, sample_every, progress)


def sampled(one: Callable[[int], object], cycles: int, sample_every: int,
            progress: Callable[[Sample], None] = lambda s: None, first: int = 0) -> list[Sample]:
    """Run ``one(cycle)`` for cycles ``first`` .. ``first + cycles - 1``; a sample before and every ``sample_every``."""
    samples = [sample(first)]
    progress(samples[0])
    for cycle in range(first, first + cycles):
        one(cycle)
        if (cycle + 1 - first) % sample_every == 0:
            samples.append(sample(cycle + 1))
            progress(samples[-1])
    return samples


def with_idcard_port(config, port: str, timeout_s: float = 0.5, retries: int = 1):
    """``config`` reading ID cards from the simulator's pty link (under tmp, which the /dev/... rule refuses)."""
    from kiosk.config import IdCardReaderConfig

    idcard = IdCardReaderConfig(port=port, timeout_s=timeout_s, retries=retries, baudrate=115200,
                                                fallback_baudrate=None, poll_interval_s=0.05, photo_decoder=None)
    return config.replace(devices=config.devices.replace(idcard=idcard))


def terminal_config(tmp: Path, printer_port: str, idcard_port: str, a4: dict | None = None):
    """A windowed terminal with the 示例 content, the receipt-printer and ID-card simulators and,
    given ``a4`` (``{"queue": …, "server": …}``), a CUPS A4 queue."""
    from kiosk.config import KioskConfig
    from tests.fixtures.kivy_ui import kiosk_config_dict

    data = kiosk_config_dict("terminal", tmp)
    data["device"]["id"] = f"SOAK-T-{os.getpid()}"  # its own print-job titles in cups-pdf's shared folder
    data["devices"] = {"printer": {"port": printer_port}, **({"a4printer": a4} if a4 else {})}
    # the reader's answer may be late on a loaded machine: a longer deadline than the UI tests' 0.5 s
    return with_idcard_port(KioskConfig.validate(data), idcard_port, timeout_s=2.0, retries=2)


def await_device_checks(driver, timeout: float = 30.0) -> None:
    """Until the started terminal's device checks are done: its tiles follow them."""
    driver.app.refresh_device_health()
    if not driver.wait_for(lambda: bool(driver.app.device_rows), timeout=timeout):
        raise AssertionError("soak: the device checks did not finish")
    driver.pump(frames=4)


def slope(samples: list[Sample], field: str, per: int = 1000, warmup: float = 0.2) -> float:
    """Least-squares growth of ``field`` per ``per`` cycles, after the first ``warmup`` share of the run."""
    last = samples[-1].cycle
    points = [(s.cycle, getattr(s, field)) for s in samples if s.cycle >= last * warmup]
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return per * sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def pdf_pages(path: Path) -> int:
    """Pages of a PDF as poppler counts them (cups-pdf rewrites the document through Ghostscript)."""
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


class CupsPdfCollector:
    """Takes each certificate that cups-pdf filed for one terminal out of its folder, counting pages.

    The folder is shared with every other run on the machine: only files named after this terminal's
    job titles (``kiosk.journeys.printing.new_job_title``) and new since the last call are ours.
    """

    def __init__(self, out_dir: Path, device_id: str) -> None:
        from kiosk.journeys.printing import TITLE_PREFIX

        self.out_dir, self.pattern = out_dir, f"{TITLE_PREFIX}{device_id}-*.pdf"
        self._known = set(out_dir.glob(self.pattern))
        self.pages: list[int] = []

    def collect(self, timeout: float = 30.0) -> list[int]:
        """The page counts of the PDFs filed since the last call (at least one), which are removed."""
        import time

        deadline = time.monotonic() + timeout
        while not (new := set(self.out_dir.glob(self.pattern)) - self._known) and time.monotonic() < deadline:
            time.sleep(0.05)
        counts = []
        for path in sorted(new):
            counts.append(pdf_pages(path))
            path.unlink(missing_ok=True)
        self.pages += counts
        if not counts:
            raise AssertionError(f"soak: no PDF filed in {self.out_dir}")
        return counts
