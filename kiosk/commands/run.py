"""``kiosk run --config FILE``: start the UI for the role in the config, supervised.

The supervisor (this process) never imports Kivy; the UI runs as ``python -m screens`` in
a child process so that a frozen or bloated UI can be replaced without losing the parent.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="terminal or evaluator TOML file")
    parser.add_argument("--section", help="table of a multi-device file, e.g. terminal in config/demo.toml")
    parser.add_argument("--no-supervisor", action="store_true",
                        help="run the UI in this process's place, without restarts (development)")
    parser.add_argument("--screenshot-dir", type=Path, help="write a screenshot of the window here periodically")
    parser.add_argument("--exit-after-first-frame", action="store_true", help=argparse.SUPPRESS)  # bench/startup.py


def ui_command(args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "screens", "--config", str(args.config)]
    if args.section:
        command += ["--section", args.section]
    if args.screenshot_dir:
        command += ["--screenshot-dir", str(args.screenshot_dir)]
    if args.exit_after_first_frame:
        command.append("--exit-after-first-frame")
    return command


def run(args: argparse.Namespace) -> int:
    command = ui_command(args)
    if args.no_supervisor:
        os.execv(sys.executable, command)
    # Start the UI first, before even the supervisor's own imports, and validate the config here
    # meanwhile on the other core: the UI validates the same file and, if it is wrong, prints the
    # one-line error and exits 2.
    from kiosk.ui_process import spawn_ui

    first = spawn_ui(command)
    from kiosk.liveness import Limits, Supervisor

    supervisor = Supervisor(command, Limits())
    supervisor.install_signal_handlers()
    from kiosk.config import ConfigError, load_kiosk_config
    from kiosk.logs import setup_logging

    try:
        config = load_kiosk_config(args.config, args.section, cached=True)
    except ConfigError:
        first.child.wait(30)
        os.close(first.read_fd)
        return 2
    setup_logging(Path(config.paths.log_dir), to_stderr=True, file_name="supervisor.log")
    liveness = config.liveness
    supervisor.limits = Limits(liveness.stall_timeout_s, liveness.max_rss_mb, liveness.restart_backoff_s)
    return supervisor.run(first=first)
