"""Process entry of the UI: ``python -m screens --config FILE [--section S]``.

``kiosk run`` starts this as its supervised child; nothing in ``kiosk`` imports Kivy.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.errors import ConfigError
from kiosk.exit_codes import EXIT_CONFIG_ERROR


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m screens")
    parser.add_argument("--config", required=True)
    parser.add_argument("--section")
    parser.add_argument("--heartbeat-fd", type=int, help="write a byte here on every UI tick (liveness)")
    parser.add_argument("--screenshot-dir", type=Path, help="override ui.screenshot_dir")
    parser.add_argument("--exit-after-first-frame", action="store_true",
                        help="print FIRST_FRAME when the first frame is drawn, then exit (start-up benchmark)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    # Kivy's default log mode takes over the root logger and sys.stderr; ours masks personal
    # data and keeps stderr for the one-line errors a technician must see.
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # Start-up time: only the image loaders we use (PNG/JPEG through SDL2), and no scan of
    # installed packages for pydantic plugins (we use none).
    os.environ.setdefault("KIVY_IMAGE", "sdl2,tex")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    args = parse_args(argv)
    from kiosk.config import load_kiosk_config

    try:
        config = load_kiosk_config(args.config, args.section, cached=True)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG_ERROR
    from screens.boot import configure_kivy

    configure_kivy(config)
    from kiosk.fonts import FontNotFound
    from screens.app import KioskApp

    app = KioskApp(config, heartbeat_fd=args.heartbeat_fd, screenshot_dir=args.screenshot_dir,
                   exit_after_first_frame=args.exit_after_first_frame)
    try:
        app.run()
    except FontNotFound as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG_ERROR  # fixed by installing a font, not by restarting
    return app.exit_code


if __name__ == "__main__":
    sys.exit(main())
