"""Payloads of the events a kiosk reports, built in one place so they match the wire schema.

The server checks the payloads of the types it knows (``server/schemas/events.schema.json``);
a payload that does not match would be refused and set aside, so the UI builds them here
rather than by hand. Every string value goes through :func:`scrub` on its way into the
outbox: ID-number-shaped text and the names of the person at the terminal are masked, so
no report carries personal data even when a caller passes it by mistake.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from kiosk.privacy import SENSITIVE, SensitiveValues, mask_text

Outcome = Literal["success", "failure", "cancelled"]
RATING_LEVELS = ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied")
"""GB/T 39046-2020 five levels, best first; codes for a province are made only at export."""
BAD_RATINGS = frozenset({"dissatisfied", "very_dissatisfied"})


def scrub(value: Any, sensitive: SensitiveValues = SENSITIVE) -> Any:
    """A copy of ``value`` with every string masked (recursively through dicts and lists)."""
    if isinstance(value, str):
        return sensitive.scrub(mask_text(value))
    if isinstance(value, Mapping):
        return {str(k): scrub(v, sensitive) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v, sensitive) for v in value]
    return value


def usage(function: str, outcome: Outcome, *, pages: int | None = None, duration_ms: int | None = None,
          **extra: Any) -> dict[str, Any]:
    """One transaction on the terminal (查询, 打印, 申报 ...): the server's usage statistics."""
    if outcome not in ("success", "failure", "cancelled"):
        raise ValueError(f"bad outcome {outcome!r}")
    payload: dict[str, Any] = {"function": function, "outcome": outcome, **extra}
    if pages is not None:
        payload["pages"] = int(pages)
    if duration_ms is not None:
        payload["duration_ms"] = max(0, int(duration_ms))
    return payload


def print_job(printer: str, pages: int, outcome: Outcome, *, document: str = "", **extra: Any) -> dict[str, Any]:
    """A finished print (receipt or certificate), recorded only after the printer confirmed it."""
    return {"printer": printer, "pages": int(pages), "outcome": outcome, "document": document, **extra}


def rating(level: str, *, channel: str = "hall_device", window: str = "", staff_no: str = "",
           case_no: str = "", item_code: str = "", reason: str = "", comment: str = "") -> dict[str, Any]:
    """A 好差评 rating; a bad rating must carry its reason (GB/T 39046). No rater identity."""
    if level not in RATING_LEVELS:
        raise ValueError(f"bad rating level {level!r}; one of {RATING_LEVELS}")
    if level in BAD_RATINGS and not reason:
        raise ValueError("a bad rating needs a reason")
    payload = {"level": level, "channel": channel, "window": window, "staff_no": staff_no,
               "case_no": case_no, "item_code": item_code, "reason": reason, "comment": comment}
    return {k: v for k, v in payload.items() if v}
