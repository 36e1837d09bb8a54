"""``kiosk report-status``: how many events wait on this device, and how the server link is."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="terminal or evaluator config file")
    parser.add_argument("--section", help="table of a multi-device file (e.g. terminal in demo.toml)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--requeue-rejected", action="store_true",
                        help="send again the events the server refused as malformed (after a server fix)")


def run(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime

    from kiosk.config import load_kiosk_config
    from kiosk.report_status import report_status

    config = load_kiosk_config(args.config, args.section)
    if args.requeue_rejected:
        from kiosk.outbox import Outbox
        from kiosk.reporting import outbox_path

        with Outbox(outbox_path(config), config.device.id) as outbox:
            print(f"requeued {outbox.requeue_rejected()} rejected events")
    status = report_status(config)
    last = datetime.fromtimestamp(status.last_upload_at).isoformat(timespec="seconds") if status.last_upload_at else None
    if args.json:
        print(json.dumps({"pending": status.pending, "rejected": status.rejected, "last_upload_at": last,
                          "link": {"state": status.link.state.value, "reason": status.link.reason,
                                   "detail": status.link.detail}, "clock_offset_s": status.clock_offset_s},
                         ensure_ascii=False))
    else:
        print(f"pending events : {status.pending}")
        print(f"rejected       : {status.rejected}")
        print(f"last upload    : {last or 'never'}")
        print(f"server link    : {status.link.state.value} {status.link.reason} {status.link.detail}".rstrip())
        if status.clock_offset_s is not None:
            print(f"clock offset   : {status.clock_offset_s:+.1f} s (server - device)")
    return 0 if status.link.state.value != "fault" else 1
