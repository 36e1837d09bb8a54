"""``kiosk-server push-ratings`` and ``kiosk-server holidays`` (added to the CLI by one call).

``push-ratings`` sends new and changed ratings upstream once (run it from cron or a systemd
timer); exit status 1 when a batch failed, so the timer's failure shows in monitoring.
``holidays add FILE`` enters holiday/make-up days for a year the built-in calendar does not know
(lines ``2027-02-06 休 春节`` / ``2027-02-14 班 春节调休``); ``holidays check YEAR`` says whether
a year is known. Heavy imports happen inside the commands.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    push = sub.add_parser("push-ratings", parents=[common], help="push new/changed 好差评 records upstream")
    push.set_defaults(func=cmd_push)
    days = sub.add_parser("holidays", parents=[common], help="enter or check holiday years (节假日/调休)")
    action = days.add_subparsers(dest="action", required=True)
    add = action.add_parser("add", parents=[common], help="read days from FILE ('-' for stdin)")
    add.add_argument("file")
    add.set_defaults(func=cmd_holidays_add)
    check = action.add_parser("check", parents=[common], help="is YEAR known (built in or entered)?")
    check.add_argument("year", type=int)
    check.set_defaults(func=cmd_holidays_check)


def _ctx(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from server.context import AppContext
    from server.settings import load_settings

    return AppContext.build(load_settings(args.config))


def cmd_push(args: argparse.Namespace) -> int:
    from server.ratings import push

    ctx = _ctx(args)
    try:
        logs = push.run(ctx, actor="cli")
    finally:
        ctx.engine.dispose()
    for log in logs:
        print(f"push #{log.id}: {log.status}, {log.records} records, {log.attempts} attempt(s), HTTP {log.http_status}")
    if not logs:
        print("nothing to push")
    return 0 if all(log.status == "ok" for log in logs) else 1


def cmd_holidays_add(args: argparse.Namespace) -> int:
    from server.ratings import workdays

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    days = workdays.parse_days(text)  # ValueError -> "error: ..." and exit 2 in server.cli.main
    ctx = _ctx(args)
    try:
        with ctx.transaction() as session:
            count = workdays.save_days(session, days, "cli")
    finally:
        ctx.engine.dispose()
    print(f"saved {count} day(s)")
    return 0


def cmd_holidays_check(args: argparse.Namespace) -> int:
    from server.ratings import workdays

    ctx = _ctx(args)
    try:
        with ctx.reading() as session:
            unknown = workdays.load(session).unknown_years([args.year])
    finally:
        ctx.engine.dispose()
    print(f"{args.year}: {'unknown - enter its holidays' if unknown else 'known'}")
    return 1 if unknown else 0
