"""``kiosk sim window``: a window (queue) system that drives an evaluator's local API.

For the demo it plays a window's day: a case starts (fictitious item, case number and
applicant), is "handled" for a while, a rating is invited and its result polled, and the next
case follows. For tests and by hand it also sends single requests::

    kiosk sim window --port 8765 --token TOKEN play --cases 3 --handle-s 8
    kiosk sim window --port 8765 --token TOKEN case ZW2026112300012 --item 居住证签注
    kiosk sim window --port 8765 --token TOKEN invite          # prints the invitation id
    kiosk sim window --port 8765 --token TOKEN result ID
    kiosk sim window --port 8765 --token TOKEN pause | resume | status

The token may come from ``$EVALUATOR_API_TOKEN`` instead of ``--token``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any

SAMPLE_ITEMS = (  # fictitious demo data: item name, 基本编码, 实施编码
    ("居住证签注", "000105001", "11110105000105001000001"),
    ("个体工商户设立登记", "000116002", "11110105000116002000001"),
    ("城乡居民养老保险参保登记", "000112003", "11110105000112003000001"),
)
SAMPLE_APPLICANTS = ("张三", "李四", "王五")  # masked by the evaluator on arrival


class WindowApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body.get('error', '')}: {body.get('message', '')}")
        self.status, self.body = status, body

    @property
    def error(self) -> str:
        return str(self.body.get("error", ""))


class WindowClient:
    """A thin client of :mod:`kiosk.window_api`; raises WindowApiError on a non-2xx answer."""

    def __init__(self, port: int, token: str, host: str = "127.0.0.1", timeout_s: float = 5.0) -> None:
        self.base = f"http://{host}:{port}"
        self.token = token
        self.timeout_s = timeout_s

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            # B310: 127.0.0.1
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # nosec B310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                payload = json.loads(exc.read() or b"{}")
            except ValueError:
                payload = {}
            raise WindowApiError(exc.code, payload) from None

    def status(self) -> dict[str, Any]:
        return self.call("GET", "/v1/status")

    def start_case(self, case_no: str, item_name: str = "", basic_code: str = "", impl_code: str = "",
                   applicant_name: str = "") -> dict[str, Any]:
        body = {"case_no": case_no, "item_name": item_name, "basic_code": basic_code, "impl_code": impl_code,
                "applicant_name": applicant_name}
        return self.call("POST", "/v1/case", {k: v for k, v in body.items() if v})

    def end_case(self) -> dict[str, Any]:
        return self.call("POST", "/v1/case/end", {})

    def invite(self, consultation: bool = False, callback_url: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {"consultation": consultation}
        if callback_url:
            body["callback_url"] = callback_url
        return self.call("POST", "/v1/invite", body)

    def cancel(self) -> dict[str, Any]:
        return self.call("POST", "/v1/invite/cancel", {})

    def result(self, invitation_id: str) -> dict[str, Any]:
        return self.call("GET", f"/v1/result/{invitation_id}")

    def pause(self) -> dict[str, Any]:
        return self.call("POST", "/v1/pause", {})

    def resume(self) -> dict[str, Any]:
        return self.call("POST", "/v1/resume", {})

    def wait_result(self, invitation_id: str, timeout_s: float = 120.0, poll_s: float = 1.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            result = self.result(invitation_id)
            if result["state"] != "pending" or time.monotonic() >= deadline:
                return result
            time.sleep(poll_s)


def play(client: WindowClient, cases: int, handle_s: float, pause_s: float, out=sys.stdout) -> int:
    """A window's day in miniature; cases numbered from the current time so reruns never collide."""
    stamp = time.strftime("%Y%m%d%H%M%S")
    for n in range(cases):
        item, basic, impl = SAMPLE_ITEMS[n % len(SAMPLE_ITEMS)]
        case_no = f"ZW{stamp}{n:03d}"
        try:
            client.start_case(case_no, item, basic, impl, SAMPLE_APPLICANTS[n % len(SAMPLE_APPLICANTS)])
            print(f"case {case_no} started ({item})", file=out, flush=True)
            time.sleep(handle_s)
            invitation = client.invite()
            print(f"rating invited: {invitation['invitation_id']}", file=out, flush=True)
            result = client.wait_result(invitation["invitation_id"], timeout_s=invitation["timeout_s"] + 10)
            print(f"result: {result['state']} {result.get('level') or ''}", file=out, flush=True)
        except WindowApiError as exc:
            print(f"refused: {exc}", file=out, flush=True)
        except OSError as exc:  # the evaluator is (re)starting: a queue system keeps trying
            print(f"evaluator not reachable ({exc}); retrying", file=out, flush=True)
        time.sleep(pause_s)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="kiosk sim window", description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--token", default=os.environ.get("EVALUATOR_API_TOKEN", ""))
    sub = p.add_subparsers(dest="action", required=True)
    pl = sub.add_parser("play", help="cases, invitations and results in a loop (the demo)")
    pl.add_argument("--cases", type=int, default=1000)
    pl.add_argument("--handle-s", type=float, default=10.0, help="time at the window before the invitation")
    pl.add_argument("--pause-s", type=float, default=5.0, help="gap before the next case")
    c = sub.add_parser("case", help="start a case")
    c.add_argument("case_no")
    c.add_argument("--item", default=SAMPLE_ITEMS[0][0])
    c.add_argument("--applicant", default="")
    i = sub.add_parser("invite", help="invite a rating")
    i.add_argument("--consultation", action="store_true")
    i.add_argument("--callback-url", default="")
    r = sub.add_parser("result", help="poll a result")
    r.add_argument("invitation_id")
    for name in ("status", "pause", "resume", "end", "cancel"):
        sub.add_parser(name)
    args = p.parse_args(argv)
    if not args.token:
        p.error("--token or $EVALUATOR_API_TOKEN is required")
    client = WindowClient(args.port, args.token)
    try:
        if args.action == "play":
            return play(client, args.cases, args.handle_s, args.pause_s)
        answer = {
            "case": lambda: client.start_case(args.case_no, args.item, applicant_name=args.applicant),
            "invite": lambda: client.invite(args.consultation, args.callback_url),
            "result": lambda: client.result(args.invitation_id),
            "status": client.status, "pause": client.pause, "resume": client.resume,
            "end": client.end_case, "cancel": client.cancel,
        }[args.action]()
    except WindowApiError as exc:
        print(json.dumps(exc.body, ensure_ascii=False))
        return 1
    except OSError as exc:
        print(f"kiosk sim window: evaluator API not reachable on port {args.port}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
