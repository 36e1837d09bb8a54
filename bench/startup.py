"""Cold start to first drawn frame: ``kiosk run`` against a bare Kivy "hello" app.

Both are started the same way, on the same virtual display, alternately, several times;
each prints ``FIRST_FRAME`` from its first ``on_flip`` and exits. The figure is the ratio
of medians (target <= 1.5x). Run: ``.venv/bin/python bench/startup.py``.

``kiosk run`` is measured as a kiosk starts every day and after every watchdog restart: with
the config file unchanged since it was last validated (kiosk.config_cache). The first start
after an edit of the file validates it with pydantic; that case is measured too and printed
on its own line (``config just edited``).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELLO = """
from kivy.config import Config
Config.set("graphics", "width", "1280"); Config.set("graphics", "height", "800")
from kivy.app import App
from kivy.core.window import Window
from kivy.uix.label import Label

class Hello(App):
    def build(self):
        Window.bind(on_flip=self.first)
        return Label(text="hello")
    def first(self, *_):
        Window.unbind(on_flip=self.first)
        print("FIRST_FRAME", flush=True)
        self.stop()

Hello().run()
"""


def time_to_first_frame(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``command`` to its ``FIRST_FRAME`` line."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "FIRST_FRAME":
            elapsed = time.perf_counter() - start
            proc.wait(30)
            return elapsed
    proc.wait(30)
    raise RuntimeError(f"{command[:4]} exited with {proc.returncode} before its first frame")


def compile_like_an_install() -> None:
    """Byte-compile our packages as ``pip install`` does (Kivy's modules come compiled that way).

    An editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on these build machines)
    would otherwise compile every one of our modules from source at every start, which no
    installed kiosk does.
    """
    import compileall

    for package in ("kiosk", "screens", "drivers"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main(runs: int = 7) -> int:
    from kiosk.stack.xvfb import Xvfb

    compile_like_an_install()
    with tempfile.TemporaryDirectory() as tmp, Xvfb(1280, 800) as xvfb:
        env = xvfb.env()
        env.update(KIVY_NO_CONSOLELOG="1", KIVY_NO_ARGS="1", KIVY_HOME=str(Path(tmp) / "kivy"))
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO)
        config = Path(tmp) / "terminal.toml"
        text = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8").replace("var/demo", f"{tmp}/demo")
        config.write_text(text, encoding="utf-8")
        kiosk_run = [sys.executable, "-m", "kiosk.cli", "run", "--config", str(config), "--section", "terminal",
                     "--exit-after-first-frame"]
        cache = Path(tmp) / "config-cache"
        commands = {
            "hello": ([sys.executable, str(hello)], env),
            "kiosk run": (kiosk_run, {**env, "KIOSK_CONFIG_CACHE": str(cache)}),
            "kiosk run, config just edited": (kiosk_run, {**env, "KIOSK_CONFIG_CACHE": "off"}),
        }
        for command, command_env in commands.values():  # warm the page cache, Kivy's and our config cache
            time_to_first_frame(command, command_env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, command_env) in commands.items():
                samples[name].append(time_to_first_frame(command, command_env))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratio = medians["kiosk run"] / medians["hello"]
    print("| program | median s | min s | max s |")
    print("|---|---|---|---|")
    for name, values in samples.items():
        print(f"| {name} | {medians[name]:.3f} | {min(values):.3f} | {max(values):.3f} |")
    edited = medians["kiosk run, config just edited"] / medians["hello"]
    print(f"\nratio kiosk run / bare Kivy hello: {ratio:.2f}x (target <= 1.5x) over {runs} runs each")
    print(f"first start after a config edit (validated with pydantic): {edited:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
