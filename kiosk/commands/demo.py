"""``kiosk demo --config config/demo.toml``: the whole product on this machine. Ctrl-C stops it."""
from __future__ import annotations

import argparse
import signal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="config/demo.toml")
    parser.add_argument("--duration", type=float, help="stop by itself after this many seconds (tests)")


def run(args: argparse.Namespace) -> int:
    from kiosk.demo import DemoStack

    stack = DemoStack.load(args.config)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        stack.start()
        print(f"management server dashboard: {stack.server_url}/   user: admin   password: {stack.admin_password}")
        if stack.xvfb is not None:
            print(f"no display here: the UIs run on Xvfb {stack.xvfb.display}; a screenshot of each window is "
                  f"written every {stack.settings.screenshot_every_s:g} s to {stack.screenshot_dir.resolve()}/")
        else:
            print(f"the terminal and evaluator windows are open; screenshots also go to {stack.screenshot_dir}/")
        print("press Ctrl-C to stop everything", flush=True)
        stack.wait(args.duration)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        stack.stop()
    print("demo stopped")
    return 0
