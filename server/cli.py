"""``kiosk-server``: run | migrate | create-admin | enrol-code | seed-demo | purge.

Every sub-command takes ``--config FILE`` (TOML, ``[server]`` table); ``DATABASE_URL`` selects
the database. Heavy imports happen inside the commands so ``--help`` stays instant.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence

from server.ratings.commands import add_commands as add_rating_commands
from server.settings import Settings, load_settings

CONFIG_ENV = "KIOSK_SERVER_CONFIG"


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.context import AppContext
    from server.migrate import upgrade
    from server.services.enrolment import ensure_default_site

    ctx = AppContext.build(_settings(args))
    upgrade(ctx.engine)
    with ctx.transaction() as session:
        ensure_default_site(session)
    print(f"database ready: {ctx.engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.db import make_engine
    from server.migrate import is_current

    settings = _settings(args)
    engine = make_engine(settings.database_url)
    try:
        current = is_current(engine)
    finally:
        engine.dispose()
    if not current:
        print("the database is not migrated: run `kiosk-server migrate` first", file=sys.stderr)
        return 2
    if args.config:
        os.environ[CONFIG_ENV] = os.path.abspath(args.config)
    uvicorn.run("server.cli:app_factory", factory=True, host=args.host, port=args.port, workers=args.workers,
                proxy_headers=True, log_level=args.log_level)
    return 0


def app_factory():  # type: ignore[no-untyped-def]
    """What uvicorn workers import: settings come from the environment (and the config file)."""
    from server.app import create_app

    return create_app(load_settings(os.environ.get(CONFIG_ENV)))


def cmd_create_admin(args: argparse.Namespace) -> int:
    from server.context import AppContext
    from server.services.users import upsert_user

    password = args.password or os.environ.get("KIOSK_SERVER_ADMIN_PASSWORD") or getpass.getpass("password: ")
    ctx = AppContext.build(_settings(args))
    with ctx.transaction() as session:
        created = upsert_user(session, args.username, password, args.role, actor="cli")
    print(f"{'created' if created else 'updated'} user {args.username} ({args.role})")
    return 0


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from server.context import AppContext
    from server.services.enrolment import issue_code

    settings = _settings(args)
    ctx = AppContext.build(settings)
    with ctx.transaction() as session:
        issued = issue_code(session, actor="cli", ttl_hours=settings.enrol_code_ttl_h, site_slug=args.site,
                            device_type=args.type, window=args.window, location=args.location)
    print(f"site {issued.site_slug}, type {issued.device_type}, valid until {issued.expires_at_iso}, single use")
    print(issued.code)  # the contract: the code is the last line
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server.context import AppContext
    from server.demo import seed

    ctx = AppContext.build(_settings(args))
    with ctx.transaction() as session:
        summary = seed(session, devices_per_hall=args.devices, secret_key=ctx.settings.secret_key)
    print(summary)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """The retention purge the running server does every ``purge_every_s`` (for cron, or with it off)."""
    from server.app import purge_once
    from server.context import AppContext

    purged = purge_once(AppContext.build(_settings(args)))
    total = sum(purged.values())
    print(f"purged {total} row(s)" + (": " + ", ".join(f"{t} {n}" for t, n in sorted(purged.items())) if total else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML file with a [server] table (see config/server.example.toml)")
    parser = argparse.ArgumentParser(prog="kiosk-server", description="政务服务终端管理平台 / kiosk management server")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common], help="serve the API and dashboard")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8700)
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--log-level", default="info")
    run.set_defaults(func=cmd_run)
    sub.add_parser("migrate", parents=[common], help="create or upgrade the database").set_defaults(func=cmd_migrate)
    admin = sub.add_parser("create-admin", parents=[common], help="create (or reset) a dashboard user")
    admin.add_argument("--username", default="admin")
    admin.add_argument("--password", help="default: $KIOSK_SERVER_ADMIN_PASSWORD or a prompt")
    admin.add_argument("--role", default="admin", choices=["admin", "technician", "supervisor", "viewer", "department"])
    admin.set_defaults(func=cmd_create_admin)
    code = sub.add_parser("enrol-code", parents=[common], help="print a one-time device enrol code (last line)")
    code.add_argument("--site", help="site slug (default: the default site)")
    code.add_argument("--type", default="terminal", choices=["terminal", "evaluator"])
    code.add_argument("--window", default="")
    code.add_argument("--location", default="")
    code.set_defaults(func=cmd_enrol_code)
    demo = sub.add_parser("seed-demo", parents=[common], help="add sample halls, devices and users (示例数据)")
    demo.add_argument("--devices", type=int, default=4, help="sample devices per hall")
    demo.set_defaults(func=cmd_seed_demo)
    sub.add_parser("purge", parents=[common], help="forget finished notifications, expired sessions and old "
                   "enrol claims (the server also does this hourly)").set_defaults(func=cmd_purge)
    add_rating_commands(sub, common)  # push-ratings, holidays
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (ValueError, LookupError) as exc:  # bad input named by the services; no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
