"""``kiosk sim sscard`` as a child process: one virtual card in a vpcd reader.

Needs pcscd with vsmartcard-vpcd (:class:`kiosk.stack.pcscd.Pcscd`) running first. Port
35963 is the reader ``Virtual PCD 00 00``, 35964 is ``Virtual PCD 00 01``; the demo puts
the social-security card in the first and the staff card in the second. Controls:
``insert()``, ``remove()``, ``card_holder("li")``, ``fault("wrong-aid")``.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from kiosk.stack.sim_process import SimulatorError, SimulatorProcess

READER_OF_PORT = {35963: "Virtual PCD 00 00", 35964: "Virtual PCD 00 01"}


class VirtualCardSimulator(SimulatorProcess):
    name = "sscard"

    def __init__(self, kind: str = "sscard", port: int = 35963, card: str | None = None, uid: str | None = None,
                 args: Sequence[str] = (), python: str = sys.executable, env: dict[str, str] | None = None) -> None:
        extra = ["--kind", kind, "--port", str(port)] + (["--card", card] if card else []) \
            + (["--uid", uid] if uid else [])
        super().__init__(extra + list(args), python, env)
        self.kind = kind
        self.port = port

    @property
    def reader(self) -> str:
        """The PC/SC reader name to configure (``devices.sscard.reader`` / ``devices.staffcard.reader``)."""
        return READER_OF_PORT.get(self.port, "Virtual PCD")

    def ready(self, line: str) -> None:
        if not line.startswith("READY "):
            raise SimulatorError(f"kiosk sim sscard did not start (said {line!r})")

    def insert(self) -> None:
        self.send("insert")

    def remove(self) -> None:
        self.send("remove")

    def card_holder(self, name: str) -> None:
        self.send(f"card {name}")

    def fault(self, *words: str) -> None:
        self.send("fault " + " ".join(words))
