"""The one shape in which every peripheral reports how it is.

Screens and the fault reporter never look at exceptions from drivers; they look at a
``Health``. The ``reason`` is a stable translation key (``paper_out``, ``port_missing``)
so the UI can show it in Chinese or English and the server can group faults by it; the
``detail`` is for technicians and never contains personal data.
"""
from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field


class HealthState(str, enum.Enum):
    OK = "ok"
    DEGRADED = "degraded"
    FAULT = "fault"


@dataclass(frozen=True)
class Health:
    state: HealthState
    reason: str = ""
    detail: str = ""
    checked_at: float = field(default_factory=time.time, compare=False)

    @classmethod
    def ok(cls, detail: str = "") -> "Health":
        return cls(HealthState.OK, "", detail)

    @classmethod
    def degraded(cls, reason: str, detail: str = "") -> "Health":
        return cls(HealthState.DEGRADED, reason, detail)

    @classmethod
    def fault(cls, reason: str, detail: str = "") -> "Health":
        return cls(HealthState.FAULT, reason, detail)

    @property
    def is_ok(self) -> bool:
        return self.state is HealthState.OK

    @property
    def is_fault(self) -> bool:
        return self.state is HealthState.FAULT
