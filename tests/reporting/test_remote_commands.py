"""Every remote command runs once through its handler and is acknowledged with an event."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kiosk.outbox import Outbox
from kiosk.remote_commands import (COMMAND_ARGS, Command, CommandDispatcher, CommandResult, ScreenScheduleArgs,
                                   parse_command)

from .conftest import schema_errors


def acks(outbox: Outbox) -> list[dict]:
    return [e.payload for e in outbox.peek_batch(100, 1 << 20) if e.type == "command_ack"]


class Recorder:
    def __init__(self, result: CommandResult = CommandResult.ok()) -> None:
        self.calls: list[Command] = []
        self.result = result

    def __call__(self, command: Command) -> CommandResult:
        self.calls.append(command)
        return self.result


@pytest.mark.parametrize("kind, args", [
    ("reload_config", {}),
    ("update_catalog", {"version": "2026-11-01"}),
    ("restart_app", {}),
    ("lock", {"message": "系统维护中"}),
    ("unlock", {}),
    ("screenshot", {}),
    ("set_schedule", {"on": "08:30", "off": "18:00", "days": [5, 1, 2, 3, 4]}),
])
def test_each_command_reaches_its_handler_and_is_acked(outbox: Outbox, kind: str, args: dict) -> None:
    dispatcher = CommandDispatcher(outbox, screen=lambda: "idle")
    handler = Recorder()
    dispatcher.register(kind, handler)
    dispatcher.handle([{"id": 7, "kind": kind, "args": args}])
    assert [c.id for c in handler.calls] == [7] and handler.calls[0].name == kind
    assert isinstance(handler.calls[0].args, COMMAND_ARGS[kind])
    assert acks(outbox) == [{"command_id": 7, "command": kind, "status": "done"}]
    assert schema_errors("events", {"events": [e.wire() for e in outbox.peek_batch(10, 1 << 20)]}) == []


def test_schedule_args_are_typed() -> None:
    args = ScreenScheduleArgs.model_validate({"on": "08:30", "off": "18:00", "days": [5, 1]})
    assert args.days == (1, 5)


def test_screenshot_is_refused_during_a_citizens_session(outbox: Outbox) -> None:
    screen = ["session"]
    dispatcher = CommandDispatcher(outbox, screen=lambda: screen[0])
    handler = Recorder(CommandResult.ok(path="/var/kiosk/shot.png"))
    dispatcher.register("screenshot", handler)
    dispatcher.handle([{"id": 1, "kind": "screenshot", "args": {}}])
    screen[0] = "maintenance"
    dispatcher.handle([{"id": 2, "kind": "screenshot", "args": {}}])
    assert len(handler.calls) == 1 and handler.calls[0].id == 2
    assert [(a["command_id"], a["status"], a.get("detail")) for a in acks(outbox)] == [
        (1, "rejected", "citizen_session"), (2, "done", None)]


def test_repeated_delivery_runs_once(outbox: Outbox) -> None:
    dispatcher = CommandDispatcher(outbox)
    handler = Recorder()
    dispatcher.register("restart_app", handler)
    for _ in range(3):  # the server repeats it until our ack arrives
        dispatcher.handle([{"id": 9, "kind": "restart_app", "args": {}}])
    assert len(handler.calls) == 1 and len(acks(outbox)) == 1


def test_a_command_interrupted_by_a_crash_is_not_run_again(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path, "dev") as box:
        box.set_meta({"command.4": "started"})  # what a SIGKILL inside the handler leaves
    with Outbox(path, "dev") as box:
        dispatcher = CommandDispatcher(box)
        handler = Recorder()
        dispatcher.register("restart_app", handler)
        dispatcher.handle([{"id": 4, "kind": "restart_app", "args": {}}])
        assert handler.calls == []
        assert acks(box) == [{"command_id": 4, "command": "restart_app", "status": "failed", "detail": "interrupted"}]


def test_unknown_unsupported_bad_args_and_failing_handlers(outbox: Outbox) -> None:
    dispatcher = CommandDispatcher(outbox)

    def boom(command: Command) -> CommandResult:
        raise RuntimeError("kv file missing")

    dispatcher.register("lock", boom)
    dispatcher.register("set_schedule", Recorder())
    dispatcher.handle([
        {"id": 1, "kind": "format_disk", "args": {}},
        {"id": 2, "kind": "reload_config", "args": {}},
        {"id": 3, "kind": "set_schedule", "args": {"on": "25:00", "off": "18:00"}},
        {"id": 4, "kind": "lock", "args": {}},
        {"id": "x", "kind": "lock"},  # malformed: ignored, nothing to ack
    ])
    assert [(a["command_id"], a["status"], a.get("detail")) for a in acks(outbox)] == [
        (1, "rejected", "unknown_command"), (2, "rejected", "not_supported"), (3, "rejected", "bad_args"),
        (4, "failed", "handler_error")]


def test_register_refuses_names_the_server_cannot_send(outbox: Outbox) -> None:
    with pytest.raises(ValueError):
        CommandDispatcher(outbox).register("reboot_everything", Recorder())


@given(st.dictionaries(st.sampled_from(["id", "kind", "args", "extra"]),
                       st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.dictionaries(
                           st.text(max_size=3), st.integers(), max_size=2), max_size=4))
def test_parse_command_accepts_only_well_formed_entries(raw: dict) -> None:
    try:
        command_id, kind, args = parse_command(raw)
    except ValueError:
        return
    assert isinstance(command_id, int) and command_id >= 1 and isinstance(kind, str) and isinstance(args, dict)


@given(st.text(max_size=8), st.text(max_size=8), st.lists(st.integers(-1, 9), max_size=8))
def test_schedule_args_never_crash(on: str, off: str, days: list[int]) -> None:
    from pydantic import ValidationError

    try:
        args = ScreenScheduleArgs.model_validate({"on": on, "off": off, "days": days})
    except ValidationError:
        return
    assert all(1 <= d <= 7 for d in args.days) and len(on) == 5
