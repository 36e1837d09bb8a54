"""A kiosk-like process for the crash test: produce numbered events and report them, until killed.

Run as ``python -m tests.reporting.crash_client DATA_DIR URL CODE TOTAL``. Event number ``n``
is the outbox ``seq`` it gets; on start the client resumes after the last seq the outbox
persisted, so a restart after SIGKILL neither skips nor repeats a number, whatever instant
the kill hit. Prints ``ready`` once producing, ``done`` when everything is confirmed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk.config import ServerLinkConfig
from kiosk.outbox import Outbox
from kiosk.reporter import Reporter, ReporterSettings


def main(argv: list[str]) -> int:
    data_dir, url, code, total = Path(argv[0]), argv[1], argv[2], int(argv[3])
    outbox = Outbox(data_dir / "outbox.sqlite3", "crash-client")
    settings = ReporterSettings(batch_max_events=200, backoff_base_s=0.05, backoff_cap_s=0.5)
    reporter = Reporter(outbox, ServerLinkConfig(url=url, enrol_code=code), data_dir, settings=settings).start()
    print("ready", outbox.last_seq(), flush=True)
    while (n := outbox.last_seq() + 1) <= total:
        event = outbox.enqueue("usage", {"function": "crash_test", "outcome": "success", "n": n})
        if event.seq != n:
            print(f"seq {event.seq} != n {n}", file=sys.stderr, flush=True)
            return 3
    while outbox.pending_count():
        time.sleep(0.05)
    reporter.stop()
    print("done", reporter.delivered, reporter.duplicates, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
