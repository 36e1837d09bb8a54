"""CSV and XLSX exports of the usage report, with Chinese headers.

CSV is written with a UTF-8 byte-order mark: Excel on Windows (what a 政务服务中心 office
opens it with) otherwise reads UTF-8 Chinese as mojibake. XLSX (openpyxl) holds every table
of the report as its own sheet, with the header row frozen.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from server.reports.usage import FUNCTION_LABELS, UsageReport
from server.reports.workable import FleetRate

TABLES = ("devices", "functions", "days", "hours", "rankings")
SHEET_NAMES = {"devices": "按设备", "functions": "按功能", "days": "按日", "hours": "按小时", "rankings": "排名与建议"}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def table(report: UsageReport, name: str, rates: FleetRate | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one table of the report."""
    if name == "devices":
        by_device = rates.by_device() if rates else {}
        header = ["大厅", "设备编号", "设备名称", "办件总数", "成功", "失败", "取消", "失败率", "打印页数", "缺纸次数",
                  "故障次数", "日均办件", "实时可办率"]
        rows = [[d.hall, d.device_id, d.name, d.counts.total, d.counts.success, d.counts.failure, d.counts.cancelled,
                 _pct(d.counts.failure_rate), d.counts.pages, d.paper_outs, d.faults, round(d.daily, 2),
                 _pct(by_device.get(d.device_id))] for d in report.devices]
        return header, rows
    if name == "functions":
        header = ["功能", "功能代码", "办件总数", "成功", "失败", "取消", "失败率", "打印页数"]
        return header, [[FUNCTION_LABELS.get(f, f), f, c.total, c.success, c.failure, c.cancelled,
                         _pct(c.failure_rate), c.pages] for f, c in report.functions.items()]
    if name == "days":
        header = ["日期", "办件总数", "成功", "失败", "取消", "打印页数"]
        return header, [[d, c.total, c.success, c.failure, c.cancelled, c.pages] for d, c in report.days.items()]
    if name == "hours":
        return ["时段", "办件总数"], [[f"{h:02d}:00-{h:02d}:59", n] for h, n in enumerate(report.hours)]
    if name == "rankings":
        header = ["类别", "大厅", "设备编号", "设备名称", "日均办件", "失败率", "故障次数", "建议"]
        rows = [["低使用率", r.row.hall, r.row.device_id, r.row.name, round(r.row.daily, 2),
                 _pct(r.row.counts.failure_rate), r.row.faults, r.hint] for r in report.low_usage]
        rows += [["高故障率", r.row.hall, r.row.device_id, r.row.name, round(r.row.daily, 2),
                  _pct(r.row.counts.failure_rate), r.row.faults, r.hint] for r in report.high_failure]
        return header, rows
    raise KeyError(name)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: UsageReport, rates: FleetRate | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name in TABLES:
        header, rows = table(report, name, rates)
        sheet = book.create_sheet(SHEET_NAMES[name])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for i, title in enumerate(header, start=1):
            longest = max([len(str(title)) * 2] + [len(str(r[i - 1])) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    info = book.create_sheet("说明")
    info.append(["统计区间", report.period.label()])
    info.append(["全网日均办件中位数", round(report.median_daily, 2)])
    if rates and rates.overall is not None:
        info.append(["全网实时可办率", _pct(rates.overall)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
