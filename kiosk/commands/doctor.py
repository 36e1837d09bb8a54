"""``kiosk doctor --config FILE``: validate the config, probe devices, print a table.

Exit status 0 when every required device and link is usable, 1 when one is in fault, 2 when
the config itself is wrong (reported as ``FILE: key: reason``).
"""
from __future__ import annotations

import argparse
import json



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, help="terminal or evaluator TOML file")
    parser.add_argument("--section", help="table of a multi-device file, e.g. terminal in config/demo.toml")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN")


def _table(rows: list[list[str]]) -> str:
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from kiosk.config import load_kiosk_config
    from kiosk.doctor import failed_required, run_checks
    from kiosk.i18n import translate

    config = load_kiosk_config(args.config, args.section)
    rows = run_checks(config)
    if args.json:
        print(json.dumps([{"device": r.device, "link": r.link, "required": r.required, "state": r.health.state.value,
                           "reason": r.health.reason, "detail": r.health.detail} for r in rows], ensure_ascii=False))
    else:
        t = lambda key, **kw: translate(key, args.lang, **kw)  # noqa: E731
        print(f"{config.device.id} ({config.role}) {t('maintenance.config_version')} {config.config_version}")
        header = ["device", "link", "state", "reason"]
        body = []
        for r in rows:
            label = f"{r.device} {t('device.' + r.device)}" + ("" if r.required else " (optional)")
            reason = t("health." + r.health.reason) if r.health.reason else ""
            if r.health.detail:
                reason = f"{reason}: {r.health.detail}" if reason else r.health.detail
            body.append([label, r.link, t("health." + r.health.state.value), reason])
        print(_table([header] + body) if body else "no devices configured")
    bad = failed_required(rows)
    return 1 if bad else 0
