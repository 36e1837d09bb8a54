"""``kiosk sim idcard`` as a child process: a SAM ID-card reader on a pty with control lines
(``place zhang``, ``remove``, ``unplug``, ``replug``, ``fault checksum 5`` ...). Name the
``link`` path (under ``/dev``) in the config so that it survives unplug/replug."""
from __future__ import annotations

import sys
from collections.abc import Sequence

from kiosk.stack.sim_process import PtySimulatorProcess, SimulatorError, SimulatorProcess

__all__ = ["IdCardSimulator", "SimulatorError", "SimulatorProcess"]


class IdCardSimulator(PtySimulatorProcess):
    """``kiosk sim idcard``: a SAM reader on a pty; ``path`` is what to configure."""

    name = "idcard"

    def __init__(self, card: str | None = None, link: str | None = None, args: Sequence[str] = (),
                 python: str = sys.executable, env: dict[str, str] | None = None) -> None:
        super().__init__(list(args) + (["--card", card] if card else []), link, python, env)

    def place(self, card: str) -> None:
        self.send(f"place {card}")

    def remove(self) -> None:
        self.send("remove")

    def fault(self, *words: str) -> None:
        self.send("fault " + " ".join(words))
