"""Contract-shaped answers of the content API (docs/CONTENT_API.md) and a small HTTP server that gives them.

The server speaks real HTTP on a free loopback port, so :class:`kiosk.backend.http.HttpBackend` is
tested through requests, ETags, gzip and multipart exactly as it meets the management server; a
test scripts a refusal or a garbled answer per path with :meth:`ContentServer.push`.
"""
from __future__ import annotations

import copy
import gzip
import json
import threading
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "content-test-token"
ID_NUMBER = "11010519491231002X"  # fictitious, valid check digit

CATALOG: dict[str, Any] = {
    "version": "2026.11.23-1", "sample_data": True,
    "departments": [{"code": "rsj", "name": "人力资源和社会保障局", "name_en": "Human Resources and Social Security Bureau"}],
    "themes": [{"code": "employment", "name": "就业创业", "audience": "personal"}],
    "items": [{
        "basic_code": "000201001", "impl_code": "11370102MB2857130X000201001000",
        "name": "社会保障卡申领", "name_en": "Social security card application",
        "department": "rsj", "themes": ["employment"], "pinyin": "SHBZKSL",
        "conditions": ["本市参保人员"],
        "materials": [{"code": "id_card", "name": "居民身份证", "copies": 1, "original": True, "scan": True}],
        "fee": "不收费", "legal_days": 20, "promised_days": 5,
        "locations": [{"name": "市民中心二楼社保专区", "address": "示例路 1 号", "windows": "B区 12-15号窗口",
                       "hours": "工作日 9:00-17:00", "phone": "0531-12345678"}],
        "online_url": "https://zwfw.example.gov.cn/item/000201001",
        "functions": ["guide", "progress", "print", "declare"],
        "form": [
            {"key": "reason", "label": "申领原因", "label_en": "Reason", "kind": "choice",
             "options": ["首次申领", "损坏换领", "遗失补领"], "required": True},
            {"key": "start_date", "label": "开始日期", "label_en": "Start date", "kind": "date", "required": True},
            {"key": "phone", "label": "联系电话", "label_en": "Phone", "kind": "digits", "min_len": 11, "max_len": 11,
             "required": True},
        ],
    }],
}

CASE: dict[str, Any] = {
    "case_no": "SB20261120000123", "item_name": "社会保障卡申领", "basic_code": "000201001",
    "impl_code": "11370102MB2857130X000201001000", "department": "rsj", "department_name": "人力资源和社会保障局",
    "applicant_masked": "张*", "submitted_at": "2026-11-20T09:31:00+08:00", "channel": "window",
    "status": "reviewed",
    "steps": [{"code": "received", "name": "收件", "at": "2026-11-20T09:31:00+08:00", "note": ""},
              {"code": "accepted", "name": "受理", "at": "2026-11-20T10:02:00+08:00", "note": ""},
              {"code": "reviewed", "name": "审查", "at": None, "note": ""},
              {"code": "issued", "name": "出证", "at": None, "note": ""}],
    "delivery": {"method": "post", "carrier": "中国邮政EMS", "tracking_no": "1190012345678"},
}

CERTIFICATE_SUMMARY: dict[str, Any] = {"id": "c-0001", "kind": "social_insurance_proof", "title": "个人参保证明",
                                       "issuer": "示例市社会保险事业中心", "issued_at": "2026-11-20T09:00:00+08:00",
                                       "pages": 1}

CERTIFICATE: dict[str, Any] = {
    "title": "个人参保证明", "number": "SB-2026-000123", "holder_name": "张*", "holder_id": "1101**********002X",
    "body": ["兹证明 {holder} 在本市参加社会保险。"], "table_header": ["险种", "起始年月"],
    "table_rows": [["养老保险", "2010-01"], ["医疗保险", "2010-01"]], "issuer": "示例市社会保险事业中心",
    "issued_at": "2026-11-20T09:00:00+08:00", "verify_code": "ABCD-1234", "verify_url": "https://example.gov.cn/v/ABCD",
    "notes": ["本证明为示例数据"],
}

RECEIPT: dict[str, Any] = {
    "case_no": "SB20261123000001", "accepted_at": "2026-11-23T10:00:00+08:00", "item_name": "社会保障卡申领",
    "department_name": "人力资源和社会保障局", "promised_days": 5, "materials": ["居民身份证"],
    "query_url": "https://zwfw.example.gov.cn/case/SB20261123000001", "applicant_masked": "张*",
    "applicant_id_masked": "1101**********002X",
}


def sample(name: str) -> Any:
    """A deep copy of one sample answer, for tests that break it."""
    return copy.deepcopy(globals()[name])


Answer = tuple[int, Any]  # status, JSON body (bytes are sent raw)


class ContentServer:
    """Answers the content API like the contract says; ``push`` scripts one-shot answers per path."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.overrides: dict[str, deque[Answer]] = {}
        self.catalog_etag = '"cat-1"'
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._send(401, {"detail": "bad_token"})
                    return False
                return True

            def do_GET(self) -> None:
                server.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
                if self.path == "/healthz":  # what ``kiosk doctor`` and the health checks probe
                    return self._send(200, {"status": "ok"})
                if not self._authorised():
                    return
                if self._override():
                    return
                if self.path != "/api/v1/catalog":
                    return self._send(404, {"detail": "Not Found"})
                if self.headers.get("If-None-Match") == server.catalog_etag:
                    return self._send(304, None)
                self._send(200, CATALOG, {"ETag": server.catalog_etag})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                record: dict[str, Any] = {"method": "POST", "path": self.path, "headers": dict(self.headers), "raw": raw}
                if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
                    message = BytesParser(policy=HTTP).parsebytes(
                        b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + raw)
                    record["parts"] = {part.get_param("name", header="content-disposition"):
                                       (part.get_content_type(), part.get_payload(decode=True))
                                       for part in message.iter_parts()}
                else:
                    record["body"] = json.loads(raw)
                server.requests.append(record)
                if not self._authorised() or self._override():
                    return
                self._send(*server.default_answer(self.path, record))

            def _override(self) -> bool:
                queue = server.overrides.get(self.path)
                if not queue:
                    return False
                status, body = queue.popleft()
                self._send(status, body)
                return True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def default_answer(self, path: str, record: dict[str, Any]) -> Answer:
        body = record.get("body") or {}
        if path == "/api/v1/cases/query":
            return (200, {"case": CASE}) if body.get("case_no") == CASE["case_no"] else (404, {"detail": "case_not_found"})
        if path == "/api/v1/cases/mine":
            return 200, {"cases": [CASE] if body.get("id_number") == ID_NUMBER else []}
        if path == "/api/v1/certificates/mine":
            return 200, {"certificates": [CERTIFICATE_SUMMARY] if body.get("id_number") == ID_NUMBER else []}
        if path == "/api/v1/certificates/document":
            if body.get("id_number") == ID_NUMBER and body.get("certificate_id") == CERTIFICATE_SUMMARY["id"]:
                return 200, CERTIFICATE
            return 404, {"detail": "certificate_not_found"}
        if path == "/api/v1/applications":
            parts = record.get("parts", {})
            meta = json.loads(parts["application"][1]) if "application" in parts else {}
            if meta.get("basic_code") != "000201001":
                return 404, {"detail": "item_not_found"}
            if "material.id_card" not in parts:
                return 422, {"detail": "material_missing"}
            return 201, RECEIPT
        return 404, {"detail": "Not Found"}

    def push(self, path: str, *answers: Answer) -> None:
        self.overrides.setdefault("/api/v1" + path, deque()).extend(answers)

    def start(self) -> "ContentServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
