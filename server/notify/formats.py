"""One notification, shaped for each kind of receiver.

* ``generic``: the JSON document below, signed with ``X-Kiosk-Signature: sha256=HMAC(secret, body)``
  when the webhook has a secret, so the receiver can check it came from this server.
* ``wecom``: 企业微信群机器人 ``{"msgtype": "markdown", "markdown": {"content": ...}}``.
* ``dingtalk``: 钉钉自定义机器人 ``{"msgtype": "markdown", "markdown": {"title", "text"}}``; with a
  加签 secret the URL gets ``timestamp`` (ms) and ``sign`` = Base64(HMAC-SHA256(secret,
  "timestamp\\nsecret")), URL-encoded, as DingTalk's documentation prescribes.

Both robots answer HTTP 200 even when they refuse a message; ``errcode`` != 0 in the answer is a
failure (and is retried like a 5xx).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.clock import LOCAL

TITLES = {
    "fault.opened": "设备故障", "fault.reopened": "故障再次出现", "fault.acknowledged": "故障已确认",
    "fault.resolved": "故障已解决", "call.opened": "群众呼叫工作人员", "call.acknowledged": "呼叫已响应",
    "call.resolved": "呼叫已处理",
}
PERIPHERALS = {
    "printer": "凭条打印机", "a4printer": "A4 打印机", "idcard": "身份证阅读器", "sscard": "社保卡读卡器",
    "qr_camera": "扫码摄像头", "scanner": "扫码器", "doc_camera": "高拍仪", "device": "整机", "touch": "触摸屏",
    "disk": "磁盘", "keypad": "评价按键",
}
REASONS = {
    "paper_out": "缺纸", "paper_near_end": "纸将尽", "cover_open": "舱盖打开", "offline": "离线（无心跳）",
    "port_missing": "端口丢失", "reader_lost": "读卡器断开", "camera_lost": "摄像头断开", "disk_full": "磁盘已满",
    "help": "需要帮助",
}


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str]


def local(iso: str | None) -> str:
    return "—" if not iso else datetime.fromisoformat(iso).astimezone(LOCAL).strftime("%Y年%m月%d日 %H:%M")


def summary(message: dict[str, Any]) -> tuple[str, list[str]]:
    """Title and Chinese lines shared by the robot formats."""
    kind = message["kind"]
    hall, device = message["hall"], message["device"]
    where = f"{hall['name']} · {device['name'] or device['id']}"
    if device.get("location"):
        where += f"（{device['location']}）"
    lines = [f"**{TITLES.get(kind, kind)}**", f"> 位置：{where}"]
    if "fault" in message:
        f = message["fault"]
        what = f"{PERIPHERALS.get(f['peripheral'], f['peripheral'])} {REASONS.get(f['reason'], f['reason'])}"
        lines.append(f"> 故障：{what}" + (f"（反复 {f['flaps']} 次）" if f.get("flaps") else ""))
        lines.append(f"> 发生：{local(f['opened_at'])}")
        if kind == "fault.acknowledged":
            lines.append(f"> 确认人：{f['acknowledged_by']}")
        if kind == "fault.resolved":
            by = {"device": "设备自动恢复", "server": "设备恢复在线"}.get(f["resolved_by"] or "", f["resolved_by"])
            lines.append(f"> 解决：{by}，{local(f['resolved_at'])}" + (f"，{f['resolution_note']}" if f.get(
                "resolution_note") else ""))
    if "call" in message:
        c = message["call"]
        lines.append(f"> 事由：{REASONS.get(c['reason'], c['reason'])}，{local(c['opened_at'])}")
        if c.get("acknowledged_by"):
            lines.append(f"> 响应人：{c['acknowledged_by']}")
    if message.get("link"):
        lines.append(f"[在管理平台查看]({message['link']})")
    return TITLES.get(kind, kind), lines


def render(fmt: str, url: str, secret: str, message: dict[str, Any], *, now_ms: int, delivery_id: int) -> Request:
    """The HTTP request delivering ``message`` to a webhook of format ``fmt``."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "kiosk-server-webhook/1"}
    if fmt == "generic":
        body = json.dumps(message, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers.update({"X-Kiosk-Event": message["kind"], "X-Kiosk-Delivery": str(delivery_id)})
        if secret:
            mac = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers["X-Kiosk-Signature"] = f"sha256={mac}"
        return Request(url, body, headers)
    title, lines = summary(message)
    if fmt == "wecom":
        if message["kind"] in ("fault.opened", "fault.reopened", "call.opened"):
            lines[0] = f'<font color="warning">{lines[0]}</font>'
        doc: dict[str, Any] = {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}
        return Request(url, json.dumps(doc, ensure_ascii=False).encode("utf-8"), headers)
    if fmt == "dingtalk":
        doc = {"msgtype": "markdown", "markdown": {"title": title, "text": "\n\n".join(lines)}}
        return Request(dingtalk_signed_url(url, secret, now_ms) if secret else url,
                       json.dumps(doc, ensure_ascii=False).encode("utf-8"), headers)
    raise ValueError(f"unknown webhook format {fmt!r}")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    to_sign = f"{timestamp_ms}\n{secret}".encode("utf-8")
    return base64.b64encode(hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    sign = urllib.parse.quote_plus(dingtalk_sign(secret, timestamp_ms))
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def accepted(fmt: str, status: int, body: bytes) -> tuple[bool, str]:
    """Whether the receiver took the message, and why not (robots say so in ``errcode``)."""
    if not 200 <= status < 300:
        return False, f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
    if fmt in ("wecom", "dingtalk"):
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            return False, "robot answered something that is not JSON"
        code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if code != 0:
            return False, f"errcode {code}: {str(answer.get('errmsg', ''))[:200]}"
    return True, ""
