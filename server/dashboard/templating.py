"""Jinja environment for the dashboard: Chinese labels and local (Beijing) time display."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from server.clock import LOCAL

WEB = Path(__file__).resolve().parent.parent / "web"

STATUS_LABELS = {"ok": "正常 OK", "fault": "故障 Fault", "offline": "离线 Offline", "never": "未上线 Never seen"}
FAULT_STATES = {"open": "待处理 Open", "acknowledged": "已确认 Acknowledged", "resolved": "已解决 Resolved"}
DEVICE_TYPES = {"terminal": "自助一体机", "evaluator": "评价器"}
REASONS = {
    "paper_out": "缺纸", "paper_near_end": "纸将尽", "cover_open": "舱盖打开", "offline": "离线",
    "port_missing": "端口丢失", "reader_lost": "读卡器断开", "camera_lost": "摄像头断开", "disk_full": "磁盘已满",
}
ROLES = {"admin": "管理员", "technician": "运维人员", "supervisor": "监督员", "viewer": "只读", "department": "部门人员"}


def local_time(value: datetime | None) -> str:
    return "—" if value is None else value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S")


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB / "templates"))
    env = templates.env
    env.filters["local"] = local_time
    env.globals.update(STATUS_LABELS=STATUS_LABELS, FAULT_STATES=FAULT_STATES, DEVICE_TYPES=DEVICE_TYPES,
                       REASONS=REASONS, ROLES=ROLES)
    return templates
