"""``server/`` shares only the wire protocol with the device code: it never imports kiosk, drivers or screens."""
from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "server"
FORBIDDEN = {"kiosk", "drivers", "screens"}


def test_server_imports_nothing_of_the_device_side() -> None:
    offenders = []
    for path in SERVER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            offenders += [f"{path.relative_to(SERVER)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = {p.relative_to(SERVER).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in SERVER.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 300} == {}
