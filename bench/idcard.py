"""Card placed -> identity event, against the wire time of the same read at 115200 baud.

The simulator paces every frame at 115200 baud (a frame's last byte arrives after its wire
time), the poller polls back to back, and the clock runs from ``place()`` to the identity
callback. Wire time = every byte of the exchanges that the read needed (find, select,
read: commands and answers) at 10 bits per byte. Target: overhead ratio <= 1.25.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from drivers.idcard.people import PEOPLE  # noqa: E402
from drivers.idcard.poller import IdCardPoller  # noqa: E402
from drivers.idcard.cardtext import build_text, values_of  # noqa: E402
from drivers.idcard.protocol import (  # noqa: E402
    CardRecord,
    Command,
    build_read_data,
    encode_command,
    encode_response,
    wire_seconds,
)
from drivers.idcard.reader import SamReader  # noqa: E402
from drivers.idcard.simulator import SamSimulator  # noqa: E402

BAUD = 115200
ROUNDS = 20
TARGET = 1.25


def read_wire_seconds(person) -> float:
    """Wire time of find + select + read, commands and answers, at ``BAUD``."""
    record = CardRecord(build_text(person.layout, values_of(person)), person.photo_wlt)
    frames = [
        encode_command(Command.FIND_CARD), encode_response(0x9F, bytes(4)),
        encode_command(Command.SELECT_CARD), encode_response(0x90, bytes(8)),
        encode_command(Command.READ_TEXT_PHOTO), encode_response(0x90, build_read_data(record)),
    ]
    return wire_seconds(sum(len(f) for f in frames), BAUD)


def measure(poll_interval_s: float) -> list[tuple[float, float]] | None:
    """(elapsed, wire) per read with the poller at ``poll_interval_s``; None on failure."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        sim = SamSimulator(link=os.path.join(tmp, "ttyIDCARD"), baudrate=BAUD, pace=True).start()
        got, gone = threading.Event(), threading.Event()
        poller = IdCardPoller(lambda: SamReader.open(sim.path, baudrate=BAUD), lambda identity: got.set(),
                              on_removed=gone.set, poll_interval_s=poll_interval_s)
        poller.start()
        try:
            time.sleep(0.3)
            for i in range(ROUNDS):
                person = PEOPLE["zhang" if i % 2 else "gat"]
                got.clear()
                t0 = time.perf_counter()
                sim.place(person)
                if not got.wait(5):
                    print("no identity event within 5 s", file=sys.stderr)
                    return None
                elapsed = time.perf_counter() - t0
                results.append((elapsed, read_wire_seconds(person)))
                gone.clear()
                sim.remove()
                if not gone.wait(5):
                    print("removal not noticed within 5 s", file=sys.stderr)
                    return None
                time.sleep(0.011 * (i % 10))  # place at varying phases of the poll cycle
        finally:
            poller.stop()
            sim.stop()
    return results


def main() -> int:
    # Back to back polling: the protocol and driver overhead alone (the target).
    results = measure(0.0)
    if results is None:
        return 1
    elapsed = statistics.median(r[0] for r in results)
    wire = statistics.median(r[1] for r in results)
    ratio = elapsed / wire
    print(f"card placed -> identity event: median {elapsed * 1000:.1f} ms over {ROUNDS} reads (polling back to back)")
    print(f"wire time of the read at {BAUD} baud: {wire * 1000:.1f} ms (find + select + read, both directions)")
    print(f"overhead ratio: {ratio:.2f}x (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    # For information: a configured poll interval adds on average half of itself.
    slow = measure(0.1)
    if slow is not None:
        print(f"with poll_interval_s=0.1: median {statistics.median(r[0] for r in slow) * 1000:.1f} ms "
              f"({statistics.median(r[0] for r in slow) / wire:.2f}x wire)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
