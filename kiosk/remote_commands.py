"""Commands from the dashboard, delivered in heartbeat answers, run once and acknowledged.

The server keeps answering a command until it has the acknowledgement, and that travels
through the outbox, so the same command can arrive several times (and again after a
restart). Each command id is therefore recorded in the outbox's ``meta`` table *before* its
handler runs: a command runs at most once per device (a repeated ``restart_app`` would
otherwise restart the kiosk in a loop), and its ``command_ack`` event (``ok``, ``refused``
with a reason, ``failed`` or ``unknown``) is delivered at least once.

The UI registers one handler per command name; handlers must return quickly (post the work
to the UI thread and answer). Arguments are validated here, so a handler gets a typed
value. A screenshot is refused unless the screen shows the idle or maintenance screen: a
citizen's session (their name, their case) is never captured.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.outbox import Outbox, OutboxError
from kiosk.privacy import mask_text

log = logging.getLogger(__name__)

AckStatus = Literal["ok", "refused", "failed", "unknown"]
WIRE_STATUS: Mapping[str, str] = {"ok": "done", "refused": "rejected", "failed": "failed", "unknown": "rejected"}
"""Our four outcomes in the words of the server's ``command_ack`` schema."""
META_PREFIX = "command."
SCREENSHOT_SAFE_SCREENS = frozenset({"idle", "maintenance"})


@dataclass(frozen=True)
class CommandResult:
    status: AckStatus
    reason: str = ""  # a stable snake_case key when refused or failed
    data: dict[str, Any] = field(default_factory=dict)  # small; goes into the ack event

    @classmethod
    def ok(cls, **data: Any) -> "CommandResult":
        return cls("ok", "", data)

    @classmethod
    def refused(cls, reason: str, **data: Any) -> "CommandResult":
        return cls("refused", reason, data)


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(_Args):
    pass


class LockArgs(_Args):
    message: str = Field(default="", max_length=200, description="shown on the locked screen")


class UpdateCatalogArgs(_Args):
    version: str = Field(default="", max_length=64)


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ScreenScheduleArgs(_Args):
    """Screen on/off times, local time; days 1 = Monday … 7 = Sunday."""

    on: str
    off: str
    days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)

    @field_validator("on", "off")
    @classmethod
    def _time(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("not HH:MM")
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(d < 1 or d > 7 for d in value) or len(set(value)) != len(value):
            raise ValueError("days must be distinct numbers 1-7")
        return tuple(sorted(value))


COMMAND_ARGS: Mapping[str, type[_Args]] = {
    "reload_config": NoArgs,
    "update_catalog": UpdateCatalogArgs,
    "restart_app": NoArgs,
    "lock": LockArgs,
    "unlock": NoArgs,
    "screenshot": NoArgs,
    "set_schedule": ScreenScheduleArgs,
    "update_staff": NoArgs,
    "update_reasons": NoArgs,
}
"""Every command the dashboard can send, with the arguments it may carry."""


@dataclass(frozen=True)
class Command:
    id: int
    name: str
    args: Any  # the validated model from COMMAND_ARGS


Handler = Callable[[Command], CommandResult]


def parse_command(raw: Mapping[str, Any]) -> tuple[int, str, dict[str, Any]]:
    """``(id, kind, args)`` from one entry of the heartbeat answer (``{"id", "kind", "args"}``)."""
    command_id = raw.get("id")
    name = raw.get("kind")
    args = raw.get("args", {})
    if not isinstance(command_id, int) or isinstance(command_id, bool) or command_id < 1:
        raise ValueError("command without a positive integer id")
    if not isinstance(name, str) or not name:
        raise ValueError("command without a kind")
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ValueError("command args must be an object")
    return command_id, name, args


class CommandDispatcher:
    """Runs each remote command once through its registered handler and acknowledges it."""

    def __init__(self, outbox: Outbox, *, screen: Callable[[], str] = lambda: "unknown",
                 safe_screens: frozenset[str] = SCREENSHOT_SAFE_SCREENS) -> None:
        self.outbox = outbox
        self.screen = screen  # the UI's current screen: "idle", "maintenance", a session's screen ...
        self.safe_screens = safe_screens  # screens that never show a citizen's data
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()

    def register(self, name: str, handler: Handler) -> None:
        if name not in COMMAND_ARGS:
            raise ValueError(f"unknown command {name!r}; known: {sorted(COMMAND_ARGS)}")
        self._handlers[name] = handler

    def handle(self, commands: list[dict[str, Any]]) -> list[tuple[int, CommandResult]]:
        """Run new commands in order; returns ``(id, result)`` for those acknowledged now."""
        done: list[tuple[int, CommandResult]] = []
        with self._lock:  # heartbeats are serial, but a test or the UI might call concurrently
            for raw in commands:
                try:
                    command_id, name, args = parse_command(raw)
                except ValueError as exc:
                    log.warning("ignoring a malformed command: %s", exc)
                    continue
                state = self.outbox.get_meta(f"{META_PREFIX}{command_id}")
                if state == "acked":
                    continue
                if state == "started":  # we died while running it: do not run it again
                    result = CommandResult("failed", "interrupted")
                else:
                    self.outbox.set_meta({f"{META_PREFIX}{command_id}": "started"})
                    result = self._run(command_id, name, args)
                if self._ack(command_id, name, result):
                    done.append((command_id, result))
        return done

    def _run(self, command_id: int, name: str, raw_args: dict[str, Any]) -> CommandResult:
        model = COMMAND_ARGS.get(name)
        handler = self._handlers.get(name)
        if model is None:
            return CommandResult("unknown", "unknown_command")
        try:
            args = model.model_validate(raw_args)
        except ValidationError as exc:
            return CommandResult.refused("bad_args", errors=[e["msg"] for e in exc.errors()][:5])
        if handler is None:
            return CommandResult.refused("not_supported")
        if name == "screenshot" and self.screen() not in self.safe_screens:
            return CommandResult.refused("citizen_session")  # never capture a person's data
        try:
            result = handler(Command(command_id, name, args))
        except Exception as exc:
            log.exception("command %s (%s) failed", name, command_id)
            return CommandResult("failed", "handler_error", {"error": type(exc).__name__})
        return result if isinstance(result, CommandResult) else CommandResult("failed", "bad_handler_result")

    def _ack(self, command_id: int, name: str, result: CommandResult) -> bool:
        payload: dict[str, Any] = {"command_id": command_id, "command": name, "status": WIRE_STATUS[result.status]}
        if result.reason:
            payload["detail"] = result.reason
        if result.data:
            payload["data"] = {k: mask_text(v) if isinstance(v, str) else v for k, v in result.data.items()}
        try:
            self.outbox.enqueue("command_ack", payload)
        except OutboxError as exc:  # left "started": the next delivery acks it as interrupted
            log.error("could not queue the ack of command %s: %s", command_id, exc)
            return False
        self.outbox.set_meta({f"{META_PREFIX}{command_id}": "acked"})
        return True
