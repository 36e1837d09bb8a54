"""An accelerated soak of the window evaluator: thousands of ratings through its real local API.

Each cycle is what a window does all day: the window system starts a case, invites a rating,
the applicant taps a face (every seventh a bad one, with two reasons), the rating goes to the
outbox, the thank-you screen returns to the idle screen. Only the thank-you pause is skipped
(``after_thanks`` is called at once, the same call its timer makes). Every ``sample_every``
cycles the process's resident memory, open file descriptors, threads and live Kivy textures
are sampled; :func:`slope` fits a least-squares line so growth shows as KB per 1,000 ratings.
Used by ``tests/soak`` (a few hundred cycles in CI) and ``bench/soak.py`` (10,000).
"""
from __future__ import annotations

import gc
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

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
    return KioskConfig.model_validate(data)


def live_textures() -> int:
    from kivy.graphics.texture import Texture

    return sum(1 for o in gc.get_objects() if isinstance(o, Texture))


def sample(cycle: int) -> Sample:
    me = psutil.Process()
    gc.collect()
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
    samples = [sample(0)]
    progress(samples[0])
    for cycle in range(cycles):
        one_rating(driver, client, cycle)
        if (cycle + 1) % sample_every == 0:
            samples.append(sample(cycle + 1))
            progress(samples[-1])
    return samples


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
