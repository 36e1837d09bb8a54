"""``kiosk run --config FILE``: start the UI for the role in the config, supervised.

The supervisor (this process) never imports Kivy; the UI runs as ``python -m screens`` in
a child process so that a frozen or bloated UI can be replaced without losing the parent.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.config import load_kiosk_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="terminal or evaluator TOML file")
    parser.add_argument("--section", help="table of a multi-device file, e.g. terminal in config/demo.toml")
    parser.add_argument("--no-supervisor", action="store_true",
                        help="run the UI in this process's place, without restarts (development)")
    parser.add_argument("--screenshot-dir", type=Path, help="write a screenshot of the window here periodically")


def ui_command(args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "screens", "--config", str(args.config)]
    if args.section:
        command += ["--section", args.section]
    if args.screenshot_dir:
        command += ["--screenshot-dir", str(args.screenshot_dir)]
    return command


def run(args: argparse.Namespace) -> int:
    config = load_kiosk_config(args.config, args.section)  # fail here, in one line, before any window opens
    command = ui_command(args)
    if args.no_supervisor:
        os.execv(sys.executable, command)
    from kiosk.liveness import Limits, Supervisor
    from kiosk.logs import setup_logging

    setup_logging(Path(config.paths.log_dir), to_stderr=True, file_name="supervisor.log")
    limits = Limits(config.liveness.stall_timeout_s, config.liveness.max_rss_mb, config.liveness.restart_backoff_s)
    env = dict(os.environ)
    env.setdefault("KIVY_NO_CONSOLELOG", "1")  # Kivy's records go to our masked log file instead
    supervisor = Supervisor(command, limits, env=env)
    supervisor.install_signal_handlers()
    return supervisor.run()
