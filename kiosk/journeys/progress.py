"""办件查询: a case's progress as a timeline the screen draws step by step.

The content API sends the steps the case has (收件、受理、审查、出证); the timeline always
shows the standard ones in order, marking each done (with its time), current (the first not
yet done) or to come, and adds 寄递 with the tracking number when the result is posted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kiosk.backend.base import STEP_ORDER, CaseRecord

CASE_NO_RE = re.compile(r"^[A-Z0-9]{6,32}$")
CASE_QR_PREFIX = "ZWFW:CASE:"

STEP_NAMES = {"received": "收件", "accepted": "受理", "reviewed": "审查", "issued": "出证", "posted": "寄递"}


@dataclass(frozen=True)
class TimelineStep:
    code: str
    name: str
    state: str  # "done" | "current" | "todo"
    at: datetime | None = None
    note: str = ""


def timeline(case: CaseRecord) -> list[TimelineStep]:
    """The standard steps in order; ``posted`` only when the result goes by post."""
    known = {s.code: s for s in case.steps}
    codes = [c for c in STEP_ORDER if c != "posted" or case.delivery is not None or "posted" in known]
    steps: list[TimelineStep] = []
    current_given = False
    for code in codes:
        step = known.get(code)
        done = step is not None and step.at is not None
        if done:
            state = "done"
        elif not current_given:
            state, current_given = "current", True
        else:
            state = "todo"
        note = step.note if step else ""
        if code == "posted" and case.delivery is not None and case.delivery.tracking_no:
            note = f"{case.delivery.carrier} {case.delivery.tracking_no}".strip()
        steps.append(TimelineStep(code, step.name if step and step.name else STEP_NAMES[code], state,
                                  step.at if step else None, note))
    return steps


def case_number_from_input(text: str) -> str | None:
    """A typed or scanned case number (a receipt QR carries ``ZWFW:CASE:<no>``), or None if malformed."""
    value = text.strip()
    if value.upper().startswith(CASE_QR_PREFIX):
        value = value[len(CASE_QR_PREFIX):]
    value = value.replace("-", "").upper()
    return value if CASE_NO_RE.match(value) else None
