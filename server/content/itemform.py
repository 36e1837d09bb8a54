"""The dashboard's item editor: lists (materials, locations, form fields) as one line each with
``|`` between columns, so an item is edited in one plain HTML form without JavaScript.

``to_text`` and ``parse`` are inverse: an item saved unchanged is the same item (and then no
draft is created).
"""
from __future__ import annotations

from typing import Any

from server.content.catalog import ItemError

YES, NO = "是", "否"
MATERIAL_COLUMNS = "代码 | 名称 | 份数 | 原件(是/否) | 扫描(是/否)"
LOCATION_COLUMNS = "地点 | 地址 | 窗口 | 办公时间 | 电话"
FIELD_COLUMNS = "key | 标签 | English | choice/date/digits | 选项1/选项2 | 最少位数 | 最多位数 | 必填(是/否)"


def to_text(item: dict[str, Any]) -> dict[str, str]:
    """The textarea contents for ``item``."""
    def yn(flag: bool) -> str:
        return YES if flag else NO

    return {
        "conditions": "\n".join(item.get("conditions", [])),
        "materials": "\n".join(f"{m['code']} | {m['name']} | {m.get('copies', 1)} | {yn(m.get('original', True))} | "
                               f"{yn(m.get('scan', False))}" for m in item.get("materials", [])),
        "locations": "\n".join(" | ".join(loc.get(k, "") for k in ("name", "address", "windows", "hours", "phone"))
                               for loc in item.get("locations", [])),
        "form": "\n".join(
            " | ".join([f["key"], f["label"], f.get("label_en", ""), f["kind"], "/".join(f.get("options", [])),
                        str(f.get("min_len", "")) if f["kind"] == "digits" else "",
                        str(f.get("max_len", "")) if f["kind"] == "digits" else "", yn(f.get("required", True))])
            for f in item.get("form", [])),
    }


def _lines(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.splitlines() if line.strip()]


def _flag(value: str, default: bool) -> bool:
    return default if not value else value in (YES, "y", "yes", "true", "1")


def _int(value: str, where: str, problems: list[str], default: int = 0) -> int:
    if not value:
        return default
    if not value.isdigit():
        problems.append(f"{where}: 应为整数 (a whole number)")
        return default
    return int(value)


def parse(values: dict[str, Any]) -> dict[str, Any]:
    """Build an item from the submitted form; ``ItemError`` names the line of every mistake."""
    problems: list[str] = []
    materials = []
    for n, cells in enumerate(_lines(values.get("materials", "")), 1):
        cells += [""] * (5 - len(cells))
        materials.append({"code": cells[0], "name": cells[1], "copies": _int(cells[2], f"材料第{n}行 份数", problems, 1),
                          "original": _flag(cells[3], True), "scan": _flag(cells[4], False)})
    locations = []
    for cells in _lines(values.get("locations", "")):
        cells += [""] * (5 - len(cells))
        locations.append(dict(zip(("name", "address", "windows", "hours", "phone"), cells[:5], strict=True)))
    form = []
    for n, cells in enumerate(_lines(values.get("form", "")), 1):
        cells += [""] * (8 - len(cells))
        field: dict[str, Any] = {"key": cells[0], "label": cells[1], "label_en": cells[2], "kind": cells[3]}
        if cells[3] == "choice":
            field["options"] = [o.strip() for o in cells[4].split("/") if o.strip()]
        if cells[3] == "digits":
            field["min_len"] = _int(cells[5], f"表单第{n}行 最少位数", problems)
            field["max_len"] = _int(cells[6], f"表单第{n}行 最多位数", problems)
        field["required"] = _flag(cells[7], True)
        form.append(field)
    item = {
        "impl_code": values.get("impl_code", "").strip(), "name": values.get("name", "").strip(),
        "name_en": values.get("name_en", "").strip(), "department": values.get("department", ""),
        "themes": list(values.get("themes", [])),
        "conditions": [line.strip() for line in values.get("conditions", "").splitlines() if line.strip()],
        "materials": materials, "fee": values.get("fee", "").strip() or "不收费",
        "legal_days": _int(values.get("legal_days", "").strip(), "法定时限", problems),
        "promised_days": _int(values.get("promised_days", "").strip(), "承诺时限", problems),
        "locations": locations, "online_url": values.get("online_url", "").strip(),
        "functions": [f for f in ("guide", "progress", "print", "declare") if f in values.get("functions", [])],
        "form": form if "declare" in values.get("functions", []) else [],
    }
    if problems:
        raise ItemError(problems)
    return item
